/**
 * A small simulation of how Azure Batch applies a pool's node communication mode, for tests and
 * for the offline `plan` command. It is a model of documented behaviour, not Azure:
 *
 * - `targetNodeCommunicationMode` is a preference. A pool's current mode changes only after its
 *   target changed and the pool went to zero nodes and back out
 *   (learn.microsoft.com/azure/batch/simplified-compute-node-communication).
 * - `Default` resolves to Simplified; a Simplified target is not honoured where simplified mode
 *   is unavailable (the pool stays or starts Classic).
 * - A resize reaches its target after a delay (in ticks) that the caller chooses; an autoscale
 *   formula is taken to ask for one node.
 * - Reads can drop the mode properties, as management API versions from 2025-06-01 do.
 *
 * The components never import this; tests and `plan` put it behind Pulumi's mocks.
 */
import { CommunicationMode, findCommunicationMode, findRegion, NodeMode } from "../model";

/** One simulated pool. */
export interface SimulatedPool {
  readonly accountName: string;
  readonly poolName: string;
  readonly region: string;
  /** The target as last written (undefined = omitted = Default). */
  target: CommunicationMode;
  current: NodeMode;
  /** Nodes the pool has now. */
  nodes: number;
  /** Nodes the pool is resizing to. */
  targetNodes: number;
  /** Ticks left until `nodes` reaches `targetNodes`. */
  resizeTicksLeft: number;
  /** The pool has been at zero nodes since its target last changed. */
  drainedSinceTargetChange: boolean;
  /** The target changed and the pool has not yet been through zero and back out. */
  targetChangePending: boolean;
  /** On an autoscale formula (whose result is not simulated) rather than fixed scale. */
  autoscale: boolean;
}

/** What a live read of a pool returns (the fields of `batch.getPool` this package reads). */
export interface LivePoolRead {
  readonly name: string;
  readonly id: string;
  readonly targetNodeCommunicationMode?: string;
  readonly currentNodeCommunicationMode?: string;
  readonly currentDedicatedNodes: number;
  readonly currentLowPriorityNodes: number;
  readonly allocationState: "Steady" | "Resizing";
  readonly scaleSettings: {
    readonly fixedScale?: {
      readonly targetDedicatedNodes: number;
      readonly targetLowPriorityNodes: number;
    };
    readonly autoScale?: { readonly formula: string };
  };
}

export interface SimulationOptions {
  /** Live reads leave out the mode properties (API versions from 2025-06-01). */
  readonly dropModeProperties?: boolean;
  /** Ticks a resize takes, asked once per resize. Default: 0 (immediate). */
  readonly resizeDelay?: (pool: SimulatedPool) => number;
}

/** The part of a pool's arguments the simulation reads. */
export interface PoolWrite {
  readonly targetNodeCommunicationMode?: string;
  readonly scaleSettings?: {
    readonly fixedScale?: {
      readonly targetDedicatedNodes?: number;
      readonly targetLowPriorityNodes?: number;
    };
    readonly autoScale?: { readonly formula?: string };
  };
}

const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
const AUTOSCALE_NODES = 1;

/** The mode Azure runs a pool in for a target, in a region. */
export function honouredMode(target: CommunicationMode, region: string): NodeMode {
  const simplifiedAvailable = findRegion(region)?.simplifiedAvailable ?? true;
  if (target === CommunicationMode.Classic || !simplifiedAvailable)
    return CommunicationMode.Classic;
  return CommunicationMode.Simplified;
}

function targetNodesOf(write: PoolWrite): number {
  if (!write.scaleSettings) return 0;
  const fixed = write.scaleSettings.fixedScale;
  if (fixed) return (fixed.targetDedicatedNodes ?? 0) + (fixed.targetLowPriorityNodes ?? 0);
  // An autoscale formula is not evaluated: the simulation takes its result to be one node.
  return AUTOSCALE_NODES;
}

/** Something that changed in the simulated Azure, in the order it happened. */
export type AzureEvent =
  | { readonly kind: "pool-written" | "pool-deleted"; readonly pool: string }
  | {
      readonly kind: "rules-written" | "rule-deleted";
      readonly nsg: string;
      readonly rule?: string;
    }
  | { readonly kind: "time-passed" };

export class AzureSimulation {
  private readonly pools = new Map<string, SimulatedPool>();
  /** Names of the security rules each NSG carries, by NSG name. */
  private readonly nsgRules = new Map<string, Set<string>>();
  private readonly listeners: Array<(event: AzureEvent) => void> = [];

  constructor(private readonly options: SimulationOptions = {}) {}

  /**
   * A copy of this Azure as it is now (pools, NSG rules), with the same options and no
   * listeners: a test can settle a history once and try several futures from it.
   */
  fork(): AzureSimulation {
    const copy = new AzureSimulation(this.options);
    for (const [key, pool] of this.pools) copy.pools.set(key, { ...pool });
    for (const [nsg, rules] of this.nsgRules) copy.nsgRules.set(nsg, new Set(rules));
    return copy;
  }

  private static key(accountName: string, poolName: string): string {
    return `${accountName}/${poolName}`.toLowerCase();
  }

  /** Calls `listener` after every change (to check invariants at each intermediate state). */
  onChange(listener: (event: AzureEvent) => void): void {
    this.listeners.push(listener);
  }

  private emit(event: AzureEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Replaces the rules of an NSG (an NSG with inline rules was written). */
  writeNsgRules(nsg: string, ruleNames: readonly string[]): void {
    this.nsgRules.set(nsg, new Set(ruleNames));
    this.emit({ kind: "rules-written", nsg });
  }

  /** Adds or updates one standalone rule of an NSG. */
  writeNsgRule(nsg: string, ruleName: string): void {
    const rules = this.nsgRules.get(nsg) ?? new Set<string>();
    rules.add(ruleName);
    this.nsgRules.set(nsg, rules);
    this.emit({ kind: "rules-written", nsg, rule: ruleName });
  }

  deleteNsgRule(nsg: string, ruleName: string): void {
    this.nsgRules.get(nsg)?.delete(ruleName);
    this.emit({ kind: "rule-deleted", nsg, rule: ruleName });
  }

  /** The rule names of every NSG. */
  listNsgRules(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.nsgRules;
  }

  /** Every pool that exists, in creation order. */
  listPools(): SimulatedPool[] {
    return [...this.pools.values()];
  }

  getPool(accountName: string, poolName: string): SimulatedPool | undefined {
    return this.pools.get(AzureSimulation.key(accountName, poolName));
  }

  /** Creates or updates a pool as a PUT/PATCH with these arguments would. */
  writePool(
    accountName: string,
    poolName: string,
    region: string,
    write: PoolWrite,
  ): SimulatedPool {
    const target =
      findCommunicationMode(write.targetNodeCommunicationMode ?? "Default") ??
      CommunicationMode.Default;
    const wanted = targetNodesOf(write);
    const existing = this.getPool(accountName, poolName);
    if (!existing) {
      const pool: SimulatedPool = {
        accountName,
        poolName,
        region,
        target,
        current: honouredMode(target, region),
        nodes: 0,
        targetNodes: wanted,
        resizeTicksLeft: 0,
        drainedSinceTargetChange: false,
        targetChangePending: false,
        autoscale: write.scaleSettings?.autoScale !== undefined,
      };
      pool.resizeTicksLeft = this.options.resizeDelay?.(pool) ?? 0;
      this.pools.set(AzureSimulation.key(accountName, poolName), pool);
      this.settle(pool);
      this.emit({ kind: "pool-written", pool: poolName });
      return pool;
    }
    if (existing.target !== target) {
      existing.target = target;
      existing.targetChangePending = honouredMode(target, existing.region) !== existing.current;
      existing.drainedSinceTargetChange = existing.nodes === 0;
    }
    existing.autoscale = write.scaleSettings?.autoScale !== undefined;
    if (wanted !== existing.targetNodes) {
      existing.targetNodes = wanted;
      existing.resizeTicksLeft = this.options.resizeDelay?.(existing) ?? 0;
    }
    this.settle(existing);
    this.emit({ kind: "pool-written", pool: poolName });
    return existing;
  }

  deletePool(accountName: string, poolName: string): void {
    this.pools.delete(AzureSimulation.key(accountName, poolName));
    this.emit({ kind: "pool-deleted", pool: poolName });
  }

  /** Lets `ticks` units of time pass: resizes progress. */
  advance(ticks = 1): void {
    for (let i = 0; i < ticks; i++) {
      for (const pool of this.pools.values()) {
        if (pool.resizeTicksLeft > 0) pool.resizeTicksLeft--;
        this.settle(pool);
      }
      this.emit({ kind: "time-passed" });
    }
  }

  /** Finishes a resize whose delay has run out, applying a pending mode on the way back out. */
  private settle(pool: SimulatedPool): void {
    if (pool.resizeTicksLeft > 0 || pool.nodes === pool.targetNodes) return;
    const from = pool.nodes;
    pool.nodes = pool.targetNodes;
    if (pool.targetChangePending && pool.nodes === 0) pool.drainedSinceTargetChange = true;
    if (pool.targetChangePending && pool.drainedSinceTargetChange && from === 0 && pool.nodes > 0) {
      pool.current = honouredMode(pool.target, pool.region);
      pool.targetChangePending = false;
      pool.drainedSinceTargetChange = false;
    }
  }

  /** A live read of the pool, as `batch.getPool` returns it; undefined when it does not exist. */
  readPool(
    accountName: string,
    poolName: string,
    resourceGroupName: string,
  ): LivePoolRead | undefined {
    const pool = this.getPool(accountName, poolName);
    if (!pool) return undefined;
    return {
      name: pool.poolName,
      id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${resourceGroupName}/providers/Microsoft.Batch/batchAccounts/${accountName}/pools/${pool.poolName}`,
      ...(this.options.dropModeProperties
        ? {}
        : { targetNodeCommunicationMode: pool.target, currentNodeCommunicationMode: pool.current }),
      currentDedicatedNodes: pool.nodes,
      currentLowPriorityNodes: 0,
      allocationState: pool.nodes === pool.targetNodes ? "Steady" : "Resizing",
      scaleSettings: pool.autoscale
        ? { autoScale: { formula: "(simulated)" } }
        : { fixedScale: { targetDedicatedNodes: pool.targetNodes, targetLowPriorityNodes: 0 } },
    };
  }
}
