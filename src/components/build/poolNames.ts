/**
 * Build step 3: pool names that are known before the pool is created or updated.
 *
 * The migration's gate must read a pool live (`batch.getPool`) before this deployment touches
 * it, and Pulumi only hands out a resource's autoname after the resource's own step. So each
 * pool is named `<component>-<random suffix>`, the suffix kept in state by a RandomString
 * whose keepers are the pool's network settings: a change there (which Azure cannot apply in
 * place) draws a new suffix, so the pool is replaced create-before-delete under a new name,
 * exactly as azure-native's autonaming would do.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { EnvironmentDesign, PoolDesign } from "../../model";
import { BuildContext } from "./context";

const SUFFIX_LENGTH = 6;

/** The readable part of a pool name: the component name's letters, digits, - and _. */
function poolNamePrefix(componentName: string): string {
  return (componentName.replace(/[^A-Za-z0-9_-]/g, "") || "pool").slice(0, 64 - SUFFIX_LENGTH - 1);
}

/** What identifies a pool's network configuration, as a string the keepers compare. */
export function networkKey(
  environment: EnvironmentDesign<pulumi.Input<string>>,
  pool: PoolDesign<pulumi.Input<string>>,
): pulumi.Output<string> {
  return pulumi
    .output({
      subnet: environment.network.createVnet
        ? {
            addressSpace: environment.network.addressSpace,
            subnetPrefix: environment.network.subnetPrefix,
          }
        : environment.network.existingSubnetId,
      publicIpProvisioning: pool.publicIpProvisioning,
      publicIpAddressIds: pool.publicIpAddressIds ?? [],
      inboundNatPools: pool.inboundNatPools,
    })
    .apply((key) => JSON.stringify(key));
}

/**
 * The pool's name: the fixed name when given, else `<prefix>-<suffix>` from a RandomString
 * named `logicalName` (a child of `parent`).
 */
export function poolName(
  logicalName: string,
  componentName: string,
  fixedName: string | undefined,
  key: pulumi.Output<string>,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  if (fixedName) return pulumi.output(fixedName);
  const suffix = new random.RandomString(
    logicalName,
    {
      length: SUFFIX_LENGTH,
      special: false,
      upper: false,
      lower: true,
      numeric: true,
      keepers: { network: key },
    },
    { parent },
  );
  return pulumi.interpolate`${poolNamePrefix(componentName)}-${suffix.result}`;
}

/** Step 3: the environment's own pool's name (`<name>-<suffix>`, or the fixed `pool.name`). */
export function poolNameStep(ctx: BuildContext): pulumi.Output<string> {
  const pool = ctx.design.pool;
  return poolName(
    `${ctx.name}-pool-name`,
    ctx.name,
    pool.fixedName,
    networkKey(ctx.design, pool),
    ctx.parent,
  );
}
