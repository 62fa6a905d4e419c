/**
 * Build step 7: a pool, created after everything its nodes need (rules, routes, endpoints), so
 * that nodes never boot into a subnet that cannot reach Batch.
 */
import * as pulumi from "@pulumi/pulumi";
import * as batch from "@pulumi/azure-native/batch";
import { BatchApiVersion, PoolDesign } from "../../model";
import { PoolAt20250601 } from "./batchAt20250601";
import type { AccountParts } from "./account";
import type { Ref } from "./context";
import { concatResources, ResourceList } from "./resourceLists";
import { poolArgs, PoolPlacement } from "./poolArgs";

export interface PoolStep {
  /** The pool's logical name (`<name>-pool`, `<name>-replacement-pool`). */
  readonly logicalName: string;
  readonly parent: pulumi.Resource;
  readonly pool: PoolDesign<Ref>;
  readonly placement: PoolPlacement;
  readonly account: AccountParts;
  /** What the pool is created after: its rules, routes and endpoints. */
  readonly after: ResourceList;
  /** The management API version the pool is declared at. */
  readonly apiVersion: BatchApiVersion;
}

/** A declared pool, at either API version. */
export type DeclaredPool = batch.Pool | PoolAt20250601;

/** The mode Azure reports for a pool, where its API version has one. */
export function reportedMode(pool: DeclaredPool): pulumi.Output<string | undefined> {
  return pool instanceof batch.Pool
    ? pool.currentNodeCommunicationMode.apply((m) => m)
    : pulumi.output(undefined);
}

/** Step 7: the pool, at the API version the design says. */
export function poolStep(step: PoolStep): DeclaredPool {
  const { account } = step;
  const args = poolArgs(step.pool, step.placement);
  const opts: pulumi.CustomResourceOptions = {
    parent: step.parent,
    dependsOn: concatResources(account.account ? [account.account] : [], step.after),
    // Azure cannot update networkConfiguration in place. The pool's name changes with it
    // (poolNames.ts), so the replacement is created before the old pool is deleted; a fixed
    // name must go first.
    replaceOnChanges: ["networkConfiguration"],
    deleteBeforeReplace: step.pool.fixedName !== undefined,
  };
  return step.apiVersion === BatchApiVersion.V2025_06_01
    ? new PoolAt20250601(step.logicalName, args, opts)
    : new batch.Pool(step.logicalName, args, opts);
}
