/**
 * The stages of a migration between classic and simplified node communication: what each stage
 * asks of the pools and the rules, under each strategy. What one run may do is `decide.ts`'s.
 */
import { BatchApiVersion } from "../enums";
import { CommunicationMode, NodeMode } from "../modes";

/** The stages of a migration, in forward order. */
export const MigrationStage = {
  Classic: "classic",
  Union: "union",
  SimplifiedPool: "simplified-pool",
  Simplified: "simplified",
  /** The end: the pool and account declared at API 2025-06-01, without the mode property. */
  Api20250601: "api-2025-06-01",
} as const;
export type MigrationStage = (typeof MigrationStage)[keyof typeof MigrationStage];

/** How the pool moves to the other mode. */
export const MigrationStrategy = {
  /** The pool's target changes; it is resized to zero and back out over consecutive runs. */
  InPlace: "in-place",
  /** A second pool in the new mode is created beside the old one, which is deleted later. */
  NewPool: "new-pool",
} as const;
export type MigrationStrategy = (typeof MigrationStrategy)[keyof typeof MigrationStrategy];

export const STAGE_ORDER: readonly MigrationStage[] = [
  MigrationStage.Classic,
  MigrationStage.Union,
  MigrationStage.SimplifiedPool,
  MigrationStage.Simplified,
  MigrationStage.Api20250601,
];

const { Classic, Simplified } = CommunicationMode;

/** What a stage asks: the pool's target, the modes the rules serve, the API version. */
export interface StageSettings {
  readonly poolTarget: NodeMode;
  readonly ruleModes: readonly NodeMode[];
  readonly apiVersion: BatchApiVersion;
}

const { V2024_07_01, V2025_06_01 } = BatchApiVersion;

/**
 * The stages. `classic` serves Simplified too: since 31 March 2026 Azure no longer honours a
 * Classic target, so a Classic pool's next nodes may join in Simplified; `union` is the same
 * rules by another name, kept for the runbooks and stacks written before.
 */
const STAGES: Readonly<Record<MigrationStage, StageSettings>> = {
  classic: { poolTarget: Classic, ruleModes: [Classic, Simplified], apiVersion: V2024_07_01 },
  union: { poolTarget: Classic, ruleModes: [Classic, Simplified], apiVersion: V2024_07_01 },
  "simplified-pool": {
    poolTarget: Simplified,
    ruleModes: [Classic, Simplified],
    apiVersion: V2024_07_01,
  },
  simplified: { poolTarget: Simplified, ruleModes: [Simplified], apiVersion: V2024_07_01 },
  "api-2025-06-01": { poolTarget: Simplified, ruleModes: [Simplified], apiVersion: V2025_06_01 },
};

export function stageSettings(stage: MigrationStage): StageSettings {
  return STAGES[stage];
}

/** The stage after `stage` going forward, or undefined at the last. */
export function nextStage(stage: MigrationStage): MigrationStage | undefined {
  return STAGE_ORDER[STAGE_ORDER.indexOf(stage) + 1];
}

/** The stage before `stage` (the way back), or undefined at the first. */
export function previousStage(stage: MigrationStage): MigrationStage | undefined {
  return STAGE_ORDER[STAGE_ORDER.indexOf(stage) - 1];
}

/** The stage `text` names, in any case. */
export function findStage(text: unknown): MigrationStage | undefined {
  const wanted = typeof text === "string" ? text.trim().toLowerCase() : "";
  return STAGE_ORDER.find((s) => s === wanted);
}

export const STRATEGIES: readonly MigrationStrategy[] = Object.values(MigrationStrategy);

/** The strategy `text` names, in any case. */
export function findStrategy(text: unknown): MigrationStrategy | undefined {
  const wanted = typeof text === "string" ? text.trim().toLowerCase() : "";
  return STRATEGIES.find((s) => s === wanted);
}

/** The pools a migration may have: its original pool and, with new-pool, the replacement. */
export type PoolRole = "original" | "replacement";

/** A pool the stage declares, with its target. */
export interface StagePool {
  readonly role: PoolRole;
  readonly target: NodeMode;
}

/** Which pools exist at a stage under a strategy, and their targets. */
export function stagePools(stage: MigrationStage, strategy: MigrationStrategy): StagePool[] {
  if (strategy === MigrationStrategy.InPlace) {
    return [{ role: "original", target: STAGES[stage].poolTarget }];
  }
  const original: StagePool = { role: "original", target: Classic };
  const replacement: StagePool = { role: "replacement", target: Simplified };
  switch (stage) {
    case "classic":
    case "union":
      return [original];
    case "simplified-pool":
      return [original, replacement];
    case "simplified":
    case "api-2025-06-01":
      return [replacement];
  }
}

/** The roles a strategy ever uses: their names are reserved at every stage. */
export function strategyRoles(strategy: MigrationStrategy): PoolRole[] {
  return strategy === MigrationStrategy.InPlace ? ["original"] : ["original", "replacement"];
}
