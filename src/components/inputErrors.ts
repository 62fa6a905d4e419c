/**
 * How model problems reach the Pulumi engine: one `InputPropertiesError` listing every problem
 * against the property the user wrote, which the engine prints beside the component; and the
 * same checks for references that arrive as outputs, applied when they resolve.
 */
import { shown } from "../model/printable";
import * as pulumi from "@pulumi/pulumi";
import {
  accountNameProblem,
  formatProblems,
  IdKind,
  ID_EXAMPLES,
  InvalidInputError,
  isResourceId,
  Problem,
  resourceGroupNameProblem,
  resourceNameProblem,
} from "../model";

/** One error for all problems of a component's arguments. */
export function inputPropertiesError(
  component: string,
  name: string,
  problems: readonly Problem[],
): pulumi.InputPropertiesError {
  return new pulumi.InputPropertiesError({
    message: `${component} "${name}" has ${problems.length} invalid input${problems.length === 1 ? "" : "s"}; nothing was created:\n${formatProblems(problems, { prefix: "  - " })}`,
    errors: problems.map((p) => ({ propertyPath: p.field, reason: p.message })),
  });
}

/**
 * Runs a model design step, then the checks that need the whole program (`more`, given the
 * design); an InvalidInputError becomes an InputPropertiesError.
 */
export function designOrThrow<T>(
  component: string,
  name: string,
  design: () => T,
  more: (designed: T) => Problem[] = () => [],
): T {
  let designed: T;
  try {
    designed = design();
  } catch (error) {
    if (error instanceof InvalidInputError)
      throw inputPropertiesError(component, name, error.problems);
    throw error;
  }
  const problems = more(designed);
  if (problems.length > 0) throw inputPropertiesError(component, name, problems);
  return designed;
}

function checkedInput(
  input: pulumi.Input<string>,
  field: string,
  problem: (value: unknown) => string | undefined,
): pulumi.Output<string> {
  return pulumi.output(input).apply((value) => {
    const reason = problem(value);
    if (reason !== undefined) throw new pulumi.InputPropertyError({ propertyPath: field, reason });
    return value;
  });
}

/**
 * A resource ID that may arrive as an output, checked once it resolves: the model checked it
 * already if it was a plain string.
 */
export function checkedResourceId(
  kind: IdKind,
  id: pulumi.Input<string>,
  field: string,
): pulumi.Output<string> {
  return checkedInput(id, field, (value) =>
    isResourceId(kind, value)
      ? undefined
      : `${shown(value)} is not a ${kind} resource ID; expected the form ${ID_EXAMPLES[kind]}.`,
  );
}

const NAME_CHECKS = {
  resourceGroup: resourceGroupNameProblem,
  batchAccount: (value: unknown, field: string) =>
    accountNameProblem(value, field, "Batch account"),
  resource: resourceNameProblem,
} as const;

/** The name of an existing resource, which may arrive as an output, checked once it resolves. */
export function checkedName(
  kind: keyof typeof NAME_CHECKS,
  name: pulumi.Input<string>,
  field: string,
): pulumi.Output<string> {
  return checkedInput(name, field, (value) => NAME_CHECKS[kind](value, field)?.message);
}
