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
  /** Errors: the runtime's own, such as an invoke whose arguments cannot be sent. */
  readonly error: string[];
}

type LogFunction = (message: string, resource?: pulumi.Resource) => Promise<void>;
type Log = { info: LogFunction; warn: LogFunction; error: LogFunction };

/**
 * Runs `run` with Pulumi's info, warning and error messages captured into `log` (kept when
 * `run` fails too); restores Pulumi's log after.
 */
export async function withCapturedLog<T>(
  run: () => Promise<T> | T,
  log: CapturedLog = { info: [], warn: [], error: [] },
): Promise<{ result: T; log: CapturedLog }> {
  const target = pulumi.log as unknown as Log;
  const saved = { info: target.info, warn: target.warn, error: target.error };
  target.info = (message) => Promise.resolve(void log.info.push(message));
  target.warn = (message) => Promise.resolve(void log.warn.push(message));
  target.error = (message) => Promise.resolve(void log.error.push(message));
  try {
    return { result: await run(), log };
  } finally {
    target.info = saved.info;
    target.warn = saved.warn;
    target.error = saved.error;
  }
}
