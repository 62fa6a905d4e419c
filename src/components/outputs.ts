/**
 * Reading an output's value where it may be unknown (a preview of something not yet created),
 * so that code can handle "unknown" deliberately instead of never running.
 */
import * as pulumi from "@pulumi/pulumi";

/** Marks a value that is unknown in a preview. */
export const UNKNOWN = Symbol("unknown");

// `Output` carries these at run time; its public type does not expose them.
interface OutputInternals<T> {
  readonly isKnown: Promise<boolean>;
  promise(withUnknowns?: boolean): Promise<T>;
}

/** The value of an output, or {@link UNKNOWN}; an output that failed rejects with its error. */
export async function peekOutput<T>(output: pulumi.Output<T>): Promise<T | typeof UNKNOWN> {
  const internals = output as unknown as OutputInternals<T>;
  const value = await internals.promise(true);
  return (await internals.isKnown) ? value : UNKNOWN;
}

/**
 * An output whose value is given later: a resource built now can wait on what is decided after
 * it is declared (a gate). It must be resolved, or what waits on it never runs.
 */
export function deferredOutput(): {
  readonly output: pulumi.Output<unknown>;
  readonly resolve: (value: pulumi.Input<unknown>) => void;
} {
  let resolve: (value: pulumi.Input<unknown>) => void = () => undefined;
  const promise = new Promise<pulumi.Input<unknown>>((r) => {
    resolve = r;
  });
  return { output: pulumi.output(promise), resolve };
}
