/** How the components print the model's warnings: against the component, each once. */
import * as pulumi from "@pulumi/pulumi";

export function warnAll(warnings: readonly string[], resource: pulumi.Resource): void {
  for (const warning of new Set(warnings)) void pulumi.log.warn(warning, resource);
}
