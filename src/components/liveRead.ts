/**
 * The migration's live read: every pool of the migration read through `batch.getPool` before
 * the run changes anything, so that its decisions rest on what Azure reports, not on state.
 */
import * as pulumi from "@pulumi/pulumi";
import * as batch from "@pulumi/azure-native/batch";
import {
  BatchApiVersion,
  findCommunicationMode,
  isNodeMode,
  LivePool,
  PoolObservation,
  PoolRole,
} from "../model";
import { isPoolNotFound } from "./azureErrors";
import { getPoolAt20250601, GetPoolResult20250601 } from "./build/batchAt20250601";
import { peekOutput, UNKNOWN } from "./outputs";

const MISSING: LivePool = { exists: false, nodes: 0, steady: true };

type PoolRead = GetPoolResult20250601 & Partial<batch.GetPoolResult>;

function livePool(read: PoolRead, modes: Partial<batch.GetPoolResult> = read): LivePool {
  const current = findCommunicationMode(modes.currentNodeCommunicationMode);
  const fixed = read.scaleSettings?.fixedScale;
  return {
    exists: true,
    target: findCommunicationMode(modes.targetNodeCommunicationMode),
    current: isNodeMode(current) ? current : undefined,
    nodes: (read.currentDedicatedNodes ?? 0) + (read.currentLowPriorityNodes ?? 0),
    targetNodes: fixed
      ? (fixed.targetDedicatedNodes ?? 0) + (fixed.targetLowPriorityNodes ?? 0)
      : undefined,
    steady: read.allocationState === "Steady",
  };
}

/** Where a pool is and the API version it is declared at. */
export interface PoolAddress {
  readonly accountName: string;
  readonly poolName: string;
  readonly resourceGroupName: string;
  readonly apiVersion: BatchApiVersion;
}

/**
 * Reads a pool live at its API version. At 2025-06-01 the read has no mode properties, so the
 * mode is read at 2024-07-01 beside it while Azure still answers that version (afterwards the
 * mode is unreported and the gate asks for confirmedLiveMode). Only Azure's not-found for the
 * pool itself means it does not exist; any other failure fails the run with Azure's message.
 */
export async function readPool(at: PoolAddress, parent: pulumi.Resource): Promise<LivePool> {
  const args = {
    accountName: at.accountName,
    poolName: at.poolName,
    resourceGroupName: at.resourceGroupName,
  };
  try {
    if (at.apiVersion === BatchApiVersion.V2024_07_01) {
      return livePool(await batch.getPool(args, { parent }));
    }
    const read = await getPoolAt20250601(args, { parent });
    const modes = await batch.getPool(args, { parent }).catch(() => ({}));
    return livePool(read, modes);
  } catch (error) {
    if (isPoolNotFound(error)) return MISSING;
    throw error;
  }
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
  apiVersion: BatchApiVersion,
): Promise<PoolObservation[]> {
  const account = await peekOutput(locator.accountName);
  const group = await peekOutput(locator.resourceGroupName);
  return Promise.all(
    roles.map(async (role): Promise<PoolObservation> => {
      const name = await peekOutput(locator.names[role]!);
      if (name === UNKNOWN || account === UNKNOWN || group === UNKNOWN) {
        return { role, ...(name === UNKNOWN ? {} : { name }), live: "unknown" };
      }
      const at = { accountName: account, poolName: name, resourceGroupName: group, apiVersion };
      return { role, name, live: await readPool(at, parent) };
    }),
  );
}
