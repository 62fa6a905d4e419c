/**
 * The region and modes every model function starts from, checked the same way everywhere.
 */
import { canonicalModes, CommunicationMode, NodeMode } from "./modes";
import { Problem } from "./problems";
import { findRegion, Region, unknownRegionMessage } from "./regions";

/** A checked region and mode set, or the problems that stop them being one. */
export interface Scope {
  readonly region: Region | undefined;
  readonly modes: NodeMode[];
  readonly problems: Problem[];
}

/** Resolves a region name and a set of modes, collecting a problem for each that is wrong. */
export function checkScope(region: string, modes: Iterable<CommunicationMode>): Scope {
  const problems: Problem[] = [];
  const found = typeof region === "string" ? findRegion(region) : undefined;
  if (!found) problems.push({ field: "region", message: unknownRegionMessage(String(region)) });
  const wanted = canonicalModes(modes);
  if (wanted.length === 0) {
    problems.push({
      field: "modes",
      message: "give at least one of Classic, Simplified, Default.",
    });
  }
  return { region: found, modes: wanted, problems };
}
