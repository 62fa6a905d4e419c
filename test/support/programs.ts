/** Runs a Pulumi program file (an example, the root stack) under the mocks, fresh each time. */
import * as pulumi from "@pulumi/pulumi";
import { createRequire } from "node:module";
import { join } from "node:path";
import { DeploymentResult, runDeployment, SimulatedAzureMocks } from "../../src/simulate";

const ROOT = join(__dirname, "../..");
const requireHere = createRequire(__filename);

/**
 * Loads the program at `path` (relative to the repository root) as one deployment, with the
 * given project config (`key: value`, namespaced under `project`).
 */
export async function runProgramFile(
  mocks: SimulatedAzureMocks,
  path: string,
  project: string,
  config: Record<string, string> = {},
  options: { preview?: boolean } = {},
): Promise<DeploymentResult<Record<string, unknown>>> {
  const file = requireHere.resolve(join(ROOT, path));
  return runDeployment(
    mocks,
    () => {
      // Exactly this run's config, as `pulumi up` gives a program its stack's config.
      pulumi.runtime.setAllConfig(
        Object.fromEntries(Object.entries(config).map(([k, v]) => [`${project}:${k}`, v])),
      );
      // A program runs once per deployment: forget the previous run's module.
      delete requireHere.cache[file];
      return requireHere(file) as Record<string, unknown>;
    },
    options,
  );
}
