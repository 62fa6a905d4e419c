/**
 * A migration's design: its stage, strategy and settings checked once, and the environment
 * (with its original pool and, under new-pool, the replacement) that the stage builds. What
 * each run does from a live read is `decide.ts`'s.
 */
import { shown } from "../printable";
import type { EnvironmentSettings } from "../environment/settings";
import { designEnvironment, EnvironmentDesign, PoolDesign } from "../environment/design";
import type { TargetSource } from "../environment/validate";
import { CommunicationMode, findCommunicationMode, isNodeMode, NodeMode } from "../modes";
import { poolNameProblem } from "../names";
import { InvalidInputError, objectProblem, Problem } from "../problems";
import { DEFAULT_STAGE_CONFIG_KEY } from "./commands";
import {
  findStage,
  findStrategy,
  MigrationStage,
  MigrationStrategy,
  STAGE_ORDER,
  stagePools,
  stageSettings,
  STRATEGIES,
} from "./stages";
import { refuseTooDeep } from "../input/json";

/** What a migration adds to an environment's settings. */
export interface MigrationFields {
  /**
   * `classic` | `union` | `simplified-pool` | `simplified` | `api-2025-06-01` (config strings in
   * any case). The stage also decides the Batch API version: 2025-06-01 at the last one.
   */
  readonly stage: MigrationStage;
  /** `in-place` (default) | `new-pool`. */
  readonly strategy?: MigrationStrategy;
  /**
   * The mode you confirmed your pools run in, used only when Azure's live read does not report
   * `currentNodeCommunicationMode` (management API 2025-06-01 and later drop it).
   */
  readonly confirmedLiveMode?: CommunicationMode;
  /**
   * Name of the new-pool strategy's replacement pool when `pool.name` is fixed. Default:
   * `<pool.name>-simplified`; must differ from `pool.name`.
   */
  readonly replacementPoolName?: string;
  /** The config key the commands a run prints set. Default `stage` (the root stack's). */
  readonly stageConfigKey?: string;
}

/** A migration as the user gives it: the environment's settings, the stage and the strategy. */
export interface MigrationSettings<Ref = string>
  extends EnvironmentSettings<Ref>, MigrationFields {}

/** A checked migration: what the environment and (with new-pool) the replacement pool are. */
export interface MigrationDesign<Ref = string> {
  readonly stage: MigrationStage;
  readonly strategy: MigrationStrategy;
  readonly confirmedLiveMode?: NodeMode;
  readonly stageConfigKey: string;
  /** The environment with its original pool. */
  readonly environment: EnvironmentDesign<Ref>;
  /** Whether the original pool exists at this stage. */
  readonly originalDeclared: boolean;
  /** The replacement pool (new-pool strategy), when the stage has it. */
  readonly replacementPool?: PoolDesign<Ref>;
  /** The replacement pool's fixed name, when the original's is fixed. */
  readonly replacementPoolName?: string;
}

const CONFIG_KEY = /^[A-Za-z][\w.:-]{0,99}$/;

interface CheckedFields {
  problems: Problem[];
  stage?: MigrationStage;
  strategy?: MigrationStrategy;
  confirmed?: NodeMode;
  replacementName?: string;
}

function checkReplacementName(
  settings: MigrationSettings<unknown>,
  strategy: MigrationStrategy | undefined,
): { problem?: Problem; name?: string } {
  const fixed = settings.pool?.name;
  const given = settings.replacementPoolName;
  const newPool = strategy === MigrationStrategy.NewPool;
  if (given !== undefined) {
    if (!newPool) {
      return {
        problem: {
          field: "replacementPoolName",
          message: "applies only to strategy new-pool; drop it or set strategy new-pool.",
        },
      };
    }
    const invalid = poolNameProblem(given, "replacementPoolName");
    if (invalid) return { problem: invalid };
    if (typeof fixed === "string" && given.toLowerCase() === fixed.toLowerCase()) {
      return {
        problem: {
          field: "replacementPoolName",
          message: `"${given}" is also pool.name: the new-pool strategy creates the replacement beside the original pool, and two pools of one account cannot share a name. Choose another name.`,
        },
      };
    }
    return { name: given };
  }
  if (!newPool || typeof fixed !== "string") return {};
  const derived = `${fixed}-simplified`;
  if (poolNameProblem(derived, "replacementPoolName")) {
    return {
      problem: {
        field: "replacementPoolName",
        message: `is required: the default replacement name "${derived}" is longer than 64 characters; give a name that differs from pool.name.`,
      },
    };
  }
  return { name: derived };
}

function checkMigrationFields(settings: MigrationSettings<unknown>): CheckedFields {
  const problems: Problem[] = [];
  const stage = findStage(settings.stage);
  if (!stage) {
    problems.push({
      field: "stage",
      message: `${shown(settings.stage)} is not a stage; use one of ${STAGE_ORDER.join(", ")}.`,
    });
  }
  const strategy =
    settings.strategy === undefined ? MigrationStrategy.InPlace : findStrategy(settings.strategy);
  if (!strategy) {
    problems.push({
      field: "strategy",
      message: `${shown(settings.strategy)} is not a strategy; use ${STRATEGIES.join(" or ")}.`,
    });
  }
  let confirmed: NodeMode | undefined;
  if (settings.confirmedLiveMode !== undefined) {
    const mode = findCommunicationMode(settings.confirmedLiveMode);
    if (isNodeMode(mode)) confirmed = mode;
    else
      problems.push({
        field: "confirmedLiveMode",
        message: `${shown(settings.confirmedLiveMode)} is not a mode a pool runs in; use Classic or Simplified.`,
      });
  }
  // An environment's own settings the migration sets stage by stage: given here they would be
  // overridden without a word, so they are refused.
  const own = settings as unknown as Record<string, unknown>;
  for (const [field, what] of [
    ["communicationMode", "the pool's target mode and its rules"],
    ["ruleModes", "the modes the NSG rules serve"],
  ] as const) {
    if (Object.hasOwn(own, field) && own[field] !== undefined)
      problems.push({
        field,
        message: `is set by the migration's stage: ${what} follow the stage (classic -> union -> simplified); drop it and set stage instead.`,
      });
  }
  if (settings.batchApiVersion !== undefined) {
    problems.push({
      field: "batchApiVersion",
      message:
        "is set by the migration's stage: 2024-07-01 (with the mode property) until stage api-2025-06-01 moves the pool and account to 2025-06-01. Drop it.",
    });
  }
  const key = settings.stageConfigKey;
  if (key !== undefined && (typeof key !== "string" || !CONFIG_KEY.test(key))) {
    problems.push({
      field: "stageConfigKey",
      message: `${shown(key)} is not a config key; use letters, digits, _ . : - (e.g. stage or batch:stage).`,
    });
  }
  const replacement = checkReplacementName(settings, strategy);
  if (replacement.problem) problems.push(replacement.problem);
  return { problems, stage, strategy, confirmed, replacementName: replacement.name };
}

function stageSource(stage: MigrationStage): TargetSource {
  return { field: "stage", describe: () => `stage ${stage}` };
}

/**
 * Checks a migration's settings once and designs its environment at the stage.
 * @throws InvalidInputError listing every problem.
 */
export function designMigration<Ref>(
  settings: MigrationSettings<Ref>,
  now: Date = new Date(),
): MigrationDesign<Ref> {
  // Untrusted callers pass anything: refuse what is not an object, or is nested past the
  // limit, before reading a field.
  refuseTooDeep(settings, "settings");
  const shape = objectProblem(settings, "settings", "migration settings");
  if (shape.length > 0) throw new InvalidInputError(shape);
  const checked = checkMigrationFields(settings);
  // Without a stage there is no pool target to check the environment against; check it as a
  // classic pool behind the union so its own problems are reported in the same run.
  const stage = checked.stage ?? "union";
  const strategy = checked.strategy ?? MigrationStrategy.InPlace;
  const targets = stagePools(stage, strategy).map((p) => p.target);
  const { ruleModes, apiVersion } = stageSettings(stage);
  let environment: EnvironmentDesign<Ref> | undefined;
  const problems = [...checked.problems];
  const {
    stage: _stage,
    strategy: _strategy,
    confirmedLiveMode: _confirmed,
    replacementPoolName: _replacement,
    stageConfigKey: _configKey,
    batchApiVersion: _version,
    ...environmentSettings
  } = settings;
  try {
    environment = designEnvironment(
      {
        ...environmentSettings,
        communicationMode: targets[0],
        ruleModes: [...ruleModes],
        batchApiVersion: apiVersion,
      },
      {
        now,
        extraPoolTargets: targets.slice(1),
        targetSource: stageSource(stage),
        settingsOf: "migration",
      },
    );
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    for (const problem of error.problems) problems.push(problem);
  }
  if (problems.length > 0 || !environment || !checked.stage || !checked.strategy)
    throw new InvalidInputError(problems);
  const replacement = stagePools(stage, strategy).find((p) => p.role === "replacement");
  return {
    stage,
    strategy,
    confirmedLiveMode: checked.confirmed,
    stageConfigKey: settings.stageConfigKey ?? DEFAULT_STAGE_CONFIG_KEY,
    environment,
    originalDeclared: stagePools(stage, strategy).some((p) => p.role === "original"),
    ...(replacement ? { replacementPool: environment.pool } : {}),
    ...(checked.replacementName ? { replacementPoolName: checked.replacementName } : {}),
  };
}
