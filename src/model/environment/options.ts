/**
 * The one place a network's settings become the rule generator's and route generator's
 * options: validation, the design and the components all derive them here.
 */
import type { RouteOptions } from "../routes";
import type { RuleOptions } from "../rules";
import { natPoolAccessOf } from "../natPools";
import type { NetworkSettings, PoolSettings, PrivateEndpointSettings } from "./settings";

/** The options the NSG rules are generated with. */
export function ruleOptionsOf(
  network: NetworkSettings<unknown> | undefined,
  pool?: PoolSettings<unknown>,
): RuleOptions {
  const n = network ?? {};
  const natPools = pool?.inboundNatPools;
  return {
    priorityBase: n.priorityBase,
    classicJobManagerOutbound: n.classicJobManagerOutbound,
    remoteAccess: n.remoteAccess,
    outboundLockdown: n.outboundLockdown,
    extraRules: n.extraRules,
    ...(Array.isArray(natPools) && natPools.length > 0
      ? { natPoolAccess: natPoolAccessOf(natPools) }
      : {}),
  };
}

/**
 * The options the forced-tunnelling routes are generated with; undefined without routes.
 * @param nodesHaveWayOut whether the nodes can leave for the Internet at all (public IPs, a NAT
 * gateway): where they cannot, a route to the Internet carries nothing.
 */
export function routeOptionsOf(
  network: NetworkSettings<unknown> | undefined,
  endpoints: PrivateEndpointSettings<unknown> | undefined,
  nodesHaveWayOut = true,
): RouteOptions | undefined {
  const routes = network?.routes;
  if (routes === undefined) return undefined;
  return {
    defaultRoute: routes.defaultRoute,
    classicStorageBypass: routes.classicStorageBypass,
    nodeManagementPrivateEndpoint: endpoints?.nodeManagement === true,
    ...(nodesHaveWayOut ? {} : { nodesHaveNoWayOut: true }),
  };
}
