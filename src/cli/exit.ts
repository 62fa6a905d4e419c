/**
 * Exit statuses shared by every command, and how bad input becomes a message on stderr.
 */
import { formatProblems, InvalidInputError, Problem } from "../model/problems";

/** 0: all good; 1: the answer is "no" (a flow blocked); 2: the input could not be used. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_BAD_INPUT = 2;

/** Bad command-line input. Its message is printed as is, and the command exits with 2. */
export class CliInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliInputError";
  }
}

/**
 * Renders model problems as the CLI prints them, naming the flag the user typed:
 * `priorityBase` -> `--priority-base (priorityBase)`. Fields without a flag keep their name.
 */
export function problemsAsFlags(
  problems: readonly Problem[],
  flags: Readonly<Record<string, string>> = {},
): string {
  const fieldName = (field: string) => {
    const root = Object.keys(flags)
      .filter((f) => field === f || field.startsWith(`${f}[`) || field.startsWith(`${f}.`))
      .sort((a, b) => b.length - a.length)[0];
    return root ? `${flags[root]} (${field})` : field;
  };
  return formatProblems(problems, { prefix: "error: ", fieldName });
}

/** Runs a model call, turning its InvalidInputError into a CliInputError that names flags. */
export function withFlagNames<T>(flags: Readonly<Record<string, string>>, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof InvalidInputError)
      throw new CliInputError(problemsAsFlags(error.problems, flags));
    throw error;
  }
}
