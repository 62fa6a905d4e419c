/**
 * Which route traffic to a service tag takes, and what that means for a Batch flow.
 *
 * Route choice (learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview): the
 * longest prefix wins; a service-tag route is more specific than 0.0.0.0/0, and a regional tag
 * beats its global tag. A user route to a CIDR other than 0.0.0.0/0 may or may not hold a
 * tag's addresses, which cannot be told offline (private ranges never do).
 */
import { addressKind } from "../addresses";
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

/** The route traffic to `tag` takes through `table`. */
export function routeFor(table: RouteTable | undefined, tag: string): RouteChoice {
  if (!table) return {};
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

export function describeRoute(route: RouteEntry | undefined): string {
  if (!route) return "system route -> Internet";
  const hop = route.nextHopIpAddress
    ? `${route.nextHopType} ${route.nextHopIpAddress}`
    : route.nextHopType;
  return `route ${route.name} (${route.addressPrefix} -> ${hop})`;
}
