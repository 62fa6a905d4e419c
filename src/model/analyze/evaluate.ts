/**
 * How Azure judges one packet shape against one NSG: the rules of its direction by ascending
 * priority, the first that matches decides, later rules are not consulted. A rule that may or
 * may not match (a CIDR against a service tag, application security groups, restricted source
 * ports) leaves the outcome undecided unless every rule that could decide agrees.
 */
import type { Direction } from "../enums";
import { parsePortRange, portsCover, portsOverlap } from "../ports";
import {
  ALL,
  anyCoversNodes,
  anyCoversPeer,
  Coverage,
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

/** Marks a probe made by {@link makeProbe}, the one object of its shape. */
const INTERNED = Symbol("interned probe");

/** Most distinct probe shapes kept; past it, the table starts again. */
const PROBE_LIMIT = 10_000;
const PROBE_TABLE = new Map<string, Probe>();

/**
 * The one probe object of a shape: the verdict caches below are keyed by the probe object, so
 * that the analyzer's inner loop never builds a key string. The analyzer only makes probes of
 * the few Batch flows' shapes; probes made elsewhere are looked up here on their way in.
 */
export function makeProbe(shape: Probe): Probe {
  if (Object.hasOwn(shape, INTERNED)) return shape;
  const key = `${shape.direction}|${shape.protocol}|${shape.port}|${shape.peer}`;
  let probe = PROBE_TABLE.get(key);
  if (!probe) {
    probe = Object.freeze(
      Object.defineProperty(
        {
          direction: shape.direction,
          protocol: shape.protocol,
          port: shape.port,
          peer: shape.peer,
        },
        INTERNED,
        { value: true },
      ),
    );
    if (PROBE_TABLE.size >= PROBE_LIMIT) PROBE_TABLE.clear();
    PROBE_TABLE.set(key, probe);
  }
  return probe;
}

const AROUND_KEYS = new WeakMap<Surroundings, string>();

/**
 * What the surroundings change, as a key: one cache per NSG and surroundings. Built once per
 * surroundings object (an analysis makes one and asks for its key on every verdict).
 */
function surroundingsKey(around: Surroundings): string {
  let key = AROUND_KEYS.get(around);
  if (key === undefined) {
    key = `${around.subnetPrefix ?? ""}|${around.defaultRouteOverridden}`;
    AROUND_KEYS.set(around, key);
  }
  return key;
}

/** A per-NSG cache of answers per surroundings and probe. */
function cacheFor<T>(
  caches: WeakMap<NetworkSecurityGroup, Map<string, Map<Probe, T>>>,
  nsg: NetworkSecurityGroup,
  around: Surroundings,
): Map<Probe, T> {
  let byAround = caches.get(nsg);
  if (!byAround) {
    byAround = new Map();
    caches.set(nsg, byAround);
  }
  const key = surroundingsKey(around);
  let byProbe = byAround.get(key);
  if (!byProbe) {
    byProbe = new Map();
    byAround.set(key, byProbe);
  }
  return byProbe;
}

// A rule's port fields are read on every judging from their strings: parsePortRange parses each
// distinct string once, and looking it up costs no more than a per-rule cache did, without
// filling a WeakMap with every rule ever judged.

function portsHold(ranges: readonly string[], port: number): boolean {
  for (const text of ranges) {
    const r = parsePortRange(text)!;
    if (r.from <= port && port <= r.to) return true;
  }
  return false;
}

const SOME_SOURCE_PORTS = maybe(
  "the rule matches only some source ports, and the flow's source port is any",
);

function sourcePortCoverage(ranges: readonly string[]): Coverage {
  let overlaps = false;
  for (const text of ranges) {
    const r = parsePortRange(text)!;
    if (portsCover(r, EVERY_PORT)) return ALL;
    if (portsOverlap(r, EVERY_PORT)) overlaps = true;
  }
  return overlaps ? SOME_SOURCE_PORTS : NONE;
}

/** Whether `rule` matches every packet of the probe, none, or some (undecided). */
export function ruleMatches(rule: NsgRule, probe: Probe, around: Surroundings): Coverage {
  if (rule.direction !== probe.direction) return NONE;
  if (rule.protocol !== "*" && rule.protocol !== probe.protocol) return NONE;
  const inbound = probe.direction === "Inbound";
  const peerAddresses = inbound ? rule.sourceAddresses : rule.destinationAddresses;
  const localAddresses = inbound ? rule.destinationAddresses : rule.sourceAddresses;
  const localAsgs = inbound ? rule.destinationAsgs : rule.sourceAsgs;
  if (!portsHold(rule.destinationPorts, probe.port)) return NONE;
  // Each part in turn, stopping at the first that rules the rule out.
  // A service is never in an application security group, so only listed prefixes count.
  const peer = anyCoversPeer(peerAddresses, probe.peer, around);
  if (peer.kind === "none") return NONE;
  let local = anyCoversNodes(localAddresses, around);
  if (local.kind === "none" && localAsgs) local = ASG_MEMBERSHIP;
  if (local.kind === "none") return NONE;
  const source = sourcePortCoverage(rule.sourcePorts);
  if (source.kind === "none") return NONE;
  if (peer.kind === "maybe") return peer;
  if (local.kind === "maybe") return local;
  return source.kind === "maybe" ? source : ALL;
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

/**
 * Verdicts per NSG and probe: the verdicts, the advice and its safety checks ask the same NSG
 * about the same few packet shapes several times, and each asking walks every rule. NSGs are
 * never changed in place (a change makes a new one), so a verdict stays true for its NSG.
 */
const VERDICTS = new WeakMap<NetworkSecurityGroup, Map<string, Map<Probe, ProbeVerdict>>>();

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
  const interned = makeProbe(probe);
  const byProbe = cacheFor(VERDICTS, nsg, around);
  let verdict = byProbe.get(interned);
  if (!verdict) {
    verdict = walkRules(nsg, interned, around);
    byProbe.set(interned, verdict);
  }
  return verdict;
}

interface Uncertain {
  readonly rule: NsgRule;
  readonly reason: string;
}

function walkRules(nsg: NetworkSecurityGroup, probe: Probe, around: Surroundings): ProbeVerdict {
  // Of the rules that may match before a certain one, the first that allows and the first that
  // denies are all a verdict needs (no list: this runs for every NSG and packet shape).
  let allows: Uncertain | undefined;
  let denies: Uncertain | undefined;
  for (const rule of rulesInOrder(nsg, probe.direction)) {
    const match = ruleMatches(rule, probe, around);
    if (match.kind === "none") continue;
    if (match.kind === "maybe") {
      if (rule.access === "Allow") allows ??= { rule, reason: match.reason };
      else denies ??= { rule, reason: match.reason };
      continue;
    }
    // A certain match: it decides, unless an earlier uncertain rule would decide otherwise.
    const conflict = rule.access === "Allow" ? denies : allows;
    if (conflict) return { outcome: "undecided", rule: conflict.rule, reason: conflict.reason };
    return { outcome: rule.access === "Allow" ? "allowed" : "blocked", rule };
  }
  // Unreachable with Azure's default rules (DenyAll matches everything); kept for NSGs read without them.
  const first = !allows ? denies : !denies ? allows : firstByPriority(allows, denies);
  return first
    ? { outcome: "undecided", rule: first.rule, reason: first.reason }
    : { outcome: "blocked" };
}

function firstByPriority(a: Uncertain, b: Uncertain): Uncertain {
  return a.rule.priority <= b.rule.priority ? a : b;
}

/** Per NSG, the first rule that certainly matches each probe (cached; `null`: none does). */
const FIRST_CERTAIN = new WeakMap<NetworkSecurityGroup, Map<string, Map<Probe, NsgRule | null>>>();

/**
 * The first rule of `nsg` that matches every packet of `probe`. No rule after it can decide the
 * probe, so a rule after it is never reached by that traffic.
 */
export function firstCertainMatch(
  nsg: NetworkSecurityGroup,
  probe: Probe,
  around: Surroundings,
): NsgRule | undefined {
  const interned = makeProbe(probe);
  const byProbe = cacheFor(FIRST_CERTAIN, nsg, around);
  let found = byProbe.get(interned);
  if (found === undefined) {
    found =
      rulesInOrder(nsg, probe.direction).find(
        (r) => ruleMatches(r, interned, around).kind === "all",
      ) ?? null;
    byProbe.set(interned, found);
  }
  return found ?? undefined;
}
