/** Drives NodeCommunicationMigration through consecutive mock deployments, checking safety. */
import { expect } from "chai";
import type * as MigrationModule from "../../src/components/nodeCommunicationMigration";
import {
  CommunicationMode,
  MigrationStage,
  MigrationStrategy,
  NodeMode,
  securityRules,
  stagePools,
  stageSettings,
} from "../../src/model";
import {
  AzureSimulation,
  DeploymentResult,
  honouredMode,
  runDeployment,
  SimulatedAzureMocks,
  SimulationOptions,
  withCapturedLog,
} from "../../src/simulate";

export type MigrationArgs = MigrationModule.NodeCommunicationMigrationArgs;

let Migration: typeof MigrationModule.NodeCommunicationMigration | undefined;

async function migrationClass(): Promise<typeof MigrationModule.NodeCommunicationMigration> {
  Migration ??= (await import("../../src/components/nodeCommunicationMigration"))
    .NodeCommunicationMigration;
  return Migration;
}

export function migrationOutputs(m: MigrationModule.NodeCommunicationMigration) {
  return {
    stage: m.stage,
    nextStageSafe: m.nextStageSafe,
    nextCommand: m.nextCommand,
    rollbackCommand: m.rollbackCommand,
    liveModes: m.liveModes,
    live: m.liveNodeCommunicationMode,
    ruleModes: m.ruleModes,
    rules: m.securityRules,
    summary: m.runSummary,
    poolName: m.poolName,
    replacementPoolName: m.replacementPoolName,
  };
}
type Outputs = DeploymentResult<ReturnType<typeof migrationOutputs>>;

/** The rules that must be present for a pool in `mode`, judged with the rules model. */
function requiredRuleNames(region: string, mode: NodeMode, args: MigrationArgs): string[] {
  const n = args.network ?? {};
  return securityRules(region, [mode], {
    priorityBase: n.priorityBase,
    classicJobManagerOutbound: n.classicJobManagerOutbound,
    remoteAccess: n.remoteAccess,
    outboundLockdown: n.outboundLockdown,
    extraRules: n.extraRules,
  }).rules.map((r) => r.name);
}

/**
 * One migration in one simulated Azure. Every change Azure sees is checked against the
 * invariant: each pool that has or is getting nodes finds every rule its live mode and its
 * target mode need.
 */
export class MigrationHarness {
  readonly mocks: SimulatedAzureMocks;
  readonly violations: string[] = [];
  readonly infos: string[] = [];

  constructor(
    readonly base: Omit<MigrationArgs, "stage">,
    simulation: SimulationOptions = {},
    readonly name = "batch",
    from?: MigrationHarness,
  ) {
    const azure = from ? from.azure.fork() : new AzureSimulation(simulation);
    this.mocks = from ? from.mocks.fork(azure) : new SimulatedAzureMocks(azure);
    azure.onChange((event) => this.check(event.kind));
  }

  /** A harness that goes on from this one's state: the same history, a separate future. */
  fork(): MigrationHarness {
    return new MigrationHarness(this.base, {}, this.name, this);
  }

  get azure(): AzureSimulation {
    return this.mocks.azure;
  }

  private check(when: string): void {
    const region = this.base.location;
    const present = new Set([...this.azure.listNsgRules().values()].flatMap((rules) => [...rules]));
    for (const pool of this.azure.listPools()) {
      if (pool.nodes === 0 && pool.targetNodes === 0) continue;
      const modes = new Set<NodeMode>([pool.current, honouredMode(pool.target, pool.region)]);
      for (const mode of modes) {
        const missing = requiredRuleNames(region, mode, this.base as MigrationArgs).filter(
          (r) => !present.has(r),
        );
        if (missing.length > 0) {
          this.violations.push(
            `after ${when}: pool ${pool.poolName} (${pool.current} -> ${pool.target}, ${pool.nodes} nodes) misses ${missing.join(", ")}`,
          );
        }
      }
    }
  }

  /** Runs the migration at `stage`: an update, or a preview. Rejects when the gate refuses. */
  async deploy(
    stage: MigrationStage,
    options: { preview?: boolean; extra?: Partial<MigrationArgs> } = {},
  ): Promise<Outputs> {
    const Component = await migrationClass();
    const { result } = await withCapturedLog(
      () =>
        runDeployment(
          this.mocks,
          () =>
            migrationOutputs(new Component(this.name, { ...this.base, ...options.extra, stage })),
          { preview: options.preview },
        ),
      { info: this.infos, warn: [] },
    );
    return result;
  }

  /** Deploys `stage` repeatedly (time passing between runs) until it is settled. */
  async settle(stage: MigrationStage, maxRuns = 6): Promise<Outputs> {
    for (let i = 0; i < maxRuns; i++) {
      const result = await this.deploy(stage);
      if (result.outputs.nextCommand !== "pulumi up") return result;
      this.azure.advance(5);
    }
    throw new Error(`stage ${stage} did not settle in ${maxRuns} runs`);
  }

  /** Whether the gate must refuse `stage` now: a pool the stage keeps runs a mode it narrows away. */
  mustRefuse(stage: MigrationStage, strategy: MigrationStrategy): boolean {
    const keep = stagePools(stage, strategy).map((p) => p.role);
    const allowed = stageSettings(stage).ruleModes;
    return this.azure.listPools().some((pool) => {
      const role = pool.poolName.includes("-simplified-") ? "replacement" : "original";
      return keep.includes(role) && !allowed.includes(pool.current);
    });
  }

  expectSafe(): void {
    expect(this.violations, this.violations.join("\n")).to.deep.equal([]);
  }
}

export { CommunicationMode };
