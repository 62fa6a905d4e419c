/** Helpers for driving components through Pulumi's mock runtime. */
import "./stackTraces";
import * as pulumi from "@pulumi/pulumi";
import {
  AzureSimulation,
  withCapturedLog,
  MockOptions,
  SimulatedAzureMocks,
  SimulationOptions,
} from "../../src/simulate";

/** Mocks over a fresh simulation, installed (an update run, not a preview). */
export async function freshMocks(
  options: MockOptions = {},
  simulation: SimulationOptions = {},
): Promise<SimulatedAzureMocks> {
  const mocks = new SimulatedAzureMocks(new AzureSimulation(simulation), options);
  await mocks.install();
  return mocks;
}

/** The options a child resource was registered with, as a transformation saw them. */
export interface RecordedOptions {
  readonly type: string;
  readonly name: string;
  readonly opts: pulumi.CustomResourceOptions;
}

/**
 * A transformation that records every child's resource options. Mocks do not show options
 * (parent, dependsOn, replaceOnChanges), so tests pass this to the component under test.
 */
export function optionRecorder(): {
  transformation: pulumi.ResourceTransformation;
  recorded: RecordedOptions[];
} {
  const recorded: RecordedOptions[] = [];
  return {
    recorded,
    transformation: (args) => {
      recorded.push({ type: args.type, name: args.name, opts: args.opts });
      return undefined;
    },
  };
}

/** Collects what `pulumi.log.warn` prints while `run` runs (and keeps `info` quiet). */
export async function captureWarnings<T>(
  run: () => Promise<T> | T,
): Promise<{ result: T; warnings: string[] }> {
  const { result, log } = await withCapturedLog(run);
  return { result, warnings: log.warn };
}

/** Lets pending registrations reach the mocks (to prove that none were made). */
export async function drainRegistrations(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}
