/**
 * The whole `azure-batch-network` command line: every command, each in its own module, on one
 * program (commandLine.ts). main.ts starts it for `--help`, `help` and anything not starting with
 * a command's name; tests run it.
 */
import { registerAuditCommand } from "./audit/command";
import { registerCheckCommand } from "./check/command";
import { programOf, RegisterCommand } from "./commandLine";
import { registerPlanCommand } from "./plan/command";
import { registerRulesCommand } from "./rules/command";

export type { CliResult, RunOptions } from "./commandLine";

/** Every command, in the order the help lists them. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerRulesCommand,
  registerCheckCommand,
  registerPlanCommand,
  registerAuditCommand,
];

export const { runCli, runAsCommand } = programOf(COMMANDS);
