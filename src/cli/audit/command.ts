/**
 * `azure-batch-network audit`: its options and exit status. Reading the exports and judging the
 * fleet is ./report's, loaded only when the command runs.
 */
import { Command } from "commander";
import type { CommandContext } from "../context";
import { CliInputError, EXIT_FINDINGS, EXIT_OK } from "../exit";
import type { AuditFlags } from "./options";

/** Registers `audit`. */
export function registerAuditCommand(program: Command, context: CommandContext): void {
  const { print, setStatus, width } = context;
  program
    .command("audit")
    .description(
      "Judge every Batch pool in read-only exports (az batch account list, the pools of each account, az network vnet/nsg/route-table/private-endpoint list, or one Resource Graph query) against every layer of its subnet, and say what to change per NSG so that every pool it serves keeps working: a summary first, then every pool. Exit status: 0 every pool fine, 1 a pool at risk or broken or an export incomplete, 2 bad input.",
    )
    .argument("<paths...>", "export files (JSON), or folders of them")
    .option("--json", "print the audit as JSON: every pool, every change as data")
    .option(
      "--markdown",
      "print the audit as Markdown for a change request: the summary and as much detail as fits a pull request comment (65,536 characters)",
    )
    .option(
      "--out <file>",
      "write the whole report (text, or --json / --markdown) to this file, and print its summary",
    )
    .action((paths: string[], flags: AuditFlags) => {
      if (flags.json && flags.markdown)
        throw new CliInputError("error: --json and --markdown: give one of them, not both.");
      const {
        auditExports,
        renderAudit,
        renderAuditMarkdown,
        renderAuditSummary,
        writeReportFile,
      } = loadReport();
      const audit = auditExports(paths);
      const whole = flags.json
        ? JSON.stringify(audit, null, 2)
        : flags.markdown
          ? renderAuditMarkdown(audit, Number.POSITIVE_INFINITY)
          : renderAudit(audit, width);
      if (flags.out !== undefined) writeReportFile(flags.out, whole, "--out");
      print(
        flags.markdown
          ? renderAuditMarkdown(audit, undefined, flags.out)
          : flags.out !== undefined
            ? `${renderAuditSummary(audit, width)}\n\nThe whole report: ${flags.out}`
            : whole,
      );
      // A listing the exports hold only part of is no clean bill of health.
      setStatus(audit.status === "ok" && audit.incomplete.length === 0 ? EXIT_OK : EXIT_FINDINGS);
    });
}

function loadReport(): typeof import("./report") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("./report") as typeof import("./report");
}
