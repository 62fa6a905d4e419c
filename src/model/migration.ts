/**
 * A migration's settings: the stage and strategy, checked, and the environment plan each
 * stage builds on. The run-by-run decisions (the gate, the resize dance) are in `stages.ts`.
 */
import { EnvironmentSettings } from "./environment";
import { CommunicationMode, findCommunicationMode, NodeMode } from "./modes";
import { EnvironmentPlan, planEnvironment, PoolPlan } from "./plan";
import { InvalidInputError, Problem } from "./problems";
import {
  findStage,
  findStrategy,
  MigrationStage,
  MigrationStrategy,
  STAGE_ORDER,
  stagePools,
  stageSettings,
} from "./stages";
import { validateEnvironment } from "./validate";

/** What a migration adds to an environment's settings. */
export interface MigrationFields {
  /** `classic` | `union` | `simplified-pool` | `simplified` (config strings in any case). */
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
}

/** A migration as the user gives it: the environment's settings, the stage and the strategy. */
export interface MigrationSpec<Id = string> extends EnvironmentSettings<Id>, MigrationFields {}

/** A checked migration: what the environment and (with new-pool) the replacement pool are. */
export interface MigrationPlan<Id = string> {
  readonly stage: MigrationStage;
  readonly strategy: MigrationStrategy;
  readonly confirmedLiveMode?: NodeMode;
  /** The environment with its original pool (retired when the stage no longer has it). */
  readonly environment: EnvironmentPlan<Id>;
  /** Whether the original pool exists at this stage. */
  readonly originalDeclared: boolean;
  /** The replacement pool (new-pool strategy), when the stage has it. */
  readonly replacementPool?: PoolPlan<Id>;
  readonly warnings: readonly string[];
}

const POOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

function checkMigrationFields(spec: MigrationSpec<unknown>): {
  problems: Problem[];
  stage?: MigrationStage;
  strategy?: MigrationStrategy;
  confirmed?: NodeMode;
} {
  const problems: Problem[] = [];
  const stage = typeof spec.stage === "string" ? findStage(spec.stage) : undefined;
  if (!stage) {
    problems.push({
      field: "stage",
      message: `${JSON.stringify(spec.stage)} is not a stage; use one of ${STAGE_ORDER.join(", ")}.`,
    });
  }
  const strategy =
    spec.strategy === undefined ? MigrationStrategy.InPlace : findStrategy(spec.strategy);
  if (!strategy) {
    problems.push({
      field: "strategy",
      message: `${JSON.stringify(spec.strategy)} is not a strategy; use in-place or new-pool.`,
    });
  }
  let confirmed: NodeMode | undefined;
  if (spec.confirmedLiveMode !== undefined) {
    const mode =
      typeof spec.confirmedLiveMode === "string"
        ? findCommunicationMode(spec.confirmedLiveMode)
        : undefined;
    if (mode === CommunicationMode.Classic || mode === CommunicationMode.Simplified)
      confirmed = mode;
    else
      problems.push({
        field: "confirmedLiveMode",
        message: `${JSON.stringify(spec.confirmedLiveMode)} is not a mode a pool runs in; use Classic or Simplified.`,
      });
  }
  const fixed = spec.pool?.name;
  const replacement = spec.replacementPoolName;
  if (replacement !== undefined) {
    if (strategy !== MigrationStrategy.NewPool) {
      problems.push({
        field: "replacementPoolName",
        message: "applies only to strategy new-pool; drop it or set strategy new-pool.",
      });
    } else if (typeof replacement !== "string" || !POOL_NAME.test(replacement)) {
      problems.push({
        field: "replacementPoolName",
        message: `${JSON.stringify(replacement)} is not a pool name (1-64 letters, digits, - and _).`,
      });
    } else if (typeof fixed === "string" && replacement.toLowerCase() === fixed.toLowerCase()) {
      problems.push({
        field: "replacementPoolName",
        message: `"${replacement}" is also pool.name: the new-pool strategy creates the replacement beside the original pool, and two pools of one account cannot share a name. Choose another name.`,
      });
    }
  } else if (
    strategy === MigrationStrategy.NewPool &&
    typeof fixed === "string" &&
    `${fixed}-simplified`.length > 64
  ) {
    problems.push({
      field: "replacementPoolName",
      message: `is required: the default replacement name "${fixed}-simplified" is longer than 64 characters; give a name that differs from pool.name.`,
    });
  }
  return { problems, stage, strategy, confirmed };
}

function uniqueProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Checks a migration spec and plans its environment at the stage.
 * @throws InvalidInputError listing every problem.
 */
export function planMigration<Id>(
  spec: MigrationSpec<Id>,
  now: Date = new Date(),
): MigrationPlan<Id> {
  const checked = checkMigrationFields(spec);
  const problems = [...checked.problems];
  const { stage, strategy } = checked;
  if (!stage || !strategy) {
    // Without a stage there is no pool target to check the environment against; check it as
    // a union so its own problems are reported in the same run.
    const env = validateEnvironment(
      {
        ...spec,
        communicationMode: CommunicationMode.Classic,
        ruleModes: [CommunicationMode.Classic, CommunicationMode.Simplified],
      },
      now,
    );
    throw new InvalidInputError(uniqueProblems([...problems, ...env.problems]));
  }
  const settings = stageSettings(stage);
  const pools = stagePools(stage, strategy);
  const original = pools.find((p) => p.role === "original");
  const replacement = pools.find((p) => p.role === "replacement");
  // The environment is checked once per pool the stage has, in that pool's mode.
  const targets = pools.map((p) => p.target);
  const envProblems = targets.flatMap(
    (target) =>
      validateEnvironment(
        { ...spec, communicationMode: target, ruleModes: [...settings.ruleModes] },
        now,
      ).problems,
  );
  for (const problem of uniqueProblems(envProblems)) {
    if (problem.field === "communicationMode") {
      problems.push({
        field: "stage",
        message: `stage ${stage} ${problem.message.replace(/^Simplified needs/, "needs")}`,
      });
    } else {
      problems.push(problem);
    }
  }
  if (problems.length > 0) throw new InvalidInputError(uniqueProblems(problems));

  // The environment's own pool takes the original's target; once retired, the nominal mode
  // is the stage's so that the plan stays consistent with the rules.
  const environment = planEnvironment(
    {
      ...spec,
      communicationMode: original?.target ?? settings.poolTarget,
      ruleModes: [...settings.ruleModes],
    },
    now,
  );
  const replacementPool = replacement
    ? {
        ...planEnvironment(
          {
            ...spec,
            communicationMode: CommunicationMode.Simplified,
            ruleModes: [...settings.ruleModes],
          },
          now,
        ).pool,
        fixedName:
          spec.replacementPoolName ??
          (spec.pool?.name ? `${spec.pool.name}-simplified` : undefined),
      }
    : undefined;
  return {
    stage,
    strategy,
    confirmedLiveMode: checked.confirmed,
    environment,
    originalDeclared: original !== undefined,
    replacementPool,
    warnings: environment.warnings,
  };
}
