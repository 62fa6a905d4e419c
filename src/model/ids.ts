/** Azure resource IDs the package accepts, and the parts it reads from them. */

const SEGMENT = "[^/]+";
const GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

function resourceIdPattern(provider: string, ...types: string[]): RegExp {
  const path = types.map((t) => `/${t}/(${SEGMENT})`).join("");
  return new RegExp(
    `^/subscriptions/${GUID}/resourceGroups/(${SEGMENT})/providers/${provider}${path}$`,
    "i",
  );
}

const SUBNET_ID = resourceIdPattern("Microsoft\\.Network", "virtualNetworks", "subnets");
const PUBLIC_IP_ID = resourceIdPattern("Microsoft\\.Network", "publicIPAddresses");
const STORAGE_ACCOUNT_ID = resourceIdPattern("Microsoft\\.Storage", "storageAccounts");
const PRIVATE_DNS_ZONE_ID = resourceIdPattern("Microsoft\\.Network", "privateDnsZones");
const NAT_GATEWAY_ID = resourceIdPattern("Microsoft\\.Network", "natGateways");

export const ID_EXAMPLES = {
  subnet:
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pool",
  publicIp:
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/ip1",
  storageAccount:
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1",
  privateDnsZone:
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.batch.azure.com",
  natGateway:
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/natGateways/nat1",
} as const;

export type IdKind = keyof typeof ID_EXAMPLES;

const PATTERNS: Readonly<Record<IdKind, RegExp>> = {
  subnet: SUBNET_ID,
  publicIp: PUBLIC_IP_ID,
  storageAccount: STORAGE_ACCOUNT_ID,
  privateDnsZone: PRIVATE_DNS_ZONE_ID,
  natGateway: NAT_GATEWAY_ID,
};

/** Whether `id` is a well-formed resource ID of the given kind. */
export function isResourceId(kind: IdKind, id: unknown): id is string {
  return typeof id === "string" && PATTERNS[kind].test(id);
}

/** The VNet ID a subnet ID belongs to (`.../virtualNetworks/v/subnets/s` -> `.../virtualNetworks/v`). */
export function vnetIdOfSubnet(subnetId: string): string {
  return subnetId.replace(/\/subnets\/[^/]+$/i, "");
}

/** The last segment of a resource ID: the resource's name. */
export function nameOfResourceId(id: string): string {
  return id.slice(id.lastIndexOf("/") + 1);
}

/** The resource group a resource ID names, if it names one. */
export function resourceGroupOfResourceId(id: string): string | undefined {
  return /\/resourceGroups\/([^/]+)\//i.exec(id)?.[1];
}

const SLASH = 0x2f;

/**
 * Each ID's key, made once: an audit keys the same few IDs of every pool (its account, subnet,
 * NSG, route table, VNet) a dozen times, and a remembered key is one string, whose hash the
 * inventory's maps then compute once, instead of a new lower-case copy each time. Bounded, so
 * that a long-running policy server does not grow it without end.
 */
const ID_KEYS = new Map<string, string>();
const ID_KEYS_LIMIT = 200_000;

/**
 * The case-insensitive key of a resource ID: Azure compares resource IDs case-insensitively, and
 * a trailing `/` changes nothing. The slashes are trimmed by a loop, not `/\/+$/`: the regex
 * tries a match at every slash of the ID, and an audit keys IDs hundreds of thousands of times
 * (a tenth of a 10,000-pool audit went to that regex).
 */
export function idKey(id: string): string {
  let key = ID_KEYS.get(id);
  if (key === undefined) {
    let end = id.length;
    while (end > 0 && id.charCodeAt(end - 1) === SLASH) end--;
    key = (end === id.length ? id : id.slice(0, end)).toLowerCase();
    if (ID_KEYS.size >= ID_KEYS_LIMIT) ID_KEYS.clear();
    ID_KEYS.set(id, key);
  }
  return key;
}

/** The subscription a resource ID names, when it names one. */
export function subscriptionOfResourceId(id: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(id)?.[1];
}
