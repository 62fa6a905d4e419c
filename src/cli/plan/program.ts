/**
 * `azure-batch-network plan …`: a command line of this command alone, bundled on its own
 * (bin/cli/plan/program.js), which main.ts starts when `plan` is the first argument. It answers
 * every argument list that starts with `plan` as the whole command line does (a test holds it
 * to that), with only this command's code to load.
 */
import { programOf } from "../commandLine";
import { registerPlanCommand } from "./command";

export const { runCli, runAsCommand } = programOf([registerPlanCommand]);
