/**
 * What the components print through `pulumi.log` while a simulated run goes on: captured
 * instead of sent to an engine that is not there. The one place the package swaps Pulumi's
 * log functions; everything that runs components offline (tests, `plan`) goes through it.
 */
import * as pulumi from "@pulumi/pulumi";

/** The messages a run printed, by level. */
export interface CapturedLog {
  readonly info: string[];
  readonly warn: string[];
}

type LogFunction = (message: string, resource?: pulumi.Resource) => Promise<void>;
type Log = { info: LogFunction; warn: LogFunction };

/**
 * Runs `run` with Pulumi's info and warning messages captured into `log` (kept when `run`
 * fails too); restores Pulumi's log after.
 */
export async function withCapturedLog<T>(
  run: () => Promise<T> | T,
  log: CapturedLog = { info: [], warn: [] },
): Promise<{ result: T; log: CapturedLog }> {
  const target = pulumi.log as unknown as Log;
  const saved = { info: target.info, warn: target.warn };
  target.info = (message) => Promise.resolve(void log.info.push(message));
  target.warn = (message) => Promise.resolve(void log.warn.push(message));
  try {
    return { result: await run(), log };
  } finally {
    target.info = saved.info;
    target.warn = saved.warn;
  }
}
