/**
 * The node a migration's environment hangs under: a component of BatchEnvironment's type, so
 * that the children's URNs are those a BatchEnvironment of the same name gives them.
 */
import * as pulumi from "@pulumi/pulumi";
import { BATCH_ENVIRONMENT_TYPE } from "./context";
import type { EnvironmentOutputs } from "./outputs";

export class EnvironmentNode extends pulumi.ComponentResource {
  constructor(name: string, opts: pulumi.ComponentResourceOptions) {
    super(BATCH_ENVIRONMENT_TYPE, name, {}, opts);
  }

  /** Registers the environment's outputs, as a BatchEnvironment does. */
  complete(outputs: EnvironmentOutputs): void {
    this.registerOutputs({ ...outputs });
  }
}
