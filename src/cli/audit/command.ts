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
      "Judge every Batch pool in read-only exports (az batch account list, the pools of each account, az network vnet/nsg/route-table/private-endpoint list, or one Resource Graph query) against its subnet's NSG and route table, and say what to change per NSG so that every pool it serves keeps working. Exit status: 0 every pool fine, 1 a pool at risk or broken, 2 bad input.",
    )
    .argument("<paths...>", "export files (JSON), or folders of them")
    .option("--json", "print the audit as JSON: every pool, every change as data")
    .option("--markdown", "print the audit as Markdown, for a change request")
    .action((paths: string[], flags: AuditFlags) => {
      if (flags.json && flags.markdown)
        throw new CliInputError("error: --json and --markdown: give one of them, not both.");
      const { auditExports, renderAudit, renderAuditMarkdown } = loadReport();
      const audit = auditExports(paths);
      print(
        flags.json
          ? JSON.stringify(audit, null, 2)
          : flags.markdown
            ? renderAuditMarkdown(audit)
            : renderAudit(audit, width),
      );
      setStatus(audit.status === "ok" ? EXIT_OK : EXIT_FINDINGS);
    });
}

function loadReport(): typeof import("./report") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("./report") as typeof import("./report");
}
