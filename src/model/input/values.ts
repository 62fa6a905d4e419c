/**
 * Values that Azure exports and the command line's options share, declared once: addresses,
 * prefixes and a pool's public IP provisioning mean the same in a pool's export as in
 * `check --public-ip`.
 */
import * as v from "valibot";
import { addressKind, vnetAddressable } from "../addresses";
import { oneOf, says } from "./schema";

/** A CIDR prefix, IPv4 or IPv6 (a dual-stack subnet has both). */
export const cidr = v.pipe(
  v.string(says("is not a CIDR prefix.")),
  v.check((s) => addressKind(s) === "cidr", says("is not a CIDR prefix (10.0.0.0/24).")),
);

/** An IP address, IPv4 or IPv6. */
export const ipAddress = v.pipe(
  v.string(says("is not an IP address.")),
  v.check((s) => addressKind(s) === "ip", says("is not an IP address.")),
);

/**
 * An IPv4 address (`ip`) or prefix (`cidr`) a VNet can give a private endpoint: not loopback,
 * link-local, 0.0.0.0, multicast or broadcast.
 */
export function endpointAddress(kind: "ip" | "cidr", example: string) {
  const what = kind === "ip" ? "an IPv4 address" : "an IPv4 CIDR prefix";
  return v.pipe(
    v.string(says(`is not ${what} (${example}).`)),
    v.check(
      (s) => addressKind(s) === kind && !s.includes(":"),
      says(`is not ${what} (${example}).`),
    ),
    v.check(
      vnetAddressable,
      says(
        `is an address no VNet gives a private endpoint (loopback, link-local, 0.0.0.0, multicast or broadcast); give the endpoint's private address (${example}).`,
      ),
    ),
  );
}

/** A pool's `publicIPAddressConfiguration.provision`. */
export const PUBLIC_IP_PROVISIONING = oneOf(
  ["BatchManaged", "UserManaged", "NoPublicIPAddresses"] as const,
  "a public IP provisioning; use one of BatchManaged, UserManaged, NoPublicIPAddresses (the pool's networkConfiguration.publicIPAddressConfiguration.provision)",
);
