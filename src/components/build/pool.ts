/**
 * Build step 7: a pool, created after everything its nodes need (rules, routes, endpoints), so
 * that nodes never boot into a subnet that cannot reach Batch.
 */
import * as pulumi from "@pulumi/pulumi";
import * as batch from "@pulumi/azure-native/batch";
import type { PoolDesign } from "../../model";
import type { AccountParts } from "./account";
import type { Ref } from "./context";
import { poolArgs, PoolPlacement } from "./poolArgs";

export interface PoolStep {
  /** The pool's logical name (`<name>-pool`, `<name>-replacement-pool`). */
  readonly logicalName: string;
  readonly parent: pulumi.Resource;
  readonly pool: PoolDesign<Ref>;
  readonly placement: PoolPlacement;
  readonly account: AccountParts;
  /** What the pool is created after: its rules, routes and endpoints. */
  readonly after: pulumi.Input<pulumi.Resource[]>;
}

/** Step 7: the pool. */
export function poolStep(step: PoolStep): batch.Pool {
  const { account } = step;
  return new batch.Pool(step.logicalName, poolArgs(step.pool, step.placement), {
    parent: step.parent,
    dependsOn: pulumi
      .output(step.after)
      .apply((after) => [...(account.account ? [account.account] : []), ...after]),
    // Azure cannot update networkConfiguration in place. The pool's name changes with it
    // (poolNames.ts), so the replacement is created before the old pool is deleted; a fixed
    // name must go first.
    replaceOnChanges: ["networkConfiguration"],
    deleteBeforeReplace: step.pool.fixedName !== undefined,
  });
}
