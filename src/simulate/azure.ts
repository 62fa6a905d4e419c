/**
 * A small simulation of how Azure Batch applies a pool's node communication mode, for tests and
 * for the offline `plan` command. It is a model of documented behaviour, not Azure:
 *
 * - `targetNodeCommunicationMode` is a preference. A pool's current mode changes only after its
 *   target changed and the pool went to zero nodes and back out
 *   (learn.microsoft.com/azure/batch/simplified-compute-node-communication); the mode is taken
 *   when the first node joins again. Until then a drained pool reports its last mode.
 * - Two Azure behaviours, chosen per simulation (and changeable, as the date passes):
 *   `retired` (Azure as it is since 31 March 2026: a Classic target is not honoured, nodes join
 *   in Simplified) and `honoured` (before it: Classic is honoured). `Default` is Simplified on
 *   VNet pools in both (since 30 September 2024). Where a region offers no simplified mode,
 *   every pool runs Classic.
 * - A resize reaches its target after a delay (in ticks) that the caller chooses; then nodes
 *   join or leave all at once, or one a tick. An autoscale formula is taken to ask for one node.
 * - Reads at API 2025-06-01 carry no mode properties, and writes at that version leave the
 *   stored target as it is (the version has no such property). Reads can also drop the mode
 *   properties at every version, as Azure may once older versions retire.
 * - NSGs and route tables keep what was written to them, so tests can judge the flows they let
 *   through.
 *
 * The components never import this; tests and `plan` put it behind Pulumi's mocks.
 */
import {
  BatchApiVersion,
  CommunicationMode,
  findCommunicationMode,
  findRegion,
  NodeMode,
} from "../model";

/** How Azure treats a Classic target. */
export type ClassicBehaviour = "retired" | "honoured";

/** One simulated pool. */
export interface SimulatedPool {
  readonly accountName: string;
  readonly poolName: string;
  readonly region: string;
  /** The target as last written at a version that has the property (omitted = Default). */
  target: CommunicationMode;
  current: NodeMode;
  /** Nodes the pool has now. */
  nodes: number;
  /** Nodes the pool is resizing to. */
  targetNodes: number;
  /** Ticks left until the resize starts moving nodes. */
  resizeTicksLeft: number;
  /** The pool has been at zero nodes since its target last changed. */
  drainedSinceTargetChange: boolean;
  /** The target changed and the pool has not yet been through zero and back out. */
  targetChangePending: boolean;
  /** On an autoscale formula (whose result is not simulated) rather than fixed scale. */
  autoscale: boolean;
  /** The API version the pool was last written at. */
  apiVersion: BatchApiVersion;
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
  /** How Azure treats a Classic target. Default `retired` (Azure since 31 March 2026). */
  readonly classic?: ClassicBehaviour;
  /** Live reads leave out the mode properties at every API version. */
  readonly dropModeProperties?: boolean;
  /** Ticks a resize waits before nodes move, asked once per resize. Default: 0. */
  readonly resizeDelay?: (pool: SimulatedPool) => number;
  /** Nodes join and leave one a tick, instead of all at once when the delay is over. */
  readonly oneNodePerTick?: boolean;
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

/** The mode a node joining a pool with this target takes, in a region, under a behaviour. */
export function honouredMode(
  target: CommunicationMode,
  region: string,
  classic: ClassicBehaviour = "retired",
): NodeMode {
  const simplifiedAvailable = findRegion(region)?.simplifiedAvailable ?? true;
  if (!simplifiedAvailable) return CommunicationMode.Classic;
  if (target === CommunicationMode.Classic && classic === "honoured")
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
  | { readonly kind: "routes-written" | "route-deleted"; readonly table: string }
  | { readonly kind: "subnet-written"; readonly subnet: string }
  | { readonly kind: "time-passed" };

/** What a subnet's way out depends on, as Azure was last told. */
export interface SimulatedSubnet {
  readonly addressPrefix: string;
  /** `false`: private; absent: Azure's implicit default outbound access. */
  readonly defaultOutboundAccess?: boolean;
  readonly natGatewayId?: string;
}

/** A rule or route as written: its name and the fields Azure received. */
export type Written = { readonly name: string } & Record<string, unknown>;

export class AzureSimulation {
  private readonly pools = new Map<string, SimulatedPool>();
  /** The security rules each NSG carries, by NSG name, then rule name. */
  private readonly nsgRules = new Map<string, Map<string, Written>>();
  /** The routes each route table carries, by table name, then route name. */
  private readonly routeTables = new Map<string, Map<string, Written>>();
  /** What decides each subnet's way out, as written: private or not, its NAT gateway. */
  private readonly subnets = new Map<string, SimulatedSubnet>();
  private readonly listeners: Array<(event: AzureEvent) => void> = [];
  private classic: ClassicBehaviour;

  constructor(private readonly options: SimulationOptions = {}) {
    this.classic = options.classic ?? "retired";
  }

  /** How Azure treats a Classic target now. */
  get classicBehaviour(): ClassicBehaviour {
    return this.classic;
  }

  /** Azure changes how it treats a Classic target (the retirement date passes, say). */
  setClassicBehaviour(behaviour: ClassicBehaviour): void {
    this.classic = behaviour;
  }

  /**
   * A copy of this Azure as it is now (pools, NSG rules, routes), with the same options (or
   * some changed) and no listeners: a test can settle a history once and try several futures.
   */
  fork(changes: SimulationOptions = {}): AzureSimulation {
    const copy = new AzureSimulation({ ...this.options, classic: this.classic, ...changes });
    for (const [key, pool] of this.pools) copy.pools.set(key, { ...pool });
    for (const [nsg, rules] of this.nsgRules) copy.nsgRules.set(nsg, new Map(rules));
    for (const [table, routes] of this.routeTables) copy.routeTables.set(table, new Map(routes));
    for (const [name, subnet] of this.subnets) copy.subnets.set(name, { ...subnet });
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
  writeNsgRules(nsg: string, rules: readonly Written[]): void {
    this.nsgRules.set(nsg, new Map(rules.map((r) => [r.name, r])));
    this.emit({ kind: "rules-written", nsg });
  }

  /** Adds or updates one standalone rule of an NSG. */
  writeNsgRule(nsg: string, rule: Written): void {
    const rules = this.nsgRules.get(nsg) ?? new Map<string, Written>();
    rules.set(rule.name, rule);
    this.nsgRules.set(nsg, rules);
    this.emit({ kind: "rules-written", nsg, rule: rule.name });
  }

  deleteNsgRule(nsg: string, ruleName: string): void {
    this.nsgRules.get(nsg)?.delete(ruleName);
    this.emit({ kind: "rule-deleted", nsg, rule: ruleName });
  }

  /** The rule names of every NSG. */
  listNsgRules(): ReadonlyMap<string, ReadonlySet<string>> {
    return new Map([...this.nsgRules].map(([nsg, rules]) => [nsg, new Set(rules.keys())]));
  }

  /** The rules of every NSG, as written. */
  nsgContents(): ReadonlyMap<string, readonly Written[]> {
    return new Map([...this.nsgRules].map(([nsg, rules]) => [nsg, [...rules.values()]]));
  }

  /** Replaces the routes of a route table (a table with inline routes was written). */
  writeRoutes(table: string, routes: readonly Written[]): void {
    this.routeTables.set(table, new Map(routes.map((r) => [r.name, r])));
    this.emit({ kind: "routes-written", table });
  }

  /** Adds or updates one standalone route of a route table. */
  writeRoute(table: string, route: Written): void {
    const routes = this.routeTables.get(table) ?? new Map<string, Written>();
    routes.set(route.name, route);
    this.routeTables.set(table, routes);
    this.emit({ kind: "routes-written", table });
  }

  deleteRoute(table: string, routeName: string): void {
    this.routeTables.get(table)?.delete(routeName);
    this.emit({ kind: "route-deleted", table });
  }

  /** A subnet as written: whether it is private, and the NAT gateway it has. */
  writeSubnet(name: string, subnet: SimulatedSubnet): void {
    this.subnets.set(name, { ...subnet });
    this.emit({ kind: "subnet-written", subnet: name });
  }

  /** Every subnet, as written. */
  subnetContents(): ReadonlyMap<string, SimulatedSubnet> {
    return new Map(this.subnets);
  }

  /** The routes of every route table, as written. */
  routeTableContents(): ReadonlyMap<string, readonly Written[]> {
    return new Map([...this.routeTables].map(([t, routes]) => [t, [...routes.values()]]));
  }

  /** Every pool that exists, in creation order. */
  listPools(): SimulatedPool[] {
    return [...this.pools.values()];
  }

  getPool(accountName: string, poolName: string): SimulatedPool | undefined {
    return this.pools.get(AzureSimulation.key(accountName, poolName));
  }

  /** The mode the next node joining `pool` takes, as Azure behaves now. */
  joiningMode(pool: SimulatedPool): NodeMode {
    return honouredMode(pool.target, pool.region, this.classic);
  }

  /** Creates or updates a pool as a PUT/PATCH with these arguments would, at an API version. */
  writePool(
    accountName: string,
    poolName: string,
    region: string,
    write: PoolWrite,
    apiVersion: BatchApiVersion = BatchApiVersion.V2024_07_01,
  ): SimulatedPool {
    const existing = this.getPool(accountName, poolName);
    // At 2025-06-01 the property does not exist: the stored target stays as it was.
    const target =
      apiVersion === BatchApiVersion.V2025_06_01
        ? (existing?.target ?? CommunicationMode.Default)
        : (findCommunicationMode(write.targetNodeCommunicationMode ?? "Default") ??
          CommunicationMode.Default);
    const wanted = targetNodesOf(write);
    if (!existing) {
      const pool: SimulatedPool = {
        accountName,
        poolName,
        region,
        target,
        current: honouredMode(target, region, this.classic),
        nodes: 0,
        targetNodes: wanted,
        resizeTicksLeft: 0,
        drainedSinceTargetChange: false,
        targetChangePending: false,
        autoscale: write.scaleSettings?.autoScale !== undefined,
        apiVersion,
      };
      pool.resizeTicksLeft = this.options.resizeDelay?.(pool) ?? 0;
      this.pools.set(AzureSimulation.key(accountName, poolName), pool);
      this.settle(pool);
      this.emit({ kind: "pool-written", pool: poolName });
      return pool;
    }
    existing.apiVersion = apiVersion;
    if (existing.target !== target) {
      existing.target = target;
      existing.targetChangePending = true;
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
        else if (this.options.oneNodePerTick) this.step(pool);
        this.settle(pool);
      }
      this.emit({ kind: "time-passed" });
    }
  }

  /** Nodes move towards the target: all at once, or (oneNodePerTick) one at a time in `advance`. */
  private settle(pool: SimulatedPool): void {
    if (pool.resizeTicksLeft > 0 || pool.nodes === pool.targetNodes) return;
    if (this.options.oneNodePerTick && pool.nodes !== 0 && pool.targetNodes !== 0) return;
    if (this.options.oneNodePerTick) {
      this.step(pool);
      return;
    }
    this.move(pool, pool.targetNodes);
  }

  private step(pool: SimulatedPool): void {
    if (pool.nodes === pool.targetNodes) return;
    this.move(pool, pool.nodes + (pool.targetNodes > pool.nodes ? 1 : -1));
  }

  /** Sets the node count, applying a pending target when the first node joins after a drain. */
  private move(pool: SimulatedPool, nodes: number): void {
    const from = pool.nodes;
    pool.nodes = nodes;
    if (pool.targetChangePending && pool.nodes === 0) pool.drainedSinceTargetChange = true;
    if (
      from === 0 &&
      pool.nodes > 0 &&
      (pool.drainedSinceTargetChange || !pool.targetChangePending)
    ) {
      // Nodes joining an empty pool take the mode its target gets from Azure now.
      pool.current = this.joiningMode(pool);
      pool.targetChangePending = false;
      pool.drainedSinceTargetChange = false;
    }
  }

  /** A live read of the pool, as `batch.getPool` returns it at a version; undefined when absent. */
  readPool(
    accountName: string,
    poolName: string,
    resourceGroupName: string,
    apiVersion: BatchApiVersion = BatchApiVersion.V2024_07_01,
  ): LivePoolRead | undefined {
    const pool = this.getPool(accountName, poolName);
    if (!pool) return undefined;
    const modes =
      this.options.dropModeProperties || apiVersion === BatchApiVersion.V2025_06_01
        ? {}
        : { targetNodeCommunicationMode: pool.target, currentNodeCommunicationMode: pool.current };
    return {
      name: pool.poolName,
      id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${resourceGroupName}/providers/Microsoft.Batch/batchAccounts/${accountName}/pools/${pool.poolName}`,
      ...modes,
      currentDedicatedNodes: pool.nodes,
      currentLowPriorityNodes: 0,
      allocationState: pool.nodes === pool.targetNodes ? "Steady" : "Resizing",
      scaleSettings: pool.autoscale
        ? { autoScale: { formula: "(simulated)" } }
        : { fixedScale: { targetDedicatedNodes: pool.targetNodes, targetLowPriorityNodes: 0 } },
    };
  }
}
