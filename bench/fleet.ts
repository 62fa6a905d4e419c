/**
 * A deterministic fleet for the audit's tests and benchmark: Batch accounts in several regions,
 * pools with mixed targets, live modes and public IP settings, subnets shared by several pools
 * (private or not, some with a NAT gateway), NSGs of known kinds (padded with rules that touch
 * no Batch flow), each VNet's security admin rules, private endpoints (some with their address
 * only on their network interface), and exports left out on purpose. Each pool carries the
 * status a person reading its network would give it, worked out here from the kinds, not by
 * the analyzer.
 */

/** A small seeded generator (mulberry32): the same seed always gives the same fleet. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type NsgKind =
  | "union" // serves both modes
  | "simplified" // simplified only, classic inbound left to DenyAllInBound
  | "lockdown" // denies the Internet outbound, no Batch rule: simplified needs a private endpoint
  | "missing"; // referenced by the subnet, not exported

export interface FleetOptions {
  readonly pools: number;
  readonly subnets: number;
  readonly nsgs: number;
  /** Rules per NSG, padding included. */
  readonly rulesPerNsg: number;
  readonly accounts?: number;
  readonly seed?: number;
}

/** A VNet's security admin rules: none apply, a Deny of all outbound Internet, an AlwaysAllow for Batch, or not exported. */
export type AdminKind = "none" | "deny-internet" | "always-allow-batch" | "missing";
/** Whether a subnet is private, not, or its export does not say. */
export type SubnetAccess = "private" | "default" | "unsaid";

export interface Fleet {
  /** The exports, as documents a user would have saved, each with its file name. */
  readonly documents: { source: string; json: unknown }[];
  /** The status each pool should get, by pool resource ID. */
  readonly expected: ReadonlyMap<string, "ok" | "at-risk" | "broken" | "no-vnet">;
}

const SUB = "00000000-0000-0000-0000-000000000000";
const REGIONS = ["westus2", "eastus", "westeurope", "northeurope"];

function rule(
  name: string,
  priority: number,
  direction: string,
  access: string,
  protocol: string,
  source: string,
  destination: string,
  ports: string,
) {
  return {
    name,
    priority,
    direction,
    access,
    protocol,
    sourceAddressPrefix: source,
    sourcePortRange: "*",
    destinationAddressPrefix: destination,
    destinationPortRange: ports,
  };
}

function rulesOf(kind: NsgKind, region: string, count: number) {
  const bnm = `BatchNodeManagement.${region}`;
  const batch = {
    union: [
      rule("AllowBatchInbound", 200, "Inbound", "Allow", "Tcp", bnm, "*", "29876-29877"),
      rule("AllowStorage", 210, "Outbound", "Allow", "Tcp", "*", `Storage.${region}`, "443"),
      rule("AllowBatchOutbound", 220, "Outbound", "Allow", "*", "*", bnm, "443"),
    ],
    simplified: [rule("AllowBatchOutbound", 220, "Outbound", "Allow", "*", "*", bnm, "443")],
    lockdown: [rule("DenyInternet", 4000, "Outbound", "Deny", "*", "*", "Internet", "*")],
    missing: [],
  }[kind];
  // Padding: application rules that touch no Batch flow (ports 1000-1999, private peers).
  const padding = Array.from({ length: Math.max(0, count - batch.length) }, (_, i) =>
    rule(
      `App${i}`,
      300 + i,
      i % 2 ? "Inbound" : "Outbound",
      i % 3 ? "Allow" : "Deny",
      "Tcp",
      `10.${i % 200}.0.0/16`,
      `172.16.${i % 200}.0/24`,
      String(1000 + (i % 1000)),
    ),
  );
  return [...batch, ...padding];
}

/** az prints resources flattened; ARM nests them under `properties`. */
function shaped(arm: boolean, head: Record<string, unknown>, body: Record<string, unknown>) {
  return arm ? { ...head, properties: body } : { ...head, ...body };
}

/** Builds a fleet; the same options always give the same fleet. */
export function generateFleet(options: FleetOptions): Fleet {
  const next = random(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const accountCount = options.accounts ?? Math.max(1, Math.ceil(options.pools / 50));
  const rg = (i: number) => `/subscriptions/${SUB}/resourceGroups/rg${i}`;

  // Every other account reaches Batch through a nodeManagement private endpoint.
  const accounts = Array.from({ length: accountCount }, (_, i) => ({
    id: `${rg(i % 5)}/providers/Microsoft.Batch/batchAccounts/acct${i}`,
    name: `acct${i}`,
    region: REGIONS[i % REGIONS.length],
    privateEndpoint: i % 2 === 0,
    // Its endpoint's address only on its network interface (a private DNS zone group).
    zoneGrouped: i % 4 === 0,
  }));
  const kinds: NsgKind[] = ["union", "simplified", "lockdown", "missing"];
  // An NSG lives in one region (as Azure requires of the subnets it serves); kinds vary in each.
  const nsgs = Array.from({ length: options.nsgs }, (_, i) => ({
    id: `${rg(i % 5)}/providers/Microsoft.Network/networkSecurityGroups/nsg${i}`,
    name: `nsg${i}`,
    region: REGIONS[i % REGIONS.length],
    kind: kinds[Math.floor(i / REGIONS.length) % kinds.length],
  }));
  // A subnet belongs to one account's region and has one NSG of that region; several subnets
  // (and so several accounts' pools) share an NSG.
  const subnets = Array.from({ length: options.subnets }, (_, i) => {
    const account = accounts[i % accounts.length];
    const local = nsgs.filter((n) => n.region === account.region);
    const nsg = local[Math.floor(i / accounts.length) % local.length];
    return {
      id: `${rg(i % 5)}/providers/Microsoft.Network/virtualNetworks/vnet${i}/subnets/batch`,
      vnetId: `${rg(i % 5)}/providers/Microsoft.Network/virtualNetworks/vnet${i}`,
      prefix: `10.${(i >> 8) % 256}.${i % 256}.0/24`,
      account,
      nsg,
      exported: i % 17 !== 16, // one VNet in 17 is left out of the exports
      access: (["default", "private", "private", "unsaid"] as const)[i % 4],
      // Every other private subnet has a NAT gateway.
      nat: i % 4 === 1,
      admin: (["none", "none", "deny-internet", "always-allow-batch", "none", "missing"] as const)[
        i % 6
      ],
      // One subnet in three has a route table (a route for another private range, which no
      // Batch flow takes); one such table in eight is left out of the exports.
      routeTable:
        i % 3 === 0
          ? {
              id: `${rg(i % 5)}/providers/Microsoft.Network/routeTables/rt${i}`,
              name: `rt${i}`,
              exported: i % 24 !== 21,
            }
          : undefined,
    };
  });

  const natId = (subnetId: string) =>
    `${subnetId.replace(/\/providers\/.*$/, "")}/providers/Microsoft.Network/natGateways/nat-${subnetId.split("/")[8]}`;
  const pools: unknown[] = [];
  const expected = new Map<string, "ok" | "at-risk" | "broken" | "no-vnet">();
  for (let i = 0; i < options.pools; i++) {
    const inVnet = i % 10 !== 9;
    const subnet = subnets[i % subnets.length];
    const account = inVnet ? subnet.account : pick(accounts);
    const target = pick(["Classic", "Simplified", "Default", undefined]);
    const current =
      target === "Classic" ? pick(["Classic", "Simplified"]) : target ? "Simplified" : undefined;
    // Pools without public IPs must be simplified (Azure refuses them otherwise).
    const noPublicIp = target === "Simplified" && i % 3 === 0;
    const id = `${account.id}/pools/pool${i}`;
    pools.push({
      id,
      name: `pool${i}`,
      type: "Microsoft.Batch/batchAccounts/pools",
      properties: {
        vmSize: "STANDARD_D2S_V3",
        ...(target ? { targetNodeCommunicationMode: target } : {}),
        ...(current ? { currentNodeCommunicationMode: current } : {}),
        ...(inVnet
          ? {
              networkConfiguration: {
                subnetId: subnet.id,
                ...(noPublicIp
                  ? { publicIPAddressConfiguration: { provision: "NoPublicIPAddresses" } }
                  : {}),
              },
            }
          : {}),
      },
    });
    expected.set(id, expectedStatus(inVnet, subnet, target, current, noPublicIp));
  }

  const documents: { source: string; json: unknown }[] = [
    {
      source: "accounts.json",
      json: accounts.map((a) => ({
        id: a.id,
        name: a.name,
        type: "Microsoft.Batch/batchAccounts",
        location: a.region,
      })),
    },
    { source: "pools.json", json: { value: pools } },
    {
      source: "vnets.json",
      json: subnets
        .filter((s) => s.exported)
        .map((s, i) =>
          shaped(
            i % 2 === 1,
            {
              id: s.vnetId,
              name: s.vnetId.slice(s.vnetId.lastIndexOf("/") + 1),
              type: "Microsoft.Network/virtualNetworks",
              location: s.account.region,
            },
            {
              subnets: [
                shaped(
                  i % 2 === 1,
                  { id: s.id, name: "batch" },
                  {
                    addressPrefix: s.prefix,
                    ...(s.access === "unsaid"
                      ? {}
                      : { defaultOutboundAccess: s.access === "default" ? null : false }),
                    networkSecurityGroup: { id: s.nsg.id },
                    ...(s.routeTable ? { routeTable: { id: s.routeTable.id } } : {}),
                    ...(s.nat ? { natGateway: { id: natId(s.id) } } : {}),
                  },
                ),
              ],
            },
          ),
        ),
    },
    {
      source: "route-tables.json",
      json: subnets.flatMap((s, i) =>
        s.routeTable?.exported
          ? [
              shaped(
                i % 2 === 0,
                {
                  id: s.routeTable.id,
                  name: s.routeTable.name,
                  type: "Microsoft.Network/routeTables",
                  location: s.account.region,
                },
                {
                  routes: [
                    shaped(
                      i % 2 === 0,
                      { name: "to-onprem" },
                      {
                        addressPrefix: "10.200.0.0/16",
                        nextHopType: "VirtualNetworkGateway",
                      },
                    ),
                  ],
                },
              ),
            ]
          : [],
      ),
    },
    {
      source: "nsgs.json",
      json: nsgs
        .filter((n) => n.kind !== "missing")
        .map((n, i) => {
          const region = n.region;
          return shaped(
            i % 2 === 0,
            {
              id: n.id,
              name: n.name,
              type: "Microsoft.Network/networkSecurityGroups",
              location: region,
            },
            { securityRules: rulesOf(n.kind, region, options.rulesPerNsg) },
          );
        }),
    },
    {
      source: "private-endpoints.json",
      json: accounts.flatMap((a, i) =>
        !a.privateEndpoint
          ? []
          : [
              {
                id: `${rg(0)}/providers/Microsoft.Network/privateEndpoints/pe${i}`,
                name: `pe${i}`,
                type: "Microsoft.Network/privateEndpoints",
                privateLinkServiceConnections: [
                  {
                    groupIds: ["nodeManagement"],
                    privateLinkServiceId: a.id,
                    privateLinkServiceConnectionState: { status: "Approved" },
                  },
                ],
                networkInterfaces: [
                  { id: `${rg(0)}/providers/Microsoft.Network/networkInterfaces/pe${i}.nic.0` },
                ],
                // A zone-grouped endpoint's export holds no address: its NIC does.
                customDnsConfigs: a.zoneGrouped
                  ? []
                  : [
                      {
                        fqdn: `x${i}.${a.region}.service.batch.azure.com`,
                        ipAddresses: ["10.255.0.4"],
                      },
                    ],
              },
            ],
      ),
    },
    {
      source: "nics.json",
      json: accounts.flatMap((a, i) =>
        a.privateEndpoint && a.zoneGrouped
          ? [
              {
                id: `${rg(0)}/providers/Microsoft.Network/networkInterfaces/pe${i}.nic.0`,
                name: `pe${i}.nic.0`,
                type: "Microsoft.Network/networkInterfaces",
                ipConfigurations: [
                  {
                    name: "privateEndpointIpConfig",
                    privateIPAddress: "10.255.0.4",
                    privateLinkConnectionProperties: {
                      fqdns: [`x${i}.${a.region}.service.batch.azure.com`],
                      groupId: "nodeManagement",
                    },
                  },
                ],
              },
            ]
          : [],
      ),
    },
    {
      source: "nat-gateways.json",
      json: subnets
        .filter((s) => s.nat)
        .map((s) => ({
          id: natId(s.id),
          name: `nat-${s.id.split("/")[8]}`,
          type: "Microsoft.Network/natGateways",
          location: s.account.region,
          publicIpAddresses: [{ id: `${natId(s.id)}-ip` }],
        })),
    },
    // One file per VNet, as the export recipe writes them.
    ...subnets
      .filter((s) => s.admin !== "missing")
      .map((s) => ({
        source: `admin-rules-${s.vnetId.split("/")[8]}.json`,
        json: { virtualNetworkId: s.vnetId, value: adminRulesOf(s.admin) },
      })),
    { source: "notes.json", json: { comment: "not an export" } },
  ];
  return { documents, expected };
}

function adminRulesOf(kind: AdminKind): unknown[] {
  const rule = (
    name: string,
    access: string,
    priority: number,
    destination: string,
    ports: string[],
  ) => ({
    id: `/subscriptions/${SUB}/resourceGroups/hub/providers/Microsoft.Network/networkManagers/avnm/securityAdminConfigurations/baseline/ruleCollections/egress/rules/${name}`,
    kind: "Custom",
    properties: {
      access,
      direction: "Outbound",
      priority,
      protocol: "Any",
      sources: [{ addressPrefix: "*", addressPrefixType: "IPPrefix" }],
      destinations: [{ addressPrefix: destination, addressPrefixType: "ServiceTag" }],
      sourcePortRanges: ["0-65535"],
      destinationPortRanges: ports,
    },
  });
  if (kind === "deny-internet")
    return [rule("deny-internet", "Deny", 100, "Internet", ["0-65535"])];
  if (kind === "always-allow-batch")
    return [rule("always-allow-batch", "AlwaysAllow", 50, "BatchNodeManagement", ["443"])];
  return [];
}

/**
 * What a person would say of a pool: without a VNet it needs nothing; with a network the exports
 * leave out, nothing can be decided. Otherwise: its nodes may join in Simplified (every target
 * here may get Simplified nodes) and in Classic when it targets or runs Classic, or when its
 * export says nothing of its mode (a read at API 2025-06-01). A mode's flow
 * to the Internet passes the admin rules (a Deny of the Internet stops it, an AlwaysAllow for
 * Batch lets simplified's through past the NSG), then the NSG (Classic's flows pass only the
 * union kind; Simplified's pass the union and simplified kinds), then leaves the node by its
 * public IP, the subnet's NAT gateway, or the subnet's default access (none in a private
 * subnet; unknown where the export does not say). Through the account's private endpoint,
 * simplified traffic stays in the VNet and needs none of that. A blocked mode the pool runs now
 * breaks it; one it may run later, or a flow that cannot be decided, puts it at risk.
 */
function expectedStatus(
  inVnet: boolean,
  subnet: {
    exported: boolean;
    nsg: { kind: NsgKind };
    account: { privateEndpoint: boolean };
    routeTable?: { exported: boolean };
    access: SubnetAccess;
    nat: boolean;
    admin: AdminKind;
  },
  target: string | undefined,
  current: string | undefined,
  noPublicIp: boolean,
): "ok" | "at-risk" | "broken" | "no-vnet" {
  if (!inVnet) return "no-vnet";
  const kind = subnet.nsg.kind;
  if (!subnet.exported || kind === "missing" || subnet.routeTable?.exported === false)
    return "at-risk";
  const viaEndpoint = subnet.account.privateEndpoint;
  // Out to the Internet: the nodes' public IPs, the NAT gateway, else the subnet's own access.
  const wayOut: "yes" | "no" | "unknown" =
    !noPublicIp || subnet.nat
      ? "yes"
      : subnet.access === "default"
        ? "yes"
        : subnet.access === "private"
          ? "no"
          : "unknown";
  const blocked: string[] = [];
  let undecided = subnet.admin === "missing";
  // A pool whose export says nothing of its mode may run either.
  const modeUnknown = target === undefined && current === undefined;
  if (target === "Classic" || current === "Classic" || modeUnknown) {
    if (kind !== "union" || subnet.admin === "deny-internet") blocked.push("Classic");
  }
  if (!viaEndpoint) {
    const passesAdmin = subnet.admin !== "deny-internet";
    const passesNsg = kind !== "lockdown" || subnet.admin === "always-allow-batch";
    if (!passesAdmin || !passesNsg || wayOut === "no") blocked.push("Simplified");
    else if (wayOut === "unknown") undecided = true;
  }
  if (blocked.length > 0)
    return current !== undefined && blocked.includes(current) ? "broken" : "at-risk";
  return undecided ? "at-risk" : "ok";
}
