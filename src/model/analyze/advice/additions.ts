/**
 * What to add when a needed flow does not get through: the package's own rule for the flow at a
 * free priority above whatever stops it, a route sending the service tag to the Internet past
 * a forced tunnel, or, for simplified traffic, the private endpoint path. Every addition is
 * evaluated after it is made: it is advised only if the flow then passes that NSG or route.
 */
import { addressKind } from "../../addresses";
import type { Flow } from "../../flows";
import { ruleForFlow } from "../../rules";
import { MAX_PRIORITY, MIN_PRIORITY, SecurityRuleSpec } from "../../securityRule";
import { applyToNsg, applyToRouteTable, NetworkChange } from "../changes";
import { evaluateNsg, Probe, rulesInOrder } from "../evaluate";
import { evaluateRoute, FlowVerdict, NetworkPath, tcpProbes } from "../judge";
import type { NetworkSecurityGroup } from "../network";
import { routeFor } from "../routing";
import { Advice, AdviceContext, applyChanges, nsgsOf } from "./context";

function freeName(nsg: NetworkSecurityGroup, name: string): string {
  const taken = new Set(nsg.rules.map((r) => r.name.toLowerCase()));
  if (!taken.has(name.toLowerCase())) return name;
  for (let i = 2; ; i++) if (!taken.has(`${name}-${i}`.toLowerCase())) return `${name}-${i}`;
}

function highestFreeBelow(taken: ReadonlySet<number>, limit: number): number | undefined {
  for (let p = Math.min(limit - 1, MAX_PRIORITY); p >= MIN_PRIORITY; p--)
    if (!taken.has(p)) return p;
  return undefined;
}

/**
 * The flow's rule placed where it decides: its usual priority when that is free and above what
 * stops the flow, else the free priority closest above the rule that stops it.
 */
function placeRule(
  ctx: AdviceContext,
  nsg: NetworkSecurityGroup,
  flow: Flow,
  probes: readonly Probe[],
): SecurityRuleSpec | undefined {
  const usual = ruleForFlow(flow);
  const name = freeName(nsg, usual.name);
  const taken = new Set(rulesInOrder(nsg, flow.direction).map((r) => r.priority));
  let limit = MAX_PRIORITY + 1;
  // Each round moves above one more rule that stops the flow; NSGs hold at most 1,000 rules.
  for (let round = 0; round < 1000; round++) {
    const priority =
      usual.priority < limit && !taken.has(usual.priority)
        ? usual.priority
        : highestFreeBelow(taken, limit);
    if (priority === undefined) return undefined;
    const spec = { ...usual, name, priority };
    const after = applyToNsg(nsg, { action: "add-rule", nsg: nsg.name, with: spec });
    const stopped = probes
      .map((p) => evaluateNsg(after, p, ctx.around))
      .find((v) => v.outcome !== "allowed");
    if (!stopped) return spec;
    if (!stopped.rule || stopped.rule.name === name || stopped.rule.priority >= priority)
      return undefined;
    limit = stopped.rule.priority;
  }
  return undefined;
}

/** Rules to add for one flow, to the path as earlier additions left it. */
function ruleAdditions(ctx: AdviceContext, path: NetworkPath, verdict: FlowVerdict): Advice[] {
  const probes = tcpProbes(verdict.flow);
  const advice: Advice[] = [];
  for (const nsg of nsgsOf(path)) {
    if (probes.every((p) => evaluateNsg(nsg, p, ctx.around).outcome === "allowed")) continue;
    const spec = placeRule(ctx, nsg, verdict.flow, probes);
    const where = `${verdict.flow.direction.toLowerCase()} ${verdict.flow.protocol === "*" ? "any protocol" : verdict.flow.protocol.toUpperCase()} ${verdict.flow.ports} ${verdict.flow.direction === "Inbound" ? "from" : "to"} ${verdict.flow.peer[0]}`;
    if (!spec) {
      advice.push({
        kind: "add-rule",
        nsg: nsg.name,
        rule: ruleForFlow(verdict.flow).name,
        flow: verdict.flow.id,
        message: `${nsg.name} stops ${where}, and no free priority above the rules that stop it would let it through: reorder the rules so that an Allow for it comes first.`,
      });
      continue;
    }
    advice.push({
      kind: "add-rule",
      nsg: nsg.name,
      rule: spec.name,
      flow: verdict.flow.id,
      message: `${nsg.name} stops ${where}; add ${spec.name} at priority ${spec.priority}, the free priority where it decides first. Needed because: ${verdict.flow.reason}`,
      change: { action: "add-rule", nsg: nsg.name, with: spec },
    });
  }
  return advice;
}

function routeAddition(ctx: AdviceContext, verdict: FlowVerdict): Advice[] {
  const table = ctx.path.routeTable;
  const tag = verdict.flow.peer[0];
  if (!table || addressKind(tag) !== "serviceTag") return [];
  if (evaluateRoute(ctx.path, verdict.flow).outcome === "allowed") return [];
  const choice = routeFor(table, tag);
  if (choice.undecided || !choice.route) return [];
  if (choice.route.addressPrefix.toLowerCase() === tag.toLowerCase()) {
    return [
      {
        kind: "add-route",
        nsg: table.name,
        rule: choice.route.name,
        flow: verdict.flow.id,
        message: `route ${choice.route.name} sends ${tag} to ${choice.route.nextHopType}; set its next hop to Internet so that ${verdict.flow.reason.replace(/^\w+: /, "").replace(/\.$/, "")}.`,
      },
    ];
  }
  const change: NetworkChange = {
    action: "add-route",
    routeTable: table.name,
    route: { name: `${tag}-Internet`, addressPrefix: tag, nextHopType: "Internet" },
  };
  const after = { ...ctx.path, routeTable: applyToRouteTable(table, change) };
  if (evaluateRoute(after, verdict.flow).outcome !== "allowed") return [];
  return [
    {
      kind: "add-route",
      nsg: table.name,
      rule: change.route.name,
      flow: verdict.flow.id,
      message: `${table.name} sends ${tag} through ${choice.route.name} (${choice.route.addressPrefix} -> ${choice.route.nextHopType}); add a route ${tag} -> Internet, which is more specific.`,
      change,
    },
  ];
}

function privateEndpointHint(ctx: AdviceContext, verdict: FlowVerdict): Advice[] {
  if (ctx.privateEndpointsKnown || verdict.flow.id !== "simplified-node-management-outbound")
    return [];
  return [
    {
      kind: "private-endpoint",
      flow: verdict.flow.id,
      nsg: ctx.path.subnetNsg?.name ?? ctx.path.nicNsg?.name ?? "",
      rule: "",
      message: `if the account's nodes reach Batch through a nodeManagement private endpoint (pools without public IPs), this flow goes to the endpoint's address in the VNet instead of ${verdict.flow.peer[0]}, and the service-tag rule is not needed: judge it with the endpoint (check --private-endpoint <az network private-endpoint show -o json> or --node-management-private-ip).`,
    },
  ];
}

/**
 * Advice for each needed flow that does not get through. Rules are placed one flow after the
 * other, each into the NSG as the rules before it left it, so that two additions never take one
 * priority or name, and a flow an earlier addition already lets through gets none.
 */
export function additionAdvice(ctx: AdviceContext): Advice[] {
  let path = ctx.path;
  const advice: Advice[] = [];
  for (const verdict of ctx.verdicts.filter((v) => v.verdict !== "allowed")) {
    const rules = ruleAdditions(ctx, path, verdict);
    path = applyChanges(
      path,
      rules.flatMap((a) => (a.change ? [a.change] : [])),
    );
    advice.push(...rules, ...routeAddition(ctx, verdict), ...privateEndpointHint(ctx, verdict));
  }
  return advice;
}
