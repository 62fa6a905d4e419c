/**
 * How Azure judges one packet shape against one NSG: the rules of its direction by ascending
 * priority, the first that matches decides, later rules are not consulted. A rule that may or
 * may not match (a CIDR against a service tag, application security groups, restricted source
 * ports) leaves the outcome undecided unless every rule that could decide agrees.
 */
import type { Direction } from "../enums";
import { parsePortRange, PortInterval, portsCover, portsOverlap } from "../ports";
import {
  ALL,
  anyOfEach,
  Coverage,
  coversNodes,
  coversPeer,
  maybe,
  NONE,
  Surroundings,
} from "./coverage";
import type { NetworkSecurityGroup, NsgRule } from "./network";

/** A packet shape: one protocol and destination port, from or to a service tag or VNet address. */
export interface Probe {
  readonly direction: Direction;
  readonly protocol: "Tcp" | "Udp";
  readonly port: number;
  /**
   * The far end: the source of inbound traffic, the destination of outbound traffic. A service
   * tag, or an IP or CIDR in the VNet (a private endpoint).
   */
  readonly peer: string;
}

export type Outcome = "allowed" | "blocked" | "undecided";

export interface ProbeVerdict {
  readonly outcome: Outcome;
  /** The rule that decided, or the first rule that left it undecided. */
  readonly rule?: NsgRule;
  /** Why it is undecided. */
  readonly reason?: string;
}

const EVERY_PORT = { from: 0, to: 65535 };

/** A rule's port fields, parsed once per rule. */
interface RulePorts {
  readonly destination: readonly PortInterval[];
  readonly source: Coverage;
}

const PORTS = new WeakMap<NsgRule, RulePorts>();

function portsOf(rule: NsgRule): RulePorts {
  let ports = PORTS.get(rule);
  if (!ports) {
    ports = {
      destination: rule.destinationPorts.map((r) => parsePortRange(r)!),
      source: sourcePortCoverage(rule.sourcePorts),
    };
    PORTS.set(rule, ports);
  }
  return ports;
}

function portCoverage(ranges: readonly PortInterval[], port: number): Coverage {
  return ranges.some((r) => r.from <= port && port <= r.to) ? ALL : NONE;
}

function sourcePortCoverage(ranges: readonly string[]): Coverage {
  const parsed = ranges.map((r) => parsePortRange(r)!);
  if (parsed.some((r) => portsCover(r, EVERY_PORT))) return ALL;
  if (parsed.some((r) => portsOverlap(r, EVERY_PORT))) {
    return maybe("the rule matches only some source ports, and the flow's source port is any");
  }
  return NONE;
}

/** Whether `rule` matches every packet of the probe, none, or some (undecided). */
export function ruleMatches(rule: NsgRule, probe: Probe, around: Surroundings): Coverage {
  if (rule.direction !== probe.direction) return NONE;
  if (rule.protocol !== "*" && rule.protocol !== probe.protocol) return NONE;
  const inbound = probe.direction === "Inbound";
  const peerAddresses = inbound ? rule.sourceAddresses : rule.destinationAddresses;
  const localAddresses = inbound ? rule.destinationAddresses : rule.sourceAddresses;
  const localAsgs = inbound ? rule.destinationAsgs : rule.sourceAsgs;
  const ports = portsOf(rule);
  if (portCoverage(ports.destination, probe.port).kind === "none") return NONE;
  // Each part in turn, stopping at the first that rules the rule out (this runs for every rule,
  // flow and probe, so it builds no lists).
  // A service is never in an application security group, so only listed prefixes count.
  const peer = anyOfEach(peerAddresses, (p) => coversPeer(p, probe.peer, around));
  if (peer.kind === "none") return NONE;
  let local = anyOfEach(localAddresses, (p) => coversNodes(p, around));
  if (local.kind === "none" && localAsgs) local = ASG_MEMBERSHIP;
  if (local.kind === "none" || ports.source.kind === "none") return NONE;
  return [peer, local, ports.source].find((p) => p.kind === "maybe") ?? ALL;
}

const ASG_MEMBERSHIP = maybe(
  "application security groups: their NIC membership cannot be seen offline",
);

/** The rules of one direction, by ascending priority (cached per NSG). */
const SORTED = new WeakMap<NetworkSecurityGroup, Record<Direction, NsgRule[]>>();

export function rulesInOrder(nsg: NetworkSecurityGroup, direction: Direction): readonly NsgRule[] {
  let sorted = SORTED.get(nsg);
  if (!sorted) {
    const by = (d: Direction) =>
      nsg.rules.filter((r) => r.direction === d).sort((a, b) => a.priority - b.priority);
    sorted = { Inbound: by("Inbound"), Outbound: by("Outbound") };
    SORTED.set(nsg, sorted);
  }
  return sorted[direction];
}

function probeKey(probe: Probe, around: Surroundings): string {
  return `${probe.direction}|${probe.protocol}|${probe.port}|${probe.peer}|${around.subnetPrefix ?? ""}|${around.defaultRouteOverridden}`;
}

/**
 * Verdicts per NSG and probe: the verdicts, the advice and its safety checks ask the same NSG
 * about the same few packet shapes several times, and each asking walks every rule. NSGs are
 * never changed in place (a change makes a new one), so a verdict stays true for its NSG.
 */
const VERDICTS = new WeakMap<NetworkSecurityGroup, Map<string, ProbeVerdict>>();

/**
 * A new NSG derived from `from` by `change`, with its rules by priority worked out from those of
 * `from` (a change keeps the order of the rules it does not touch), instead of sorting again:
 * advice is judged on one derived NSG per change, on NSGs of thousands of rules.
 */
export function derivedNsg(
  from: NetworkSecurityGroup,
  rules: readonly NsgRule[],
  change: (sorted: readonly NsgRule[], direction: Direction) => NsgRule[],
): NetworkSecurityGroup {
  const derived: NetworkSecurityGroup = { ...from, rules };
  const sorted = {
    Inbound: change(rulesInOrder(from, "Inbound"), "Inbound"),
    Outbound: change(rulesInOrder(from, "Outbound"), "Outbound"),
  };
  SORTED.set(derived, sorted);
  return derived;
}

/** The rules of `direction` by priority, with `rule` put in its place if it is of that direction. */
export function insertedInOrder(
  sorted: readonly NsgRule[],
  rule: NsgRule,
  direction: Direction,
): NsgRule[] {
  if (rule.direction !== direction) return [...sorted];
  const at = sorted.findIndex((r) => r.priority > rule.priority);
  return at === -1 ? [...sorted, rule] : [...sorted.slice(0, at), rule, ...sorted.slice(at)];
}

/** What one NSG does with a probe. */
export function evaluateNsg(
  nsg: NetworkSecurityGroup,
  probe: Probe,
  around: Surroundings,
): ProbeVerdict {
  let byProbe = VERDICTS.get(nsg);
  if (!byProbe) {
    byProbe = new Map();
    VERDICTS.set(nsg, byProbe);
  }
  const key = probeKey(probe, around);
  let verdict = byProbe.get(key);
  if (!verdict) {
    verdict = walkRules(nsg, probe, around);
    byProbe.set(key, verdict);
  }
  return verdict;
}

function walkRules(nsg: NetworkSecurityGroup, probe: Probe, around: Surroundings): ProbeVerdict {
  const uncertain: Array<{ rule: NsgRule; reason: string }> = [];
  for (const rule of rulesInOrder(nsg, probe.direction)) {
    const match = ruleMatches(rule, probe, around);
    if (match.kind === "none") continue;
    if (match.kind === "maybe") {
      uncertain.push({ rule, reason: match.reason });
      continue;
    }
    // A certain match: it decides, unless an earlier uncertain rule would decide otherwise.
    const conflict = uncertain.find((u) => u.rule.access !== rule.access);
    if (conflict) return { outcome: "undecided", rule: conflict.rule, reason: conflict.reason };
    return { outcome: rule.access === "Allow" ? "allowed" : "blocked", rule };
  }
  // Unreachable with Azure's default rules (DenyAll matches everything); kept for NSGs read without them.
  const first = uncertain[0];
  return first
    ? { outcome: "undecided", rule: first.rule, reason: first.reason }
    : { outcome: "blocked" };
}

/** Per NSG, the first rule that certainly matches each probe (cached; `null`: none does). */
const FIRST_CERTAIN = new WeakMap<NetworkSecurityGroup, Map<string, NsgRule | null>>();

/**
 * The first rule of `nsg` that matches every packet of `probe`. No rule after it can decide the
 * probe, so a rule after it is never reached by that traffic.
 */
export function firstCertainMatch(
  nsg: NetworkSecurityGroup,
  probe: Probe,
  around: Surroundings,
): NsgRule | undefined {
  let byProbe = FIRST_CERTAIN.get(nsg);
  if (!byProbe) {
    byProbe = new Map();
    FIRST_CERTAIN.set(nsg, byProbe);
  }
  const key = `${probe.direction}|${probe.protocol}|${probe.port}|${probe.peer}|${around.subnetPrefix ?? ""}|${around.defaultRouteOverridden}`;
  let found = byProbe.get(key);
  if (found === undefined) {
    found =
      rulesInOrder(nsg, probe.direction).find(
        (r) => ruleMatches(r, probe, around).kind === "all",
      ) ?? null;
    byProbe.set(key, found);
  }
  return found ?? undefined;
}
