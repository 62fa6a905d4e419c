/**
 * Which route traffic to a service tag takes, and what that means for a Batch flow.
 *
 * Route choice (learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview): the
 * longest prefix wins; a service-tag route is more specific than 0.0.0.0/0, and a regional tag
 * beats its global tag. A user route to a CIDR other than 0.0.0.0/0 may or may not hold a
 * tag's addresses, which cannot be told offline (private ranges never do).
 */
import { addressKind, parsePrefix, prefixesOverlap } from "../addresses";
import { coversServiceTag, Surroundings } from "./coverage";
import type { RouteEntry, RouteTable } from "./network";

export interface RouteChoice {
  /** The user route that carries the traffic; undefined: Azure's system route to the Internet. */
  readonly route?: RouteEntry;
  /** Set when the carrying route cannot be told offline. */
  readonly undecided?: string;
}

function tagSpecificity(prefix: string): number {
  return prefix.includes(".") ? 2 : 1;
}

/** The route traffic to `peer` (a service tag, or a VNet address) takes through `table`. */
export function routeFor(table: RouteTable | undefined, peer: string): RouteChoice {
  if (!table) return {};
  return addressKind(peer) === "serviceTag" ? tagRoute(table, peer) : vnetRoute(table, peer);
}

/**
 * The route to an address in the VNet (a private endpoint). The VNet's system route carries it,
 * and a private endpoint's own /32 system route beats every wider user route unless private
 * endpoint network policies are on for its subnet: so a user route decides only for the very
 * address, and a wider one that holds it leaves the choice undecided.
 */
function vnetRoute(table: RouteTable, peer: string): RouteChoice {
  const holding = table.routes
    .filter((r) => {
      const kind = addressKind(r.addressPrefix);
      return (kind === "cidr" || kind === "ip") && r.addressPrefix !== "0.0.0.0/0";
    })
    .filter((r) => prefixesOverlap(r.addressPrefix, peer))
    .sort((a, b) => parsePrefix(b.addressPrefix)[1] - parsePrefix(a.addressPrefix)[1]);
  const route = holding[0];
  if (!route || route.nextHopType === "VnetLocal") return route ? { route } : {};
  if (parsePrefix(route.addressPrefix)[1] >= parsePrefix(peer)[1]) return { route };
  return {
    route,
    undecided: `route ${route.name} (${route.addressPrefix}) holds ${peer}; it carries the traffic only if private endpoint network policies are enabled for route tables on the endpoint's subnet (otherwise the endpoint's own /32 route wins)`,
  };
}

function tagRoute(table: RouteTable, tag: string): RouteChoice {
  const around: Surroundings = { defaultRouteOverridden: false };
  const tagRoutes = table.routes
    .filter(
      (r) =>
        addressKind(r.addressPrefix) === "serviceTag" &&
        coversServiceTag(r.addressPrefix, tag, around).kind === "all",
    )
    .sort((a, b) => tagSpecificity(b.addressPrefix) - tagSpecificity(a.addressPrefix));
  if (tagRoutes.length > 0) return { route: tagRoutes[0] };
  const cidrRoutes = table.routes.filter(
    (r) => ["cidr", "ip"].includes(addressKind(r.addressPrefix)) && r.addressPrefix !== "0.0.0.0/0",
  );
  const unsure = cidrRoutes.find(
    (r) => coversServiceTag(r.addressPrefix, tag, around).kind === "maybe",
  );
  if (unsure) {
    return {
      route: unsure,
      undecided: `route ${unsure.name} (${unsure.addressPrefix}) may carry part of ${tag}; which addresses it holds cannot be told offline`,
    };
  }
  const defaultRoute = table.routes.find((r) => r.addressPrefix === "0.0.0.0/0");
  return defaultRoute ? { route: defaultRoute } : {};
}

/** Whether the table sends 0.0.0.0/0 anywhere but the Internet (forced tunnelling). */
export function forcesDefaultRoute(table: RouteTable | undefined): boolean {
  return !!table?.routes.some(
    (r) => r.addressPrefix === "0.0.0.0/0" && r.nextHopType !== "Internet",
  );
}

export function describeRoute(route: RouteEntry | undefined, peer?: string): string {
  if (!route)
    return peer && addressKind(peer) !== "serviceTag"
      ? "system route -> VNet"
      : "system route -> Internet";
  const hop = route.nextHopIpAddress
    ? `${route.nextHopType} ${route.nextHopIpAddress}`
    : route.nextHopType;
  return `route ${route.name} (${route.addressPrefix} -> ${hop})`;
}
