/**
 * What an operator reads first of a fleet's audit: how many pools are broken, at risk and ok in
 * each subscription and region; the NSGs behind the most broken pools; the changes that fix the
 * most pools; and each missing export once, with the pools waiting on it. Pure: it ranks what
 * the audit found.
 */
import type { Advice } from "../analyze/advice";
import { subscriptionOfResourceId } from "../ids";
import type { MergedChanges } from "./merge";

/** What the overview needs of each pool's audit. */
export interface OverviewPool {
  readonly pool: string;
  readonly poolId: string;
  readonly account: string;
  readonly subscription?: string;
  readonly region?: string;
  readonly nsg?: string;
  readonly subnetId?: string;
  readonly status: "ok" | "at-risk" | "broken" | "no-vnet";
  readonly blockedFlows: readonly string[];
  readonly missing: readonly {
    readonly what: string;
    readonly id: string;
    readonly command: string;
  }[];
}

export interface StatusTally {
  readonly broken: number;
  readonly atRisk: number;
  readonly ok: number;
  readonly noVnet: number;
}

export interface FleetOverview {
  readonly pools: StatusTally & { readonly total: number };
  readonly accounts: number;
  readonly subscriptions: number;
  /** Per subscription and region, worst first. */
  readonly bySubscriptionRegion: readonly (StatusTally & {
    readonly subscription: string;
    readonly region: string;
  })[];
  /** The NSGs with the most broken pools (then at risk), at most {@link TOP}. */
  readonly worstNsgs: readonly {
    readonly nsg: string;
    readonly id: string;
    readonly subscription?: string;
    readonly broken: number;
    readonly atRisk: number;
    readonly pools: number;
  }[];
  /** The changes whose flow is blocked for the most pools, at most {@link TOP}. */
  readonly topChanges: readonly {
    readonly kind: MergedChanges["kind"];
    readonly resource: string;
    readonly id: string;
    readonly advice: Advice;
    /** Pools of the NSG or route table with the change's flow blocked. */
    readonly fixes: number;
  }[];
  /** Each missing export once, with how many pools wait on it and the first few by name. */
  readonly undecided: readonly {
    readonly what: string;
    readonly id: string;
    readonly command: string;
    readonly pools: number;
    readonly examples: readonly string[];
  }[];
}

/** How many NSGs and changes the overview ranks. */
export const TOP = 10;
const EXAMPLES = 3;

const empty = (): { broken: number; atRisk: number; ok: number; noVnet: number } => ({
  broken: 0,
  atRisk: 0,
  ok: 0,
  noVnet: 0,
});

function count(tally: ReturnType<typeof empty>, status: OverviewPool["status"]): void {
  if (status === "broken") tally.broken++;
  else if (status === "at-risk") tally.atRisk++;
  else if (status === "ok") tally.ok++;
  else tally.noVnet++;
}

const worstFirst = (a: StatusTally, b: StatusTally) => b.broken - a.broken || b.atRisk - a.atRisk;
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A pool as the reports name it: its account and its own name. */
export function poolLabel(pool: { readonly account: string; readonly pool: string }): string {
  return `${pool.account}/${pool.pool}`;
}

/** The overview of a fleet's audit. */
export function fleetOverview(
  pools: readonly OverviewPool[],
  changes: readonly MergedChanges[],
): FleetOverview {
  const total = { ...empty(), total: pools.length };
  const cells = new Map<
    string,
    ReturnType<typeof empty> & { subscription: string; region: string }
  >();
  const nsgs = new Map<
    string,
    ReturnType<typeof empty> & { nsg: string; id: string; pools: number }
  >();
  const missing = new Map<string, { what: string; id: string; command: string; names: string[] }>();
  const poolsById = new Map<string, OverviewPool>();
  for (const pool of pools) {
    count(total, pool.status);
    const subscription = pool.subscription ?? "(unknown)";
    const region = pool.region ?? "(unknown)";
    const cellKey = `${subscription}\u0000${region}`;
    const cell = cells.get(cellKey) ?? { ...empty(), subscription, region };
    count(cell, pool.status);
    cells.set(cellKey, cell);
    // Grouped by the export that would settle it: two subnets of one missing VNet are one.
    for (const m of pool.missing) {
      const key = m.command.toLowerCase();
      const entry = missing.get(key) ?? { ...m, names: [] };
      entry.names.push(poolLabel(pool));
      missing.set(key, entry);
    }
    poolsById.set(pool.poolId.toLowerCase(), pool);
  }
  const servedBy = (c: MergedChanges) =>
    c.poolIds.flatMap((id) => poolsById.get(id.toLowerCase()) ?? []);
  for (const c of changes) {
    if (c.kind !== "nsg") continue;
    const served = servedBy(c);
    const tally = { ...empty(), nsg: c.name, id: c.id, pools: served.length };
    for (const p of served) count(tally, p.status);
    nsgs.set(c.id.toLowerCase(), tally);
  }
  const topChanges = changes
    .flatMap((c) => {
      const served = servedBy(c);
      return c.advice
        .filter((a) => a.change !== undefined && a.flow !== undefined)
        .map((advice) => ({
          kind: c.kind,
          resource: c.name,
          id: c.id,
          advice,
          fixes: served.filter((p) => p.blockedFlows.includes(advice.flow!)).length,
        }));
    })
    .filter((c) => c.fixes > 0)
    .sort((a, b) => b.fixes - a.fixes || byName(a.resource, b.resource))
    .slice(0, TOP);
  return {
    pools: total,
    accounts: new Set(pools.map((p) => `${p.subscription ?? ""}/${p.account}`)).size,
    subscriptions: new Set(pools.map((p) => p.subscription ?? "")).size,
    bySubscriptionRegion: [...cells.values()].sort(
      (a, b) =>
        worstFirst(a, b) || byName(a.subscription, b.subscription) || byName(a.region, b.region),
    ),
    worstNsgs: [...nsgs.values()]
      .filter((n) => n.broken + n.atRisk > 0)
      .sort((a, b) => worstFirst(a, b) || byName(a.nsg, b.nsg))
      .slice(0, TOP)
      .map((n) => {
        const subscription = subscriptionOfResourceId(n.id);
        return {
          nsg: n.nsg,
          id: n.id,
          ...(subscription ? { subscription } : {}),
          broken: n.broken,
          atRisk: n.atRisk,
          pools: n.pools,
        };
      }),
    topChanges,
    undecided: [...missing.values()]
      .sort((a, b) => b.names.length - a.names.length || byName(a.id, b.id))
      .map((m) => ({
        what: m.what,
        id: m.id,
        command: m.command,
        pools: m.names.length,
        examples: m.names.slice(0, EXAMPLES),
      })),
  };
}
