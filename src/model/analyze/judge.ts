/**
 * What a network (the subnet's NSG, the NICs' NSG, the route table) does with one flow: each of
 * the flow's packet shapes through the NSGs in the path, and the route its traffic takes. The
 * verdicts of `check` and the safety test of every piece of advice are both this judgement.
 */
import { addressKind } from "../addresses";
import type { Flow } from "../flows";
import { parsePortRange } from "../ports";
import type { Surroundings } from "./coverage";
import { evaluateNsg, makeProbe, Outcome, Probe, ProbeVerdict } from "./evaluate";
import type { NetworkSecurityGroup, NsgRule, RouteTable } from "./network";
import { describeRoute, routeFor } from "./routing";

/** What a pool's traffic passes through. */
export interface NetworkPath {
  /** The subnet's NSG; absent: the subnet has none (everything passes that level). */
  readonly subnetNsg?: NetworkSecurityGroup;
  /** The NSG of the nodes' NICs, when there is one. */
  readonly nicNsg?: NetworkSecurityGroup;
  readonly routeTable?: RouteTable;
}

/** The verdict on one flow. */
export interface FlowVerdict {
  readonly flow: Flow;
  readonly verdict: Outcome;
  /** What decided: `<nsg>: <rule> (<priority>)` per NSG in the path, and the route. */
  readonly decidedBy: string[];
  /** The NSG rules that decided (or left it undecided), in the order traffic meets them. */
  readonly rules: string[];
  /** The route the flow's traffic takes. */
  readonly route: string;
  /** Why, in one line. */
  readonly reason: string;
}

const RANK: Record<Outcome, number> = { allowed: 0, undecided: 1, blocked: 2 };

export function rank(outcome: Outcome): number {
  return RANK[outcome];
}

export function worst(outcomes: readonly Outcome[]): Outcome {
  return outcomes.reduce<Outcome>((w, o) => (RANK[o] > RANK[w] ? o : w), "allowed");
}

/** Every destination port of a flow, one by one. */
export function flowPorts(flow: Flow): number[] {
  const range = parsePortRange(flow.ports)!;
  return Array.from({ length: range.to - range.from + 1 }, (_, i) => range.from + i);
}

interface FlowProbes {
  readonly tcp: readonly Probe[];
  readonly udp: readonly Probe[];
  readonly all: readonly Probe[];
}

/**
 * The packet shapes of each flow, made once: the verdicts, the advice and its safety checks ask
 * for them hundreds of times per network, and the same probe objects let the per-NSG verdict
 * cache find them without building a key. Keyed by the flow object, whose shape never changes.
 */
const PROBES = new WeakMap<Flow, FlowProbes>();

/** The same, by the flow's shape: every analysis makes its flows anew, with the same shapes. */
const PROBES_BY_SHAPE = new Map<string, FlowProbes>();
const SHAPE_LIMIT = 10_000;

function probesOfFlow(flow: Flow): FlowProbes {
  let probes = PROBES.get(flow);
  if (probes) return probes;
  const shape = `${flow.direction}|${flow.protocol}|${flow.ports}|${flow.peer[0]}`;
  probes = PROBES_BY_SHAPE.get(shape);
  if (!probes) {
    const shapes = (protocol: "Tcp" | "Udp") =>
      flowPorts(flow).map((port) =>
        makeProbe({ direction: flow.direction, protocol, port, peer: flow.peer[0] }),
      );
    const tcp = shapes("Tcp");
    const udp = flow.protocol === "*" ? shapes("Udp") : [];
    probes = { tcp, udp, all: [...tcp, ...udp] };
    if (PROBES_BY_SHAPE.size >= SHAPE_LIMIT) PROBES_BY_SHAPE.clear();
    PROBES_BY_SHAPE.set(shape, probes);
  }
  PROBES.set(flow, probes);
  return probes;
}

/** The TCP packet shapes of a flow (a `*` flow is judged on TCP; UDP is advice). */
export function tcpProbes(flow: Flow): readonly Probe[] {
  return probesOfFlow(flow).tcp;
}

/** The UDP packet shapes of a flow that allows any protocol. */
export function udpProbes(flow: Flow): readonly Probe[] {
  return probesOfFlow(flow).udp;
}

/** Every packet shape of a flow: its TCP shapes, then its UDP ones. */
export function allProbes(flow: Flow): readonly Probe[] {
  return probesOfFlow(flow).all;
}

export function ruleLabel(nsg: NetworkSecurityGroup, rule: NsgRule | undefined): string {
  return rule ? `${nsg.name}: ${rule.name} (${rule.priority})` : `${nsg.name}: no rule`;
}

export interface ChainVerdict {
  readonly outcome: Outcome;
  readonly decidedBy: string[];
  /** Why it is blocked or undecided; empty when allowed. */
  readonly reason: string;
  /** The NSG and rule that blocked, when one did. */
  readonly blocker?: { readonly nsg: NetworkSecurityGroup; readonly rule?: NsgRule };
}

/** The NSGs a probe meets: inbound subnet then NIC, outbound NIC then subnet. */
export function nsgsInPath(path: NetworkPath, probe: Probe): NetworkSecurityGroup[] {
  const chain =
    probe.direction === "Inbound" ? [path.subnetNsg, path.nicNsg] : [path.nicNsg, path.subnetNsg];
  return chain.filter((n): n is NetworkSecurityGroup => n !== undefined);
}

function describeProbe(probe: Probe): string {
  return `${probe.protocol} ${probe.port} ${probe.direction === "Inbound" ? "from" : "to"} ${probe.peer}`;
}

/** What the NSGs in the path do with a probe. */
export function evaluateChain(path: NetworkPath, probe: Probe, around: Surroundings): ChainVerdict {
  const verdicts: Array<{ nsg: NetworkSecurityGroup; v: ProbeVerdict }> = nsgsInPath(
    path,
    probe,
  ).map((nsg) => ({ nsg, v: evaluateNsg(nsg, probe, around) }));
  const blocked = verdicts.find((x) => x.v.outcome === "blocked");
  if (blocked) {
    return {
      outcome: "blocked",
      blocker: { nsg: blocked.nsg, rule: blocked.v.rule },
      decidedBy: [ruleLabel(blocked.nsg, blocked.v.rule)],
      reason: `${describeProbe(probe)} is denied by ${ruleLabel(blocked.nsg, blocked.v.rule)}`,
    };
  }
  const undecided = verdicts.find((x) => x.v.outcome === "undecided");
  if (undecided) {
    return {
      outcome: "undecided",
      decidedBy: [ruleLabel(undecided.nsg, undecided.v.rule)],
      reason: `${describeProbe(probe)}: ${ruleLabel(undecided.nsg, undecided.v.rule)} may match: ${undecided.v.reason}`,
    };
  }
  // No words for a pass: a flow that is allowed says why it is needed instead (judgeFlow), as
  // an allowed route does.
  return {
    outcome: "allowed",
    decidedBy: verdicts.map((x) => ruleLabel(x.nsg, x.v.rule)),
    reason: "",
  };
}

/**
 * Only the outcome of {@link evaluateChain}, without the words: the safety checks ask it for
 * every packet shape of every candidate change and read nothing else.
 */
export function chainOutcome(path: NetworkPath, probe: Probe, around: Surroundings): Outcome {
  let outcome: Outcome = "allowed";
  for (const nsg of [path.subnetNsg, path.nicNsg]) {
    if (!nsg) continue;
    const o = evaluateNsg(nsg, probe, around).outcome;
    if (RANK[o] > RANK[outcome]) outcome = o;
  }
  return outcome;
}

/** What the route table does with a flow to a service tag (forced tunnelling). */
function evaluateTagRoute(path: NetworkPath, flow: Flow, tag: string): ChainVerdict {
  const choice = routeFor(path.routeTable, tag);
  const label = describeRoute(choice.route, tag);
  if (choice.undecided)
    return { outcome: "undecided", decidedBy: [label], reason: choice.undecided };
  const hop = choice.route?.nextHopType ?? "Internet";
  if (hop === "Internet") return { outcome: "allowed", decidedBy: [label], reason: "" };
  if (hop === "None" || hop === "VnetLocal") {
    return { outcome: "blocked", decidedBy: [label], reason: `${label} drops traffic to ${tag}` };
  }
  if (flow.direction === "Inbound") {
    return {
      outcome: "blocked",
      decidedBy: [label],
      reason: `replies to ${tag} would leave through ${label} (asymmetric routing drops them); add a route ${tag} -> Internet`,
    };
  }
  return {
    outcome: "undecided",
    decidedBy: [label],
    reason: `traffic to ${tag} goes through ${label}: it passes only if the appliance allows ${flow.protocol === "*" ? "TCP/UDP" : flow.protocol.toUpperCase()} ${flow.ports}; or add a route ${tag} -> Internet`,
  };
}

/** What the route table does with a flow to an address in the VNet (a private endpoint). */
function evaluateVnetRoute(path: NetworkPath, flow: Flow, address: string): ChainVerdict {
  const choice = routeFor(path.routeTable, address);
  const label = describeRoute(choice.route, address);
  if (choice.undecided)
    return { outcome: "undecided", decidedBy: [label], reason: choice.undecided };
  const hop = choice.route?.nextHopType ?? "VnetLocal";
  if (hop === "VnetLocal") return { outcome: "allowed", decidedBy: [label], reason: "" };
  if (hop === "VirtualAppliance" || hop === "VirtualNetworkGateway") {
    return {
      outcome: "undecided",
      decidedBy: [label],
      reason: `traffic to ${address} goes through ${label}: it passes only if that hop forwards ${flow.ports} back into the VNet`,
    };
  }
  return {
    outcome: "blocked",
    decidedBy: [label],
    reason: `${label} sends traffic for ${address} away from the VNet`,
  };
}

export function evaluateRoute(path: NetworkPath, flow: Flow): ChainVerdict {
  const peer = flow.peer[0];
  return addressKind(peer) === "serviceTag"
    ? evaluateTagRoute(path, flow, peer)
    : evaluateVnetRoute(path, flow, peer);
}

/** The verdict on one flow: its TCP packet shapes through the NSGs, and its route. */
export function judgeFlow(path: NetworkPath, flow: Flow, around: Surroundings): FlowVerdict {
  const chains = tcpProbes(flow).map((p) => evaluateChain(path, p, around));
  const route = evaluateRoute(path, flow);
  const all = [...chains, route];
  const verdict = worst(all.map((c) => c.outcome));
  const deciding = all.filter((c) => c.outcome === verdict && c.reason);
  const rules = [...new Set(chains.flatMap((c) => c.decidedBy))];
  return {
    flow,
    verdict,
    decidedBy: [...new Set([...rules, ...route.decidedBy])],
    rules,
    route: route.decidedBy[0],
    reason:
      verdict === "allowed" ? `allowed (${flow.reason})` : deciding.map((c) => c.reason).join("; "),
  };
}

/**
 * Every outcome the flows depend on, in a fixed order: each TCP and UDP packet shape through
 * the NSGs, and each route. Advice is safe when no entry gets worse.
 */
export function pathOutcomes(
  path: NetworkPath,
  flows: readonly Flow[],
  around: Surroundings,
): Outcome[] {
  const outcomes: Outcome[] = [];
  for (const flow of flows) {
    for (const p of allProbes(flow)) outcomes.push(chainOutcome(path, p, around));
    outcomes.push(evaluateRoute(path, flow).outcome);
  }
  return outcomes;
}
