/**
 * `azure-batch-network plan`: its options. The plan itself is ./report's, loaded only when
 * the command runs (with the YAML parser and the simulation it needs).
 */
import { Command } from "commander";
import { STACK_CONFIG_DEFAULTS } from "../../stackConfig";
import type { CommandContext } from "../context";
import { CliInputError } from "../exit";
import { CLASSIC_MODE_TEXT, PlanFlags, STRATEGIES } from "./options";

/** Registers `plan`. */
export function registerPlanCommand(program: Command, context: CommandContext): void {
  const { print, width } = context;
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
      const { planReports, renderPlan, renderPlanMarkdown } = loadReport();
      const reports = await planReports(flags);
      if (flags.json) print(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2));
      else if (flags.markdown) print(reports.map(renderPlanMarkdown).join("\n\n"));
      else print(reports.map((r) => renderPlan(r, width)).join("\n\n"));
    });
}

/**
 * The command's own code, loaded when it runs: `--help` and the other commands never pay for
 * it. A plain require, so that it works compiled, bundled and run from source alike.
 */
function loadReport(): typeof import("./report") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("./report") as typeof import("./report");
}
