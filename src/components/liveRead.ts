/**
 * The migration's live read: every pool of the migration read through `batch.getPool` before
 * the run changes anything, so that its decisions rest on what Azure reports, not on state.
 */
import * as pulumi from "@pulumi/pulumi";
import * as batch from "@pulumi/azure-native/batch";
import { findCommunicationMode, isNodeMode, LivePool, PoolObservation, PoolRole } from "../model";
import { peekOutput, UNKNOWN } from "./outputs";

const NOT_FOUND = /not ?found|404|ResourceNotFound/i;

/** Reads a pool live; a pool Azure does not know is reported as not existing. */
export async function readPool(
  accountName: string,
  poolName: string,
  resourceGroupName: string,
  parent: pulumi.Resource,
): Promise<LivePool> {
  let read: batch.GetPoolResult;
  try {
    read = await batch.getPool({ accountName, poolName, resourceGroupName }, { parent });
  } catch (error) {
    if (NOT_FOUND.test(String((error as Error)?.message ?? error))) {
      return { exists: false, nodes: 0, steady: true };
    }
    throw error;
  }
  const current = findCommunicationMode(read.currentNodeCommunicationMode);
  const fixed = read.scaleSettings?.fixedScale;
  return {
    exists: true,
    target: findCommunicationMode(read.targetNodeCommunicationMode),
    current: isNodeMode(current) ? current : undefined,
    nodes: (read.currentDedicatedNodes ?? 0) + (read.currentLowPriorityNodes ?? 0),
    targetNodes: fixed
      ? (fixed.targetDedicatedNodes ?? 0) + (fixed.targetLowPriorityNodes ?? 0)
      : undefined,
    steady: read.allocationState === "Steady",
  };
}

/** Where the migration's pools live and what they are called, as the live reads need it. */
export interface PoolLocator {
  readonly accountName: pulumi.Output<string>;
  readonly resourceGroupName: pulumi.Output<string>;
  readonly names: Readonly<Partial<Record<PoolRole, pulumi.Output<string>>>>;
}

/** Reads every pool of the migration live; unknown names (a preview) stay unknown. */
export async function observePools(
  locator: PoolLocator,
  roles: readonly PoolRole[],
  parent: pulumi.Resource,
): Promise<PoolObservation[]> {
  const account = await peekOutput(locator.accountName);
  const group = await peekOutput(locator.resourceGroupName);
  return Promise.all(
    roles.map(async (role): Promise<PoolObservation> => {
      const name = await peekOutput(locator.names[role]!);
      if (name === UNKNOWN || account === UNKNOWN || group === UNKNOWN) {
        return { role, ...(name === UNKNOWN ? {} : { name }), live: "unknown" };
      }
      return { role, name, live: await readPool(account, name, group, parent) };
    }),
  );
}
