import { expect } from "chai";
import { InvalidInputError, Problem } from "../../src/model";

/** Runs `run`, expects it to throw, and returns what it threw. */
export function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error, none was thrown");
}

/** Runs `run`, expects an InvalidInputError, and returns its problems. */
export function problemsOf(run: () => unknown): readonly Problem[] {
  const error = catchError(run);
  expect(error).to.be.instanceOf(InvalidInputError);
  return (error as InvalidInputError).problems;
}

/** The fields problems name, in order. */
export function fieldsOf(problems: readonly Problem[]): string[] {
  return problems.map((p) => p.field);
}
