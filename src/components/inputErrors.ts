/**
 * How model problems reach the Pulumi engine: one `InputPropertiesError` listing every problem
 * against the property the user wrote, which the engine prints beside the component.
 */
import * as pulumi from "@pulumi/pulumi";
import { IdKind, ID_EXAMPLES, InvalidInputError, isResourceId, Problem } from "../model";

/** One error for all problems of a component's arguments. */
export function inputPropertiesError(
  component: string,
  name: string,
  problems: readonly Problem[],
): pulumi.InputPropertiesError {
  return new pulumi.InputPropertiesError({
    message: `${component} "${name}" has ${problems.length} invalid input${problems.length === 1 ? "" : "s"}; nothing was created:\n${problems
      .map((p) => `  - ${p.field}: ${p.message}`)
      .join("\n")}`,
    errors: problems.map((p) => ({ propertyPath: p.field, reason: p.message })),
  });
}

/** Runs a model planning step; its InvalidInputError becomes an InputPropertiesError. */
export function planOrThrow<T>(component: string, name: string, plan: () => T): T {
  try {
    return plan();
  } catch (error) {
    if (error instanceof InvalidInputError)
      throw inputPropertiesError(component, name, error.problems);
    throw error;
  }
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
  return pulumi.output(id).apply((value) => {
    if (!isResourceId(kind, value)) {
      throw new pulumi.InputPropertyError({
        propertyPath: field,
        reason: `${JSON.stringify(value)} is not a ${kind} resource ID; expected the form ${ID_EXAMPLES[kind]}.`,
      });
    }
    return value;
  });
}
