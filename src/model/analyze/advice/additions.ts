/**
 * What to add when a needed flow does not get through: the package's own rule for the flow at a
 * free priority above whatever stops it, a route sending the service tag to the Internet past
 * a forced tunnel (only where the nodes have a way out to it), a NAT gateway for a private
 * subnet whose nodes have none, or, for simplified traffic, the private endpoint path; and, for
 * what no NSG or route can change (a security admin rule, an endpoint's connection), who must
 * act. Every addition is evaluated after it is made: it is advised only if the flow then passes
 * that layer, and one change is advised once, however many flows need it.
 */
import { addressKind } from "../../addresses";
import type { Flow } from "../../flows";
import { ruleForFlow } from "../../rules";
import { MAX_PRIORITY, MIN_PRIORITY, SecurityRuleSpec } from "../../securityRule";
import { applyToNsg, applyToRouteTable, NetworkChange } from "../changes";
import { evaluateNsg, Probe, rulesInOrder } from "../evaluate";
import { evaluateRoute, FlowVerdict, NetworkPath, tcpProbes } from "../judge";
import { evaluateOutbound, LayerVerdict } from "../layers";
import type { NetworkSecurityGroup } from "../network";
import { routeFor } from "../routing";
import { Advice, AdviceContext, applyChanges, nsgsOf } from "./context";

const RULE_NAMES = new WeakMap<NetworkSecurityGroup, ReadonlySet<string>>();

/** The NSG's rule names in lower case (Azure's names are case-insensitive), once per NSG. */
function ruleNames(nsg: NetworkSecurityGroup): ReadonlySet<string> {
  let names = RULE_NAMES.get(nsg);
  if (!names) {
    names = new Set(nsg.rules.map((r) => r.name.toLowerCase()));
    RULE_NAMES.set(nsg, names);
  }
  return names;
}

function freeName(nsg: NetworkSecurityGroup, name: string): string {
  const taken = ruleNames(nsg);
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
  // A route to the Internet carries nothing from a private subnet whose nodes have no way out.
  const beyond = evaluateOutbound(
    ctx.path.outbound,
    verdict.flow,
    "Internet",
    `a route ${tag} -> Internet`,
  );
  if (beyond.outcome === "blocked" || beyond.outcome === "undecided") return [];
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

/** The layer after the route a flow's verdict names: its way out. */
function wayOut(verdict: FlowVerdict): LayerVerdict | undefined {
  return verdict.layers.find((l) => l.layer === "outbound");
}

/**
 * A private subnet whose nodes have no way out to a service tag, whether the route to it is the
 * system route, a route to the Internet, or one this advice would add: the ways out that work
 * there, and a NAT gateway as the change (judged again with it in place).
 */
function outboundPathAdvice(ctx: AdviceContext, verdict: FlowVerdict): Advice[] {
  const outbound = ctx.path.outbound;
  const tag = verdict.flow.peer[0];
  if (!outbound || verdict.flow.direction !== "Outbound" || addressKind(tag) !== "serviceTag")
    return [];
  // Blocked or undecided past the route, or past the route a forced tunnel would need.
  const now = wayOut(verdict);
  const behindTunnel =
    verdict.layers.some((l) => l.layer === "route" && l.outcome !== "allowed") &&
    evaluateOutbound(outbound, verdict.flow, "Internet", "").outcome !== "allowed";
  if (!behindTunnel && now?.outcome !== "blocked" && now?.outcome !== "undecided") return [];
  const subnet = outbound.subnet;
  if (subnet.natGatewayId) {
    if (outbound.natGateway?.publicAddresses !== 0) return [];
    return [
      {
        kind: "outbound-path",
        nsg: subnet.name,
        rule: outbound.natGateway.name,
        flow: verdict.flow.id,
        message: `NAT gateway ${outbound.natGateway.name} on subnet ${subnet.name} has no public IP address or prefix, so it takes nothing out: give it one (az network public-ip create -n ${outbound.natGateway.name}-ip --sku Standard --allocation-method Static, then az network nat gateway update -n ${outbound.natGateway.name} --public-ip-addresses ${outbound.natGateway.name}-ip, each with -g and your resource group).`,
      },
    ];
  }
  const vnet = subnet.id ? /\/virtualNetworks\/([^/]+)/i.exec(subnet.id)?.[1] : undefined;
  const change: NetworkChange = {
    action: "attach-nat-gateway",
    subnet: subnet.name,
    ...(vnet ? { virtualNetwork: vnet } : {}),
    natGateway: `${subnet.name}-nat`,
  };
  const firewall = ctx.path.routeTable?.routes.find(
    (r) => r.addressPrefix === "0.0.0.0/0" && r.nextHopType === "VirtualAppliance",
  );
  const ways = [
    `give subnet ${subnet.name} a NAT gateway (the command below)`,
    ...(verdict.flow.id === "simplified-node-management-outbound"
      ? [
          "reach Batch through the account's nodeManagement private endpoint (then no way out to the Internet is needed for Batch)",
        ]
      : []),
    firewall
      ? `send the traffic through the firewall at ${firewall.nextHopIpAddress} (no ${tag} -> Internet route) and allow outbound ${verdict.flow.protocol === "*" ? "TCP/UDP" : verdict.flow.protocol.toUpperCase()} ${verdict.flow.ports} to ${tag} there`
      : "give the nodes public IPs (publicIPAddressConfiguration BatchManaged; the pool is then recreated)",
  ];
  return [
    {
      kind: "outbound-path",
      nsg: subnet.name,
      rule: change.natGateway,
      flow: verdict.flow.id,
      message: `subnet ${subnet.name} is private and the nodes have no public IP, so nothing takes traffic to ${tag} out to the Internet (a route to the Internet carries nothing there). Ways that work: ${ways.join("; or ")}.`,
      change,
    },
  ];
}

/** What the admin rules stop: no NSG rule can change it, only the network manager's owner. */
function adminRuleAdvice(verdict: FlowVerdict): Advice[] {
  const admin = verdict.layers.find((l) => l.layer === "admin-rules");
  if (admin?.outcome !== "blocked") return [];
  return [
    {
      kind: "admin-rule",
      nsg: "",
      rule: admin.by,
      flow: verdict.flow.id,
      message: `${admin.by} stops ${describeFlow(verdict.flow)} before any NSG sees it: no NSG rule can let it through. Ask the network manager's owner for an AlwaysAllow (or Allow) admin rule for it above that one${verdict.flow.id === "simplified-node-management-outbound" ? ", or reach Batch through the account's nodeManagement private endpoint if the admin rules let VNet traffic through" : ""}.`,
    },
  ];
}

/** An endpoint whose connection is not approved carries nothing: the account's owner approves it. */
function endpointConnectionAdvice(ctx: AdviceContext, verdict: FlowVerdict): Advice[] {
  const layer = verdict.layers.find((l) => l.layer === "private-endpoint");
  if (layer?.outcome !== "blocked") return [];
  const endpoint = ctx.path.endpoints?.find((e) => e.address === verdict.flow.peer[0]);
  const account = endpoint?.privateLinkServiceId;
  return [
    {
      kind: "endpoint-connection",
      nsg: "",
      rule: endpoint?.source ?? "",
      flow: verdict.flow.id,
      message:
        endpoint?.status?.toLowerCase() === "pending"
          ? `${layer.reason}. The Batch account's owner approves it: list the account's connections${account ? ` (az network private-endpoint-connection list --id ${account})` : ""} and approve the one of ${endpoint.source} (az network private-endpoint-connection approve --id <that connection's id>).`
          : `${layer.reason}. A ${endpoint?.status ?? "refused"} connection stays so: create the endpoint again (the account's owner then approves its new connection), or reach Batch another way.`,
    },
  ];
}

function describeFlow(flow: Flow): string {
  return `${flow.direction.toLowerCase()} ${flow.protocol === "*" ? "any protocol" : flow.protocol.toUpperCase()} ${flow.ports} ${flow.direction === "Inbound" ? "from" : "to"} ${flow.peer[0]}`;
}

/** The advice with each change once: the first piece of advice to ask for a change stands for every flow that needs it. */
function onceEach(advice: readonly Advice[]): Advice[] {
  const seen = new Set<string>();
  return advice.filter((a) => {
    const key = a.change ? JSON.stringify(a.change) : `${a.kind}|${a.nsg}|${a.rule}|${a.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
    // What an admin rule stops, no NSG rule or route can let through: only that is said.
    if (verdict.layers.some((l) => l.layer === "admin-rules" && l.outcome === "blocked")) {
      advice.push(...adminRuleAdvice(verdict));
      continue;
    }
    const rules = ruleAdditions(ctx, path, verdict);
    path = applyChanges(
      path,
      rules.flatMap((a) => (a.change ? [a.change] : [])),
    );
    advice.push(
      ...rules,
      ...routeAddition(ctx, verdict),
      ...outboundPathAdvice(ctx, verdict),
      ...endpointConnectionAdvice(ctx, verdict),
      ...privateEndpointHint(ctx, verdict),
    );
  }
  return onceEach(advice);
}
