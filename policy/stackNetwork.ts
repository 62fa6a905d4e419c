/**
 * Finds, in a stack's resources, each Batch pool's subnet, the subnet's NSG (inline rules plus
 * standalone SecurityRule resources) and route table, and reads them with the model's parsers,
 * so the policies judge them exactly as `azure-batch-network check` does.
 *
 * Relations are followed through the engine's property dependencies (known in previews too),
 * falling back to matching resource IDs. The subnet's outbound path (private or not, its NAT
 * gateway) and the pool's public IPs are read too, so the policies judge every layer a stack
 * declares; the VNet's security admin rules are not in a stack and are not judged. Subnets
 * declared inline in a VirtualNetwork and networks outside the stack are not seen.
 */
import type { PolicyResource } from "@pulumi/policy";
import {
  addressKind,
  Analysis,
  analyzeNetwork,
  CommunicationMode,
  findRegion,
  findCommunicationMode,
  formatProblems,
  InvalidInputError,
  modesForTargets,
  NetworkSecurityGroup,
  NodePublicIps,
  OutboundPath,
  parseNetworkSecurityGroup,
  parseRouteTable,
  PRIVATE_ENDPOINT_GROUPS,
  PrivateEndpointPath,
  resourceField,
  RouteTable,
} from "../src/model";

export const TYPES = {
  pool: "azure-native:batch:Pool",
  account: "azure-native:batch:BatchAccount",
  // The same resources declared at management API 2025-06-01 (no mode property there).
  pool20250601: "azure-native:batch/v20250601:Pool",
  account20250601: "azure-native:batch/v20250601:BatchAccount",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  rule: "azure-native:network:SecurityRule",
  routeTable: "azure-native:network:RouteTable",
  route: "azure-native:network:Route",
  privateEndpoint: "azure-native:network:PrivateEndpoint",
  natGateway: "azure-native:network:NatGateway",
} as const;

/** What a pool's traffic passes through, as far as the stack shows it. */
export interface PoolNetwork {
  readonly pool: PolicyResource;
  /** The pool's declared target (`Default` when it declares none). */
  readonly target: CommunicationMode;
  /** The modes its subnet must serve: what that target runs in today. */
  readonly modes: CommunicationMode[];
  readonly region?: string;
  readonly subnet?: PolicyResource;
  readonly nsg?: NetworkSecurityGroup;
  readonly routeTable?: RouteTable;
  /** The pool subnet's prefix, when the stack gives it. */
  readonly subnetPrefix?: string;
  /** The subnet's way out with the pool's public IPs, when the stack declares the subnet. */
  readonly outbound?: OutboundPath;
  /**
   * The account's private endpoints the stack declares, each at the prefix of the subnet it
   * lives in (its IP is known only after it is created): the flows they carry are judged there.
   */
  readonly privateEndpoints?: PrivateEndpointPath[];
  /** Why the network could not be read (malformed rules, say). */
  readonly unreadable?: string;
}

/** A property of a resource, by path: the engine hands props over untyped. */
function prop(resource: PolicyResource, ...path: string[]): unknown {
  let value: unknown = resource.props;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function related(
  from: PolicyResource,
  property: string,
  type: string,
  all: readonly PolicyResource[],
  idOf: () => unknown,
): PolicyResource | undefined {
  const viaDependency = (from.propertyDependencies?.[property] ?? []).find((r) => r.type === type);
  if (viaDependency) return viaDependency;
  const id = idOf();
  return typeof id === "string" && id
    ? all.find((r) => r.type === type && (prop(r, "id") === id || r.urn === id))
    : undefined;
}

function dependsOnOrNamed(
  resource: PolicyResource,
  property: string,
  target: PolicyResource,
): boolean {
  if ((resource.propertyDependencies?.[property] ?? []).some((r) => r.urn === target.urn))
    return true;
  const name = prop(resource, property);
  return typeof name === "string" && name !== "" && name === prop(target, "name");
}

function nsgOf(
  nsg: PolicyResource,
  all: readonly PolicyResource[],
  location: string | undefined,
): NetworkSecurityGroup {
  const standalone = all
    .filter((r) => r.type === TYPES.rule && dependsOnOrNamed(r, "networkSecurityGroupName", nsg))
    .map((r) => ({ ...(r.props as object), name: prop(r, "securityRuleName") ?? prop(r, "name") }));
  const inline = prop(nsg, "securityRules");
  return parseNetworkSecurityGroup(
    {
      name: prop(nsg, "name") ?? nsg.name,
      ...(location ? { location } : {}),
      securityRules: [...(Array.isArray(inline) ? (inline as unknown[]) : []), ...standalone],
    },
    `NSG ${nsg.name}`,
  );
}

function routeTableOf(table: PolicyResource, all: readonly PolicyResource[]): RouteTable {
  const standalone = all
    .filter((r) => r.type === TYPES.route && dependsOnOrNamed(r, "routeTableName", table))
    .map((r) => ({ ...(r.props as object), name: prop(r, "routeName") ?? prop(r, "name") }));
  const inline = prop(table, "routes");
  return parseRouteTable(
    {
      name: prop(table, "name") ?? table.name,
      routes: [...(Array.isArray(inline) ? (inline as unknown[]) : []), ...standalone],
    },
    `route table ${table.name}`,
  );
}

function cidrOf(subnet: PolicyResource | undefined): string | undefined {
  const prefix = subnet && prop(subnet, "addressPrefix");
  return typeof prefix === "string" && addressKind(prefix) === "cidr" ? prefix : undefined;
}

/** Whether a private endpoint connects to `account`, by dependency or by resource ID. */
function endpointOf(endpoint: PolicyResource, account: PolicyResource): boolean {
  const viaDependency = (endpoint.propertyDependencies?.privateLinkServiceConnections ?? []).some(
    (r) => r.urn === account.urn,
  );
  if (viaDependency) return true;
  const id = prop(account, "id");
  const connections = prop(endpoint, "privateLinkServiceConnections");
  return (
    typeof id === "string" &&
    Array.isArray(connections) &&
    connections.some((c) => resourceField(c, "privateLinkServiceId") === id)
  );
}

/**
 * The private endpoints of `account` in the stack, each at its subnet's prefix (the pool's own
 * subnet when it names none). An endpoint whose subnet prefix the stack does not show is left
 * out: its flow is then judged to the service tag, which asks more of the rules, never less.
 */
function privateEndpointsOf(
  account: PolicyResource | undefined,
  poolSubnet: PolicyResource,
  all: readonly PolicyResource[],
): PrivateEndpointPath[] {
  if (!account) return [];
  const paths: PrivateEndpointPath[] = [];
  for (const endpoint of all.filter((r) => r.type === TYPES.privateEndpoint)) {
    if (!endpointOf(endpoint, account)) continue;
    const connections = prop(endpoint, "privateLinkServiceConnections");
    const groups = (Array.isArray(connections) ? connections : []).flatMap((c: unknown) => {
      const ids = resourceField(c, "groupIds");
      return Array.isArray(ids) ? ids.filter((g): g is string => typeof g === "string") : [];
    });
    const group = PRIVATE_ENDPOINT_GROUPS.find((g) => groups.includes(g));
    const subnet =
      related(endpoint, "subnet", TYPES.subnet, all, () => prop(endpoint, "subnet", "id")) ??
      poolSubnet;
    const address = cidrOf(subnet);
    // A connection the stack declares as automatic is approved as it is made; a manual one
    // waits for the account's owner, so it carries nothing until then.
    const manual = prop(endpoint, "manualPrivateLinkServiceConnections");
    const waiting = Array.isArray(manual) && manual.length > 0 && groups.length === 0;
    if (group && address && !paths.some((p) => p.group === group))
      paths.push({
        group,
        address,
        source: endpoint.name,
        status: waiting ? "Pending" : "Approved",
      });
  }
  return paths;
}

/** The pool's public IP provisioning as declared (Batch's default, BatchManaged, when it says none). */
function publicIpsOf(pool: PolicyResource): NodePublicIps | undefined {
  const provision =
    prop(pool, "networkConfiguration", "publicIPAddressConfiguration", "provision") ??
    "BatchManaged";
  return provision === "BatchManaged" ||
    provision === "UserManaged" ||
    provision === "NoPublicIPAddresses"
    ? provision
    : undefined;
}

/** The subnet's way out as the stack declares it: private or not, its NAT gateway. */
function outboundOf(
  pool: PolicyResource,
  subnet: PolicyResource,
  all: readonly PolicyResource[],
): OutboundPath {
  const access = prop(subnet, "defaultOutboundAccess");
  const nat = related(subnet, "natGateway", TYPES.natGateway, all, () =>
    prop(subnet, "natGateway", "id"),
  );
  const natId = prop(subnet, "natGateway", "id");
  const addresses = nat ? prop(nat, "publicIpAddresses") : undefined;
  const prefixes = nat ? prop(nat, "publicIpPrefixes") : undefined;
  const nodePublicIps = publicIpsOf(pool);
  return {
    subnet: {
      name: subnet.name,
      prefixes: [cidrOf(subnet)].filter((p): p is string => p !== undefined),
      // Declared or not: a subnet a program declares without it gets Azure's default, which the
      // API version azure-native writes at leaves implicit (not private).
      defaultOutboundAccess: typeof access === "boolean" ? access : null,
      ...(nat || typeof natId === "string"
        ? { natGatewayId: typeof natId === "string" ? natId : nat!.urn }
        : {}),
    },
    ...(nat
      ? {
          natGateway: {
            name: nat.name,
            publicAddresses:
              (Array.isArray(addresses) ? addresses.length : 0) +
              (Array.isArray(prefixes) ? prefixes.length : 0),
          },
        }
      : {}),
    ...(nodePublicIps ? { nodePublicIps } : {}),
  };
}

/** Every Batch pool of the stack with the network it sits in. */
export function poolNetworks(resources: readonly PolicyResource[]): PoolNetwork[] {
  return resources
    .filter((r) => r.type === TYPES.pool || r.type === TYPES.pool20250601)
    .map((pool): PoolNetwork => {
      const target =
        findCommunicationMode(prop(pool, "targetNodeCommunicationMode") ?? "Default") ??
        CommunicationMode.Default;
      const account =
        related(pool, "accountName", TYPES.account, resources, () => undefined) ??
        related(pool, "accountName", TYPES.account20250601, resources, () => undefined);
      const subnet = related(pool, "networkConfiguration", TYPES.subnet, resources, () =>
        prop(pool, "networkConfiguration", "subnetId"),
      );
      if (!subnet) return { pool, target, modes: [target] };
      const nsgResource = related(subnet, "networkSecurityGroup", TYPES.nsg, resources, () =>
        prop(subnet, "networkSecurityGroup", "id"),
      );
      const tableResource = related(subnet, "routeTable", TYPES.routeTable, resources, () =>
        prop(subnet, "routeTable", "id"),
      );
      const location =
        (nsgResource && prop(nsgResource, "location")) ?? (account && prop(account, "location"));
      const region = typeof location === "string" ? location : undefined;
      // A Classic target may get Simplified nodes since Azure stopped honouring it.
      const modes = modesForTargets([target], region ? findRegion(region) : undefined);
      const subnetPrefix = cidrOf(subnet);
      const privateEndpoints = privateEndpointsOf(account, subnet, resources);
      const outbound = outboundOf(pool, subnet, resources);
      try {
        return {
          pool,
          target,
          modes,
          region,
          subnet,
          ...(subnetPrefix ? { subnetPrefix } : {}),
          outbound,
          ...(privateEndpoints.length > 0 ? { privateEndpoints } : {}),
          ...(nsgResource ? { nsg: nsgOf(nsgResource, resources, region) } : {}),
          ...(tableResource ? { routeTable: routeTableOf(tableResource, resources) } : {}),
        };
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        return {
          pool,
          target,
          modes,
          region,
          subnet,
          unreadable: formatProblems(error.problems, { separator: "; " }),
        };
      }
    });
}

/** The analyzer's verdict on a pool's network, or undefined when it cannot be judged. */
export function analyzePool(network: PoolNetwork): Analysis | undefined {
  if (!network.subnet || network.unreadable || !network.region || !findRegion(network.region))
    return undefined;
  return analyzeNetwork({
    region: network.region,
    modes: network.modes,
    ...(network.nsg ? { subnetNsg: network.nsg } : {}),
    ...(network.routeTable ? { routeTable: network.routeTable } : {}),
    ...(network.subnetPrefix ? { subnetPrefix: network.subnetPrefix } : {}),
    ...(network.outbound ? { outbound: network.outbound } : {}),
    ...(network.privateEndpoints ? { privateEndpoints: network.privateEndpoints } : {}),
  });
}
