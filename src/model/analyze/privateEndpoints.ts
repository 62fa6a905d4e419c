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
import { addressKind } from "../addresses";
import { isObject, resourceField } from "../json";
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

const get = resourceField;

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === "string");
}

/**
 * Reads a Batch account's private endpoint from `az network private-endpoint show -o json` or
 * the ARM resource: its group, its private IP (from the DNS configs or IP configurations) and
 * the names DNS must resolve to it.
 * @throws InvalidInputError naming the file and the missing part.
 */
export function parsePrivateEndpoint(json: unknown, source: string): PrivateEndpointPath {
  const problem = (path: string, message: string) =>
    new InvalidInputError([{ field: `${source} ${path}`, message }]);
  if (!isObject(json))
    throw problem(
      "$",
      "must be a private endpoint object (az network private-endpoint show -o json).",
    );
  const connections = [
    ...list(get(json, "privateLinkServiceConnections")),
    ...list(get(json, "manualPrivateLinkServiceConnections")),
  ];
  if (connections.length === 0) {
    throw problem(
      "$.privateLinkServiceConnections",
      "is missing: is it a private endpoint (az network private-endpoint show -o json)?",
    );
  }
  const groups = connections.flatMap((c) => strings(get(c, "groupIds")));
  const group = PRIVATE_ENDPOINT_GROUPS.find((g) =>
    groups.some((x) => x.toLowerCase() === g.toLowerCase()),
  );
  if (!group) {
    throw problem(
      "$.privateLinkServiceConnections[*].groupIds",
      `${shown(groups)} names no Batch group; a Batch account's endpoint has group nodeManagement or batchAccount.`,
    );
  }
  const dnsConfigs = list(get(json, "customDnsConfigs"));
  const addresses = [
    ...dnsConfigs.flatMap((c) => strings(get(c, "ipAddresses"))),
    ...list(get(json, "ipConfigurations"))
      .map((c) => get(c, "privateIPAddress") ?? get(c, "privateIpAddress"))
      .filter((v): v is string => typeof v === "string"),
  ].filter((a) => addressKind(a) === "ip" && !a.includes(":"));
  if (addresses.length === 0) {
    throw problem(
      "$.customDnsConfigs",
      "holds no private IPv4 address; give the endpoint's IP with --node-management-private-ip instead.",
    );
  }
  const fqdns = dnsConfigs
    .map((c) => get(c, "fqdn"))
    .filter((f): f is string => typeof f === "string" && f !== "");
  const name = typeof json.name === "string" ? json.name : source;
  return { group, address: addresses[0], ...(fqdns.length ? { fqdns } : {}), source: name };
}
