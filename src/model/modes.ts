/**
 * Node communication modes: reading them from user text, the concrete modes a target may run
 * in, and the named sets of modes (classic, simplified, union, default) that the CLI, the
 * migration's texts and the rule generator all use.
 */
import { shown } from "./printable";
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
  return `${shown(text)} is not a node communication mode; use one of Classic, Simplified, Default.`;
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

/** What a region says about the modes a pool there can run in. */
export interface ModeAvailability {
  /** Whether Batch offers simplified node communication in the region. */
  readonly simplifiedAvailable: boolean;
}

/**
 * The node modes a pool with this target may run in today, so the modes its subnet must serve:
 *
 * - `Classic`: Classic, and Simplified too. Since 31 March 2026 "the option to use classic
 *   compute node communication mode will no longer be honored" (Microsoft's migration guide),
 *   yet pools on older API versions were still seen running Classic in 2026: either may join.
 * - `Default`: Simplified. Azure picks Simplified for VNet pools since 30 September 2024.
 * - `Simplified`: Simplified.
 *
 * Where the region offers no simplified mode, every target runs Classic.
 */
export function modesForTarget(target: CommunicationMode, region?: ModeAvailability): NodeMode[] {
  if (region && !region.simplifiedAvailable) return [CommunicationMode.Classic];
  return target === CommunicationMode.Classic ? [...NODE_MODES] : [CommunicationMode.Simplified];
}

/**
 * A list of modes to serve, in canonical order without repeats: node modes stand for
 * themselves (`Classic` is classic mode's flows only), `Default` for what a Default pool runs in
 * ({@link modesForTarget}). `[Simplified, Classic]` -> `[Classic, Simplified]`.
 */
export function canonicalModes(
  modes: Iterable<CommunicationMode>,
  region?: ModeAvailability,
): NodeMode[] {
  const wanted = new Set(
    [...modes].flatMap((m) =>
      m === CommunicationMode.Default ? modesForTarget(m, region) : isNodeMode(m) ? [m] : [],
    ),
  );
  return NODE_MODES.filter((m) => wanted.has(m));
}

/**
 * The modes a subnet must serve for pools with these targets, as a mode list the model takes: a
 * Classic target brings Simplified too where the region offers it ({@link modesForTarget});
 * every other mode stands for itself, so a mode the region lacks is still refused.
 */
export function modesForTargets(
  targets: Iterable<CommunicationMode>,
  region?: ModeAvailability,
): CommunicationMode[] {
  const modes = new Set<CommunicationMode>();
  for (const target of targets) {
    if (target === CommunicationMode.Classic)
      for (const m of modesForTarget(target, region)) modes.add(m);
    else modes.add(target);
  }
  return [...modes];
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

/** The concrete modes a named set serves (in a region, for `default`). */
export function modesOfSet(name: ModeSetName, region?: ModeAvailability): NodeMode[] {
  return canonicalModes(MODE_SETS[name], region);
}

/** How texts name a set of concrete modes: `Classic`, `Simplified`, `Classic + Simplified`. */
export function describeModes(modes: readonly NodeMode[]): string {
  return modes.length === 0 ? "no mode" : canonicalModes(modes).join(" + ");
}
