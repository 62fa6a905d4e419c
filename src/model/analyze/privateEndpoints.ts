/**
 * Private endpoints of a Batch account as the analyzer sees them: which flow each one carries,
 * the VNet address that flow then goes to, and the names DNS must resolve there. Read from
 * `az network private-endpoint show -o json` (or the ARM resource), or given as an address.
 *
 * A `nodeManagement` endpoint carries the simplified flow (Classic nodes never use it); a
 * `batchAccount` endpoint carries the account's API, which is what classic job manager tasks
 * and tasks calling Batch reach. Through an endpoint the flow goes to an address in the VNet,
 * so the NSG guidance for the service tag does not apply to it (the seed's words): the rules
 * and routes for that address decide instead.
 */
import { shown } from "../printable";
import { addressKind, vnetAddressable } from "../addresses";
import { idKey } from "../ids";
import { PrivateEndpointSchema } from "../input/azure";
import { fieldPath, validated } from "../input/schema";
import type { Flow, FlowId } from "../flows";
import { InvalidInputError, Problem } from "../problems";

export type PrivateEndpointGroup = "nodeManagement" | "batchAccount";

export const PRIVATE_ENDPOINT_GROUPS: readonly PrivateEndpointGroup[] = [
  "nodeManagement",
  "batchAccount",
];

/** One private endpoint path: the flow it carries goes to `address` instead of a service tag. */
export interface PrivateEndpointPath {
  readonly group: PrivateEndpointGroup;
  /** The endpoint's private IP, or the prefix of the subnet it lives in. */
  readonly address: string;
  /** The host names DNS must resolve to the endpoint (from the endpoint's DNS configs). */
  readonly fqdns?: readonly string[];
  /** Where it was read from: the endpoint's name or the option that gave it. */
  readonly source: string;
  /**
   * Its connection's state (`privateLinkServiceConnectionState.status`): only `Approved`
   * carries traffic. Undefined when not known (an endpoint given by its address).
   */
  readonly status?: string;
  /** The Batch account it connects to (`privateLinkServiceId`), for the approval command. */
  readonly privateLinkServiceId?: string;
}

/** The endpoint a flow goes through, when one carries it. */
export function endpointFor(
  flow: Flow,
  endpoints: readonly PrivateEndpointPath[] | undefined,
): PrivateEndpointPath | undefined {
  return endpoints?.find((e) => CARRIES[e.group] === flow.id && flow.peer[0] === e.address);
}

const CARRIES: Readonly<Record<PrivateEndpointGroup, FlowId>> = {
  nodeManagement: "simplified-node-management-outbound",
  batchAccount: "classic-job-manager-outbound",
};

// Short enough to be a rule's description (Azure allows 140 characters).
const REASONS: Readonly<Record<PrivateEndpointGroup, string>> = {
  nodeManagement:
    "Simplified: nodes connect out to Batch through the account's nodeManagement private endpoint.",
  batchAccount:
    "Classic: job manager tasks reach the Batch API through the account's batchAccount private endpoint.",
};

/** The flows with each one a private endpoint carries sent to the endpoint's address. */
export function throughPrivateEndpoints(
  flows: readonly Flow[],
  endpoints: readonly PrivateEndpointPath[],
): Flow[] {
  return flows.map((flow) => {
    const endpoint = endpoints.find((e) => CARRIES[e.group] === flow.id);
    if (!endpoint) return flow;
    return {
      ...flow,
      peer: [endpoint.address],
      reason: REASONS[endpoint.group],
    };
  });
}

/** Problems with private endpoint paths, each naming `field`. */
export function validatePrivateEndpoints(
  endpoints: readonly PrivateEndpointPath[],
  field: (i: number) => string,
): Problem[] {
  const problems: Problem[] = [];
  endpoints.forEach((e, i) => {
    const kind = typeof e?.address === "string" ? addressKind(e.address) : "invalid";
    if ((kind !== "ip" && kind !== "cidr") || String(e.address).includes(":")) {
      problems.push({
        field: field(i),
        message: `${shown(e?.address)} is not an IPv4 address or CIDR prefix; give the endpoint's private IP (10.0.1.4) or its subnet's prefix (10.0.1.0/24).`,
      });
    } else if (!vnetAddressable(e.address)) {
      problems.push({
        field: field(i),
        message: `${shown(e.address)} is an address no VNet gives a private endpoint (loopback, link-local, 0.0.0.0, multicast or broadcast); give the endpoint's private IP (10.0.1.4) or its subnet's prefix.`,
      });
    }
    if (!PRIVATE_ENDPOINT_GROUPS.includes(e?.group)) {
      problems.push({
        field: field(i),
        message: `${shown(e?.group)} is not a Batch private endpoint group; use ${PRIVATE_ENDPOINT_GROUPS.join(" or ")}.`,
      });
    }
    const twin = endpoints.findIndex((other) => other?.group === e?.group);
    if (twin !== i) {
      problems.push({
        field: field(i),
        message: `a second ${shown(e?.group)} endpoint; give one per group (the one the pool's VNet resolves to).`,
      });
    }
  });
  return problems;
}

/**
 * A Batch account's private endpoint as its export describes it. Its address may be missing
 * there: an endpoint with a private DNS zone group has no `customDnsConfigs`, and one whose
 * address Azure chose has no `ipConfigurations`; the address is then on its network interface
 * (`networkInterfaces[].id`), or, failing that, somewhere in its subnet (`subnet.id`).
 */
export interface PrivateEndpointExport {
  readonly name: string;
  readonly id?: string;
  readonly group: PrivateEndpointGroup;
  /** Its private IPv4 addresses, when the export holds them. */
  readonly addresses: readonly string[];
  readonly fqdns: readonly string[];
  /** The state of its connection; `Approved` alone carries traffic. */
  readonly status?: string;
  readonly privateLinkServiceId?: string;
  readonly networkInterfaceIds: readonly string[];
  readonly subnetId?: string;
}

/** How an endpoint's address is found when its export does not hold it. */
export interface EndpointAddressSources {
  /** Private addresses (and their DNS names) by network interface ID, from NIC exports. */
  readonly nics?: ReadonlyMap<
    string,
    { readonly address: string; readonly fqdns: readonly string[] }
  >;
  /** Subnet prefixes by subnet ID, from subnet or VNet exports (the documented fallback). */
  readonly subnetPrefixes?: ReadonlyMap<string, string>;
}

/**
 * The path an endpoint gives its flow: its address from the export, else its NIC's, else its
 * subnet's prefix; undefined when none is known (the caller says which export would tell).
 */
export function endpointPath(
  endpoint: PrivateEndpointExport,
  sources: EndpointAddressSources = {},
): PrivateEndpointPath | undefined {
  const nic = endpoint.networkInterfaceIds
    .map((id) => sources.nics?.get(idKey(id)))
    .find((n) => n !== undefined);
  const subnetPrefix = endpoint.subnetId
    ? sources.subnetPrefixes?.get(idKey(endpoint.subnetId))
    : undefined;
  const address = endpoint.addresses[0] ?? nic?.address ?? subnetPrefix;
  if (!address) return undefined;
  const fqdns = endpoint.fqdns.length > 0 ? endpoint.fqdns : (nic?.fqdns ?? []);
  return {
    group: endpoint.group,
    address,
    ...(fqdns.length > 0 ? { fqdns } : {}),
    source: endpoint.name,
    ...(endpoint.status ? { status: endpoint.status } : {}),
    ...(endpoint.privateLinkServiceId
      ? { privateLinkServiceId: endpoint.privateLinkServiceId }
      : {}),
  };
}

/** What to export to learn an endpoint's address, when its own export does not hold it. */
export function endpointAddressHint(endpoint: PrivateEndpointExport): string {
  const nic = endpoint.networkInterfaceIds[0];
  return `its export holds no address (a private DNS zone group, an address Azure chose): export its network interface${nic ? ` (az network nic show --ids ${nic} -o json)` : ""}, or its subnet${endpoint.subnetId ? ` (az network vnet subnet show --ids ${endpoint.subnetId} -o json)` : ""}`;
}

/**
 * Reads a Batch account's private endpoint from `az network private-endpoint show -o json` or
 * the ARM resource: its group, its connection's state, its private addresses (from the DNS
 * configs or IP configurations, when there), its NICs and subnet.
 * @throws InvalidInputError naming the file and the JSON path of what is wrong.
 */
export function parsePrivateEndpoint(json: unknown, source: string): PrivateEndpointExport {
  const endpoint = validated(PrivateEndpointSchema, json, source);
  const problem = (path: string, message: string) =>
    new InvalidInputError([{ field: `${source} ${path}`, message }]);
  const automatic = endpoint.privateLinkServiceConnections ?? [];
  const manual = endpoint.manualPrivateLinkServiceConnections ?? [];
  const connections = [...automatic, ...manual];
  if (connections.length === 0)
    throw problem(
      fieldPath(json, "privateLinkServiceConnections"),
      "is missing: is it a private endpoint (az network private-endpoint show -o json)?",
    );
  const groups = connections.flatMap((c) => c.groupIds ?? []);
  const group = PRIVATE_ENDPOINT_GROUPS.find((g) =>
    groups.some((x) => x.toLowerCase() === g.toLowerCase()),
  );
  if (!group) {
    const list =
      automatic.length > 0
        ? "privateLinkServiceConnections"
        : "manualPrivateLinkServiceConnections";
    throw problem(
      `${fieldPath(json, list)}[0].groupIds`,
      `${shown(groups)} names no Batch group; a Batch account's endpoint has group nodeManagement or batchAccount.`,
    );
  }
  const connection = connections.find((c) =>
    (c.groupIds ?? []).some((g) => g.toLowerCase() === group.toLowerCase()),
  );
  const state = connection?.privateLinkServiceConnectionState?.status;
  const linkService = connection?.privateLinkServiceId;
  const dnsConfigs = endpoint.customDnsConfigs ?? [];
  const candidates: Array<[string, string]> = [
    ...dnsConfigs.flatMap((c, i) =>
      (c.ipAddresses ?? []).map((a, j): [string, string] => [
        a,
        `${fieldPath(json, "customDnsConfigs")}[${i}].ipAddresses[${j}]`,
      ]),
    ),
    ...(endpoint.ipConfigurations ?? []).flatMap((c, i): Array<[string, string]> => {
      const address = c.privateIPAddress ?? c.privateIpAddress;
      return address
        ? [[address, `${fieldPath(json, "ipConfigurations")}[${i}].privateIPAddress`]]
        : [];
    }),
  ];
  // IPv6 addresses of a dual-stack endpoint are valid; no Batch flow of this package uses them.
  const ipv4 = candidates.filter(([a]) => !a.includes(":"));
  const refused = ipv4.find(([a]) => !vnetAddressable(a));
  if (refused)
    throw problem(
      refused[1],
      `${shown(refused[0])} is an address no VNet gives a private endpoint (loopback, link-local, 0.0.0.0, multicast or broadcast).`,
    );
  const fqdns = dnsConfigs.map((c) => c.fqdn).filter((f): f is string => !!f);
  const subnetId = endpoint.subnet?.id || undefined;
  return {
    name: endpoint.name || source,
    ...(endpoint.id ? { id: endpoint.id } : {}),
    group,
    addresses: ipv4.map(([a]) => a),
    fqdns,
    ...(state ? { status: state } : {}),
    ...(linkService ? { privateLinkServiceId: linkService } : {}),
    networkInterfaceIds: (endpoint.networkInterfaces ?? []).flatMap((n) => (n.id ? [n.id] : [])),
    ...(subnetId ? { subnetId } : {}),
  };
}
