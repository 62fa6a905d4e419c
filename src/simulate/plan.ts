/**
 * The offline plan of a migration: NodeCommunicationMigration deployed stage after stage
 * against the simulated Azure, one `pulumi up` at a time, recording what each run changes.
 * The same simulation the migration tests use; nothing here talks to Azure.
 */
import type { NodeCommunicationMigrationArgs } from "../components/nodeCommunicationMigration";
import {
  CommunicationMode,
  describeModes,
  MigrationStage,
  DEFAULT_STAGE_CONFIG_KEY,
  RERUN_COMMAND,
  SecurityRuleSpec,
  stageCommand,
  STAGE_ORDER,
  stageSettings,
} from "../model";
import { AzureSimulation, ClassicBehaviour } from "./azure";
import { runDeployment } from "./deploy";
import { withCapturedLog } from "./log";
import { RegisteredResource, SimulatedAzureMocks } from "./mocks";

/** What one `pulumi up` of the plan did. */
export interface PlannedRun {
  readonly stage: MigrationStage;
  /** 1 for the first run at a stage, 2 for the next `pulumi up` at the same stage, ... */
  readonly run: number;
  /** The command that starts this run. */
  readonly command: string;
  /** Resources, as `<type> <name>`, in `pulumi preview`'s words. */
  readonly resources: {
    readonly create: string[];
    readonly update: string[];
    readonly replace: string[];
    readonly delete: string[];
  };
  /** NSG rules added and removed, by name. */
  readonly rules: { readonly added: string[]; readonly removed: string[] };
  /** Routes added and removed, by name (forced tunnelling only). */
  readonly routes: { readonly added: string[]; readonly removed: string[] };
  /** The modes the rules serve after the run. */
  readonly ruleModes: string[];
  /** Each pool after the run: its target and the mode the simulation expects it to run. */
  readonly pools: Array<{
    readonly name: string;
    readonly target: string;
    readonly expectedLiveMode: string;
    readonly nodes: number;
  }>;
  /** What guards this step. */
  readonly gate: string;
  /** What the run does and what the next will, as the preview says it. */
  readonly summary: string;
  readonly nextStageSafe: boolean;
}

export interface MigrationPlanReport {
  readonly region: string;
  readonly strategy: string;
  readonly direction: "forward" | "rollback";
  /** How the simulated Azure treated a Classic target. */
  readonly classicMode: ClassicBehaviour;
  readonly runs: PlannedRun[];
  /** Warnings the components printed (once each). */
  readonly warnings: string[];
}

export interface PlanOptions {
  /** The migration's settings; `stage` is set by the plan. */
  readonly args: Omit<NodeCommunicationMigrationArgs, "stage">;
  readonly rollback?: boolean;
  /** The config key the commands set. Default `stage`. */
  readonly configKey?: string;
  /** Runs allowed at one stage before the plan gives up. Default 6. */
  readonly maxRunsPerStage?: number;
  /**
   * How Azure treats a Classic target: `retired` (the default; Azure since 31 March 2026, its
   * nodes join in Simplified) or `honoured` (before it).
   */
  readonly classicMode?: ClassicBehaviour;
}

function label(r: RegisteredResource): string {
  return `${r.type} ${r.name}`;
}

function namesOf(
  resources: readonly RegisteredResource[],
  type: string,
  list: string,
): Set<string> {
  return new Set(
    resources
      .filter((r) => r.type === type)
      .flatMap((r) =>
        ((r.inputs[list] as Array<{ name: string }> | undefined) ?? []).map((x) => x.name),
      ),
  );
}

function standaloneNames(
  resources: readonly RegisteredResource[],
  type: string,
  nameInput: string,
): Set<string> {
  return new Set(resources.filter((r) => r.type === type).map((r) => String(r.inputs[nameInput])));
}

function added(before: Set<string>, after: Set<string>): string[] {
  return [...after].filter((x) => !before.has(x));
}

/** What guards a stage's runs, in words, with what the live read saw before the run. */
function gateText(stage: MigrationStage, livePools: readonly string[]): string {
  const { ruleModes, apiVersion } = stageSettings(stage);
  const seen = livePools.length > 0 ? livePools.join(", ") : "no pool yet";
  if (apiVersion !== stageSettings("simplified").apiVersion)
    return `reads every pool live at API 2024-07-01 (the last version that reports the mode) before any change; refuses unless every pool it keeps was read running ${CommunicationMode.Simplified} (or confirmedLiveMode says so), since nothing can read the mode afterwards (live before this run: ${seen})`;
  if (ruleModes.length === 2)
    return "none needed: the rules only widen, and widen before any pool changes";
  return `reads every pool live (batch.getPool) before any change; refuses while a pool it keeps has nodes running other than ${describeModes(ruleModes)}, and keeps a mode's rules while any pool's next nodes may join in it (live before this run: ${seen})`;
}

/**
 * Deploys the migration stage by stage in the simulation: forward from a fresh classic stack,
 * or (rollback) forward to simplified first and then back, recording only the way back.
 */
export async function simulateMigration(options: PlanOptions): Promise<MigrationPlanReport> {
  const { NodeCommunicationMigration } = await import("../components/nodeCommunicationMigration");
  const classicMode = options.classicMode ?? "retired";
  const mocks = new SimulatedAzureMocks(new AzureSimulation({ classic: classicMode }));
  const configKey = options.configKey ?? DEFAULT_STAGE_CONFIG_KEY;
  const maxRuns = options.maxRunsPerStage ?? 6;

  const runs: PlannedRun[] = [];
  const deploy = async (stage: MigrationStage, run: number, record: boolean) => {
    const before = [...mocks.deployed];
    const liveBefore = mocks.azure.listPools().map((p) => `${p.poolName} ${p.current}`);
    const result = await runDeployment(mocks, () => {
      const migration = new NodeCommunicationMigration("batch", {
        ...options.args,
        stage,
      });
      return {
        nextCommand: migration.nextCommand,
        nextStageSafe: migration.nextStageSafe,
        summary: migration.runSummary,
        ruleModes: migration.ruleModes,
        rules: migration.securityRules,
      };
    });
    const after = result.registered;
    if (record) {
      const beforeRules = new Set([
        ...namesOf(before, "azure-native:network:NetworkSecurityGroup", "securityRules"),
        ...standaloneNames(before, "azure-native:network:SecurityRule", "securityRuleName"),
      ]);
      const afterRules = new Set(
        ((result.outputs.rules as SecurityRuleSpec[]) ?? []).map((r) => r.name),
      );
      const beforeRoutes = new Set([
        ...namesOf(before, "azure-native:network:RouteTable", "routes"),
        ...standaloneNames(before, "azure-native:network:Route", "routeName"),
      ]);
      const afterRoutes = new Set([
        ...namesOf(after, "azure-native:network:RouteTable", "routes"),
        ...standaloneNames(after, "azure-native:network:Route", "routeName"),
      ]);
      runs.push({
        stage,
        run,
        command: run === 1 ? stageCommand(stage, configKey) : RERUN_COMMAND,
        resources: {
          create: result.diff.create.map(label),
          update: result.diff.update.map(label),
          replace: result.diff.replace.map(label),
          delete: result.diff.delete.map(label),
        },
        rules: { added: added(beforeRules, afterRules), removed: added(afterRules, beforeRules) },
        routes: {
          added: added(beforeRoutes, afterRoutes),
          removed: added(afterRoutes, beforeRoutes),
        },
        ruleModes: (result.outputs.ruleModes as string[]) ?? [],
        pools: mocks.azure.listPools().map((p) => ({
          name: p.poolName,
          target: p.target,
          expectedLiveMode: p.current,
          nodes: p.nodes,
        })),
        gate: gateText(stage, liveBefore),
        summary: String(result.outputs.summary),
        nextStageSafe: result.outputs.nextStageSafe === true,
      });
    }
    return result.outputs.nextCommand;
  };
  const settle = async (stage: MigrationStage, record: boolean) => {
    for (let run = 1; run <= maxRuns; run++) {
      if ((await deploy(stage, run, record)) !== RERUN_COMMAND) return;
    }
    throw new Error(`stage ${stage} did not settle in ${maxRuns} runs of the simulation`);
  };

  const { log } = await withCapturedLog(async () => {
    for (const stage of STAGE_ORDER) await settle(stage, !options.rollback);
    if (options.rollback) {
      for (const stage of [...STAGE_ORDER].reverse().slice(1)) await settle(stage, true);
    }
  });
  return {
    region: String(options.args.location),
    strategy: String(options.args.strategy ?? "in-place"),
    direction: options.rollback ? "rollback" : "forward",
    classicMode,
    runs,
    warnings: [...new Set(log.warn)],
  };
}
