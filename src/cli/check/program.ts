/**
 * `azure-batch-network check …`: a command line of this command alone, bundled on its own
 * (bin/cli/check/program.js), which main.ts starts when `check` is the first argument. It answers
 * every argument list that starts with `check` as the whole command line does (a test holds it
 * to that), with only this command's code to load.
 */
import { programOf } from "../commandLine";
import { registerCheckCommand } from "./command";

export const { runCli, runAsCommand } = programOf([registerCheckCommand]);
