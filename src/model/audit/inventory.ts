/**
 * A fleet's network as read-only exports show it: Batch accounts and their pools, virtual
 * networks and subnets, NSGs, route tables and private endpoints, from any mix of documents.
 * A document may be one resource, a list of them, an ARM list (`{ "value": [...] }`) or a
 * Resource Graph answer (`{ "data": [...] }`); each resource is known by its `type`, flattened
 * (as `az ... list -o json` prints it) or under `properties` (ARM). Resource IDs are compared
 * case-insensitively, as Azure compares them.
 */
import { nameOfResourceId } from "../ids";
import { isObject, Json, resourceField } from "../json";
import { InvalidInputError, Problem } from "../problems";
import { shown } from "../printable";
import { parseNetworkSecurityGroup, parseRouteTable } from "../analyze/parse";
import { parsePrivateEndpoint, PrivateEndpointPath } from "../analyze/privateEndpoints";
import type { NetworkSecurityGroup, RouteTable } from "../analyze/network";

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
  readonly source: string;
}

export interface Inventory {
  readonly accounts: ReadonlyMap<string, AccountRecord>;
  readonly pools: readonly PoolRecord[];
  readonly subnets: ReadonlyMap<string, SubnetRecord>;
  readonly nsgs: ReadonlyMap<string, NetworkSecurityGroup & { readonly id: string }>;
  readonly routeTables: ReadonlyMap<string, RouteTable & { readonly id: string }>;
  /** Private endpoints by the resource ID of the account they connect to. */
  readonly privateEndpoints: ReadonlyMap<string, PrivateEndpointPath[]>;
  /** Documents that held nothing the audit reads, and why. */
  readonly skipped: readonly { readonly source: string; readonly why: string }[];
}

/** The case-insensitive key of a resource ID. */
export function idKey(id: string): string {
  return id.toLowerCase().replace(/\/+$/, "");
}

const TYPES = {
  account: "microsoft.batch/batchaccounts",
  pool: "microsoft.batch/batchaccounts/pools",
  vnet: "microsoft.network/virtualnetworks",
  subnet: "microsoft.network/virtualnetworks/subnets",
  nsg: "microsoft.network/networksecuritygroups",
  routeTable: "microsoft.network/routetables",
  privateEndpoint: "microsoft.network/privateendpoints",
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

/** The ID a reference field holds: `{ "id": "..." }` or the ID itself. */
function referenceId(value: unknown): string | undefined {
  return isObject(value) ? text(value.id) : text(value);
}

function subnetOf(node: Json, source: string): SubnetRecord | undefined {
  const id = idOf(node);
  if (!id) return undefined;
  const prefixes = resourceField(node, "addressPrefixes");
  const prefix =
    text(resourceField(node, "addressPrefix")) ??
    (Array.isArray(prefixes) ? text(prefixes[0]) : undefined);
  return {
    id,
    name: text(node.name) ?? nameOfResourceId(id),
    ...(prefix ? { addressPrefix: prefix } : {}),
    ...optional("nsgId", referenceId(resourceField(node, "networkSecurityGroup"))),
    ...optional("routeTableId", referenceId(resourceField(node, "routeTable"))),
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
  const privateEndpoints = new Map<string, PrivateEndpointPath[]>();
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
        for (const subnet of Array.isArray(list) ? list : []) {
          const record = isObject(subnet) ? subnetOf(subnet, source) : undefined;
          if (record) subnets.set(idKey(record.id), record);
        }
      } else if (type === TYPES.subnet) {
        const record = subnetOf(node, source);
        if (record) subnets.set(idKey(record.id), record);
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
            for (const c of connections) {
              const target = text(resourceField(c, "privateLinkServiceId"));
              if (!target) continue;
              const list = privateEndpoints.get(idKey(target)) ?? [];
              if (!list.some((e) => e.group === endpoint.group)) list.push(endpoint);
              privateEndpoints.set(idKey(target), list);
            }
          });
      } else {
        continue;
      }
      read++;
    }
    if (read === 0)
      skipped.push({
        source,
        why: `holds no Batch account, pool, VNet, subnet, NSG, route table or private endpoint (by "type"); ${shown(isObject(json) ? Object.keys(json).slice(0, 5) : typeof json)}`,
      });
  }
  if (problems.length > 0) throw new InvalidInputError(problems);
  return { accounts, pools, subnets, nsgs, routeTables, privateEndpoints, skipped };
}
