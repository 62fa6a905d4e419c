/**
 * NodeCommunicationMigration: a BatchEnvironment driven through the stages of a move between
 * classic and simplified node communication, one `pulumi up` a step.
 *
 * Every decision is the model's (`planMigration` for the settings, `decideRun` for each run);
 * this file reads the pools live, hands the decision to the environment, and reports it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as batch from "@pulumi/azure-native/batch";
import {
  CommunicationMode,
  decideRun,
  findCommunicationMode,
  LivePool,
  MigrationFields,
  MigrationStage,
  MigrationStrategy,
  nextStage,
  planMigration,
  PoolObservation,
  PoolRole,
  previousStage,
  RunDecision,
  SecurityRuleSpec,
  stageSettings,
  strategyRoles,
} from "../model";
import {
  BatchEnvironment,
  EnvironmentFacts,
  EnvironmentSettingsArgs,
  environmentInternals,
} from "./batchEnvironment";
import { planOrThrow } from "./inputErrors";
import { peekOutput, UNKNOWN } from "./outputs";
import { poolArgs } from "./poolArgs";
import { networkKey, poolName } from "./poolName";

export const NODE_COMMUNICATION_MIGRATION_TYPE =
  "azure-batch-network:index:NodeCommunicationMigration";

/** Arguments of a {@link NodeCommunicationMigration}: an environment's settings plus the stage. */
export interface NodeCommunicationMigrationArgs extends EnvironmentSettingsArgs, MigrationFields {
  /** The config key the next-command text sets. Default `stage` (the root stack's). */
  readonly stageConfigKey?: string;
}

const NOT_FOUND = /not ?found|404|ResourceNotFound/i;

/** Reads a pool live; a pool Azure does not know is reported as not existing. */
async function readPool(
  accountName: string,
  poolName: string,
  resourceGroupName: string,
  parent: pulumi.Resource,
): Promise<LivePool> {
  let read: batch.GetPoolResult;
  try {
    read = await batch.getPool({ accountName, poolName, resourceGroupName }, { parent });
  } catch (error) {
    if (NOT_FOUND.test(String((error as Error)?.message ?? error))) {
      return { exists: false, nodes: 0, steady: true };
    }
    throw error;
  }
  const current = read.currentNodeCommunicationMode
    ? findCommunicationMode(read.currentNodeCommunicationMode)
    : undefined;
  const fixed = read.scaleSettings?.fixedScale;
  return {
    exists: true,
    target: read.targetNodeCommunicationMode
      ? findCommunicationMode(read.targetNodeCommunicationMode)
      : undefined,
    current:
      current === CommunicationMode.Classic || current === CommunicationMode.Simplified
        ? current
        : undefined,
    nodes: (read.currentDedicatedNodes ?? 0) + (read.currentLowPriorityNodes ?? 0),
    targetNodes: fixed
      ? (fixed.targetDedicatedNodes ?? 0) + (fixed.targetLowPriorityNodes ?? 0)
      : undefined,
    steady: read.allocationState === "Steady",
  };
}

/** The pools' names and where they live, as the live reads need them. */
interface PoolLocator {
  readonly accountName: pulumi.Output<string>;
  readonly resourceGroupName: pulumi.Output<string>;
  readonly names: Readonly<Partial<Record<PoolRole, pulumi.Output<string>>>>;
}

/** Reads every pool of the migration live; unknown names (a preview) stay unknown. */
async function observePools(
  locator: PoolLocator,
  roles: readonly PoolRole[],
  parent: pulumi.Resource,
): Promise<PoolObservation[]> {
  const account = await peekOutput(locator.accountName);
  const group = await peekOutput(locator.resourceGroupName);
  return Promise.all(
    roles.map(async (role): Promise<PoolObservation> => {
      const name = await peekOutput(locator.names[role]!);
      if (name === UNKNOWN || account === UNKNOWN || group === UNKNOWN) {
        return { role, ...(name === UNKNOWN ? {} : { name }), live: "unknown" };
      }
      return { role, name, live: await readPool(account, name, group, parent) };
    }),
  );
}

function sizeText(scale: {
  kind: string;
  dedicatedNodes?: number;
  lowPriorityNodes?: number;
}): string {
  return scale.kind === "fixed"
    ? `${scale.dedicatedNodes} dedicated + ${scale.lowPriorityNodes} low-priority nodes`
    : "its autoscale formula";
}

/**
 * A Batch environment moved between classic and simplified node communication in stages:
 * `classic` -> `union` -> `simplified-pool` -> `simplified`, and back. Each stage is one or a
 * few `pulumi up` runs; a run that would leave a pool without the flows its live mode needs
 * fails its preview and its update.
 */
export class NodeCommunicationMigration extends pulumi.ComponentResource {
  /** The stage this deployment applies. */
  public readonly stage!: pulumi.Output<string>;
  /** `in-place` or `new-pool`. */
  public readonly strategy!: pulumi.Output<string>;
  /** Live `currentNodeCommunicationMode` of the pool the stage is about, after this run ("none" when it does not exist). */
  public readonly liveNodeCommunicationMode!: pulumi.Output<string>;
  /** Live mode of each pool of the migration, by role (original, replacement), after this run. */
  public readonly liveModes!: pulumi.Output<{ [role: string]: string }>;
  /** Whether the next stage may be applied now: this one is complete and its gate would pass. */
  public readonly nextStageSafe!: pulumi.Output<boolean>;
  /** The exact command to run next. */
  public readonly nextCommand!: pulumi.Output<string>;
  /** The command that steps back one stage. */
  public readonly rollbackCommand!: pulumi.Output<string>;
  /** What this run does and what the next run will do, in words. */
  public readonly runSummary!: pulumi.Output<string>;
  /** The security rules applied by this run, as plain data. */
  public readonly securityRules!: pulumi.Output<SecurityRuleSpec[]>;
  /** The modes the applied rules serve. */
  public readonly ruleModes!: pulumi.Output<string[]>;
  /** Name of the original pool; empty once deleted (new-pool strategy). */
  public readonly poolName!: pulumi.Output<string>;
  /** Name of the replacement pool (new-pool strategy); empty when there is none. */
  public readonly replacementPoolName!: pulumi.Output<string>;
  /** Name of the Batch account. */
  public readonly accountName!: pulumi.Output<string>;

  constructor(
    name: string,
    args: NodeCommunicationMigrationArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    const plan = planOrThrow("NodeCommunicationMigration", name, () => planMigration(args));
    super(NODE_COMMUNICATION_MIGRATION_TYPE, name, {}, opts);
    const { stage, strategy } = plan;
    const settings = stageSettings(stage);
    const roles = strategyRoles(strategy);
    const configKey = args.stageConfigKey ?? "stage";
    const envPlan = plan.environment;

    // The replacement pool's name is reserved at every stage of a new-pool migration, so that
    // the pool can be read live (and found gone) even where the stage does not declare it.
    const replacementName =
      strategy === MigrationStrategy.NewPool
        ? poolName(
            `${name}-replacement-pool-name`,
            `${name}-simplified`,
            args.replacementPoolName ??
              (args.pool?.name ? `${args.pool.name}-simplified` : undefined),
            networkKey(envPlan, envPlan.pool),
            this,
          )
        : undefined;

    const configuredSize = sizeText(envPlan.pool.scale);
    let decision!: pulumi.Output<RunDecision>;
    let locator!: PoolLocator;
    const gated = <T>(pick: (d: RunDecision) => T): pulumi.Output<T> =>
      decision.apply((d) => {
        if (d.refusal) {
          throw new pulumi.RunError(
            `NodeCommunicationMigration "${name}" refuses stage ${stage}:\n${d.refusal}`,
          );
        }
        return pick(d);
      });
    const scaleOf = (role: PoolRole) =>
      gated((d) => d.pools.find((p) => p.role === role)?.scale ?? "configured");

    const {
      stage: _stage,
      strategy: _strategy,
      confirmedLiveMode: _confirmed,
      replacementPoolName: _replacementPoolName,
      stageConfigKey: _stageConfigKey,
      ...settingsArgs
    } = args;
    const environment = new BatchEnvironment(
      name,
      {
        ...settingsArgs,
        communicationMode: envPlan.poolMode,
        ruleModes: [...envPlan.ruleModes],
        retirePool: !plan.originalDeclared,
      },
      {
        parent: this,
        // A stack that used a BatchEnvironment of this name at its root keeps every resource.
        aliases: [{ parent: pulumi.rootStackResource }],
        plan: envPlan,
        control: (facts: EnvironmentFacts) => {
          locator = {
            accountName: facts.accountName,
            resourceGroupName: facts.resourceGroupName,
            names: {
              original: facts.poolName,
              ...(replacementName ? { replacement: replacementName } : {}),
            },
          };
          decision = pulumi.output(
            observePools(locator, roles, this).then((pools) =>
              decideRun({
                stage,
                strategy,
                pools,
                confirmedLiveMode: plan.confirmedLiveMode,
                configuredSize,
              }),
            ),
          );
          return { ruleModes: gated((d) => d.appliedRuleModes), poolScale: scaleOf("original") };
        },
      },
    );
    const internals = environmentInternals(environment);

    // The replacement pool (new-pool strategy): beside the original at simplified-pool, alone at
    // simplified. Created after the rules, like the environment's own pool.
    const replacement =
      plan.replacementPool && replacementName
        ? new batch.Pool(
            `${name}-replacement-pool`,
            poolArgs(plan.replacementPool, {
              accountName: internals.accountName,
              resourceGroupName: internals.resourceGroupName,
              subnetId: internals.subnetId,
              targetMode: CommunicationMode.Simplified,
              poolName: replacementName,
              scale: scaleOf("replacement"),
            }),
            {
              parent: this,
              dependsOn: internals.poolPrerequisites,
              replaceOnChanges: ["networkConfiguration"],
              deleteBeforeReplace: plan.replacementPool.fixedName !== undefined,
            },
          )
        : undefined;

    // Say what this run does and what the next will, where `pulumi preview` shows it.
    const summary = decision.apply((d) => {
      const text = d.refusal
        ? `Refused: ${d.refusal}`
        : [
            `Stage ${stage} (${strategy}). This run:`,
            ...d.thisRun.map((t) => `  - ${t}`),
            "Next run:",
            ...d.nextRun.map((t) => `  - ${t}`),
          ].join("\n");
      void pulumi.log.info(text, this);
      return text;
    });

    // After this run's pool steps, read the pools again: that is what the next run will find.
    const afterRun = pulumi
      .all([environment.poolId, replacement ? replacement.id : pulumi.output("")])
      .apply(() => observePools(locator, roles, this));
    const after = afterRun.apply((pools) => {
      const now = decideRun({
        stage,
        strategy,
        pools,
        confirmedLiveMode: plan.confirmedLiveMode,
        configuredSize,
      });
      const next = nextStage(stage);
      const nextDecision = next
        ? decideRun({
            stage: next,
            strategy,
            pools,
            confirmedLiveMode: plan.confirmedLiveMode,
            configuredSize,
          })
        : undefined;
      return {
        now,
        next,
        safe: now.settled && next !== undefined && nextDecision?.refusal === undefined,
      };
    });
    const focus: PoolRole =
      strategy === MigrationStrategy.NewPool && settings.poolTarget === CommunicationMode.Simplified
        ? "replacement"
        : "original";
    const set = (s: MigrationStage) => `pulumi config set ${configKey} ${s} && pulumi up`;

    this.stage = pulumi.output(stage);
    this.strategy = pulumi.output(strategy);
    this.liveModes = after.apply(({ now }) => ({ ...now.liveModes }) as { [role: string]: string });
    this.liveNodeCommunicationMode = after.apply(({ now }) => now.liveModes[focus] ?? "none");
    this.nextStageSafe = after.apply(({ safe }) => safe);
    this.nextCommand = after.apply(({ now, next, safe }) => {
      if (safe && next) return set(next);
      if (!now.settled) return "pulumi up";
      return "";
    });
    const back = previousStage(stage);
    this.rollbackCommand = pulumi.output(back ? set(back) : "");
    this.runSummary = summary;
    this.securityRules = environment.securityRules;
    this.ruleModes = environment.ruleModes;
    this.poolName = environment.poolName;
    this.replacementPoolName = replacement ? replacement.name : pulumi.output("");
    this.accountName = environment.accountName;
    this.registerOutputs({
      stage: this.stage,
      strategy: this.strategy,
      liveNodeCommunicationMode: this.liveNodeCommunicationMode,
      liveModes: this.liveModes,
      nextStageSafe: this.nextStageSafe,
      nextCommand: this.nextCommand,
      rollbackCommand: this.rollbackCommand,
      runSummary: this.runSummary,
      securityRules: this.securityRules,
      ruleModes: this.ruleModes,
      poolName: this.poolName,
      replacementPoolName: this.replacementPoolName,
      accountName: this.accountName,
    });
  }
}
