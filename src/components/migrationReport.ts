/**
 * What a migration run tells its operator: the summary of this run and the next (printed where
 * `pulumi preview` shows it), and, from a second live read after the run's pool steps, the live
 * modes, whether the next stage is safe and the exact command to run next.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  CommunicationMode,
  decideRun,
  MigrationDesign,
  MigrationStrategy,
  nextStage,
  PoolRole,
  previousStage,
  RERUN_COMMAND,
  RunDecision,
  ScaleDesign,
  stageCommand,
  stageSettings,
} from "../model";
import type { Ref } from "./build/context";
import { observePools, PoolLocator } from "./liveRead";

/** The configured size of a pool, in words. */
export function scaleText(scale: ScaleDesign): string {
  return scale.kind === "fixed"
    ? `${scale.dedicatedNodes} dedicated + ${scale.lowPriorityNodes} low-priority nodes`
    : "its autoscale formula";
}

/** The migration's report outputs. */
export interface MigrationReport {
  readonly stage: pulumi.Output<string>;
  readonly strategy: pulumi.Output<string>;
  readonly liveNodeCommunicationMode: pulumi.Output<string>;
  readonly liveModes: pulumi.Output<{ [role: string]: string }>;
  readonly nextStageSafe: pulumi.Output<boolean>;
  readonly nextCommand: pulumi.Output<string | undefined>;
  readonly rollbackCommand: pulumi.Output<string | undefined>;
  readonly runSummary: pulumi.Output<string>;
}

/** The summary of a run, as the preview prints it. */
export function summaryText(design: MigrationDesign<Ref>, d: RunDecision): string {
  if (d.refusal) return `Refused: ${d.refusal}`;
  return [
    `Stage ${design.stage} (${design.strategy}). This run:`,
    ...d.thisRun.map((t) => `  - ${t}`),
    "Next run:",
    ...d.nextRun.map((t) => `  - ${t}`),
  ].join("\n");
}

export function migrationReport(inputs: {
  readonly design: MigrationDesign<Ref>;
  readonly decision: pulumi.Output<RunDecision>;
  /** What this run decided from, but the pools: the next stage's decision reads the same. */
  readonly runInput: Omit<Parameters<typeof decideRun>[0], "pools">;
  readonly locator: PoolLocator;
  readonly roles: readonly PoolRole[];
  /** Resolves once this run's pool steps are done. */
  readonly poolsWritten: pulumi.Output<unknown>;
  readonly parent: pulumi.Resource;
}): MigrationReport {
  const { design, decision, locator, roles, parent } = inputs;
  const { stage, strategy, stageConfigKey: configKey } = design;
  const runSummary = decision.apply((d) => {
    const text = summaryText(design, d);
    void pulumi.log.info(text, parent);
    return text;
  });
  const decide = (at: typeof stage, pools: Parameters<typeof decideRun>[0]["pools"]) =>
    decideRun({ ...inputs.runInput, stage: at, pools });
  // After this run's pool steps, read the pools again: that is what the next run will find.
  const after = inputs.poolsWritten
    .apply(() => observePools(locator, roles, parent, design.environment.apiVersion))
    .apply((pools) => {
      const now = decide(stage, pools);
      const next = nextStage(stage);
      const safe = now.settled && next !== undefined && decide(next, pools).refusal === undefined;
      return { now, next, safe };
    });
  const focus: PoolRole =
    strategy === MigrationStrategy.NewPool &&
    stageSettings(stage).poolTarget === CommunicationMode.Simplified
      ? "replacement"
      : "original";
  const back = previousStage(stage);
  return {
    stage: pulumi.output(stage),
    strategy: pulumi.output(strategy),
    liveModes: after.apply(({ now }) => ({ ...now.liveModes })),
    liveNodeCommunicationMode: after.apply(({ now }) => now.liveModes[focus] ?? "none"),
    nextStageSafe: after.apply(({ safe }) => safe),
    nextCommand: after.apply(({ now, next, safe }) => {
      if (safe && next) return stageCommand(next, configKey);
      return now.settled ? undefined : RERUN_COMMAND;
    }),
    rollbackCommand: pulumi.output(back ? stageCommand(back, configKey) : undefined),
    runSummary,
  };
}
