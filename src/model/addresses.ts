/**
 * What an NSG or route address field holds: `*`, an IP address, a CIDR prefix or a service tag.
 * Address parsing is ipaddr.js's; this file only decides which kind a string is.
 *
 * ipaddr.js's validity checks parse by throwing and catching, several times per string, and
 * NSGs repeat the same few strings across rules. So the shape is settled first with cheap tests
 * (a service tag is never an IP; only a string with `/` can be a CIDR; only one with `:` can be
 * IPv6), ipaddr.js decides only among the candidates, and each distinct string is classified and
 * parsed once (up to a bound, so a hostile input cannot grow the caches without end).
 */
import * as ipaddr from "ipaddr.js";

export type AddressKind = "any" | "ip" | "cidr" | "serviceTag" | "invalid";

// Service tags are a name, optionally a dot and a region or qualifier: `Storage`,
// `BatchNodeManagement.westus2`, `AzureCloud.EastUS`, `AzureFrontDoor.Backend`.
const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)?$/;

// Four-part decimal IPv4, without leading zeros: the only form Azure accepts (ipaddr.js's
// isValidFourPartDecimal tests the same pattern; its lenient parser alone also takes `10` or
// `0xa.1`). The pattern only settles the shape: ipaddr.js still parses and range-checks it.
const FOUR_PART_DECIMAL = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/;
const FOUR_PART_DECIMAL_CIDR = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}\/\d{1,3}$/;

/** Most distinct strings each cache keeps; past it, the cache starts again. */
const CACHE_LIMIT = 50_000;

function cached<T>(cache: Map<string, T>, text: string, compute: (text: string) => T): T {
  const known = cache.get(text);
  if (known !== undefined) return known;
  const value = compute(text);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, value);
  return value;
}

type Prefix = readonly [ipaddr.IPv4 | ipaddr.IPv6, number];

const PREFIXES = new Map<string, Prefix>();

/** ipaddr.js's parse of a candidate, kept for parsePrefix; undefined when it refuses it. */
function parsedOnce(text: string, parse: (text: string) => Prefix): Prefix | undefined {
  try {
    const prefix = parse(text);
    if (PREFIXES.size >= CACHE_LIMIT) PREFIXES.clear();
    PREFIXES.set(text, prefix);
    return prefix;
  } catch {
    return undefined;
  }
}

const asHost = (address: ipaddr.IPv4 | ipaddr.IPv6): Prefix => [
  address,
  address.kind() === "ipv4" ? 32 : 128,
];

/**
 * A four-part decimal IPv4 address (a /32) or prefix, of a string the shape tests below already
 * matched, read directly. ipaddr.js's own parser tries every IPv4 spelling (hex, octal, fewer
 * parts) by patterns V8 compiles anew in every process, some milliseconds of a one-NSG `check`;
 * its IPv4 class still checks each octet (it throws past 255), and the length is checked as its
 * parseCIDR checks it (0-32). The tests hold this to ipaddr.js's parse.
 */
function fourPartDecimal(text: string): Prefix {
  const slash = text.indexOf("/");
  const octets = (slash === -1 ? text : text.slice(0, slash)).split(".").map(Number);
  const address = new ipaddr.IPv4(octets);
  if (slash === -1) return [address, 32];
  const length = Number.parseInt(text.slice(slash + 1), 10);
  if (!(length >= 0 && length <= 32)) throw new Error("ipaddr: prefix length is not 0-32");
  return [address, length];
}

/**
 * Which kind a string is. A candidate is parsed by ipaddr.js once, and that parse is what
 * parsePrefix later returns: the validity checks (isValidCIDRFourPartDecimal and the like)
 * would parse it twice more, by throwing and catching.
 */
function classify(text: string): AddressKind {
  if (text === "*") return "any";
  const ipv6 = text.includes(":");
  if (text.includes("/")) {
    if (ipv6) return ipaddr.IPv6.isValidCIDR(text) ? "cidr" : "invalid";
    if (!FOUR_PART_DECIMAL_CIDR.test(text)) return "invalid";
    return parsedOnce(text, fourPartDecimal) ? "cidr" : "invalid";
  }
  if (ipv6) return ipaddr.IPv6.isValid(text) ? "ip" : "invalid";
  if (FOUR_PART_DECIMAL.test(text)) return parsedOnce(text, fourPartDecimal) ? "ip" : "invalid";
  return SERVICE_TAG.test(text) ? "serviceTag" : "invalid";
}

const KINDS = new Map<string, AddressKind>();

/** The kind of address `text` is, as Azure would read it in an NSG rule's address prefix. */
export function addressKind(text: string): AddressKind {
  return cached(KINDS, text, classify);
}

function parse(text: string): Prefix {
  if (addressKind(text) === "ip") return asHost(ipaddr.parse(text));
  return ipaddr.parseCIDR(text);
}

/**
 * Parses an IP or CIDR into a network and prefix length (an IP is a /32 or /128).
 * @throws Error from ipaddr.js when `text` is neither.
 */
export function parsePrefix(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const [address, length] = cached(PREFIXES, text, parse);
  return [address, length];
}

/**
 * A prefix in one spelling: its network address and length (`10.0.0.7/24` -> `10.0.0.0/24`, an
 * IP -> `/32`, IPv6 compressed), to tell two spellings of one prefix apart from two prefixes.
 */
export function canonicalPrefix(text: string): string {
  const [address, length] = parsePrefix(text);
  const bytes = address.toByteArray();
  for (let bit = length; bit < bytes.length * 8; bit++) bytes[bit >> 3] &= ~(0x80 >> (bit & 7));
  return `${ipaddr.fromByteArray(bytes).toString()}/${length}`;
}

/**
 * Whether IP addresses and CIDR prefixes together cover a whole address family, that is the
 * whole Internet: any `/0` (`198.51.100.7/0`, `0.0.0.0/00`, `::/0` spelled out), or IPv4
 * prefixes whose union is every IPv4 address (`0.0.0.0/1` with `128.0.0.0/1`).
 */
export function coversWholeInternet(prefixes: readonly string[]): boolean {
  const ranges: Array<[number, number]> = [];
  for (const text of prefixes) {
    const kind = addressKind(text);
    if (kind !== "ip" && kind !== "cidr") continue;
    const [address, length] = parsePrefix(text);
    if (length === 0) return true;
    if (address.kind() !== "ipv4") continue;
    const value = address.toByteArray().reduce((n, b) => n * 256 + b, 0);
    const size = ipv4PrefixSize(length);
    ranges.push([value - (value % size), value - (value % size) + size]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let reached = 0;
  for (const [start, end] of ranges) {
    if (start > reached) return false;
    reached = Math.max(reached, end);
  }
  return reached >= 2 ** 32;
}

/** Number of addresses in an IPv4 prefix (`10.0.0.0/24` -> 256). */
export function ipv4PrefixSize(prefixLength: number): number {
  return 2 ** (32 - prefixLength);
}

/** Whether prefix `inner` lies wholly inside prefix `outer` (same address family). */
export function prefixContains(outer: string, inner: string): boolean {
  const [outerAddress, outerLength] = parsePrefix(outer);
  const [innerAddress, innerLength] = parsePrefix(inner);
  if (outerAddress.kind() !== innerAddress.kind() || innerLength < outerLength) return false;
  return innerAddress.match([outerAddress, outerLength]);
}

/** Whether two prefixes share any address. */
export function prefixesOverlap(a: string, b: string): boolean {
  return prefixContains(a, b) || prefixContains(b, a);
}

/** ipaddr.js's ranges of IPv4 addresses no VNet can give a resource. */
const NOT_IN_A_VNET = new Set([
  "unspecified",
  "broadcast",
  "multicast",
  "linkLocal",
  "loopback",
  "reserved",
]);

/**
 * Whether an IPv4 address (or every address of a prefix) could be a resource's private address
 * in a VNet: not loopback, link-local, `0.0.0.0`, multicast, broadcast or reserved.
 */
export function vnetAddressable(text: string): boolean {
  const kind = addressKind(text);
  if ((kind !== "ip" && kind !== "cidr") || text.includes(":")) return false;
  const [address] = parsePrefix(text);
  return !NOT_IN_A_VNET.has(address.range());
}
