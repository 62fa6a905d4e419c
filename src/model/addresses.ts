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

// Dotted-quad shapes: the only strings ipaddr.js's four-part decimal checks can accept.
const DOTTED_QUAD = /^\d{1,3}(\.\d{1,3}){3}$/;
const DOTTED_QUAD_CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,3}$/;

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

function classify(text: string): AddressKind {
  if (text === "*") return "any";
  const ipv6 = text.includes(":");
  if (text.includes("/")) {
    // Four-part decimal only: ipaddr.js's lenient IPv4 parser also takes `10` or `0xa.1`,
    // which Azure rejects.
    if (ipv6) return ipaddr.IPv6.isValidCIDR(text) ? "cidr" : "invalid";
    return DOTTED_QUAD_CIDR.test(text) && ipaddr.IPv4.isValidCIDRFourPartDecimal(text)
      ? "cidr"
      : "invalid";
  }
  if (ipv6) return ipaddr.IPv6.isValid(text) ? "ip" : "invalid";
  if (DOTTED_QUAD.test(text)) return ipaddr.IPv4.isValidFourPartDecimal(text) ? "ip" : "invalid";
  return SERVICE_TAG.test(text) ? "serviceTag" : "invalid";
}

const KINDS = new Map<string, AddressKind>();

/** The kind of address `text` is, as Azure would read it in an NSG rule's address prefix. */
export function addressKind(text: string): AddressKind {
  return cached(KINDS, text, classify);
}

type Prefix = readonly [ipaddr.IPv4 | ipaddr.IPv6, number];

function parse(text: string): Prefix {
  if (addressKind(text) === "ip") {
    const address = ipaddr.parse(text);
    return [address, address.kind() === "ipv4" ? 32 : 128];
  }
  return ipaddr.parseCIDR(text);
}

const PREFIXES = new Map<string, Prefix>();

/**
 * Parses an IP or CIDR into a network and prefix length (an IP is a /32 or /128).
 * @throws Error from ipaddr.js when `text` is neither.
 */
export function parsePrefix(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const [address, length] = cached(PREFIXES, text, parse);
  return [address, length];
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
