/**
 * A command line made of some of the commands: the program (name, version, help and output
 * settings), how a run's errors become exit statuses, and how a process runs it. program.ts
 * makes the whole command line of it; each command's own `program.ts` (rules/program.ts, …)
 * makes one of just that command, which main.ts starts when the command is named first, so a
 * short command loads only its own code (see main.ts).
 */
import { Command, CommanderError } from "commander";
import { checkArgv } from "./argv";
import type { CommandContext } from "./context";
import { CliInputError, EXIT_BAD_INPUT, EXIT_OK } from "./exit";
import { answerAndExit, terminalWidth } from "./output/write";

/** Adds one command to the program. */
export type RegisterCommand = (program: Command, context: CommandContext) => void;

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

/**
 * The package's version. A require of package.json, not a read at run time: bundled, it is part
 * of the bundle (one file fewer to open); from source or tsc's output, it is two folders up.
 */
function packageVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const manifest = require("../../package.json") as { version?: unknown };
  return String(manifest.version);
}

/** The program with `commands` on it; output goes through the given writers so tests can capture it. */
export function buildProgramOf(
  commands: readonly RegisterCommand[],
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
  for (const register of commands) register(program, context);
  return program;
}

/** Runs `argv` (without `node` and the script) on the program of `commands` and reports what happened. */
async function runCliOf(
  commands: readonly RegisterCommand[],
  argv: readonly string[],
  options: RunOptions = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  let status = EXIT_OK;
  const program = buildProgramOf(
    commands,
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

/** Runs this process's command line on the program of `commands`, writes its answer and exits. */
function runAsCommandOf(commands: readonly RegisterCommand[]): void {
  runCliOf(commands, process.argv.slice(2))
    .then((result) => answerAndExit(result.stdout, result.stderr, result.status))
    .catch((error: unknown) => {
      process.stderr.write(
        `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 70;
    });
}

/** What main.ts starts: a program's run for tests and its run as this process. */
export interface ProgramModule {
  readonly runCli: (argv: readonly string[], options?: RunOptions) => Promise<CliResult>;
  readonly runAsCommand: () => void;
}

/** The {@link ProgramModule} of `commands`. */
export function programOf(commands: readonly RegisterCommand[]): ProgramModule {
  return {
    runCli: (argv, options) => runCliOf(commands, argv, options),
    runAsCommand: () => runAsCommandOf(commands),
  };
}
