/**
 * How the model reports bad input: every problem at once, each naming the field it is about
 * and what would be accepted. The components turn these into `pulumi.InputPropertiesError`;
 * the CLI prints them and exits with status 2.
 */

/** One thing wrong with the input. */
export interface Problem {
  /** Dotted path of the field the problem is about, as the user wrote it (e.g. `extraRules[2].priority`). */
  readonly field: string;
  /** What is wrong and what to do instead. */
  readonly message: string;
}

/** Thrown by model functions given input they cannot accept. Lists every problem found. */
export class InvalidInputError extends Error {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super(formatProblems(problems));
    this.name = "InvalidInputError";
    this.problems = problems;
  }
}

/** Renders problems one per line: `field: message`. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.field}: ${p.message}`).join("\n");
}

/** Prefixes every problem's field with a parent path (`prefix.field`). */
export function nestProblems(prefix: string, problems: readonly Problem[]): Problem[] {
  return problems.map((p) => ({ ...p, field: p.field ? `${prefix}.${p.field}` : prefix }));
}
