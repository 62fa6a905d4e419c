/**
 * What every build step of an environment shares: the component's name (children are named
 * `<name>-...`), the resource they hang under, and the design they carry out.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { EnvironmentDesign } from "../../model";

/** A reference to an existing thing, as the components take it. */
export type Ref = pulumi.Input<string>;

export interface BuildContext {
  /** The component's name: every child's logical name starts with it. */
  readonly name: string;
  /** The resource the environment's children hang under (their URNs depend on it). */
  readonly parent: pulumi.Resource;
  readonly design: EnvironmentDesign<Ref>;
}

/** The options every child of the environment takes. */
export function childOf(ctx: BuildContext): { parent: pulumi.Resource } {
  return { parent: ctx.parent };
}

/** The type token of BatchEnvironment: also the environment node inside a migration, so that its
 * children's URNs are the same whichever component declared them. */
export const BATCH_ENVIRONMENT_TYPE = "azure-batch-network:index:BatchEnvironment";
