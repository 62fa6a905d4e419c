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

/** How one run goes. */
export interface RunOptions {
  /** A `pulumi preview`: Azure changes nothing. */
  readonly preview?: boolean;
  /** Fail at the Azure write after this many (what reached Azure before stays). */
  readonly failAfterWrites?: number;
}

/**
 * Runs `program` once. Every output it returns is resolved before the run counts as done;
 * registrations still in flight are awaited too. A run that fails deletes nothing and keeps in
 * state what it wrote, as `pulumi up` does; its error is rethrown.
 */
export async function runDeployment<T extends Record<string, unknown>>(
  mocks: SimulatedAzureMocks,
  program: () => T,
  options: RunOptions = {},
): Promise<DeploymentResult<T>> {
  await mocks.install(options.preview ?? false, undefined, undefined, options.failAfterWrites);
  // A failed resource or output rejects promises nothing in the program awaits. In a real run
  // Pulumi's language host takes those and fails the run; under the mocks nobody would, so the
  // run takes them here: while it lasts, they are its own.
  const stray: unknown[] = [];
  const takeStray = (reason: unknown) => void stray.push(reason);
  process.on("unhandledRejection", takeStray);
  try {
    return await run(mocks, program, stray);
  } finally {
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", takeStray);
  }
}

async function run<T extends Record<string, unknown>>(
  mocks: SimulatedAzureMocks,
  program: () => T,
  stray: readonly unknown[],
): Promise<DeploymentResult<T>> {
  let outputs: Record<string, unknown>;
  try {
    const returned = program();
    // All at once: an output that fails (bad input checked in an apply) fails the run at once,
    // while outputs of resources it blocked would never resolve.
    const entries = await Promise.race([
      Promise.all(
        Object.entries(returned).map(
          async ([key, value]) =>
            [key, pulumi.Output.isInstance(value) ? await peekOutput(value) : value] as const,
        ),
      ),
      mocks.runFailure,
    ]);
    outputs = Object.fromEntries(entries);
  } catch (error) {
    // A failed run leaves registrations waiting on what failed, which never finish: let the
    // ones that can reach the mocks do so, then record what the run wrote.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    mocks.abortRun();
    throw error;
  }
  await settleRegistrations();
  await new Promise((resolve) => setImmediate(resolve));
  if (stray.length > 0) {
    mocks.abortRun();
    throw stray[0];
  }
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
