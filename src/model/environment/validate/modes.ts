/** The environment's region, its pools' targets and the modes its rules serve. */
import { CLASSIC_RETIREMENT } from "../../limits";
import { CommunicationMode, describeModes, modesFor, NodeMode, NODE_MODES } from "../../modes";
import type { Problem } from "../../problems";
import type { Region } from "../../regions";
import { modeField, regionField } from "../../scope";
import type { BatchEnvironmentSettings } from "../settings";

/** The checked core of the settings that later steps rely on. */
export interface ResolvedModes {
  readonly region: Region | undefined;
  /** Each pool's target: the environment's own, then any a migration adds. */
  readonly poolTargets: CommunicationMode[];
  /** The modes the NSG rules and routes serve. */
  readonly ruleModes: NodeMode[];
}

/** Where the pools' targets come from, for messages: `communicationMode`, or a migration's `stage`. */
export interface TargetSource {
  readonly field: string;
  /** How a message names a target: `Simplified`, `stage simplified-pool`. */
  readonly describe: (target: CommunicationMode) => string;
}

export const COMMUNICATION_MODE_SOURCE: TargetSource = {
  field: "communicationMode",
  describe: (target) => `communicationMode ${target}`,
};

/** Resolves and checks region, targets and rule modes, collecting every problem. */
export function checkModes(
  settings: BatchEnvironmentSettings<unknown>,
  extraTargets: readonly CommunicationMode[],
  source: TargetSource,
): ResolvedModes & { problems: Problem[] } {
  const problems: Problem[] = [];
  const { region, problem: regionProblem } = regionField(settings.location, "location");
  if (regionProblem) problems.push(regionProblem);
  const own = modeField(settings.communicationMode, "communicationMode");
  if (own.problem) problems.push(own.problem);
  const poolTargets = [...new Set([...(own.mode ? [own.mode] : []), ...extraTargets])];

  let ruleModes: NodeMode[] = own.mode ? modesFor(own.mode) : [];
  if (settings.ruleModes !== undefined) {
    if (!Array.isArray(settings.ruleModes) || settings.ruleModes.length === 0) {
      problems.push({
        field: "ruleModes",
        message: "give at least one mode, or leave ruleModes out to follow communicationMode.",
      });
    } else {
      const parsed = settings.ruleModes.map((m, i) => modeField(m, `ruleModes[${i}]`));
      problems.push(...parsed.flatMap((p) => (p.problem ? [p.problem] : [])));
      const wanted = new Set(parsed.flatMap((p) => (p.mode ? modesFor(p.mode) : [])));
      ruleModes = NODE_MODES.filter((m) => wanted.has(m));
      if (parsed.every((p) => p.mode)) {
        for (const target of poolTargets) {
          const missing = modesFor(target).filter((m) => !wanted.has(m));
          if (missing.length > 0) {
            problems.push({
              field: "ruleModes",
              message: `serves ${describeModes(ruleModes)}, but a pool targeting ${target} may run in ${missing.join(" and ")}, whose nodes would be unusable; add ${missing.join(", ")}.`,
            });
          }
        }
      }
    }
  }
  if (region && !region.simplifiedAvailable) {
    for (const target of poolTargets.filter((t) => t !== CommunicationMode.Classic)) {
      problems.push({
        field: source.field,
        message: `${source.describe(target)} needs simplified mode, which Azure does not offer in ${region.name}; use Classic there, or a region with simplified mode.`,
      });
    }
  }
  return { region, poolTargets, ruleModes, problems };
}

/** What the targets mean today, in words. */
export function modeWarnings(modes: ResolvedModes, now: Date): string[] {
  const warnings: string[] = [];
  if (modes.poolTargets.includes(CommunicationMode.Classic) && now >= CLASSIC_RETIREMENT) {
    warnings.push(
      "communicationMode Classic: Azure retired classic node communication on 31 March 2026 and no longer honours it; plan the move to Simplified (NodeCommunicationMigration).",
    );
  }
  if (modes.poolTargets.includes(CommunicationMode.Default) && modes.region) {
    const r = modes.region.name;
    warnings.push(
      `communicationMode Default lets Azure pick the mode, so the subnet carries the union of both rule sets: inbound TCP 29876-29877 from BatchNodeManagement.${r}, outbound TCP 443 to Storage.${r}, outbound 443 to BatchNodeManagement.${r}. Choose Simplified to need only the last.`,
    );
  }
  return warnings;
}
