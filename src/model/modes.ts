/**
 * Node communication modes, spelled as Azure spells them, and the set of concrete modes a
 * subnet's rules must serve.
 */
import { InvalidInputError } from "./problems";

/** A pool's `targetNodeCommunicationMode`, as the Batch management API spells it. */
export enum CommunicationMode {
  /** The Batch service connects in to the nodes (retired 31 March 2026). */
  Classic = "Classic",
  /** The nodes connect out to the Batch service. */
  Simplified = "Simplified",
  /** Azure picks; the subnet must carry the rules of both modes. */
  Default = "Default",
}

/** A mode a pool can actually run in (`currentNodeCommunicationMode`). */
export type NodeMode = CommunicationMode.Classic | CommunicationMode.Simplified;

/** Both concrete modes, in the order rules and tables list them. */
export const NODE_MODES: readonly NodeMode[] = [
  CommunicationMode.Classic,
  CommunicationMode.Simplified,
];

const MODE_BY_KEY: ReadonlyMap<string, CommunicationMode> = new Map(
  Object.values(CommunicationMode).map((m) => [m.toLowerCase(), m] as const),
);

/** Whether `text` names a mode, in any case (config strings arrive as `simplified`). */
export function findCommunicationMode(text: string): CommunicationMode | undefined {
  return MODE_BY_KEY.get(text.trim().toLowerCase());
}

/** The message for a string that names no mode. */
export function unknownModeMessage(text: string): string {
  return `"${text}" is not a node communication mode; use one of Classic, Simplified, Default.`;
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
