/**
 * What every piece of advice is judged against: the network as it is, the flows the pools need
 * there, and the flows only modes they no longer use need. A change is advised only when the
 * same evaluator that gives `check` its verdicts finds that no needed flow fares worse after it.
 */
import type { Flow, FlowId } from "../../flows";
import type { NodeMode } from "../../modes";
import {
  applyToNsg,
  applyToOutbound,
  applyToRouteTable,
  NetworkChange,
  nsgRuleOf,
} from "../changes";
import type { Surroundings } from "../coverage";
import type { Outcome } from "../evaluate";
import type { NetworkSecurityGroup, NsgRule } from "../network";
import { firstCertainMatch, ruleMatches } from "../evaluate";
import { allProbes, chainOutcome, FlowVerdict, NetworkPath, pathOutcomes, rank } from "../judge";

export interface AdviceContext {
  readonly path: NetworkPath;
  /** Programmatic region name. */
  readonly region: string;
  readonly modes: readonly NodeMode[];
  /** The flows the modes or stage need, each with its verdict. */
  readonly verdicts: readonly FlowVerdict[];
  /** Flows only modes the pools no longer use need (classic's, once every pool is simplified). */
  readonly leftovers: readonly Flow[];
  readonly around: Surroundings;
  /** Whether the caller said how the account's private endpoints are reached. */
  readonly privateEndpointsKnown: boolean;
}

export type AdviceKind =
  | "not-needed"
  | "shadowed"
  | "never-matches"
  | "add-rule"
  | "add-route"
  | "too-open"
  | "udp-blocked"
  | "private-endpoint"
  | "outbound-path"
  | "admin-rule"
  | "endpoint-connection";

/** One piece of advice; `change`, when present, is what to do as data. */
export interface Advice {
  readonly kind: AdviceKind;
  /** The NSG (or, for a route, the route table) it is about. */
  readonly nsg: string;
  /** The rule (or route) it is about; for an addition, the new rule's name. */
  readonly rule: string;
  readonly message: string;
  /** The flow it is about, for advice about one flow (what to add, what is left over). */
  readonly flow?: FlowId;
  /** The change to make; checked to keep every needed flow as allowed as it is. */
  readonly change?: NetworkChange;
}

/** The path after `changes`, in order. */
export function applyChanges(path: NetworkPath, changes: readonly NetworkChange[]): NetworkPath {
  let { subnetNsg, nicNsg, routeTable, outbound } = path;
  for (const change of changes) {
    if (subnetNsg) subnetNsg = applyToNsg(subnetNsg, change);
    if (nicNsg) nicNsg = applyToNsg(nicNsg, change);
    routeTable = applyToRouteTable(routeTable, change);
    outbound = applyToOutbound(outbound, change);
  }
  // The layers no change touches (admin rules, endpoints, what was not given) stay as they are.
  const { subnetNsg: _s, nicNsg: _n, routeTable: _r, outbound: _o, ...rest } = path;
  return {
    ...rest,
    ...(subnetNsg ? { subnetNsg } : {}),
    ...(nicNsg ? { nicNsg } : {}),
    ...(routeTable ? { routeTable } : {}),
    ...(outbound ? { outbound } : {}),
  };
}

const BEFORE = new WeakMap<AdviceContext, Outcome[]>();

function outcomesBefore(ctx: AdviceContext): Outcome[] {
  let before = BEFORE.get(ctx);
  if (!before) {
    before = pathOutcomes(
      ctx.path,
      ctx.verdicts.map((v) => v.flow),
      ctx.around,
    );
    BEFORE.set(ctx, before);
  }
  return before;
}

/**
 * Whether the network after `changes` lets every needed flow through at least as well as now:
 * no packet shape or route of a needed flow goes from allowed to undecided or blocked, or from
 * undecided to blocked.
 */
export function keepsNeededFlows(ctx: AdviceContext, changes: readonly NetworkChange[]): boolean {
  return noWorse(ctx, applyChanges(ctx.path, changes), changedRules(ctx, changes));
}

/**
 * The rules, as they were and as they will be, that `changes` add, remove or alter; undefined
 * when a change is not to a rule (a route). A packet shape no such rule may match fares the
 * same after the changes, so only the shapes they may match need judging again.
 */
export function changedRules(
  ctx: AdviceContext,
  changes: readonly NetworkChange[],
): NsgRule[] | undefined {
  const rules: NsgRule[] = [];
  for (const change of changes) {
    if (change.action === "add-route" || change.action === "attach-nat-gateway") return undefined;
    if (change.action === "add-rule") {
      rules.push(nsgRuleOf(change.with));
      continue;
    }
    const nsg = nsgsOf(ctx.path).find((n) => n.name === change.nsg);
    const rule = nsg && ruleNamed(nsg, change.rule);
    if (!rule) return undefined;
    rules.push(rule);
    if (change.action === "replace-rule") rules.push(nsgRuleOf(change.with));
    // An edit only drops values: the rule as it was matches every shape the edit may change.
  }
  return rules;
}

/** Whether every needed flow fares on `path` at least as well as on the network as it is. */
export function noWorse(
  ctx: AdviceContext,
  path: NetworkPath,
  touchedBy?: readonly NsgRule[],
): boolean {
  if (touchedBy) return touchedShapesNoWorse(ctx, path, touchedBy);
  const before = outcomesBefore(ctx);
  const after = pathOutcomes(
    path,
    ctx.verdicts.map((v) => v.flow),
    ctx.around,
  );
  return after.every((o, i) => rank(o) <= rank(before[i]));
}

/** {@link noWorse} over the packet shapes `rules` may match, the only ones that can change. */
function touchedShapesNoWorse(
  ctx: AdviceContext,
  path: NetworkPath,
  rules: readonly NsgRule[],
): boolean {
  for (const { flow } of ctx.verdicts) {
    for (const probe of allProbes(flow)) {
      if (!rules.some((r) => ruleMatches(r, probe, ctx.around).kind !== "none")) continue;
      const before = chainOutcome(ctx.path, probe, ctx.around);
      const after = chainOutcome(path, probe, ctx.around);
      if (rank(after) > rank(before)) return false;
    }
  }
  return true;
}

/**
 * Whether removing or narrowing the rule a change names can change a needed flow's outcome on
 * `path`: only a rule that may match one of the flows' packet shapes, at or before the first
 * rule that certainly matches it, takes part in deciding it. A change to any other rule is safe
 * without judging the network again, which keeps advice on large NSGs linear.
 */
export function touchesNeededFlows(
  ctx: AdviceContext,
  change: NetworkChange,
  path: NetworkPath = ctx.path,
): boolean {
  if (change.action !== "remove-rule" && change.action !== "edit-rule") return true;
  const nsg = nsgsOf(path).find((n) => n.name === change.nsg);
  const rule = nsg && ruleNamed(nsg, change.rule);
  if (!nsg || !rule) return true;
  return ctx.verdicts.some(({ flow }) =>
    allProbes(flow).some((p) => {
      if (ruleMatches(rule, p, ctx.around).kind === "none") return false;
      const decider = firstCertainMatch(nsg, p, ctx.around);
      return !decider || rule.priority <= decider.priority;
    }),
  );
}

const BY_NAME = new WeakMap<NetworkSecurityGroup, Map<string, NsgRule>>();

/** A rule of `nsg` by name (indexed once per NSG). */
export function ruleNamed(nsg: NetworkSecurityGroup, name: string): NsgRule | undefined {
  let byName = BY_NAME.get(nsg);
  if (!byName) {
    byName = new Map(nsg.rules.map((r) => [r.name, r]));
    BY_NAME.set(nsg, byName);
  }
  return byName.get(name);
}

/** The NSGs of the path, each once. */
export function nsgsOf(path: NetworkPath) {
  return [path.subnetNsg, path.nicNsg].filter(
    (n, i, all): n is NonNullable<typeof n> => n !== undefined && all.indexOf(n) === i,
  );
}
