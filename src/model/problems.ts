/**
 * How the model reports bad input: every problem at once, each naming the field it is about
 * and what would be accepted. The components turn these into `pulumi.InputPropertiesError`;
 * the CLI prints them and exits with status 2; the policy pack reports them as violations.
 * All of them render problems with {@link formatProblems}.
 */
import { isObject } from "./json";

/** One thing wrong with the input. */
export interface Problem {
  /** Dotted path of the field the problem is about, as the user wrote it (e.g. `extraRules[2].priority`). */
  readonly field: string;
  /** What is wrong and what to do instead. */
  readonly message: string;
}

/**
 * Most problems one error lists; the rest are counted. Readers cap each file's problems lower
 * (INPUT_LIMITS.problemsPerSource); this bounds what any input, a caller's object of a million
 * malformed items included, can make an error hold and print.
 */
export const MAX_PROBLEMS = 200;

/**
 * Thrown by model functions given input they cannot accept. Lists every problem found, up to
 * {@link MAX_PROBLEMS}, and how many more there were.
 */
export class InvalidInputError extends Error {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const listed =
      problems.length <= MAX_PROBLEMS
        ? problems
        : [
            ...problems.slice(0, MAX_PROBLEMS),
            {
              field: "",
              message: `and ${problems.length - MAX_PROBLEMS} more problems (the first ${MAX_PROBLEMS} are shown).`,
            },
          ];
    super(formatProblems(listed));
    this.name = "InvalidInputError";
    this.problems = listed;
  }
}

/** How {@link formatProblems} renders each problem. */
export interface ProblemFormat {
  /** Put before each line (`"error: "`, `"  - "`). Default none. */
  readonly prefix?: string;
  /** Join the lines with this. Default a newline. */
  readonly separator?: string;
  /** The name shown for a field (a CLI shows the flag the user typed). Default the field. */
  readonly fieldName?: (field: string) => string;
}

/** Renders problems one per line: `<prefix><field>: <message>`. */
export function formatProblems(problems: readonly Problem[], format: ProblemFormat = {}): string {
  const { prefix = "", separator = "\n", fieldName = (field: string) => field } = format;
  return problems
    .map((p) => `${prefix}${p.field ? `${fieldName(p.field)}: ` : ""}${p.message}`)
    .join(separator);
}

/** Prefixes every problem's field with a parent path (`prefix.field`). */
export function nestProblems(prefix: string, problems: readonly Problem[]): Problem[] {
  return problems.map((p) => ({ ...p, field: p.field ? `${prefix}.${p.field}` : prefix }));
}

/** The problems without repeats (the same field and message reported twice). */
export function uniqueProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A problem when `value` is not a plain object (options, arguments): untrusted callers pass anything. */
export function objectProblem(value: unknown, field: string, what: string): Problem[] {
  return isObject(value)
    ? []
    : [
        {
          field,
          message: `must be an object of ${what}, not ${value === null ? "null" : Array.isArray(value) ? "a list" : typeof value}.`,
        },
      ];
}
