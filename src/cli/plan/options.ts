/** The options of `azure-batch-network plan`: the strategies and Classic behaviours it takes. */

export const STRATEGIES = ["in-place", "new-pool", "both"] as const;

/** How the simulated Azure may treat a Classic target, as `--classic-mode` names it. */
export type ClassicMode = "retired" | "honoured";

export const CLASSIC_MODES: readonly ClassicMode[] = ["retired", "honoured"];

/** What each `--classic-mode` means, for the help and the report's first line. */
export const CLASSIC_MODE_TEXT: Readonly<Record<ClassicMode, string>> = {
  retired:
    "Azure as it is since 31 March 2026: a Classic target is not honoured, nodes join in Simplified",
  honoured: "Azure before 31 March 2026: a Classic target is honoured, nodes join in Classic",
};

export interface PlanFlags {
  region?: string;
  strategy?: string;
  rollback?: boolean;
  vmSize?: string;
  dedicatedNodes?: string;
  lowPriorityNodes?: string;
  addressSpace?: string;
  subnetPrefix?: string;
  config?: string;
  classicMode?: string;
  json?: boolean;
  markdown?: boolean;
}
