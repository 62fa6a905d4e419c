/**
 * A designed pool as `@pulumi/azure-native/batch` Pool arguments. Shared by BatchEnvironment and
 * by the migration's second pool, so both pools are built the same way.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as batch from "@pulumi/azure-native/batch";
import type * as types from "@pulumi/azure-native/types";
import type { CommunicationMode, PoolDesign, ScaleDesign } from "../../model";

/** Where the pool goes and how it talks to Batch; the rest comes from the design. */
export interface PoolPlacement {
  readonly accountName: pulumi.Input<string>;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly subnetId: pulumi.Input<string>;
  /** The pool's `targetNodeCommunicationMode`; absent at API 2025-06-01, which has none. */
  readonly targetMode?: CommunicationMode;
  /** The pool's name, known before the pool's own step (see poolName.ts). */
  readonly poolName: pulumi.Input<string>;
  /**
   * Hold the configured size, or resize to zero (the migration drains a pool so that Azure
   * applies its new mode). Default: configured.
   */
  readonly scale?: pulumi.Input<PoolScale>;
}

/** What the migration asks of a pool's size in one run. */
export type PoolScale = "configured" | "zero";

/** Zero nodes on fixed scale, keeping the configured resize timeout and deallocation option. */
function zeroScale(scale: ScaleDesign): types.input.batch.ScaleSettingsArgs {
  return {
    fixedScale: {
      targetDedicatedNodes: 0,
      targetLowPriorityNodes: 0,
      resizeTimeout: scale.kind === "fixed" ? scale.resizeTimeout : "PT15M",
      ...(scale.kind === "fixed" && scale.nodeDeallocationOption
        ? { nodeDeallocationOption: scale.nodeDeallocationOption }
        : {}),
    },
  };
}

function scaleSettings(scale: ScaleDesign): types.input.batch.ScaleSettingsArgs {
  if (scale.kind === "auto") {
    return { autoScale: { formula: scale.formula, evaluationInterval: scale.evaluationInterval } };
  }
  return {
    fixedScale: {
      targetDedicatedNodes: scale.dedicatedNodes,
      targetLowPriorityNodes: scale.lowPriorityNodes,
      resizeTimeout: scale.resizeTimeout,
      ...(scale.nodeDeallocationOption
        ? { nodeDeallocationOption: scale.nodeDeallocationOption }
        : {}),
    },
  };
}

function startTask(design: PoolDesign<pulumi.Input<string>>): batch.PoolArgs["startTask"] {
  const task = design.startTask;
  if (!task) return undefined;
  return {
    commandLine: task.commandLine,
    waitForSuccess: task.waitForSuccess ?? true,
    maxTaskRetryCount: task.maxTaskRetryCount ?? 0,
    userIdentity: {
      autoUser: { scope: "Pool", elevationLevel: task.runElevated ? "Admin" : "NonAdmin" },
    },
    ...(task.environment
      ? {
          environmentSettings: Object.entries(task.environment).map(([name, value]) => ({
            name,
            value,
          })),
        }
      : {}),
  };
}

function networkConfiguration(
  design: PoolDesign<pulumi.Input<string>>,
  subnetId: pulumi.Input<string>,
): batch.PoolArgs["networkConfiguration"] {
  return {
    subnetId,
    publicIPAddressConfiguration: {
      provision: design.publicIpProvisioning,
      ...(design.publicIpAddressIds ? { ipAddressIds: [...design.publicIpAddressIds] } : {}),
    },
    ...(design.inboundNatPools.length > 0
      ? {
          endpointConfiguration: {
            inboundNatPools: design.inboundNatPools.map((p) => ({
              name: p.name,
              protocol: p.protocol,
              backendPort: p.backendPort,
              frontendPortRangeStart: p.frontendPortRangeStart,
              frontendPortRangeEnd: p.frontendPortRangeEnd,
              ...(p.networkSecurityGroupRules
                ? {
                    networkSecurityGroupRules: p.networkSecurityGroupRules.map((r) => ({
                      priority: r.priority,
                      access: r.access,
                      sourceAddressPrefix: r.sourceAddressPrefix,
                      ...(r.sourcePortRanges ? { sourcePortRanges: [...r.sourcePortRanges] } : {}),
                    })),
                  }
                : {}),
            })),
          },
        }
      : {}),
  };
}

/** The Pool resource's arguments for a planned pool in a placement. */
export function poolArgs(
  design: PoolDesign<pulumi.Input<string>>,
  placement: PoolPlacement,
): batch.PoolArgs {
  return {
    accountName: placement.accountName,
    resourceGroupName: placement.resourceGroupName,
    poolName: placement.poolName,
    ...(design.displayName ? { displayName: design.displayName } : {}),
    vmSize: design.vmSize,
    deploymentConfiguration: {
      virtualMachineConfiguration: {
        imageReference: { ...design.image },
        nodeAgentSkuId: design.nodeAgentSkuId,
      },
    },
    scaleSettings: pulumi
      .output(placement.scale ?? "configured")
      .apply((scale) => (scale === "zero" ? zeroScale(design.scale) : scaleSettings(design.scale))),
    taskSlotsPerNode: design.taskSlotsPerNode,
    taskSchedulingPolicy: { nodeFillType: design.nodeFillType },
    interNodeCommunication: design.interNodeCommunication ? "Enabled" : "Disabled",
    ...(design.startTask ? { startTask: startTask(design) } : {}),
    networkConfiguration: networkConfiguration(design, placement.subnetId),
    ...(placement.targetMode ? { targetNodeCommunicationMode: placement.targetMode } : {}),
  };
}
