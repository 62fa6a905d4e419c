/** The environment's region, its pools' targets, the API version and the modes its rules serve. */
import { BatchApiVersion, enumValues } from "../../enums";
import { CLASSIC_RETIREMENT } from "../../limits";
import {
  canonicalModes,
  CommunicationMode,
  describeModes,
  modesForTarget,
  NodeMode,
  NODE_MODES,
} from "../../modes";
import type { Problem } from "../../problems";
import { Region, unlistedRegionWarning } from "../../regions";
import { modeField, regionField } from "../../scope";
import type { BatchEnvironmentSettings } from "../settings";
import { oneOf } from "./fields";

/** The checked core of the settings that later steps rely on. */
export interface ResolvedModes {
  readonly region: Region | undefined;
  /** Each pool's target: the environment's own, then any a migration adds. */
  readonly poolTargets: CommunicationMode[];
  /** The modes the NSG rules and routes serve. */
  readonly ruleModes: NodeMode[];
  /** The management API version the pool and account are declared at. */
  readonly apiVersion: BatchApiVersion;
}

/** Where the pools' targets come from, for messages: `communicationMode`, or a migration's `stage`. */
export interface TargetSource {
  readonly field: string;
  /** How a message names a target: `communicationMode Simplified`, `stage simplified-pool`. */
  readonly describe: (target: CommunicationMode) => string;
}

export const COMMUNICATION_MODE_SOURCE: TargetSource = {
  field: "communicationMode",
  describe: (target) => `communicationMode ${target}`,
};

function why(target: CommunicationMode, missing: readonly NodeMode[]): string {
  return target === CommunicationMode.Classic && missing.includes(CommunicationMode.Simplified)
    ? " (Azure no longer honours Classic since 31 March 2026, so its nodes may join in Simplified)"
    : "";
}

function checkRuleModes(
  settings: BatchEnvironmentSettings<unknown>,
  region: Region | undefined,
  targets: readonly CommunicationMode[],
  problems: Problem[],
): NodeMode[] | undefined {
  if (settings.ruleModes === undefined) return undefined;
  if (!Array.isArray(settings.ruleModes) || settings.ruleModes.length === 0) {
    problems.push({
      field: "ruleModes",
      message: "give at least one mode, or leave ruleModes out to follow communicationMode.",
    });
    return [];
  }
  const parsed = settings.ruleModes.map((m, i) => modeField(m, `ruleModes[${i}]`));
  problems.push(...parsed.flatMap((p) => (p.problem ? [p.problem] : [])));
  // Rule modes are the modes to serve: Classic means the classic rules only; Default, what a
  // Default pool runs in.
  const ruleModes = canonicalModes(
    parsed.flatMap((p) => (p.mode ? [p.mode] : [])),
    region,
  );
  const wanted = new Set(ruleModes);
  if (!parsed.every((p) => p.mode)) return ruleModes;
  for (const target of targets) {
    const missing = modesForTarget(target, region).filter((m) => !wanted.has(m));
    if (missing.length > 0) {
      problems.push({
        field: "ruleModes",
        message: `serves ${describeModes(ruleModes)}, but a pool targeting ${target} may run in ${missing.join(" and ")}${why(target, missing)}, whose nodes would be unusable; add ${missing.join(", ")}.`,
      });
    }
  }
  return ruleModes;
}

/** Resolves and checks region, targets, API version and rule modes, collecting every problem. */
export function checkModes(
  settings: BatchEnvironmentSettings<unknown>,
  extraTargets: readonly CommunicationMode[],
  source: TargetSource,
): ResolvedModes & { problems: Problem[] } {
  const problems: Problem[] = [];
  const { region, problem: regionProblem } = regionField(settings.location, "location");
  if (regionProblem) problems.push(regionProblem);
  const own =
    settings.communicationMode === undefined
      ? { mode: CommunicationMode.Simplified }
      : modeField(settings.communicationMode, "communicationMode");
  if (own.problem) problems.push(own.problem);
  const poolTargets = [...new Set([...(own.mode ? [own.mode] : []), ...extraTargets])];
  const versionProblem = oneOf(
    settings.batchApiVersion,
    enumValues(BatchApiVersion),
    "batchApiVersion",
  );
  if (versionProblem) problems.push(versionProblem);
  const apiVersion = settings.batchApiVersion ?? BatchApiVersion.V2024_07_01;
  if (
    apiVersion === BatchApiVersion.V2025_06_01 &&
    poolTargets.includes(CommunicationMode.Classic)
  ) {
    problems.push({
      field: source.field,
      message: `${source.describe(CommunicationMode.Classic)} cannot be declared at API 2025-06-01, which has no mode property (Azure runs VNet pools there in Simplified). Use Simplified, or batchApiVersion 2024-07-01 and NodeCommunicationMigration to move off Classic.`,
    });
  }
  const ruleModes =
    checkRuleModes(settings, region, poolTargets, problems) ??
    [...new Set(poolTargets.flatMap((t) => modesForTarget(t, region)))].sort();
  if (region && !region.simplifiedAvailable) {
    for (const target of poolTargets.filter((t) => t === CommunicationMode.Simplified)) {
      problems.push({
        field: source.field,
        message: `${source.describe(target)} needs simplified mode, which Azure does not offer in ${region.name}; use Classic there, or a region with simplified mode.`,
      });
    }
  }
  return {
    region,
    poolTargets,
    ruleModes: NODE_MODES.filter((m) => ruleModes.includes(m)),
    apiVersion,
    problems,
  };
}

/** What the targets and the region mean today, in words, with dates and sources. */
export function modeWarnings(modes: ResolvedModes, now: Date): string[] {
  const warnings: string[] = [];
  if (modes.poolTargets.includes(CommunicationMode.Classic) && now >= CLASSIC_RETIREMENT) {
    warnings.push(
      'A Classic target: Microsoft\'s migration guide says "After March 31, 2026, the option to use classic compute node communication mode will no longer be honored", and pools on older API versions were still seen running Classic in 2026. Its nodes may join in either mode, so the subnet carries the Simplified rules too. Move to Simplified (NodeCommunicationMigration, then stage api-2025-06-01).',
    );
  }
  if (modes.poolTargets.includes(CommunicationMode.Default) && modes.region?.simplifiedAvailable) {
    warnings.push(
      `communicationMode Default: since 30 September 2024 Azure runs new VNet pools with Default in Simplified mode, so the subnet carries the Simplified rules (outbound 443 to BatchNodeManagement.${modes.region.name}). A pool made before then may still run Classic: give ruleModes [Classic, Simplified] to keep both.`,
    );
  }
  if (modes.region && !modes.region.batchListed) {
    warnings.push(unlistedRegionWarning(modes.region));
  }
  return warnings;
}
