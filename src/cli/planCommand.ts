/**
 * `azure-batch-network plan`: every `pulumi up` of a migration, stage by stage, simulated
 * offline: resources created, updated, replaced and deleted, rule and route changes, what each
 * pool is expected to run, the gate guarding each step, and the command to run.
 */
import { Command } from "commander";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import {
  describeModes,
  designMigration,
  InvalidInputError,
  nextStage,
  NodeMode,
  previousStage,
  STAGE_ORDER,
} from "../model";
import type { ClassicBehaviour } from "../simulate/azure";
import type { MigrationPlanReport, PlannedRun } from "../simulate/plan";
import {
  ConfigSource,
  readMigrationConfig,
  STACK_CONFIG_DEFAULTS,
  STACK_PROJECT,
  StackConfigKey,
} from "../stackConfig";
import { CliInputError, problemsAsFlags } from "./exit";

const STRATEGIES = ["in-place", "new-pool", "both"] as const;

/** How the simulated Azure treats a Classic target, as `--classic-mode` names it. */
const CLASSIC_MODES: readonly ClassicBehaviour[] = ["retired", "honoured"];

/** What each `--classic-mode` means, for the help and the report's first line. */
const CLASSIC_MODE_TEXT: Readonly<Record<ClassicBehaviour, string>> = {
  retired:
    "Azure as it is since 31 March 2026: a Classic target is not honoured, nodes join in Simplified",
  honoured: "Azure before 31 March 2026: a Classic target is honoured, nodes join in Classic",
};

// Plan option -> stack config key (the plan reads settings exactly as the root stack does).
const OPTION_KEYS: ReadonlyArray<[keyof PlanFlags, StackConfigKey]> = [
  ["region", "location"],
  ["vmSize", "vmSize"],
  ["dedicatedNodes", "dedicatedNodes"],
  ["lowPriorityNodes", "lowPriorityNodes"],
  ["addressSpace", "addressSpace"],
  ["subnetPrefix", "subnetPrefix"],
];

interface PlanFlags {
  region?: string;
  strategy?: string;
  rollback?: boolean;
  vmSize?: string;
  dedicatedNodes?: string;
  lowPriorityNodes?: string;
  addressSpace?: string;
  subnetPrefix?: string;
  config?: string;
  classicMode?: string;
  json?: boolean;
  markdown?: boolean;
}

/** Reads a `Pulumi.<stack>.yaml`: the root project's keys, as strings. */
export function readStackConfigFile(path: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliInputError(`error: --config ${path}: cannot read it: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new CliInputError(`error: ${path}: is not YAML: ${(error as Error).message}`);
  }
  const config = (document as { config?: unknown } | null)?.config;
  if (config === undefined) return new Map();
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new CliInputError(
      `error: ${path} config: must be a map of keys to values, as in Pulumi.<stack>.yaml.`,
    );
  }
  const values = new Map<string, string>();
  const problems: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    const [namespace, name] = key.includes(":") ? key.split(":", 2) : [STACK_PROJECT, key];
    if (namespace !== STACK_PROJECT) continue; // provider settings (azure-native:location, ...) are not the plan's
    if (!(name in STACK_CONFIG_DEFAULTS)) {
      problems.push(
        `error: ${path} config.${key}: not a key of the ${STACK_PROJECT} stack; use one of ${Object.keys(STACK_CONFIG_DEFAULTS).join(", ")}.`,
      );
    } else if (typeof value === "object" && value !== null) {
      problems.push(
        `error: ${path} config.${key}: must be a plain value (secrets are not read offline).`,
      );
    } else {
      values.set(name, String(value));
    }
  }
  if (problems.length > 0) throw new CliInputError(problems.join("\n"));
  return values;
}

function source(flags: PlanFlags): ConfigSource {
  const values = flags.config ? readStackConfigFile(flags.config) : new Map<string, string>();
  for (const [option, key] of OPTION_KEYS) {
    const value = flags[option];
    if (typeof value === "string") values.set(key, value);
  }
  return { get: (key) => values.get(key) };
}

const FLAG_OF: Readonly<Record<string, string>> = {
  location: "--region",
  dedicatedNodes: "--dedicated-nodes",
  lowPriorityNodes: "--low-priority-nodes",
  "network.subnetPrefix": "--subnet-prefix",
  "network.addressSpace": "--address-space",
  "pool.vmSize": "--vm-size",
  "pool.dedicatedNodes": "--dedicated-nodes",
  "pool.lowPriorityNodes": "--low-priority-nodes",
  strategy: "--strategy",
  stage: "(config stage)",
};

/** Simulates the plan for the options. @throws CliInputError for bad options. */
export async function planReports(flags: PlanFlags): Promise<MigrationPlanReport[]> {
  const config = source(flags);
  // --strategy wins over the stack file's strategy, which wins over in-place.
  const chosen = flags.strategy ?? config.get("strategy") ?? "in-place";
  const strategy = chosen.toLowerCase();
  if (!(STRATEGIES as readonly string[]).includes(strategy)) {
    const where =
      flags.strategy !== undefined
        ? "--strategy"
        : `${flags.config} config.${STACK_PROJECT}:strategy`;
    throw new CliInputError(
      `error: ${where}: "${chosen}" is not a strategy; use one of ${STRATEGIES.join(", ")}.`,
    );
  }
  const strategies = strategy === "both" ? ["in-place", "new-pool"] : [strategy];
  const classicMode = (flags.classicMode ?? "retired").trim().toLowerCase() as ClassicBehaviour;
  if (!CLASSIC_MODES.includes(classicMode)) {
    throw new CliInputError(
      `error: --classic-mode: "${flags.classicMode}" is not how Azure treats a Classic target; use retired (since 31 March 2026) or honoured (before it).`,
    );
  }
  const { args, problems } = readMigrationConfig(config);
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
  if (problems.length > 0) throw new CliInputError(problemsAsFlags(problems, FLAG_OF));
  // The simulation loads Pulumi and the components: only when a plan is asked for.
  const { simulateMigration } = await import("../simulate/plan");
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

/** The report as text for the terminal. */
export function renderPlan(report: MigrationPlanReport): string {
  const out = [
    `Migration plan (${report.direction}): region ${report.region}, strategy ${report.strategy}. Simulated offline: real resizes take longer, so a stage may need more "pulumi up" runs than shown.`,
    `Classic mode ${report.classicMode}: simulated ${CLASSIC_MODE_TEXT[report.classicMode]} (--classic-mode ${CLASSIC_MODES.find((m) => m !== report.classicMode)} plans the other).`,
  ];
  report.runs.forEach((run, i) => {
    out.push("", `${i + 1}. stage ${run.stage}, run ${run.run}: ${run.command}`);
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
      ...run.summary.split("\n").map((l) => `  ${l}`),
    ];
    out.push(...lines.map((l) => `   ${l}`));
  });
  if (report.warnings.length > 0)
    out.push("", "Warnings:", ...report.warnings.map((w) => `  - ${w}`));
  return out.join("\n");
}

/** The report as a Markdown table (for pull requests and runbooks). */
export function renderPlanMarkdown(report: MigrationPlanReport): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
  const rows = report.runs.map((run, i) =>
    [
      String(i + 1),
      `${run.stage} (run ${run.run})`,
      `\`${run.command}\``,
      resourcesText(run).join("<br>") || "no change",
      [...run.rules.added.map((r) => `+ ${r}`), ...run.rules.removed.map((r) => `- ${r}`)].join(
        "<br>",
      ) || "unchanged",
      poolsText(run),
      run.gate,
    ].map(cell),
  );
  const header = ["#", "stage", "command", "resources", "NSG rules", "pools (expected)", "gate"];
  return [
    `### Migration plan (${report.direction}): ${report.region}, ${report.strategy}`,
    "",
    `Classic mode ${report.classicMode}: ${CLASSIC_MODE_TEXT[report.classicMode]}.`,
    "",
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** Registers `plan`. */
export function registerPlanCommand(program: Command, print: (text: string) => void): void {
  program
    .command("plan")
    .description(
      "Simulate every pulumi up of a migration from classic to simplified and then to a pool declared at API 2025-06-01 (or back, with --rollback) offline, and print what each run changes, what guards it and the command that starts it.",
    )
    .option("-r, --region <region>", `Azure region (default ${STACK_CONFIG_DEFAULTS.location})`)
    .option(
      "--strategy <strategy>",
      `${STRATEGIES.join(", ")} (default: the stack file's, else in-place)`,
    )
    .option("--rollback", "plan the way back, from the last stage to classic")
    .option(
      "--classic-mode <behaviour>",
      `how Azure treats a Classic target: retired (${CLASSIC_MODE_TEXT.retired}; the default) or honoured (${CLASSIC_MODE_TEXT.honoured})`,
    )
    .option("--vm-size <size>", `VM size of the pool (default ${STACK_CONFIG_DEFAULTS.vmSize})`)
    .option(
      "--dedicated-nodes <n>",
      `dedicated nodes (default ${STACK_CONFIG_DEFAULTS.dedicatedNodes})`,
    )
    .option(
      "--low-priority-nodes <n>",
      `low-priority nodes (default ${STACK_CONFIG_DEFAULTS.lowPriorityNodes})`,
    )
    .option(
      "--address-space <cidr>",
      `VNet address space (default ${STACK_CONFIG_DEFAULTS.addressSpace})`,
    )
    .option(
      "--subnet-prefix <cidr>",
      `pool subnet prefix (default ${STACK_CONFIG_DEFAULTS.subnetPrefix})`,
    )
    .option(
      "--config <file>",
      "read the settings from a Pulumi.<stack>.yaml of the root stack (options override it)",
    )
    .option("--json", "print the plan as JSON")
    .option("--markdown", "print the plan as a Markdown table")
    .action(async (flags: PlanFlags) => {
      if (flags.json && flags.markdown)
        throw new CliInputError("error: --json and --markdown: choose one.");
      const reports = await planReports(flags);
      if (flags.json) print(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2));
      else print(reports.map(flags.markdown ? renderPlanMarkdown : renderPlan).join("\n\n"));
    });
}
