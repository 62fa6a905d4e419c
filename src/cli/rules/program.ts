/**
 * `azure-batch-network rules …`: a command line of this command alone, bundled on its own
 * (bin/cli/rules/program.js), which main.ts starts when `rules` is the first argument. It answers
 * every argument list that starts with `rules` as the whole command line does (a test holds it
 * to that), with only this command's code to load.
 */
import { programOf } from "../commandLine";
import { registerRulesCommand } from "./command";

export const { runCli, runAsCommand } = programOf([registerRulesCommand]);
