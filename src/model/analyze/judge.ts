/**
 * What a network does with one flow, layer by layer in Azure's order: the VNet's security admin
 * rules, the NSGs (subnet then NIC inbound; NIC then subnet outbound), the route, and what the
 * route needs (the subnet's outbound method, or the private endpoint's connection). The
 * verdicts of `check` and `audit`, the safety test of every piece of advice, the policy pack
 * and the components' refusals are all this judgement.
 */
import { addressKind } from "../addresses";
import type { NextHopType } from "../enums";
import type { Flow } from "../flows";
import { parsePortRange } from "../ports";
import { AdminEffect, adminRuleLabel, AdminVerdict, evaluateAdmin } from "./adminRules";
import type { Surroundings } from "./coverage";
import { evaluateNsg, makeProbe, Outcome, Probe, ProbeVerdict } from "./evaluate";
import {
  evaluateEndpoint,
  evaluateOutbound,
  LAYER_EXPORTS,
  LayerName,
  LayerVerdict,
} from "./layers";
import type {
  AdminRuleSet,
  NetworkSecurityGroup,
  NsgRule,
  OutboundPath,
  RouteTable,
} from "./network";
import { endpointFor, PrivateEndpointPath } from "./privateEndpoints";
import { describeRoute, routeFor } from "./routing";

/** What a pool's traffic passes through, layer by layer. */
export interface NetworkPath {
  /** The VNet's effective security admin rules; absent: not given (an empty set: none apply). */
  readonly adminRules?: AdminRuleSet;
  /** The subnet's NSG; absent: the subnet has none (everything passes that level). */
  readonly subnetNsg?: NetworkSecurityGroup;
  /** The NSG of the nodes' NICs, when there is one. */
  readonly nicNsg?: NetworkSecurityGroup;
  /** The subnet's route table; absent: Azure's system routes (unless the route layer is not given). */
  readonly routeTable?: RouteTable;
  /** The subnet's outbound path; absent: not given. */
  readonly outbound?: OutboundPath;
  /** The account's private endpoints the flows may go through, with their connection state. */
  readonly endpoints?: readonly PrivateEndpointPath[];
  /**
   * Layers the caller did not give although the path has a place for them (a route table the
   * subnet may have): judged as not given, not as absent.
   */
  readonly notGiven?: readonly LayerName[];
  /** Count a layer that was not given as undecided (for pipelines that must know). */
  readonly strict?: boolean;
}

/** The verdict on one flow. */
export interface FlowVerdict {
  readonly flow: Flow;
  readonly verdict: Outcome;
  /** Each layer's verdict, in the order Azure evaluates them. */
  readonly layers: LayerVerdict[];
  /** What decided: the admin rule, `<nsg>: <rule> (<priority>)` per NSG, the route, the way out. */
  readonly decidedBy: string[];
  /** The NSG rules that decided (or left it undecided), in the order traffic meets them. */
  readonly rules: string[];
  /** The route the flow's traffic takes ("not judged" when the route table was not given). */
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

/** What the NSGs in the path do with a probe (the admin rules aside). */
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

/** What the NSGs alone do with a probe, without the words. */
function nsgOutcome(path: NetworkPath, probe: Probe, around: Surroundings): Outcome {
  let outcome: Outcome = "allowed";
  for (const nsg of [path.subnetNsg, path.nicNsg]) {
    if (!nsg) continue;
    const o = evaluateNsg(nsg, probe, around).outcome;
    if (RANK[o] > RANK[outcome]) outcome = o;
  }
  return outcome;
}

const EFFECT_OUTCOME: Readonly<Record<Exclude<AdminEffect, "pass">, Outcome>> = {
  deny: "blocked",
  "always-allow": "allowed",
};

/** A probe's outcome from what the admin rules may do and what the NSGs do with what passes. */
function combined(admin: AdminVerdict, nsg: () => Outcome): Outcome {
  let outcome: Outcome | undefined;
  for (const effect of admin.effects) {
    const o = effect === "pass" ? nsg() : EFFECT_OUTCOME[effect];
    if (outcome !== undefined && o !== outcome) return "undecided";
    outcome = o;
  }
  return outcome ?? "allowed";
}

/**
 * Only the outcome of a probe through the admin rules and the NSGs, without the words: the
 * safety checks ask it for every packet shape of every candidate change and read nothing else.
 */
export function chainOutcome(path: NetworkPath, probe: Probe, around: Surroundings): Outcome {
  return combined(evaluateAdmin(path.adminRules, probe, around), () =>
    nsgOutcome(path, probe, around),
  );
}

/** A route's verdict, and the next hop the flow's traffic takes (for the layer after it). */
export interface RouteVerdict extends ChainVerdict {
  readonly hop?: NextHopType;
}

/** What the route table does with a flow to a service tag (forced tunnelling). */
function evaluateTagRoute(path: NetworkPath, flow: Flow, tag: string): RouteVerdict {
  const choice = routeFor(path.routeTable, tag);
  const label = describeRoute(choice.route, tag);
  const hop = choice.route?.nextHopType ?? "Internet";
  if (choice.undecided)
    return { outcome: "undecided", decidedBy: [label], reason: choice.undecided };
  if (hop === "Internet") return { outcome: "allowed", decidedBy: [label], reason: "", hop };
  if (hop === "None" || hop === "VnetLocal") {
    return {
      outcome: "blocked",
      decidedBy: [label],
      reason: `${label} drops traffic to ${tag}`,
      hop,
    };
  }
  if (flow.direction === "Inbound") {
    return {
      outcome: "blocked",
      decidedBy: [label],
      reason: `replies to ${tag} would leave through ${label} (asymmetric routing drops them); add a route ${tag} -> Internet`,
      hop,
    };
  }
  return {
    outcome: "undecided",
    decidedBy: [label],
    reason: `traffic to ${tag} goes through ${label}: it passes only if the appliance allows ${flow.protocol === "*" ? "TCP/UDP" : flow.protocol.toUpperCase()} ${flow.ports}; or add a route ${tag} -> Internet`,
    hop,
  };
}

/** What the route table does with a flow to an address in the VNet (a private endpoint). */
function evaluateVnetRoute(path: NetworkPath, flow: Flow, address: string): RouteVerdict {
  const choice = routeFor(path.routeTable, address);
  const label = describeRoute(choice.route, address);
  if (choice.undecided)
    return { outcome: "undecided", decidedBy: [label], reason: choice.undecided };
  const hop = choice.route?.nextHopType ?? "VnetLocal";
  if (hop === "VnetLocal") return { outcome: "allowed", decidedBy: [label], reason: "", hop };
  if (hop === "VirtualAppliance" || hop === "VirtualNetworkGateway") {
    return {
      outcome: "undecided",
      decidedBy: [label],
      reason: `traffic to ${address} goes through ${label}: it passes only if that hop forwards ${flow.ports} back into the VNet`,
      hop,
    };
  }
  return {
    outcome: "blocked",
    decidedBy: [label],
    reason: `${label} sends traffic for ${address} away from the VNet`,
    hop,
  };
}

/** Whether the route layer was given: a route table, or the knowledge that there is none. */
function routeGiven(path: NetworkPath): boolean {
  return path.routeTable !== undefined || !path.notGiven?.includes("route");
}

export function evaluateRoute(path: NetworkPath, flow: Flow): RouteVerdict {
  const peer = flow.peer[0];
  return addressKind(peer) === "serviceTag"
    ? evaluateTagRoute(path, flow, peer)
    : evaluateVnetRoute(path, flow, peer);
}

/** A layer's outcome as the flow's verdict counts it. */
function counted(layer: LayerVerdict, strict: boolean): Outcome {
  if (layer.outcome === "not-judged") return strict ? "undecided" : "allowed";
  if (layer.outcome === "passes" || layer.outcome === "skipped") return "allowed";
  return layer.outcome;
}

function adminLayer(
  path: NetworkPath,
  probes: readonly Probe[],
  admin: readonly AdminVerdict[],
): LayerVerdict {
  const set = path.adminRules;
  if (!set) return { layer: "admin-rules", outcome: "not-judged", by: "", reason: "" };
  const label = (v: AdminVerdict) => (v.rule ? adminRuleLabel(set, v.rule) : "");
  const denied = admin.findIndex((v) => v.effects.size === 1 && v.effects.has("deny"));
  if (denied >= 0)
    return {
      layer: "admin-rules",
      outcome: "blocked",
      by: label(admin[denied]),
      reason: `${describeProbe(probes[denied])} is denied by ${label(admin[denied])}: admin rules come before the NSGs, which cannot allow it`,
    };
  const unsure = admin.findIndex((v) => v.effects.size > 1);
  if (unsure >= 0)
    return {
      layer: "admin-rules",
      outcome: "undecided",
      by: label(admin[unsure]),
      reason: `${describeProbe(probes[unsure])}: ${label(admin[unsure])} may match: ${admin[unsure].reason}`,
    };
  if (admin.every((v) => v.effects.has("always-allow")))
    return {
      layer: "admin-rules",
      outcome: "allowed",
      by: label(admin[0]),
      reason: `${label(admin[0])} lets it through without the NSGs`,
    };
  return { layer: "admin-rules", outcome: "passes", by: set.name, reason: "" };
}

function nsgLayer(
  path: NetworkPath,
  chains: readonly (ChainVerdict | undefined)[],
): { layer: LayerVerdict; rules: string[] } {
  const reached = chains.filter((c): c is ChainVerdict => c !== undefined);
  if (reached.length === 0)
    return {
      layer: { layer: "nsg", outcome: "skipped", by: "", reason: "decided by the admin rules" },
      rules: [],
    };
  const rules = [...new Set(reached.flatMap((c) => c.decidedBy))];
  if (!path.subnetNsg && !path.nicNsg) {
    const given = !path.notGiven?.includes("nsg");
    return {
      layer: given
        ? { layer: "nsg", outcome: "allowed", by: "no NSG", reason: "" }
        : { layer: "nsg", outcome: "not-judged", by: "", reason: "" },
      rules,
    };
  }
  const outcome = worst(reached.map((c) => c.outcome));
  const deciding = reached.filter((c) => c.outcome === outcome && c.reason);
  return {
    layer: {
      layer: "nsg",
      outcome,
      by: rules.join("; "),
      reason: deciding.map((c) => c.reason).join("; "),
    },
    rules,
  };
}

/** The verdict on one flow: each layer in Azure's order, the flow's packet shapes through the first two. */
export function judgeFlow(path: NetworkPath, flow: Flow, around: Surroundings): FlowVerdict {
  const probes = tcpProbes(flow);
  const admin = probes.map((p) => evaluateAdmin(path.adminRules, p, around));
  const chains = probes.map((p, i) =>
    admin[i].effects.has("pass") ? evaluateChain(path, p, around) : undefined,
  );
  const probeOutcomes = probes.map((_, i) => combined(admin[i], () => chains[i]!.outcome));
  const nsg = nsgLayer(path, chains);
  const route = routeGiven(path) ? evaluateRoute(path, flow) : undefined;
  const routeLabel = route ? route.decidedBy[0] : "not judged";
  const endpoint = endpointFor(flow, path.endpoints);
  const layers: LayerVerdict[] = [
    adminLayer(path, probes, admin),
    nsg.layer,
    route
      ? { layer: "route", outcome: route.outcome, by: routeLabel, reason: route.reason }
      : { layer: "route", outcome: "not-judged", by: "", reason: "" },
    endpoint
      ? evaluateEndpoint(endpoint)
      : evaluateOutbound(path.outbound, flow, route?.hop, routeLabel),
  ];
  const strict = path.strict === true;
  const verdict = worst([
    ...probeOutcomes,
    ...layers
      .filter((l) => l.layer !== "admin-rules" && l.layer !== "nsg")
      .map((l) => counted(l, false)),
    ...(strict ? layers.map((l) => counted(l, true)) : []),
  ]);
  const reasons = layers
    .filter((l) => l.reason && (l.outcome === verdict || (strict && l.outcome === "not-judged")))
    .map((l) => l.reason);
  return {
    flow,
    verdict,
    layers,
    decidedBy: [
      ...new Set(
        [
          layers[0].outcome === "passes" ? "" : layers[0].by,
          ...nsg.rules,
          ...layers.slice(2).map((l) => l.by),
        ].filter((b) => b !== ""),
      ),
    ],
    rules: nsg.rules,
    route: routeLabel,
    reason:
      verdict === "allowed"
        ? `allowed (${flow.reason})`
        : reasons.join("; ") || notJudgedReason(layers),
  };
}

function notJudgedReason(layers: readonly LayerVerdict[]): string {
  const missing = layers
    .filter((l) => l.outcome === "not-judged")
    .map((l) => LAYER_EXPORTS[l.layer].what);
  return `not judged, so undecided: ${missing.join("; ")}`;
}

/**
 * Every outcome the flows depend on, in a fixed order: each TCP and UDP packet shape through
 * the admin rules and the NSGs, then each flow's route and what the route needs. Advice is safe
 * when no entry gets worse.
 */
export function pathOutcomes(
  path: NetworkPath,
  flows: readonly Flow[],
  around: Surroundings,
): Outcome[] {
  const outcomes: Outcome[] = [];
  for (const flow of flows) {
    for (const p of allProbes(flow)) outcomes.push(chainOutcome(path, p, around));
    const route = routeGiven(path) ? evaluateRoute(path, flow) : undefined;
    outcomes.push(route?.outcome ?? "allowed");
    const endpoint = endpointFor(flow, path.endpoints);
    const beyond = endpoint
      ? evaluateEndpoint(endpoint)
      : evaluateOutbound(path.outbound, flow, route?.hop, route?.decidedBy[0] ?? "not judged");
    outcomes.push(counted(beyond, false));
  }
  return outcomes;
}
