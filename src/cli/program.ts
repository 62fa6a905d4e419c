/**
 * The `azure-batch-network` command line. Each command lives in its own module; this file wires
 * them into one program and turns errors into exit statuses. main.ts starts it.
 */
import { checkArgv } from "./argv";
import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { registerCheckCommand } from "./check/command";
import { registerPlanCommand } from "./plan/command";
import { registerAuditCommand } from "./audit/command";
import { CliInputError, EXIT_BAD_INPUT, EXIT_OK } from "./exit";
import type { CommandContext } from "./context";
import { answerAndExit, terminalWidth } from "./output/write";
import { registerRulesCommand } from "./rules/command";

/** The package's version, from its package.json (two levels up from src/cli and bin/cli). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as {
    version?: unknown;
  };
  return String(manifest.version);
}

/** What a run printed and the status it exits with. */
export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How a run is given its input and laid out (tests give both; a process, neither). */
export interface RunOptions {
  /** Standard input's text, for `-`. Default: the process's standard input. */
  readonly stdin?: () => string;
  /** The width of text reports and help. Default: the terminal's, else $COLUMNS, else 80. */
  readonly width?: number;
}

/** Builds the program; output goes through the given writers so tests can capture it. */
export function buildProgram(
  out: (text: string) => void,
  err: (text: string) => void,
  setStatus: (status: number) => void = () => undefined,
  options: RunOptions = {},
): Command {
  const width = options.width ?? terminalWidth(1);
  const program = new Command("azure-batch-network")
    .description(
      "Network rules, checks and migration plans for Azure Batch pools in virtual networks.",
    )
    .version(packageVersion(), "-V, --version", "print the package's version")
    .exitOverride()
    .configureOutput({
      writeOut: out,
      writeErr: err,
      // Commander's defaults ask process.stdout and process.stderr, which builds them (a tenth
      // of `--help`'s run); the answer is written later, straight to the descriptors. No
      // colours: the help has none to keep.
      getOutHelpWidth: () => width,
      getErrHelpWidth: () => options.width ?? terminalWidth(2),
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .showHelpAfterError("(add --help for usage)");
  const context: CommandContext = {
    print: (text: string) => out(`${text}\n`),
    setStatus,
    stdin: options.stdin,
    width,
  };
  registerRulesCommand(program, context);
  registerCheckCommand(program, context);
  registerPlanCommand(program, context);
  registerAuditCommand(program, context);
  return program;
}

/** Runs the command line `argv` (without `node` and the script) and reports what happened. */
export async function runCli(
  argv: readonly string[],
  options: RunOptions = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  let status = EXIT_OK;
  const program = buildProgram(
    (text) => (stdout += text),
    (text) => (stderr += text),
    (s) => (status = s),
    options,
  );
  try {
    checkArgv(program, argv);
    await program.parseAsync([...argv], { from: "user" });
    return { status, stdout, stderr };
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; every other commander error is bad input.
      const status = error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
      return { status, stdout, stderr };
    }
    if (error instanceof CliInputError) {
      return { status: EXIT_BAD_INPUT, stdout, stderr: `${stderr}${error.message}\n` };
    }
    throw error;
  }
}

/** Runs the command line of this process, writes its answer and exits with its status. */
export function runAsCommand(): void {
  runCli(process.argv.slice(2))
    .then((result) => answerAndExit(result.stdout, result.stderr, result.status))
    .catch((error: unknown) => {
      process.stderr.write(
        `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 70;
    });
}
