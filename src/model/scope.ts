/**
 * The region and modes every model function starts from, resolved and checked the same way
 * everywhere: each wrong value becomes a problem naming the field it came from.
 */
import {
  canonicalModes,
  CommunicationMode,
  findCommunicationMode,
  NodeMode,
  unknownModeMessage,
} from "./modes";
import { Problem } from "./problems";
import { findRegion, Region, retiredRegionMessage, unknownRegionMessage } from "./regions";

/** A checked region and mode set, or the problems that stop them being one. */
export interface Scope {
  readonly region: Region | undefined;
  readonly modes: NodeMode[];
  readonly problems: Problem[];
}

/**
 * The region a field names, or a problem naming the field: the nearest known names for an
 * unknown one, the live regions for a retired one (Azure takes no new resources there).
 */
export function regionField(value: unknown, field: string): { region?: Region; problem?: Problem } {
  const region = typeof value === "string" ? findRegion(value) : undefined;
  if (!region) return { problem: { field, message: unknownRegionMessage(value) } };
  if (region.retired) return { problem: { field, message: retiredRegionMessage(region) } };
  return { region };
}

/** Why a region refuses simplified mode, and what its pools run instead. */
export function unofferedModesMessage(region: Region): string {
  return `${region.name} does not offer simplified node communication: its pools run Classic only, so ask for Classic (or Default, which runs Classic there).`;
}

/** The mode a field names (any case), or a problem naming the field. */
export function modeField(
  value: unknown,
  field: string,
): { mode?: CommunicationMode; problem?: Problem } {
  const mode = findCommunicationMode(value);
  return mode ? { mode } : { problem: { field, message: unknownModeMessage(value) } };
}

/**
 * Resolves a region name and a set of modes, collecting a problem for each that is wrong.
 * @param simplifiedObserved an export shows pools running or targeting Simplified in the region,
 *   so it offers simplified node communication whatever the package's table says.
 */
export function checkScope(
  region: unknown,
  modes: Iterable<CommunicationMode> | undefined,
  fields: { readonly region: string; readonly modes: string } = {
    region: "region",
    modes: "modes",
  },
  simplifiedObserved = false,
): Scope {
  const problems: Problem[] = [];
  const found = regionField(region, fields.region);
  if (found.problem) problems.push(found.problem);
  // An export showing Simplified in the region outweighs this package's table of Azure's facts.
  if (simplifiedObserved && found.region)
    found.region = { ...found.region, simplifiedAvailable: true };
  // A string is iterable too, but "Simplified" is not a list of modes: refuse it, not split it.
  const given =
    modes !== undefined &&
    modes !== null &&
    typeof modes !== "string" &&
    typeof (modes as Iterable<unknown>)[Symbol.iterator] === "function"
      ? [...modes]
      : undefined;
  if (given === undefined) {
    problems.push({
      field: fields.modes,
      message: "must be a list of modes: Classic, Simplified, Default.",
    });
    return { region: found.region, modes: [], problems };
  }
  const parsed: CommunicationMode[] = [];
  given.forEach((m, i) => {
    const mode = modeField(m, `${fields.modes}[${i}]`);
    if (mode.problem) problems.push(mode.problem);
    else parsed.push(mode.mode!);
  });
  const wanted = canonicalModes(parsed, found.region);
  if (found.region && !found.region.simplifiedAvailable) {
    const at = given.findIndex((m) => findCommunicationMode(m) === CommunicationMode.Simplified);
    if (at >= 0)
      problems.push({
        field: `${fields.modes}[${at}]`,
        message: unofferedModesMessage(found.region),
      });
  }
  if (given.length === 0) {
    problems.push({
      field: fields.modes,
      message: "give at least one of Classic, Simplified, Default.",
    });
  }
  return { region: found.region, modes: wanted, problems };
}
