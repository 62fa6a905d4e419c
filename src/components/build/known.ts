/**
 * Values a build step takes either as plain data (BatchEnvironment knows its applied network
 * when the program runs) or as an Output (a migration's depends on what the run finds). Plain
 * data stays plain on its way into resource arguments: each Output derived from a value costs
 * Pulumi a copy and a walk of all of it (to find unknowns), and the applied network with its
 * flows, rules and routes was derived from a dozen times per environment.
 */
import * as pulumi from "@pulumi/pulumi";

export type Known<T> = T | pulumi.Output<T>;

/** `f` of the value: at once for plain data, when it resolves for an Output. */
export function derive<T, U>(value: Known<T>, f: (value: T) => U): Known<U> {
  return pulumi.Output.isInstance(value) ? value.apply(f) : f(value);
}
