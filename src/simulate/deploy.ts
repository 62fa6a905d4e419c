/**
 * Runs a Pulumi program against {@link SimulatedAzureMocks} as one deployment (`pulumi up`) or
 * preview, and hands back what it registered and its outputs, resolved.
 */
import * as pulumi from "@pulumi/pulumi";
import { peekOutput, UNKNOWN } from "../components/outputs";
import { RecordedCall, RegisteredResource, ResourceDiff, SimulatedAzureMocks } from "./mocks";

export { UNKNOWN } from "../components/outputs";
export type Resolved<T> = T extends pulumi.Output<infer U> ? U | typeof UNKNOWN : T;

/** What one run did. */
export interface DeploymentResult<T> {
  readonly outputs: { [K in keyof T]: Resolved<T[K]> };
  readonly registered: readonly RegisteredResource[];
  readonly calls: readonly RecordedCall[];
  /** What this run creates, updates, replaces and deletes against what was deployed. */
  readonly diff: ResourceDiff;
}

/**
 * Runs `program` once. Every output it returns is resolved before the run counts as done;
 * registrations still in flight are awaited too.
 */
export async function runDeployment<T extends Record<string, unknown>>(
  mocks: SimulatedAzureMocks,
  program: () => T,
  options: { preview?: boolean } = {},
): Promise<DeploymentResult<T>> {
  await mocks.install(options.preview ?? false);
  const returned = program();
  // All at once: an output that fails (bad input checked in an apply) fails the run at once,
  // while outputs of resources it blocked would never resolve.
  const entries = await Promise.all(
    Object.entries(returned).map(
      async ([key, value]) =>
        [key, pulumi.Output.isInstance(value) ? await peekOutput(value) : value] as const,
    ),
  );
  const outputs = Object.fromEntries(entries);
  await settleRegistrations();
  const diff = mocks.diff();
  mocks.finishUpdate();
  return {
    diff,
    outputs: outputs as DeploymentResult<T>["outputs"],
    registered: [...mocks.registered],
    calls: [...mocks.calls],
  };
}

/** Waits until the Pulumi runtime has no registration or invoke in flight. */
async function settleRegistrations(): Promise<void> {
  // `waitForRPCs` is what `pulumi` itself awaits before a program ends.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settings = require("@pulumi/pulumi/runtime/settings") as {
    waitForRPCs?: () => Promise<void>;
  };
  await settings.waitForRPCs?.();
}
