/**
 * The Batch pool and account declared at management API 2025-06-01, which removes the node
 * communication mode properties. azure-native 3.x's SDK sends Batch resources at 2024-07-01 and
 * ships no class for 2025-06-01.
 *
 * How the tokens below reach Azure, and how far that is promised: the v3 provider plugin embeds
 * the metadata of every API version, so `azure-native:batch/v20250601:Pool` resolves on the
 * plain plugin (pulumi-azure-native `provider/pkg/provider/provider_parameterize.go`: its local
 * packages rely on it). That is not a documented interface. The documented route is
 * `pulumi package add azure-native batch 2025-06-01`, which generates a *parameterized* package,
 * `azure-native_batch_v20250601`, whose tokens are `azure-native_batch_v20250601:batch:Pool`,
 * not these; and an open proposal (pulumi-azure-native issue 4125) would drop the extra metadata
 * from the plugin. Our evidence that the installed plugin knows the version is that
 * `batch.Pool` and `batch.BatchAccount` list these tokens among their aliases; a test
 * (test/components/providerContract.test.ts) fails when they stop doing so. docs/components.md
 * says what a user whose plugin lacks the version does.
 *
 * Thin on purpose: the inputs and defaults are azure-native's own `batch.Pool` and
 * `batch.BatchAccount` ones (the same `ProvideDefaults` functions), minus what 2025-06-01
 * removed from the pool (`targetNodeCommunicationMode`, `certificates`, `applicationLicenses`,
 * `resourceTags`; Azure/azure-rest-api-specs,
 * specification/batch/resource-manager/Microsoft.Batch/stable/2025-06-01/BatchManagement.json).
 * Each aliases the 2024-07-01 type, so moving a resource here is an update, never a
 * replacement; azure-native's classes alias back, so the way back is one too.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as batch from "@pulumi/azure-native/batch";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import * as azureUtilities from "@pulumi/azure-native/utilities";

export const POOL_2025_06_01 = "azure-native:batch/v20250601:Pool";
export const ACCOUNT_2025_06_01 = "azure-native:batch/v20250601:BatchAccount";
export const GET_POOL_2025_06_01 = "azure-native:batch/v20250601:getPool";
export const GET_ACCOUNT_2025_06_01 = "azure-native:batch/v20250601:getBatchAccount";

/** A pool's arguments at 2025-06-01: azure-native's, without what that version removed. */
export type PoolArgs20250601 = Omit<
  batch.PoolArgs,
  "targetNodeCommunicationMode" | "certificates" | "applicationLicenses" | "resourceTags"
>;

/**
 * azure-native's Batch input defaults, loaded when a 2025-06-01 resource is declared, as
 * azure-native's own `batch.Pool` loads them: the module holds every service's inputs (0.7 MB,
 * ~10 ms to load), which a program that only requires this package (the policy pack, `check`
 * from code) never needs.
 */
function batchInputDefaults(): typeof azureInputs.batch {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("@pulumi/azure-native/types/input") as typeof azureInputs).batch;
}

/** The azure-native plugin version azure-native's own classes ask for. */
function pluginVersion(): { version: string } {
  return { version: azureUtilities.getVersion() };
}

function withDefaults<T>(value: pulumi.Input<T | undefined> | undefined, defaults: (v: T) => T) {
  return value === undefined
    ? undefined
    : pulumi.output(value).apply((v) => (v === undefined ? undefined : defaults(v as T)));
}

function options(
  opts: pulumi.CustomResourceOptions | undefined,
  aliasOf: string,
): pulumi.CustomResourceOptions {
  return pulumi.mergeOptions(pulumi.mergeOptions(pluginVersion(), opts), {
    aliases: [{ type: aliasOf }],
  });
}

// Outputs are `declare`d: a class field would be defined after `super()` and hide the output
// the Pulumi SDK sets there.

/** A Batch pool at API 2025-06-01 (the outputs this package reads). */
export class PoolAt20250601 extends pulumi.CustomResource {
  declare public readonly name: pulumi.Output<string>;
  declare public readonly currentDedicatedNodes: pulumi.Output<number>;
  declare public readonly currentLowPriorityNodes: pulumi.Output<number>;

  constructor(name: string, args: PoolArgs20250601, opts?: pulumi.CustomResourceOptions) {
    const d = batchInputDefaults();
    super(
      POOL_2025_06_01,
      name,
      {
        ...args,
        networkConfiguration: withDefaults(
          args.networkConfiguration,
          d.networkConfigurationArgsProvideDefaults,
        ),
        scaleSettings: withDefaults(args.scaleSettings, d.scaleSettingsArgsProvideDefaults),
        startTask: withDefaults(args.startTask, d.startTaskArgsProvideDefaults),
        taskSchedulingPolicy: withDefaults(
          args.taskSchedulingPolicy,
          d.taskSchedulingPolicyArgsProvideDefaults,
        ),
        taskSlotsPerNode: args.taskSlotsPerNode ?? 1,
        name: undefined,
        currentDedicatedNodes: undefined,
        currentLowPriorityNodes: undefined,
      },
      options(opts, "azure-native:batch:Pool"),
    );
  }
}

/** A Batch account at API 2025-06-01 (the outputs this package reads). */
export class BatchAccountAt20250601 extends pulumi.CustomResource {
  declare public readonly name: pulumi.Output<string>;
  declare public readonly accountEndpoint: pulumi.Output<string>;
  declare public readonly nodeManagementEndpoint: pulumi.Output<string>;

  constructor(name: string, args: batch.BatchAccountArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      ACCOUNT_2025_06_01,
      name,
      {
        ...args,
        autoStorage: withDefaults(
          args.autoStorage,
          batchInputDefaults().autoStorageBasePropertiesArgsProvideDefaults,
        ),
        publicNetworkAccess: args.publicNetworkAccess ?? "Enabled",
        name: undefined,
        accountEndpoint: undefined,
        nodeManagementEndpoint: undefined,
      },
      options(opts, "azure-native:batch:BatchAccount"),
    );
  }
}

/** What `getPool` returns at 2025-06-01 (the fields this package reads; no mode properties). */
export type GetPoolResult20250601 = Omit<
  batch.GetPoolResult,
  "targetNodeCommunicationMode" | "currentNodeCommunicationMode"
>;

/** Reads a pool live at API 2025-06-01. */
export function getPoolAt20250601(
  args: batch.GetPoolArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetPoolResult20250601> {
  return pulumi.runtime.invoke(
    GET_POOL_2025_06_01,
    { ...args },
    pulumi.mergeOptions(pluginVersion(), opts),
  ) as Promise<GetPoolResult20250601>;
}

/** Reads an account live at API 2025-06-01. */
export function getBatchAccountAt20250601Output(
  args: batch.GetBatchAccountOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<batch.GetBatchAccountResult> {
  return pulumi.runtime.invokeOutput<batch.GetBatchAccountResult>(
    GET_ACCOUNT_2025_06_01,
    { ...args },
    pulumi.mergeOptions(pluginVersion(), opts),
  );
}
