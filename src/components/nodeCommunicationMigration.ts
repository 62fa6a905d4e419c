/**
 * NodeCommunicationMigration: a Batch environment driven through the stages of a move between
 * classic and simplified node communication, one `pulumi up` a step.
 *
 * Every decision is the model's (`designMigration` for the settings, `decideRun` for each run).
 * The constructor runs the same build steps as BatchEnvironment, with the live read of the
 * pools between the names step and the rules step: what it reads decides the rules, the pools'
 * sizes and whether the run may happen at all.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  appliedNetwork,
  BatchApiVersion,
  CommunicationMode,
  decideRun,
  designMigration,
  MigrationDesign,
  MigrationFields,
  MigrationStrategy,
  PoolRole,
  RunDecision,
  RunInput,
  SecurityRuleSpec,
  strategyRoles,
} from "../model";
import type { EnvironmentSettingsArgs } from "./batchEnvironment";
import { BuildContext, Ref } from "./build/context";
import { EnvironmentNode } from "./build/environmentNode";
import { outputsStep } from "./build/outputs";
import { foundationSteps, networkSteps } from "./build/pipeline";
import { poolStep } from "./build/pool";
import { networkKey, poolName, poolNameStep } from "./build/poolNames";
import { sharedNsgProblems } from "./build/sharedNsg";
import { designOrThrow } from "./inputErrors";
import { observePools, PoolLocator } from "./liveRead";
import { deferredOutput } from "./outputs";
import { migrationReport, scaleText } from "./migrationReport";
import { warnAll } from "./warnings";

export const NODE_COMMUNICATION_MIGRATION_TYPE =
  "azure-batch-network:index:NodeCommunicationMigration";

/** Arguments of a {@link NodeCommunicationMigration}: an environment's settings plus the stage. */
export interface NodeCommunicationMigrationArgs extends EnvironmentSettingsArgs, MigrationFields {}

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
  /** The exact command to run next; absent once the last stage is complete. */
  public readonly nextCommand!: pulumi.Output<string | undefined>;
  /** The command that steps back one stage; absent at the first stage. */
  public readonly rollbackCommand!: pulumi.Output<string | undefined>;
  /** What this run does and what the next run will do, in words. */
  public readonly runSummary!: pulumi.Output<string>;
  /** The security rules applied by this run, as plain data. */
  public readonly securityRules!: pulumi.Output<SecurityRuleSpec[]>;
  /** The modes the applied rules serve. */
  public readonly ruleModes!: pulumi.Output<string[]>;
  /** Name of the original pool; absent once deleted (new-pool strategy). */
  public readonly poolName!: pulumi.Output<string | undefined>;
  /** Name of the replacement pool (new-pool strategy); absent when there is none. */
  public readonly replacementPoolName!: pulumi.Output<string | undefined>;
  /** Name of the Batch account. */
  public readonly accountName!: pulumi.Output<string>;

  constructor(
    name: string,
    args: NodeCommunicationMigrationArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    const design = designOrThrow(
      "NodeCommunicationMigration",
      name,
      () => designMigration(args),
      (d) => sharedNsgProblems(name, d.environment),
    );
    super(NODE_COMMUNICATION_MIGRATION_TYPE, name, {}, opts);
    const env = design.environment;
    warnAll(env.warnings, this);

    // The environment's resources hang under a node of BatchEnvironment's type, aliased to the
    // stack's root: a stack that had a BatchEnvironment of this name keeps every resource.
    const node = new EnvironmentNode(name, {
      parent: this,
      aliases: [{ parent: pulumi.rootStackResource }],
    });
    const ctx: BuildContext = { name, parent: node, design: env };
    // At API 2025-06-01 the account moves to a new type (an update): it waits for the gate, so
    // that a refused run leaves it as it was. Its name, known beforehand, serves the live read.
    const finalStage = env.apiVersion === BatchApiVersion.V2025_06_01;
    const accountGate = deferredOutput();
    const foundation = foundationSteps(ctx, finalStage ? accountGate.output : undefined);
    const { account, resourceGroupName } = foundation;
    const roles = strategyRoles(design.strategy);
    // The replacement's name is reserved at every stage of a new-pool migration, so that the
    // pool can be read live (and found gone) even where the stage does not declare it.
    const locator: PoolLocator = {
      accountName: finalStage ? account.plannedName : account.accountName,
      resourceGroupName,
      names: {
        original: poolNameStep(ctx),
        ...(design.strategy === MigrationStrategy.NewPool
          ? {
              replacement: poolName(
                `${name}-replacement-pool-name`,
                `${name}-simplified`,
                design.replacementPoolName,
                networkKey(env, env.pool),
                this,
              ),
            }
          : {}),
      },
    };

    // The live read, before anything changes: it decides this run's rules and pool sizes.
    const runInput = runInputOf(design);
    const decision: pulumi.Output<RunDecision> = pulumi.output(
      observePools(locator, roles, this, env.apiVersion).then((pools) =>
        decideRun({ ...runInput, pools }),
      ),
    );
    const gated = <T>(pick: (d: RunDecision) => T): pulumi.Output<T> =>
      decision.apply((d) => {
        if (d.refusal) {
          throw new pulumi.RunError(
            `NodeCommunicationMigration "${name}" refuses stage ${design.stage}:\n${d.refusal}`,
          );
        }
        return pick(d);
      });
    accountGate.resolve(gated(() => true));
    const scaleOf = (role: PoolRole) =>
      gated((d) => d.pools.find((p) => p.role === role)?.scale ?? "configured");

    const applied = gated((d) => appliedNetwork(env, d.appliedRuleModes));
    const { rules, network, poolPrerequisites: after } = networkSteps(ctx, foundation, applied);
    const placement = (role: PoolRole, target: CommunicationMode) => ({
      accountName: account.accountName,
      resourceGroupName,
      subnetId: network.subnetId,
      ...(env.apiVersion === BatchApiVersion.V2024_07_01 ? { targetMode: target } : {}),
      poolName: locator.names[role]!,
      scale: scaleOf(role),
    });
    const original = design.originalDeclared
      ? poolStep({
          logicalName: `${name}-pool`,
          parent: node,
          pool: env.pool,
          account,
          placement: placement("original", env.poolTarget),
          after,
          apiVersion: env.apiVersion,
        })
      : undefined;
    // The replacement pool (new-pool): beside the original at simplified-pool, alone at
    // simplified. Created after the rules, like the environment's own pool.
    const replacement = design.replacementPool
      ? poolStep({
          logicalName: `${name}-replacement-pool`,
          parent: this,
          pool: design.replacementPool,
          account,
          placement: placement("replacement", CommunicationMode.Simplified),
          after,
          apiVersion: env.apiVersion,
        })
      : undefined;
    const environment = outputsStep(ctx, { account, rules, network, applied, pool: original });
    node.complete(environment);

    const report = migrationReport({
      design,
      decision,
      runInput,
      locator,
      roles,
      poolsWritten: pulumi.all([environment.poolId, replacement ? replacement.id : undefined]),
      parent: this,
    });
    const outputs = {
      ...report,
      securityRules: environment.securityRules,
      ruleModes: environment.ruleModes,
      poolName: environment.poolName,
      replacementPoolName: replacement ? replacement.name : pulumi.output(undefined),
      accountName: environment.accountName,
    };
    Object.assign(this, outputs);
    this.registerOutputs(outputs);
  }
}

/** What each run decides from, besides the pools' live read. */
function runInputOf(design: MigrationDesign<Ref>): Omit<RunInput, "pools"> {
  const { scale } = design.environment.pool;
  return {
    stage: design.stage,
    strategy: design.strategy,
    confirmedLiveMode: design.confirmedLiveMode,
    configuredSize: scaleText(scale),
    configuredEmpty:
      scale.kind === "fixed" && scale.dedicatedNodes === 0 && scale.lowPriorityNodes === 0,
    configKey: design.stageConfigKey,
    simplifiedAvailable: design.environment.region.simplifiedAvailable,
  };
}
