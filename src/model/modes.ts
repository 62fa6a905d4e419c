/**
 * Node communication modes: reading them from user text, the concrete modes a target may run
 * in, and the named sets of modes (classic, simplified, union, default) that the CLI, the
 * migration's texts and the rule generator all use.
 */
import { CommunicationMode, NodeMode } from "./enums";
import { InvalidInputError } from "./problems";

export { CommunicationMode };
export type { NodeMode };

/** Both concrete modes, in the order rules and tables list them. */
export const NODE_MODES: readonly NodeMode[] = [
  CommunicationMode.Classic,
  CommunicationMode.Simplified,
];

const MODE_BY_KEY: ReadonlyMap<string, CommunicationMode> = new Map(
  Object.values(CommunicationMode).map((m) => [m.toLowerCase(), m] as const),
);

/** Whether `text` names a mode, in any case (config strings arrive as `simplified`). */
export function findCommunicationMode(text: unknown): CommunicationMode | undefined {
  return typeof text === "string" ? MODE_BY_KEY.get(text.trim().toLowerCase()) : undefined;
}

/** Whether `mode` is one a pool's nodes run in (not `Default`). */
export function isNodeMode(mode: unknown): mode is NodeMode {
  return mode === CommunicationMode.Classic || mode === CommunicationMode.Simplified;
}

/** The message for a value that names no mode. */
export function unknownModeMessage(text: unknown): string {
  return `${JSON.stringify(text)} is not a node communication mode; use one of Classic, Simplified, Default.`;
}

/**
 * The mode `text` names, accepting any case.
 * @throws InvalidInputError naming `field` and the allowed values.
 */
export function parseCommunicationMode(
  text: string,
  field = "communicationMode",
): CommunicationMode {
  const mode = findCommunicationMode(text);
  if (mode === undefined) {
    throw new InvalidInputError([{ field, message: unknownModeMessage(text) }]);
  }
  return mode;
}

/**
 * The concrete modes a pool with this target may run in, so the modes its subnet must serve.
 * `Default` lets Azure choose, so it needs both.
 */
export function modesFor(mode: CommunicationMode): NodeMode[] {
  return mode === CommunicationMode.Default ? [...NODE_MODES] : [mode];
}

/** A set of modes in canonical order without repeats: `[Simplified, Classic]` -> `[Classic, Simplified]`. */
export function canonicalModes(modes: Iterable<CommunicationMode>): NodeMode[] {
  const wanted = new Set([...modes].flatMap(modesFor));
  return NODE_MODES.filter((m) => wanted.has(m));
}

/** The named sets of modes users pick from (`--mode`, `--set`) and the texts call by name. */
export const MODE_SETS = {
  classic: [CommunicationMode.Classic],
  simplified: [CommunicationMode.Simplified],
  union: [CommunicationMode.Classic, CommunicationMode.Simplified],
  default: [CommunicationMode.Default],
} as const satisfies Record<string, readonly CommunicationMode[]>;

export type ModeSetName = keyof typeof MODE_SETS;

export const MODE_SET_NAMES = Object.keys(MODE_SETS) as ModeSetName[];

/** The mode set a name denotes, in any case. */
export function findModeSet(text: unknown): ModeSetName | undefined {
  const key = typeof text === "string" ? text.trim().toLowerCase() : "";
  return MODE_SET_NAMES.find((name) => name === key);
}

/** The concrete modes a named set serves. */
export function modesOfSet(name: ModeSetName): NodeMode[] {
  return canonicalModes(MODE_SETS[name]);
}

/** How texts name a set of concrete modes: `Classic`, `Simplified`, `Classic + Simplified`. */
export function describeModes(modes: readonly NodeMode[]): string {
  return modes.length === 0 ? "no mode" : canonicalModes(modes).join(" + ");
}
