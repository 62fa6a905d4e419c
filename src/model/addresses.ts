/**
 * What an NSG or route address field holds: `*`, an IP address, a CIDR prefix or a service tag.
 * Address parsing is ipaddr.js's; this file only decides which kind a string is.
 */
import * as ipaddr from "ipaddr.js";

export type AddressKind = "any" | "ip" | "cidr" | "serviceTag" | "invalid";

// Service tags are a name, optionally a dot and a region or qualifier: `Storage`,
// `BatchNodeManagement.westus2`, `AzureCloud.EastUS`, `AzureFrontDoor.Backend`.
const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)?$/;

function isIp(text: string): boolean {
  // Four-part decimal only: ipaddr.js's lenient IPv4 parser also takes `10` or `0xa.1`,
  // which Azure rejects.
  return ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text);
}

function isCidr(text: string): boolean {
  return ipaddr.IPv4.isValidCIDRFourPartDecimal(text) || ipaddr.IPv6.isValidCIDR(text);
}

/** The kind of address `text` is, as Azure would read it in an NSG rule's address prefix. */
export function addressKind(text: string): AddressKind {
  if (text === "*") return "any";
  if (isIp(text)) return "ip";
  if (isCidr(text)) return "cidr";
  if (SERVICE_TAG.test(text)) return "serviceTag";
  return "invalid";
}

/** Parses an IP or CIDR into a network and prefix length (an IP is a /32 or /128). */
export function parsePrefix(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  if (isIp(text)) {
    const address = ipaddr.parse(text);
    return [address, address.kind() === "ipv4" ? 32 : 128];
  }
  return ipaddr.parseCIDR(text);
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
