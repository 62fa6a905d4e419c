/**
 * The changes per NSG and route table, merged across the pools each serves: every change any
 * pool's advice asks for, kept only if every pool the NSG or table serves keeps every flow
 * (judged again with the changes kept before it), and only as a change Azure accepts. Two pools
 * of different modes behind one broad Deny each ask for a rule at "the free priority where it
 * decides first", which is the same priority for both: the second is moved to another free
 * priority where it still gives its pool the flow, or renamed when its name is taken, and the
 * NSG the kept changes leave is checked as Azure checks one (names unique, priorities unique per
 * direction, within 100-4096).
 */
import { AnalysisInput, networkOutcomes } from "../analyze/analyze";
import type { Outcome } from "../analyze/evaluate";
import type { Advice } from "../analyze/advice";
import { addsOnlyAnAllow, applyToNsg, applyToRouteTable, NetworkChange } from "../analyze/changes";
import { rank } from "../analyze/judge";
import type { NetworkSecurityGroup, RouteTable } from "../analyze/network";
import { ruleSetProblems } from "../analyze/parse";
import type { Analysis } from "../analyze/analyze";
import { idKey, Inventory } from "./inventory";

/** What the merge needs of a judged pool. */
export interface MergeablePool {
  /** As reports name it (its account and its name). */
  readonly name: string;
  /** Its resource ID. */
  readonly id: string;
  readonly subnetId?: string;
  readonly analysis?: Analysis;
  /** What its analysis was made of, to judge changes for it again. */
  readonly input?: AnalysisInput;
}

/** The changes one NSG or route table needs, safe for every pool it serves. */
export interface MergedChanges {
  /** `nsg` or `route-table`. */
  readonly kind: "nsg" | "route-table";
  readonly name: string;
  readonly id: string;
  readonly resourceGroup?: string;
  /** The pools it serves, as reports name them (`account/pool`). */
  readonly pools: readonly string[];
  /** Their resource IDs. */
  readonly poolIds: readonly string[];
  readonly advice: readonly Advice[];
  /** Changes some pool's advice asked for that would cost another pool sharing it a flow. */
  readonly withheld: readonly { readonly advice: Advice; readonly wouldBreak: string }[];
}

/** The input of a pool's analysis with `changes` made to its NSG and route table. */
function changedInput(input: AnalysisInput, changes: readonly NetworkChange[]): AnalysisInput {
  return {
    ...input,
    ...(input.subnetNsg ? { subnetNsg: changes.reduce(applyToNsg, input.subnetNsg) } : {}),
    ...(input.routeTable
      ? { routeTable: changes.reduce(applyToRouteTable, input.routeTable) }
      : {}),
  };
}

const noWorse = (after: readonly Outcome[], before: readonly Outcome[]) =>
  after.every((o, i) => rank(o) <= rank(before[i]));

/** Most other priorities tried for a rule whose own is taken. */
const PRIORITY_TRIES = 64;
const MIN_PRIORITY = 100;
const MAX_PRIORITY = 4096;

/** Free priorities of a direction, nearest to `wanted` first, those in front of it first. */
function freePriorities(nsg: NetworkSecurityGroup, direction: string, wanted: number): number[] {
  const taken = new Set(nsg.rules.filter((r) => r.direction === direction).map((r) => r.priority));
  const free: number[] = [];
  for (let d = 1; free.length < PRIORITY_TRIES && d <= MAX_PRIORITY; d++) {
    for (const p of [wanted - d, wanted + d])
      if (p >= MIN_PRIORITY && p <= MAX_PRIORITY && !taken.has(p)) free.push(p);
  }
  return free.slice(0, PRIORITY_TRIES);
}

/** A name not yet in the NSG: the rule's own, else with a number after it. */
function freeName(nsg: NetworkSecurityGroup, name: string): string {
  const taken = new Set(nsg.rules.map((r) => r.name.toLowerCase()));
  if (!taken.has(name.toLowerCase())) return name;
  for (let n = 2; ; n++) if (!taken.has(`${name}${n}`.toLowerCase())) return `${name}${n}`;
}

/** Why a route table the changes leave would be refused by Azure, if it would. */
function routeTableProblem(table: RouteTable): string | undefined {
  const names = new Set<string>();
  const prefixes = new Set<string>();
  for (const route of table.routes) {
    const name = (route.name ?? "").toLowerCase();
    if (names.has(name)) return `two routes named ${route.name}`;
    if (prefixes.has(route.addressPrefix.toLowerCase()))
      return `two routes for ${route.addressPrefix}`;
    names.add(name);
    prefixes.add(route.addressPrefix.toLowerCase());
  }
  return undefined;
}

class Merge {
  readonly kept: NetworkChange[] = [];
  readonly advice: Advice[] = [];
  readonly withheld: Array<{ advice: Advice; wouldBreak: string }> = [];
  /** One judgement per distinct analysis among the pools: its outcomes before any change. */
  private distinct: Array<[readonly Outcome[], MergeablePool]> | undefined;

  constructor(
    private readonly nsg: NetworkSecurityGroup | undefined,
    private readonly table: RouteTable | undefined,
    private readonly pools: readonly MergeablePool[],
  ) {}

  /** The pool the changes would cost a flow, if one. */
  private breaks(changes: readonly NetworkChange[]): MergeablePool | undefined {
    // Judged on first need: most NSGs of a fleet need no change, and so no judging again.
    this.distinct ??= [...new Map(this.pools.map((p) => [p.analysis!, p])).values()].map((p) => [
      networkOutcomes(p.input!),
      p,
    ]);
    return this.distinct.find(
      ([before, p]) => !noWorse(networkOutcomes(changedInput(p.input!, changes)), before),
    )?.[1];
  }

  /**
   * The change as Azure would take it beside those kept: an added rule whose priority or name
   * is taken moves to the nearest free priority where it still gives `asker` what the advice
   * alone would, or takes a free name. Undefined when no such place exists.
   */
  private placed(change: NetworkChange, asker: MergeablePool): NetworkChange | undefined {
    if (change.action !== "add-rule" || !this.nsg) return change;
    const now = this.kept.reduce(applyToNsg, this.nsg);
    const spec = change.with;
    const name = freeName(now, spec.name);
    const priorityTaken = now.rules.some(
      (r) => r.direction === spec.direction && r.priority === spec.priority,
    );
    if (!priorityTaken && name === spec.name) return change;
    const goal = networkOutcomes(changedInput(asker.input!, [change]));
    const candidates = priorityTaken
      ? freePriorities(now, spec.direction, spec.priority)
      : [spec.priority];
    for (const priority of candidates) {
      const moved: NetworkChange = { ...change, with: { ...spec, name, priority } };
      const after = networkOutcomes(changedInput(asker.input!, [...this.kept, moved]));
      if (noWorse(after, goal)) return moved;
    }
    return undefined;
  }

  /** Whether the resource the kept changes and `change` leave is one Azure accepts. */
  private valid(change: NetworkChange): boolean {
    if (change.action === "add-route")
      return (
        !this.table ||
        !routeTableProblem([...this.kept, change].reduce(applyToRouteTable, this.table)!)
      );
    if (!this.nsg) return true;
    const after = [...this.kept, change].reduce(applyToNsg, this.nsg);
    return ruleSetProblems(after.rules.filter((r) => !r.isDefault)).length === 0;
  }

  take(advice: Advice, asker: MergeablePool): void {
    const change = this.placed(advice.change!, asker);
    if (!change || !this.valid(change)) {
      // No place Azure accepts beside the other changes: what to do by hand, not a command.
      const { change: _unplaced, ...rest } = advice;
      this.advice.push({
        ...rest,
        message: `${advice.message} Beside the other pools' changes no free priority gives it: reorder the rules so that an Allow for it comes first.`,
      });
      return;
    }
    // Every change kept so far costs no pool a flow; an added Allow beside them cannot either.
    const breaks = addsOnlyAnAllow(change) ? undefined : this.breaks([...this.kept, change]);
    if (breaks) {
      // A rule another pool still needs is no leftover for this NSG: nothing to say of it.
      if (advice.kind !== "not-needed") this.withheld.push({ advice, wouldBreak: breaks.name });
      return;
    }
    this.kept.push(change);
    this.advice.push(change === advice.change ? advice : moved(advice, change));
  }
}

/** The advice for a change the merge moved: its message says where the rule goes now. */
function moved(advice: Advice, change: NetworkChange): Advice {
  if (change.action !== "add-rule" || advice.change?.action !== "add-rule")
    return { ...advice, change };
  const was = advice.change.with;
  const now = change.with;
  return {
    ...advice,
    rule: now.name,
    change,
    message: `${advice.message} Merged with the other pools' changes: ${now.name} at priority ${now.priority}${now.priority !== was.priority ? ` (${was.priority} is taken by another change)` : ""}.`,
  };
}

/** The NSGs and route tables the pools' subnets have, with the pools each serves. */
function groupsOf(inventory: Inventory, pools: readonly MergeablePool[]) {
  const groups = new Map<
    string,
    { kind: "nsg" | "route-table"; id: string; pools: MergeablePool[] }
  >();
  for (const pool of pools) {
    if (!pool.input || !pool.subnetId) continue;
    const subnet = inventory.subnets.get(idKey(pool.subnetId));
    for (const [kind, id] of [
      ["nsg", subnet?.nsgId],
      ["route-table", subnet?.routeTableId],
    ] as const) {
      if (!id) continue;
      const key = `${kind}|${idKey(id)}`;
      const group = groups.get(key) ?? { kind, id, pools: [] };
      group.pools.push(pool);
      groups.set(key, group);
    }
  }
  return groups.values();
}

/**
 * The changes per NSG and route table: every change any pool's advice asks for, kept only if
 * every pool the NSG or table serves keeps every flow and the result is one Azure accepts; and,
 * once each, the advice that changes nothing here but says what must (reorder the rules, ask
 * the network manager's owner).
 */
export function mergeChanges(
  inventory: Inventory,
  pools: readonly MergeablePool[],
): MergedChanges[] {
  const merged: MergedChanges[] = [];
  for (const { kind, id, pools: served } of groupsOf(inventory, pools)) {
    const nsg = kind === "nsg" ? inventory.nsgs.get(idKey(id)) : undefined;
    const table = kind === "route-table" ? inventory.routeTables.get(idKey(id)) : undefined;
    const resource = nsg ?? table;
    if (!resource) continue;
    const wanted = new Map<string, [Advice, MergeablePool]>();
    const remarks = new Map<string, Advice>();
    // The flows some pool here needs: a rule for one of them is nobody's leftover.
    const needed = new Set(served.flatMap((p) => p.analysis?.flows.map((f) => f.flow.id) ?? []));
    for (const pool of served) {
      for (const a of pool.analysis?.advice ?? []) {
        if (a.change?.action === "attach-nat-gateway") continue; // the subnet's, not this
        if (a.kind === "not-needed" && a.flow && needed.has(a.flow)) continue;
        if (!a.change) {
          // Advice to act by hand on this NSG (reorder its rules): once, whichever pool asks.
          if (kind === "nsg" && a.kind === "add-rule" && a.nsg === resource.name)
            remarks.set(a.message, a);
          continue;
        }
        const about = a.change.action === "add-route" ? a.change.routeTable : a.change.nsg;
        const right = (kind === "route-table") === (a.change.action === "add-route");
        if (!right || about !== resource.name) continue;
        const key =
          a.change.action === "add-rule" ? `add|${a.change.with.name}` : JSON.stringify(a.change);
        if (!wanted.has(key)) wanted.set(key, [a, pool]);
      }
    }
    const merge = new Merge(nsg, table, served);
    for (const [advice, asker] of wanted.values()) merge.take(advice, asker);
    const advice = [...merge.advice, ...remarks.values()];
    if (advice.length === 0 && merge.withheld.length === 0) continue;
    merged.push({
      kind,
      name: resource.name,
      id,
      ...(resource.resourceGroup ? { resourceGroup: resource.resourceGroup } : {}),
      pools: [...new Set(served.map((p) => p.name))],
      poolIds: [...new Set(served.map((p) => p.id))],
      advice,
      withheld: merge.withheld,
    });
  }
  return merged;
}
