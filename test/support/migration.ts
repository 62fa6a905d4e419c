/** Drives NodeCommunicationMigration through consecutive mock deployments, checking safety. */
import "./stackTraces";
import { expect } from "chai";
import type * as MigrationModule from "../../src/components/nodeCommunicationMigration";
import {
  analyzeNetwork,
  OutboundPath,
  CommunicationMode,
  MigrationStage,
  MigrationStrategy,
  NodeMode,
  parseNetworkSecurityGroup,
  parseRouteTable,
  ruleOptionsOf,
  stagePools,
  stageSettings,
} from "../../src/model";
import {
  AzureSimulation,
  DeploymentResult,
  runDeployment,
  SimulatedAzureMocks,
  SimulatedPool,
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

/**
 * One migration in one simulated Azure. Every change Azure sees is checked against the
 * invariant, judged by the analyzer on what the NSG and route table actually carry: each pool
 * that has or is getting nodes finds every flow allowed that its running nodes' mode and the
 * mode its next nodes join in need.
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
    const azure = from ? from.azure.fork(simulation) : new AzureSimulation(simulation);
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

  /** The modes a pool's nodes run in now or join in next, as the simulated Azure behaves. */
  neededModes(pool: SimulatedPool): NodeMode[] {
    if (pool.nodes === 0 && pool.targetNodes === 0) return [];
    return [...new Set<NodeMode>([pool.current, this.azure.joiningMode(pool)])];
  }

  /** What the subnet lets through for a mode, judged by the analyzer on what Azure carries. */
  private verdict(mode: NodeMode): string {
    const nsgs = [...this.azure.nsgContents()];
    const tables = [...this.azure.routeTableContents()];
    const nsg = nsgs[0]
      ? parseNetworkSecurityGroup({ name: nsgs[0][0], securityRules: nsgs[0][1] }, "nsg")
      : undefined;
    const routeTable = tables[0]
      ? parseRouteTable({ name: tables[0][0], routes: tables[0][1] }, "routes")
      : undefined;
    // The subnet's way out as written, with the pool's public IPs: every layer the stack makes.
    const [subnet] = [...this.azure.subnetContents()];
    const outbound: OutboundPath | undefined = subnet
      ? {
          subnet: {
            name: subnet[0],
            prefixes: [subnet[1].addressPrefix],
            defaultOutboundAccess: subnet[1].defaultOutboundAccess ?? null,
            ...(subnet[1].natGatewayId ? { natGatewayId: subnet[1].natGatewayId } : {}),
          },
          nodePublicIps: this.base.pool?.publicIpProvisioning ?? "BatchManaged",
        }
      : undefined;
    const analysis = analyzeNetwork({
      region: this.base.location,
      modes: [mode],
      ...(nsg ? { subnetNsg: nsg } : {}),
      ...(routeTable ? { routeTable } : {}),
      ...(outbound ? { outbound } : {}),
      flowOptions: ruleOptionsOf(this.base.network),
    });
    return analysis.flows
      .filter((f) => f.verdict !== "allowed")
      .map((f) => `${f.flow.id} ${f.verdict} (${f.reason})`)
      .join("; ");
  }

  private check(when: string): void {
    if (this.azure.nsgContents().size === 0) return;
    for (const pool of this.azure.listPools()) {
      for (const mode of this.neededModes(pool)) {
        const missing = this.verdict(mode);
        if (missing) {
          this.violations.push(
            `after ${when}: pool ${pool.poolName} (${pool.current} -> ${pool.target}, ${pool.nodes}/${pool.targetNodes} nodes) needs ${mode}: ${missing}`,
          );
        }
      }
    }
  }

  /**
   * Runs the migration at `stage`: an update, or a preview, or an update that fails after some
   * Azure writes. Rejects when the gate refuses (or the run fails).
   */
  async deploy(
    stage: MigrationStage,
    options: { preview?: boolean; extra?: Partial<MigrationArgs>; failAfterWrites?: number } = {},
  ): Promise<Outputs> {
    const Component = await migrationClass();
    const { result } = await withCapturedLog(
      () =>
        runDeployment(
          this.mocks,
          () =>
            migrationOutputs(new Component(this.name, { ...this.base, ...options.extra, stage })),
          { preview: options.preview, failAfterWrites: options.failAfterWrites },
        ),
      { info: this.infos, warn: [], error: [] },
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

  /**
   * Whether the gate must refuse `stage` now, stated apart from the package's own decision: a
   * pool the stage keeps has nodes (or is resizing) in a mode the stage narrows away, or, at the
   * last stage, does not run Simplified under a non-Classic target.
   */
  mustRefuse(stage: MigrationStage, strategy: MigrationStrategy): boolean {
    const keep = stagePools(stage, strategy).map((p) => p.role);
    const allowed = stageSettings(stage).ruleModes;
    return this.azure.listPools().some((pool) => {
      const role = pool.poolName.includes("-simplified-") ? "replacement" : "original";
      if (!keep.includes(role)) return false;
      const active = pool.nodes > 0 || pool.nodes !== pool.targetNodes;
      if (stage === "api-2025-06-01") {
        return pool.current !== "Simplified" || pool.target === "Classic";
      }
      return active && !allowed.includes(pool.current);
    });
  }

  expectSafe(): void {
    expect(this.violations, this.violations.join("\n")).to.deep.equal([]);
  }
}

export { CommunicationMode };
