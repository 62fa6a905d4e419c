/**
 * Whether an address prefix of a rule or route covers the address of one end of a flow:
 * entirely, not at all, or "cannot decide" (with why). Offline, service tags are known only
 * by their names, so the semantics below are those Microsoft documents for tag names:
 *
 * - a regional tag is inside its global tag (`Storage.westus2` in `Storage`);
 * - `Internet` holds Azure's public address space, so every public service tag;
 * - `AzureCloud` holds every Azure datacenter's public IPv4 ranges (`AzureCloud.<region>`
 *   the region's);
 * - tags of different services, or of different regions, do not overlap;
 * - `VirtualNetwork` is the VNet's space, but a 0.0.0.0/0 user route can make it everything;
 * - a CIDR against a service tag cannot be decided, except prefixes no Azure public service
 *   uses (private, shared and loopback ranges) and 0.0.0.0/0.
 */
import * as ipaddr from "ipaddr.js";
import { addressKind, parsePrefix, prefixContains, prefixesOverlap } from "../addresses";

export type Coverage =
  | { readonly kind: "all" }
  | { readonly kind: "none" }
  | { readonly kind: "maybe"; readonly reason: string };

export const ALL: Coverage = { kind: "all" };
export const NONE: Coverage = { kind: "none" };
export function maybe(reason: string): Coverage {
  return { kind: "maybe", reason };
}

/** Where the rules are judged: facts about the subnet that change what a prefix covers. */
export interface Surroundings {
  /** The pool subnet's prefix, when known: decides CIDRs against the nodes' own addresses. */
  readonly subnetPrefix?: string;
  /** The subnet's route table sends 0.0.0.0/0 somewhere: `VirtualNetwork` may be everything. */
  readonly defaultRouteOverridden: boolean;
}

/** A service tag's base and region, in lower case. */
export interface TagParts {
  readonly base: string;
  readonly region?: string;
}

const TAG_PARTS = new Map<string, TagParts>();
const TAG_PARTS_LIMIT = 10_000;

/**
 * A service tag split into its base and region, in lower case (`Storage.WestUS2`). Asked for
 * every rule that names a tag, of every analysis, about the same few tags: each spelling is
 * split once (up to a bound), and the answer is shared, so it is frozen.
 */
export function splitTag(tag: string): TagParts {
  let parts = TAG_PARTS.get(tag);
  if (!parts) {
    const [base, region] = tag.toLowerCase().split(".");
    parts = Object.freeze(region === undefined ? { base } : { base, region });
    if (TAG_PARTS.size >= TAG_PARTS_LIMIT) TAG_PARTS.clear();
    TAG_PARTS.set(tag, parts);
  }
  return parts;
}

// Prefixes no Azure public service tag contains.
const NON_PUBLIC = [
  "private",
  "loopback",
  "linkLocal",
  "carrierGradeNat",
  "uniqueLocal",
  "unspecified",
  "reserved",
];

function isNonPublic(prefix: string): boolean {
  const [address, length] = parsePrefix(prefix);
  const range = address.range();
  if (!NON_PUBLIC.includes(range)) return false;
  // The whole prefix must stay in that range: check its broadcast address too.
  const last =
    address.kind() === "ipv4"
      ? ipaddr.IPv4.broadcastAddressFromCIDR(`${address.toString()}/${length}`)
      : ipaddr.IPv6.broadcastAddressFromCIDR(`${address.toString()}/${length}`);
  return last.range() === range;
}

// Rules repeat the same few prefixes, and the analyzer asks about each for every probe:
// answers are memoised per question, prefix and far end (two levels of maps, so that the inner
// loop builds no key string), bounded so that a long-running policy server does not grow
// without end.
const MEMO_LIMIT = 100_000;
let memoSize = 0;
const memos = {
  tag: new Map<string, Map<string, Coverage>>(),
  tagForced: new Map<string, Map<string, Coverage>>(),
  address: new Map<string, Map<string, Coverage>>(),
  nodes: new Map<string, Map<string, Coverage>>(),
};

function remembered(
  memo: Map<string, Map<string, Coverage>>,
  outer: string,
  inner: string,
  compute: () => Coverage,
): Coverage {
  let answers = memo.get(outer);
  const known = answers?.get(inner);
  if (known) return known;
  if (memoSize >= MEMO_LIMIT) {
    for (const m of Object.values(memos)) m.clear();
    memoSize = 0;
    answers = undefined;
  }
  if (!answers) {
    answers = new Map();
    memo.set(outer, answers);
  }
  const value = compute();
  answers.set(inner, value);
  memoSize++;
  return value;
}

/** Whether `prefix` covers the public service tag `tag` (BatchNodeManagement.westus2, Storage.westus2). */
export function coversServiceTag(prefix: string, tag: string, around: Surroundings): Coverage {
  return remembered(around.defaultRouteOverridden ? memos.tagForced : memos.tag, prefix, tag, () =>
    serviceTagCoverage(prefix, tag, around),
  );
}

/**
 * Whether `prefix` covers a flow's far end: a public service tag, or an address in the VNet (a
 * private endpoint's IP, or the subnet it lives in).
 */
export function coversPeer(prefix: string, peer: string, around: Surroundings): Coverage {
  const kind = addressKind(peer);
  if (kind === "serviceTag") return coversServiceTag(prefix, peer, around);
  return remembered(memos.address, prefix, peer, () => addressCoverage(prefix, peer));
}

/**
 * Whether `prefix` covers every address of `peer` (an IP or CIDR). A private peer is taken to
 * be in the VNet or a peered one (where private endpoints live), so `VirtualNetwork` holds it;
 * a public service tag never holds a private address.
 */
function addressCoverage(prefix: string, peer: string): Coverage {
  const kind = addressKind(prefix);
  if (kind === "any") return ALL;
  const privatePeer = isNonPublic(peer);
  if (kind === "serviceTag") {
    const { base } = splitTag(prefix);
    if (privatePeer) return base === "virtualnetwork" ? ALL : NONE;
    if (base === "internet") return ALL;
    return maybe(`whether ${prefix} holds ${peer} cannot be told offline`);
  }
  if (kind === "cidr" || kind === "ip") {
    if (prefixContains(prefix, peer)) return ALL;
    if (!prefixesOverlap(prefix, peer)) return NONE;
    return maybe(`${prefix} holds only part of ${peer}`);
  }
  return NONE;
}

function serviceTagCoverage(prefix: string, tag: string, around: Surroundings): Coverage {
  const kind = addressKind(prefix);
  if (kind === "any") return ALL;
  if (kind === "serviceTag") {
    const rule = splitTag(prefix);
    const peer = splitTag(tag);
    if (rule.base === peer.base)
      return rule.region === undefined || rule.region === peer.region ? ALL : NONE;
    if (rule.base === "internet") return ALL;
    if (rule.base === "azurecloud")
      return rule.region === undefined || rule.region === peer.region ? ALL : NONE;
    if (rule.base === "virtualnetwork" && around.defaultRouteOverridden) {
      return maybe(
        `VirtualNetwork can include every address when a 0.0.0.0/0 user route is present; whether it covers ${tag} cannot be told offline`,
      );
    }
    return NONE;
  }
  if (kind === "cidr" || kind === "ip") {
    if (prefix === "0.0.0.0/0") return ALL;
    if (isNonPublic(prefix)) return NONE;
    return maybe(
      `whether ${prefix} covers ${tag} cannot be told offline (service tag ranges change)`,
    );
  }
  return NONE;
}

/** Whether `prefix` covers the nodes of the pool subnet (the local end of every flow). */
export function coversNodes(prefix: string, around: Surroundings): Coverage {
  return remembered(memos.nodes, prefix, around.subnetPrefix ?? "", () =>
    nodeCoverage(prefix, around),
  );
}

function nodeCoverage(prefix: string, around: Surroundings): Coverage {
  const kind = addressKind(prefix);
  if (kind === "any") return ALL;
  if (kind === "serviceTag") {
    const { base } = splitTag(prefix);
    return base === "virtualnetwork" ? ALL : NONE;
  }
  if (kind === "cidr" || kind === "ip") {
    if (prefix === "0.0.0.0/0") return ALL;
    if (!around.subnetPrefix)
      return maybe(
        `whether ${prefix} holds the pool's nodes depends on the subnet prefix (give it)`,
      );
    if (prefixContains(prefix, around.subnetPrefix)) return ALL;
    if (!prefixesOverlap(prefix, around.subnetPrefix)) return NONE;
    return maybe(`${prefix} holds only part of the subnet ${around.subnetPrefix}`);
  }
  return NONE;
}

// A rule's plural address field matches if any entry does: the best coverage of its entries,
// stopping at the first that covers all. These two run for every rule, flow and packet shape,
// so each is a plain loop (no callback, nothing allocated).

/** How well any of `prefixes` covers the flow's far end. */
export function anyCoversPeer(
  prefixes: readonly string[],
  peer: string,
  around: Surroundings,
): Coverage {
  let best: Coverage = NONE;
  for (const prefix of prefixes) {
    const c = coversPeer(prefix, peer, around);
    if (c.kind === "all") return ALL;
    if (c.kind === "maybe" && best.kind === "none") best = c;
  }
  return best;
}

/** How well any of `prefixes` covers the pool's nodes. */
export function anyCoversNodes(prefixes: readonly string[], around: Surroundings): Coverage {
  let best: Coverage = NONE;
  for (const prefix of prefixes) {
    const c = coversNodes(prefix, around);
    if (c.kind === "all") return ALL;
    if (c.kind === "maybe" && best.kind === "none") best = c;
  }
  return best;
}
