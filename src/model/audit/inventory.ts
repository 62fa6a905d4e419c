/**
 * A fleet's network as read-only exports show it: Batch accounts and their pools, virtual
 * networks and subnets, NSGs, route tables, NAT gateways, network interfaces, private endpoints
 * and each VNet's security admin rules, from any mix of documents.
 * A document may be one resource, a list of them, an ARM list (`{ "value": [...] }`) or a
 * Resource Graph answer (`{ "data": [...] }`); each resource is known by its `type`, flattened
 * (as `az ... list -o json` prints it) or under `properties` (ARM). Resource IDs are compared
 * case-insensitively, as Azure compares them.
 */
import { idKey, nameOfResourceId } from "../ids";

export { idKey };
import { isObject, Json, resourceField } from "../json";
import { InvalidInputError, Problem } from "../problems";
import { shown } from "../printable";
import { parseNetworkSecurityGroup, parseRouteTable } from "../analyze/parse";
import {
  NetworkInterfaceFacts,
  parseAdminRules,
  parseNatGateway,
  parseNetworkInterface,
  parseSubnet,
} from "../analyze/parseLayers";
import { parsePrivateEndpoint, PrivateEndpointExport } from "../analyze/privateEndpoints";
import type {
  AdminRuleSet,
  NatGatewayFacts,
  NetworkSecurityGroup,
  RouteTable,
  SubnetFacts,
} from "../analyze/network";

/** One export as read: where it came from and its parsed JSON. */
export interface ExportDocument {
  readonly source: string;
  readonly json: unknown;
}

export interface AccountRecord {
  readonly id: string;
  readonly name: string;
  readonly location?: string;
  readonly source: string;
}

export interface PoolRecord {
  readonly id: string;
  readonly name: string;
  /** The account's resource ID (the pool's ID without `/pools/<name>`). */
  readonly accountId: string;
  readonly subnetId?: string;
  /** `targetNodeCommunicationMode` as exported (absent at API 2025-06-01). */
  readonly target?: string;
  readonly current?: string;
  /** `publicIPAddressConfiguration.provision`. */
  readonly publicIpProvisioning?: string;
  readonly source: string;
}

export interface SubnetRecord {
  readonly id: string;
  readonly name: string;
  readonly addressPrefix?: string;
  readonly nsgId?: string;
  readonly routeTableId?: string;
  /** What the subnet's export says of its outbound path. */
  readonly facts: SubnetFacts;
  readonly source: string;
}

export interface Inventory {
  readonly accounts: ReadonlyMap<string, AccountRecord>;
  readonly pools: readonly PoolRecord[];
  readonly subnets: ReadonlyMap<string, SubnetRecord>;
  readonly nsgs: ReadonlyMap<string, NetworkSecurityGroup & { readonly id: string }>;
  readonly routeTables: ReadonlyMap<string, RouteTable & { readonly id: string }>;
  readonly natGateways: ReadonlyMap<string, NatGatewayFacts>;
  readonly networkInterfaces: ReadonlyMap<string, NetworkInterfaceFacts>;
  /** Each VNet's effective security admin rules, by the VNet's resource ID. */
  readonly adminRules: ReadonlyMap<string, AdminRuleSet>;
  /** Private endpoints by the resource ID of the account they connect to. */
  readonly privateEndpoints: ReadonlyMap<string, PrivateEndpointExport[]>;
  /** Documents that held nothing the audit reads, and why. */
  readonly skipped: readonly { readonly source: string; readonly why: string }[];
}

const TYPES = {
  account: "microsoft.batch/batchaccounts",
  pool: "microsoft.batch/batchaccounts/pools",
  vnet: "microsoft.network/virtualnetworks",
  subnet: "microsoft.network/virtualnetworks/subnets",
  nsg: "microsoft.network/networksecuritygroups",
  routeTable: "microsoft.network/routetables",
  privateEndpoint: "microsoft.network/privateendpoints",
  natGateway: "microsoft.network/natgateways",
  networkInterface: "microsoft.network/networkinterfaces",
} as const;

const BATCH_GROUPS = new Set(["nodemanagement", "batchaccount"]);

/** The resources a document holds, whatever its shape. */
function resourcesOf(json: unknown): unknown[] {
  if (Array.isArray(json)) return json;
  if (isObject(json)) {
    for (const key of ["value", "data"]) {
      if (Object.hasOwn(json, key) && Array.isArray(json[key])) return json[key] as unknown[];
    }
    return [json];
  }
  return [];
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

const idOf = (node: unknown): string | undefined => text(resourceField(node, "id"));

function subnetOf(node: Json, source: string): SubnetRecord | undefined {
  const id = idOf(node);
  if (!id) return undefined;
  const facts = parseSubnet(node, source);
  return {
    id,
    name: text(node.name) ?? nameOfResourceId(id),
    ...(facts.prefixes[0] ? { addressPrefix: facts.prefixes[0] } : {}),
    ...optional("nsgId", facts.networkSecurityGroupId),
    ...optional("routeTableId", facts.routeTableId),
    facts: { ...facts, id, name: text(node.name) ?? nameOfResourceId(id) },
    source,
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function poolOf(node: Json, source: string): PoolRecord | undefined {
  const id = idOf(node);
  const at = id?.toLowerCase().lastIndexOf("/pools/") ?? -1;
  if (!id || at < 0) return undefined;
  const network = resourceField(node, "networkConfiguration");
  const publicIp = isObject(network) ? network.publicIPAddressConfiguration : undefined;
  return {
    id,
    name: text(node.name) ?? id.slice(at + "/pools/".length),
    accountId: id.slice(0, at),
    ...optional("subnetId", isObject(network) ? text(network.subnetId) : undefined),
    ...optional("target", text(resourceField(node, "targetNodeCommunicationMode"))),
    ...optional("current", text(resourceField(node, "currentNodeCommunicationMode"))),
    ...optional("publicIpProvisioning", isObject(publicIp) ? text(publicIp.provision) : undefined),
    source,
  };
}

/**
 * Reads every document into one inventory. A document holding no resource the audit reads is
 * skipped and named; a resource of a known type that is malformed is refused, naming its
 * document and what is wrong, so that no pool is judged against half a network.
 * @throws InvalidInputError listing every malformed resource.
 */
export function readExports(documents: readonly ExportDocument[]): Inventory {
  const accounts = new Map<string, AccountRecord>();
  const pools: PoolRecord[] = [];
  const subnets = new Map<string, SubnetRecord>();
  const nsgs = new Map<string, NetworkSecurityGroup & { id: string }>();
  const routeTables = new Map<string, RouteTable & { id: string }>();
  const natGateways = new Map<string, NatGatewayFacts>();
  const networkInterfaces = new Map<string, NetworkInterfaceFacts>();
  const adminRules = new Map<string, AdminRuleSet>();
  const privateEndpoints = new Map<string, PrivateEndpointExport[]>();
  const skipped: Array<{ source: string; why: string }> = [];
  const problems: Problem[] = [];

  const collect = (source: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      problems.push(...error.problems);
    }
  };

  for (const { source, json } of documents) {
    // The admin rules of one VNet, as the export recipe writes them: { virtualNetworkId, value }.
    if (isObject(json) && typeof json.virtualNetworkId === "string" && Array.isArray(json.value)) {
      collect(source, () => {
        const set = parseAdminRules(json, source);
        adminRules.set(idKey(set.virtualNetworkId!), set);
      });
      continue;
    }
    let read = 0;
    for (const [i, node] of resourcesOf(json).entries()) {
      if (!isObject(node)) continue;
      const type = text(node.type)?.toLowerCase();
      const id = idOf(node);
      const where = `${source} [${i}]`;
      if (type === TYPES.account && id) {
        accounts.set(idKey(id), {
          id,
          name: text(node.name) ?? nameOfResourceId(id),
          ...optional("location", text(node.location)),
          source,
        });
      } else if (type === TYPES.pool) {
        const pool = poolOf(node, source);
        if (pool) pools.push(pool);
        else problems.push({ field: where, message: "is a pool without its resource ID." });
      } else if (type === TYPES.vnet) {
        const list = resourceField(node, "subnets");
        for (const [j, subnet] of (Array.isArray(list) ? list : []).entries()) {
          collect(source, () => {
            const record = isObject(subnet)
              ? subnetOf(subnet, `${where}.subnets[${j}]`)
              : undefined;
            if (record) subnets.set(idKey(record.id), { ...record, source });
          });
        }
      } else if (type === TYPES.subnet) {
        collect(source, () => {
          const record = subnetOf(node, where);
          if (record) subnets.set(idKey(record.id), { ...record, source });
        });
      } else if (type === TYPES.natGateway && id) {
        collect(source, () => natGateways.set(idKey(id), parseNatGateway(node, where)));
      } else if (type === TYPES.networkInterface && id) {
        collect(source, () => networkInterfaces.set(idKey(id), parseNetworkInterface(node, where)));
      } else if (type === TYPES.nsg && id) {
        collect(source, () =>
          nsgs.set(idKey(id), { ...parseNetworkSecurityGroup(node, where), id }),
        );
      } else if (type === TYPES.routeTable && id) {
        collect(source, () => routeTables.set(idKey(id), { ...parseRouteTable(node, where), id }));
      } else if (type === TYPES.privateEndpoint) {
        const connections = [
          resourceField(node, "privateLinkServiceConnections"),
          resourceField(node, "manualPrivateLinkServiceConnections"),
        ].flatMap((c): unknown[] => (Array.isArray(c) ? c : []));
        const batch = connections.some((c) => {
          const groups = resourceField(c, "groupIds");
          return (
            Array.isArray(groups) &&
            groups.some((g) => typeof g === "string" && BATCH_GROUPS.has(g.toLowerCase()))
          );
        });
        // Endpoints of other services (storage, key vault) are in the same export: not ours.
        if (batch)
          collect(source, () => {
            const endpoint = parsePrivateEndpoint(node, where);
            const target = endpoint.privateLinkServiceId;
            if (!target) return;
            const list = privateEndpoints.get(idKey(target)) ?? [];
            if (!list.some((e) => e.group === endpoint.group)) list.push(endpoint);
            privateEndpoints.set(idKey(target), list);
          });
      } else {
        continue;
      }
      read++;
    }
    // An empty list is an export of nothing (a subscription without route tables): not skipped.
    if (read === 0 && resourcesOf(json).length > 0)
      skipped.push({
        source,
        why: `holds no Batch account, pool, VNet, subnet, NSG, route table, NAT gateway, network interface, private endpoint or admin rules (by "type"); ${shown(isObject(json) ? Object.keys(json).slice(0, 5) : typeof json)}`,
      });
  }
  if (problems.length > 0) throw new InvalidInputError(problems);
  return {
    accounts,
    pools,
    subnets,
    nsgs,
    routeTables,
    natGateways,
    networkInterfaces,
    adminRules,
    privateEndpoints,
    skipped,
  };
}
