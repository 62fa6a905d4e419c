/**
 * What `azure-batch-network plan` prints: every `pulumi up` of a migration, stage by stage,
 * simulated offline: resources created, updated, replaced and deleted, rule and route changes,
 * what each pool is expected to run, the gate guarding each step, and the command to run.
 */
import {
  Inline,
  markdownBreaks,
  markdownCode,
  markdownHeading,
  markdownTable,
  markdownText,
} from "../output/markdown";
import { paragraph, shellCommand } from "../output/text";
import {
  describeModes,
  designMigration,
  InvalidInputError,
  nextStage,
  NodeMode,
  previousStage,
  findStage,
  STAGE_ORDER,
} from "../../model";
import type { MigrationPlanReport, PlannedRun } from "../../simulate/plan";
import {
  ConfigSource,
  readMigrationConfig,
  STACK_PROJECT,
  StackConfigKey,
} from "../../stackConfig";
import { CliInputError, problemsAsFlags } from "../exit";
import { readStackConfigFile } from "./stackFile";
import { printable } from "../../model/printable";
import { CLASSIC_MODE_TEXT, CLASSIC_MODES, ClassicMode, PlanFlags, STRATEGIES } from "./options";

// Plan option -> stack config key (the plan reads settings exactly as the root stack does).
const OPTION_KEYS: ReadonlyArray<[keyof PlanFlags, StackConfigKey]> = [
  ["region", "location"],
  ["vmSize", "vmSize"],
  ["dedicatedNodes", "dedicatedNodes"],
  ["lowPriorityNodes", "lowPriorityNodes"],
  ["addressSpace", "addressSpace"],
  ["subnetPrefix", "subnetPrefix"],
];

interface PlanSource extends ConfigSource {
  /** Where each key's value came from, as a message names it. */
  readonly origin: (key: StackConfigKey) => string;
}

function source(flags: PlanFlags): PlanSource {
  const file = flags.config ? readStackConfigFile(flags.config) : new Map<string, string>();
  const values = new Map(file);
  const given = new Map<string, string>();
  for (const [option, key] of OPTION_KEYS) {
    const value = flags[option];
    if (typeof value === "string") {
      values.set(key, value);
      given.set(key, `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    }
  }
  return {
    get: (key) => values.get(key),
    // An error names what the user typed: the option, else the stack file's key.
    origin: (key) =>
      given.get(key) ??
      (file.has(key)
        ? `--config ${printable(flags.config!)} config.${STACK_PROJECT}:${key}`
        : `(default ${key})`),
  };
}

// Problem field -> the config key it comes from.
const KEY_OF_FIELD: Readonly<Record<string, StackConfigKey>> = {
  location: "location",
  dedicatedNodes: "dedicatedNodes",
  lowPriorityNodes: "lowPriorityNodes",
  "network.subnetPrefix": "subnetPrefix",
  "network.addressSpace": "addressSpace",
  "pool.vmSize": "vmSize",
  "pool.dedicatedNodes": "dedicatedNodes",
  "pool.lowPriorityNodes": "lowPriorityNodes",
  strategy: "strategy",
  stage: "stage",
  confirmedLiveMode: "confirmedLiveMode",
};

/** Simulates the plan for the options. @throws CliInputError for bad options. */
export async function planReports(flags: PlanFlags): Promise<MigrationPlanReport[]> {
  const config = source(flags);
  // --strategy wins over the stack file's strategy, which wins over in-place.
  const chosen = flags.strategy ?? config.get("strategy") ?? "in-place";
  const strategy = chosen.toLowerCase();
  if (!(STRATEGIES as readonly string[]).includes(strategy)) {
    const where = flags.strategy !== undefined ? "--strategy" : config.origin("strategy");
    throw new CliInputError(
      `error: ${where}: ${JSON.stringify(printable(chosen, 40))} is not a strategy; use one of ${STRATEGIES.join(", ")}.`,
    );
  }
  const strategies = strategy === "both" ? ["in-place", "new-pool"] : [strategy];
  const classicMode = (flags.classicMode ?? "retired").trim().toLowerCase() as ClassicMode;
  if (!CLASSIC_MODES.includes(classicMode)) {
    throw new CliInputError(
      `error: --classic-mode: "${flags.classicMode}" is not how Azure treats a Classic target; use retired (since 31 March 2026) or honoured (before it).`,
    );
  }
  const { args, problems } = readMigrationConfig(config);
  // The plan goes through every stage, but the stack refuses a stage it does not know: so does
  // the plan, naming the file's key.
  const stage = config.get("stage");
  if (stage !== undefined && stage !== "" && !findStage(stage)) {
    problems.push({
      field: "stage",
      message: `${JSON.stringify(printable(stage, 40))} is not a stage; use one of ${STAGE_ORDER.join(", ")}.`,
    });
  }
  // Checked here, in the model, for every stage the plan goes through, so bad settings are
  // refused (all at once) before any simulation runs.
  for (const s of strategies) {
    for (const stage of STAGE_ORDER) {
      try {
        designMigration({ ...args, strategy: s as never, stage });
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        for (const p of error.problems) {
          // The plan visits every stage: a stage Azure cannot reach here is the region's fault.
          const problem = p.field === "stage" ? { field: "location", message: p.message } : p;
          if (!problems.some((q) => q.field === problem.field && q.message === problem.message))
            problems.push(problem);
        }
      }
    }
  }
  if (problems.length > 0) {
    const names = Object.fromEntries(
      Object.entries(KEY_OF_FIELD).map(([field, key]) => [field, config.origin(key)]),
    );
    throw new CliInputError(problemsAsFlags(problems, names));
  }
  // The simulation loads Pulumi and the components: only when a plan is asked for.
  const { simulateMigration } = await import("../../simulate/plan");
  const reports: MigrationPlanReport[] = [];
  for (const s of strategies) {
    const { stage: _stage, ...settings } = args;
    reports.push(
      await simulateMigration({
        args: { ...settings, strategy: s as never },
        rollback: flags.rollback,
        classicMode,
      }),
    );
  }
  return reports;
}

function list(prefix: string, items: readonly string[]): string[] {
  return items.length > 0 ? [`${prefix}${items.join(", ")}`] : [];
}

function resourcesText(run: PlannedRun): string[] {
  const short = (r: string) =>
    r.replace(/^azure-native:\w+:/, "").replace(/^random:index\/randomString:/, "");
  return [
    ...list("+ create  ", run.resources.create.map(short)),
    ...list("~ update  ", run.resources.update.map(short)),
    ...list("+- replace ", run.resources.replace.map(short)),
    ...list("- delete  ", run.resources.delete.map(short)),
  ];
}

function poolsText(run: PlannedRun): string {
  return (
    run.pools
      .map(
        (p) =>
          `${p.name}: target ${p.target}, expected live ${p.expectedLiveMode}, ${p.nodes} nodes`,
      )
      .join("; ") || "none"
  );
}

/** How to read the plan's text, first thing: one line. */
export const PLAN_LEGEND =
  "Legend: each numbered run is one `pulumi up`; resources + create, ~ update, +- replace, - delete (pulumi preview's words); NSG rules + added, - removed; gate: what stops an unsafe run.";

/** The report as text for the terminal, laid out to `width` columns. */
export function renderPlan(report: MigrationPlanReport, width: number): string {
  const line = (text: string, indent = "") => paragraph(text, width, indent, `${indent}  `);
  const out = [
    line(PLAN_LEGEND),
    line(
      `Migration plan (${report.direction}): region ${report.region}, strategy ${report.strategy}. Simulated offline: real resizes take longer, so a stage may need more "pulumi up" runs than shown.`,
    ),
    line(
      `Classic mode ${report.classicMode}: simulated ${CLASSIC_MODE_TEXT[report.classicMode]} (--classic-mode ${CLASSIC_MODES.find((m) => m !== report.classicMode)} plans the other).`,
    ),
  ];
  report.runs.forEach((run, i) => {
    // The command stays whole: on the heading's line when it fits, else on its own lines.
    const heading = `${i + 1}. stage ${run.stage}, run ${run.run}:`;
    out.push(
      "",
      heading.length + 1 + run.command.length <= width
        ? `${heading} ${run.command}`
        : `${heading}\n${shellCommand(run.command, width, "   ")}`,
    );
    const lines = [
      ...resourcesText(run).map((l) => `resources ${l}`),
      `NSG rules: ${[...run.rules.added.map((r) => `+ ${r}`), ...run.rules.removed.map((r) => `- ${r}`)].join(", ") || "unchanged"} (serve ${describeModes(run.ruleModes as NodeMode[])})`,
      ...(run.routes.added.length + run.routes.removed.length > 0
        ? [
            `routes: ${[...run.routes.added.map((r) => `+ ${r}`), ...run.routes.removed.map((r) => `- ${r}`)].join(", ")}`,
          ]
        : []),
      `pools: ${poolsText(run)}`,
      `gate: ${run.gate}`,
      report.direction === "forward" && nextStage(run.stage) === undefined
        ? "last stage of the migration"
        : report.direction === "rollback" && previousStage(run.stage) === undefined
          ? "last stage of the rollback"
          : `next stage safe after this run: ${run.nextStageSafe ? "yes" : "no"}`,
      "preview says:",
    ];
    out.push(...lines.map((l) => line(l, "   ")));
    // The preview's own lines keep their indentation: "This run:" heads a list of "- ..." items.
    for (const summaryLine of run.summary.split("\n")) {
      const indent = `     ${" ".repeat(summaryLine.length - summaryLine.trimStart().length)}`;
      const item = summaryLine.trimStart();
      out.push(paragraph(item, width, indent, item.startsWith("- ") ? `${indent}  ` : indent));
    }
  });
  if (report.warnings.length > 0)
    out.push("", "Warnings:", ...report.warnings.map((w) => paragraph(w, width, "  - ", "    ")));
  return out.join("\n");
}

/** The report as a Markdown table (for pull requests and runbooks). */
export function renderPlanMarkdown(report: MigrationPlanReport): string {
  const rows = report.runs.map((run, i): Inline[] => [
    String(i + 1),
    `${run.stage} (run ${run.run})`,
    markdownCode(run.command),
    resourcesText(run).length > 0 ? markdownBreaks(resourcesText(run)) : "no change",
    run.rules.added.length + run.rules.removed.length > 0
      ? markdownBreaks([
          ...run.rules.added.map((r) => `+ ${r}`),
          ...run.rules.removed.map((r) => `- ${r}`),
        ])
      : "unchanged",
    poolsText(run),
    run.gate,
  ]);
  const header = ["#", "stage", "command", "resources", "NSG rules", "pools (expected)", "gate"];
  return [
    markdownHeading(
      3,
      `Migration plan (${report.direction}): ${report.region}, ${report.strategy}`,
    ),
    "",
    markdownText(`Classic mode ${report.classicMode}: ${CLASSIC_MODE_TEXT[report.classicMode]}.`),
    "",
    ...markdownTable(header, rows),
  ].join("\n");
}
