/**
 * User-defined routes for forced tunnelling: when the subnet's default route sends traffic to
 * an appliance or gateway, the routes each mode needs so Batch management traffic still flows
 * (learn.microsoft.com/azure/batch/batch-virtual-network, "User-defined routes for forced
 * tunneling").
 */
import { addressKind } from "./addresses";
import { enumValues, NextHopType, TunnelNextHopType } from "./enums";
import { batchNodeManagementTag, storageTag } from "./flows";
import { CommunicationMode, NodeMode } from "./modes";
import { isObject } from "./json";
import { shown } from "./printable";
import { InvalidInputError, objectProblem, Problem } from "./problems";
import { checkScope } from "./scope";
import { refuseTooDeepArguments } from "./input/json";

/** A route in the shape `@pulumi/azure-native/network` `RouteTable.routes` takes. */
export interface RouteSpec {
  readonly name: string;
  /** CIDR prefix or service tag (`BatchNodeManagement.westus2`). */
  readonly addressPrefix: string;
  readonly nextHopType: NextHopType;
  /** Only for `VirtualAppliance`. */
  readonly nextHopIpAddress?: string;
}

/** Where the subnet's default route (0.0.0.0/0) goes. */
export interface DefaultRouteOptions {
  /** `VirtualAppliance` (give its IP) or `VirtualNetworkGateway`. */
  readonly nextHopType: TunnelNextHopType;
  /** Private IP of the appliance (firewall), for `VirtualAppliance`. */
  readonly nextHopIpAddress?: string;
}

/** Options for {@link forcedTunnelRoutes}. */
export interface RouteOptions {
  /** The default route to your appliance or gateway, included in the returned routes. */
  readonly defaultRoute?: DefaultRouteOptions;
  /**
   * Simplified nodes reach node management through a `nodeManagement` private endpoint, so
   * simplified traffic stays in the VNet and needs no route. Classic still needs one.
   */
  readonly nodeManagementPrivateEndpoint?: boolean;
  /**
   * Classic only: send `Storage.<region>` straight to the Internet instead of through the
   * appliance. Without it, the appliance must allow outbound TCP 443 to `Storage.<region>`.
   */
  readonly classicStorageBypass?: boolean;
  /**
   * The nodes have no way out to the Internet (no public IPs, no NAT gateway, a private
   * subnet): a route to the Internet carries nothing there, so none is made, and the appliance
   * must let Batch's traffic out itself.
   */
  readonly nodesHaveNoWayOut?: boolean;
}

/** Routes plus what the appliance itself must allow. */
export interface RouteSet {
  readonly region: string;
  readonly modes: readonly NodeMode[];
  readonly routes: readonly RouteSpec[];
  /** Requirements routes cannot express (what the appliance must let through), in words. */
  readonly notes: readonly string[];
}

export const NODE_MANAGEMENT_ROUTE_NAME = "BatchNodeManagementToInternet";
export const STORAGE_ROUTE_NAME = "BatchClassicStorageToInternet";
export const DEFAULT_ROUTE_NAME = "DefaultToAppliance";

/** The switches of {@link RouteOptions}: true or false, never "no" (a string is truthy). */
const ROUTE_SWITCHES = [
  "nodeManagementPrivateEndpoint",
  "classicStorageBypass",
  "nodesHaveNoWayOut",
] as const;

/** Problems with route options, each naming its field under `path`. */
export function validateRouteOptions(options: RouteOptions, path = ""): Problem[] {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  const switches = ROUTE_SWITCHES.flatMap((key): Problem[] => {
    const value: unknown = Object.hasOwn(options, key) ? options[key] : undefined;
    return value === undefined || typeof value === "boolean"
      ? []
      : [{ field: at(key), message: `must be true or false, not ${shown(value)}.` }];
  });
  return [...switches, ...defaultRouteProblems(options, at)];
}

function defaultRouteProblems(options: RouteOptions, at: (field: string) => string): Problem[] {
  const route = options.defaultRoute;
  if (route === undefined) return [];
  if (!isObject(route))
    return objectProblem(
      route,
      at("defaultRoute"),
      "default route settings (nextHopType, nextHopIpAddress)",
    );
  const hops: string[] = enumValues(TunnelNextHopType);
  if (!hops.includes(route.nextHopType)) {
    return [
      {
        field: at("defaultRoute.nextHopType"),
        message: `${shown(route.nextHopType)} is not allowed; use "VirtualAppliance" (with nextHopIpAddress) or "VirtualNetworkGateway".`,
      },
    ];
  }
  const ip = route.nextHopIpAddress;
  if (
    route.nextHopType === "VirtualAppliance" &&
    (typeof ip !== "string" || addressKind(ip) !== "ip")
  ) {
    return [
      {
        field: at("defaultRoute.nextHopIpAddress"),
        message: `${shown(ip)} is not an IP address; a VirtualAppliance next hop needs the appliance's private IP (e.g. 10.0.1.4).`,
      },
    ];
  }
  if (route.nextHopType === "VirtualAppliance" && typeof ip === "string" && ip.includes(":")) {
    return [
      {
        field: at("defaultRoute.nextHopIpAddress"),
        message: `${shown(ip)} is an IPv6 address; the route is for 0.0.0.0/0, and Azure takes a next hop of the prefix's family: give the appliance's IPv4 address (e.g. 10.0.1.4).`,
      },
    ];
  }
  if (route.nextHopType === "VirtualNetworkGateway" && ip !== undefined) {
    return [
      {
        field: at("defaultRoute.nextHopIpAddress"),
        message: "is only for VirtualAppliance; leave it out for VirtualNetworkGateway.",
      },
    ];
  }
  return [];
}

/**
 * The user-defined routes a subnet with forced tunnelling needs for a set of modes.
 * @throws InvalidInputError for an unknown region, no modes, or invalid options.
 */
export function forcedTunnelRoutes(
  region: string,
  modes: Iterable<CommunicationMode>,
  options: RouteOptions = {},
): RouteSet {
  refuseTooDeepArguments({ region, modes, options });
  const scope = checkScope(region, modes);
  const shape = objectProblem(options, "options", "route options");
  const problems = [...scope.problems, ...(shape.length ? shape : validateRouteOptions(options))];
  if (problems.length > 0 || !scope.region) throw new InvalidInputError(problems);
  return routeSetFor(scope.region.name, scope.modes, options);
}

/**
 * {@link forcedTunnelRoutes} without validation, for callers that validated already.
 * @param region programmatic region name.
 */
export function routeSetFor(
  region: string,
  wanted: readonly NodeMode[],
  options: RouteOptions,
): RouteSet {
  const classic = wanted.includes(CommunicationMode.Classic);
  const simplified = wanted.includes(CommunicationMode.Simplified);
  const routes: RouteSpec[] = [];
  const notes: string[] = [];
  const needsNodeManagement = classic || (simplified && !options.nodeManagementPrivateEndpoint);
  if (needsNodeManagement && options.nodesHaveNoWayOut) {
    notes.push(
      `The nodes have no way out to the Internet (no public IPs, no NAT gateway), so a route ${batchNodeManagementTag(region)} -> Internet would carry nothing: the appliance must allow outbound 443 (TCP and UDP) to ${batchNodeManagementTag(region)}.`,
    );
  } else if (needsNodeManagement) {
    routes.push({
      name: NODE_MANAGEMENT_ROUTE_NAME,
      addressPrefix: batchNodeManagementTag(region),
      nextHopType: "Internet",
    });
  }
  if (classic && options.classicStorageBypass) {
    routes.push({
      name: STORAGE_ROUTE_NAME,
      addressPrefix: storageTag(region),
      nextHopType: "Internet",
    });
  } else if (classic && options.defaultRoute) {
    notes.push(
      `Classic: the appliance must allow outbound TCP 443 to ${storageTag(region)} (or set classicStorageBypass).`,
    );
  }
  if (options.defaultRoute) {
    routes.push({
      name: DEFAULT_ROUTE_NAME,
      addressPrefix: "0.0.0.0/0",
      nextHopType: options.defaultRoute.nextHopType,
      ...(options.defaultRoute.nextHopIpAddress
        ? { nextHopIpAddress: options.defaultRoute.nextHopIpAddress }
        : {}),
    });
  }
  return { region, modes: [...wanted], routes, notes };
}
