/**
 * `azure-batch-network audit …`: a command line of this command alone, bundled on its own
 * (bin/cli/audit/program.js), which main.ts starts when `audit` is the first argument. It answers
 * every argument list that starts with `audit` as the whole command line does (a test holds it
 * to that), with only this command's code to load.
 */
import { programOf } from "../commandLine";
import { registerAuditCommand } from "./command";

export const { runCli, runAsCommand } = programOf([registerAuditCommand]);
