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
import { AccountSchema, PoolSchema, VirtualNetworkSchema } from "../input/azure";
import * as v from "valibot";
import { capped, fieldPath, listOf, object, says, validated } from "../input/schema";
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

/** What a caller hands readExports: each document's name and its parsed JSON. */
const ExportDocumentsSchema = listOf(
  object(
    {
      source: v.pipe(
        v.string(says("is not a document's name.")),
        v.maxLength(4096, "is longer than a file name."),
      ),
      json: v.unknown(),
    },
    "a document ({ source, json }).",
  ),
  "documents ({ source, json })",
);

/** The resources a document holds, whatever its shape, each with its JSON path. */
function resourcesOf(json: unknown): Array<[unknown, string]> {
  if (Array.isArray(json)) return json.map((node, i) => [node, `$[${i}]`]);
  if (isObject(json)) {
    for (const key of ["value", "data"]) {
      if (Object.hasOwn(json, key) && Array.isArray(json[key]))
        return (json[key] as unknown[]).map((node, i) => [node, `$.${key}[${i}]`]);
    }
    return [[json, "$"]];
  }
  return [];
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/**
 * Runs a parser on one resource of a document, its problems' paths made the resource's path in
 * the document (`pools.json $.value[3].properties.networkConfiguration.subnetId`).
 */
function readAt<T>(
  source: string,
  at: string,
  problems: Problem[],
  parse: (source: string) => T,
): T | undefined {
  try {
    return parse(source);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const own = `${source} $`;
    for (const p of error.problems)
      problems.push(
        p.field.startsWith(own)
          ? { ...p, field: `${source} ${at}${p.field.slice(own.length)}` }
          : p,
      );
    return undefined;
  }
}

function poolOf(json: unknown, source: string): PoolRecord {
  const pool = validated(PoolSchema, json, source);
  const at = pool.id.toLowerCase().lastIndexOf("/pools/");
  if (at < 0)
    throw new InvalidInputError([
      {
        field: `${source} $.id`,
        message: `${shown(pool.id)} is not a pool's resource ID (…/batchAccounts/<account>/pools/<pool>).`,
      },
    ]);
  const network = pool.networkConfiguration;
  return {
    id: pool.id,
    name: pool.name || pool.id.slice(at + "/pools/".length),
    accountId: pool.id.slice(0, at),
    ...optional("subnetId", network?.subnetId || undefined),
    ...optional("target", pool.targetNodeCommunicationMode ?? undefined),
    ...optional("current", pool.currentNodeCommunicationMode ?? undefined),
    ...optional(
      "publicIpProvisioning",
      network?.publicIPAddressConfiguration?.provision ?? undefined,
    ),
    source,
  };
}

function accountOf(json: unknown, source: string): AccountRecord {
  const account = validated(AccountSchema, json, source);
  return {
    id: account.id,
    name: account.name || nameOfResourceId(account.id),
    ...optional("location", account.location || undefined),
    source,
  };
}

function subnetOf(json: unknown, source: string): SubnetRecord | undefined {
  const facts = parseSubnet(json, source);
  if (!facts.id) return undefined;
  const name = facts.name === source ? nameOfResourceId(facts.id) : facts.name;
  return {
    id: facts.id,
    name,
    ...(facts.prefixes[0] ? { addressPrefix: facts.prefixes[0] } : {}),
    ...optional("nsgId", facts.networkSecurityGroupId),
    ...optional("routeTableId", facts.routeTableId),
    facts: { ...facts, name },
    source,
  };
}

/** Longest resource ID a message quotes whole (Azure's IDs run to a few hundred characters). */
const MAX_ID = 400;

/** A resource's content for telling two copies apart: where each was read from aside. */
function content(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) =>
    key === "source" || key === "name" ? undefined : v,
  );
}

/**
 * Keeps one copy of each resource by its ID. The same resource in two documents (an az export
 * and a Resource Graph answer, two exports of one subscription) is read once; two copies that
 * differ are refused naming both files, since which is right cannot be told.
 */
class ById<T> {
  readonly map = new Map<string, T>();
  private readonly where = new Map<string, string>();
  constructor(private readonly kind: string) {}

  put(id: string, value: T, source: string, at: string, problems: Problem[]): void {
    const key = idKey(id);
    const known = this.map.get(key);
    if (known === undefined) {
      this.map.set(key, value);
      this.where.set(key, `${source} ${at}`);
      return;
    }
    if (content(known) === content(value)) return;
    problems.push({
      field: `${source} ${at}`,
      message: `is another copy of ${this.kind} ${shown(id, MAX_ID)} that differs from the one in ${this.where.get(key)}; export it once (the two were read at different times?), or give only one of the files.`,
    });
  }
}

/**
 * Reads every document into one inventory. A document holding no resource the audit reads is
 * skipped and named; a resource of a known type that is malformed is refused, naming its
 * document, its JSON path and what is wrong, so that no pool is judged against half a network.
 * A resource given twice is read once; two copies of one resource that differ are refused.
 * @throws InvalidInputError listing every malformed resource (at most 20 per document).
 */
export function readExports(given: readonly ExportDocument[]): Inventory {
  const documents = validated(ExportDocumentsSchema, given, "documents");
  const accounts = new ById<AccountRecord>("Batch account");
  const pools = new ById<PoolRecord>("pool");
  const subnets = new ById<SubnetRecord>("subnet");
  const nsgs = new ById<NetworkSecurityGroup & { id: string }>("NSG");
  const routeTables = new ById<RouteTable & { id: string }>("route table");
  const natGateways = new ById<NatGatewayFacts>("NAT gateway");
  const networkInterfaces = new ById<NetworkInterfaceFacts>("network interface");
  const adminRules = new ById<AdminRuleSet>("admin rules of VNet");
  const endpoints = new ById<PrivateEndpointExport>("private endpoint");
  const skipped: Array<{ source: string; why: string }> = [];
  const allProblems: Problem[] = [];

  for (const { source, json } of documents) {
    const problems: Problem[] = [];
    // The admin rules of one VNet, as the export recipe writes them: { virtualNetworkId, value }.
    if (isObject(json) && typeof json.virtualNetworkId === "string" && Array.isArray(json.value)) {
      const set = readAt(source, "$", problems, (s) => parseAdminRules(json, s));
      if (set?.virtualNetworkId) adminRules.put(set.virtualNetworkId, set, source, "$", problems);
      allProblems.push(...capped(problems, source));
      continue;
    }
    const resources = resourcesOf(json);
    let read = 0;
    for (const [node, at] of resources) {
      if (!isObject(node)) continue;
      const type = text(node.type)?.toLowerCase();
      const id = text(resourceField(node, "id"));
      const parse = <T>(run: (s: string) => T) => readAt(source, at, problems, run);
      if (type === TYPES.account) {
        const account = parse((s) => accountOf(node, s));
        if (account) accounts.put(account.id, account, source, at, problems);
      } else if (type === TYPES.pool) {
        const pool = parse((s) => poolOf(node, s));
        if (pool) pools.put(pool.id, pool, source, at, problems);
      } else if (type === TYPES.vnet) {
        const vnet = parse((s) => validated(VirtualNetworkSchema, node, s));
        const list = `${at}${fieldPath(node, "subnets").slice(1)}`;
        (vnet?.subnets ? (resourceField(node, "subnets") as unknown[]) : []).forEach((raw, j) => {
          const where = `${list}[${j}]`;
          const subnet = readAt(source, where, problems, (s) => subnetOf(raw, s));
          if (subnet) subnets.put(subnet.id, subnet, source, where, problems);
        });
      } else if (type === TYPES.subnet) {
        const subnet = parse((s) => subnetOf(node, s));
        if (subnet) subnets.put(subnet.id, subnet, source, at, problems);
      } else if (type === TYPES.natGateway && id) {
        const nat = parse((s) => parseNatGateway(node, s));
        if (nat) natGateways.put(id, nat, source, at, problems);
      } else if (type === TYPES.networkInterface && id) {
        const nic = parse((s) => parseNetworkInterface(node, s));
        if (nic) networkInterfaces.put(id, nic, source, at, problems);
      } else if (type === TYPES.nsg && id) {
        const nsg = parse((s) => parseNetworkSecurityGroup(node, s));
        if (nsg) nsgs.put(id, { ...nsg, id }, source, at, problems);
      } else if (type === TYPES.routeTable && id) {
        const table = parse((s) => parseRouteTable(node, s));
        if (table) routeTables.put(id, { ...table, id }, source, at, problems);
      } else if (type === TYPES.privateEndpoint) {
        // Endpoints of other services (storage, key vault) are in the same export: not ours.
        if (isBatchEndpoint(node)) {
          const endpoint = parse((s) => parsePrivateEndpoint(node, s));
          if (endpoint?.privateLinkServiceId)
            endpoints.put(endpoint.id ?? `${source} ${at}`, endpoint, source, at, problems);
        }
      } else {
        continue;
      }
      read++;
    }
    allProblems.push(...capped(problems, source));
    // An empty list is an export of nothing (a subscription without route tables): not skipped.
    if (read === 0 && resources.length > 0)
      skipped.push({
        source,
        why: `holds no Batch account, pool, VNet, subnet, NSG, route table, NAT gateway, network interface, private endpoint or admin rules (by "type"); ${shown(isObject(json) ? Object.keys(json).slice(0, 5) : typeof json)}`,
      });
  }
  if (allProblems.length > 0) throw new InvalidInputError(allProblems);
  return {
    accounts: accounts.map,
    pools: [...pools.map.values()],
    subnets: subnets.map,
    nsgs: nsgs.map,
    routeTables: routeTables.map,
    natGateways: natGateways.map,
    networkInterfaces: networkInterfaces.map,
    adminRules: adminRules.map,
    privateEndpoints: byAccount(endpoints.map.values()),
    skipped,
  };
}

/** Whether a private endpoint connects to a Batch account (its group is one of Batch's). */
function isBatchEndpoint(node: Json): boolean {
  const connections = [
    resourceField(node, "privateLinkServiceConnections"),
    resourceField(node, "manualPrivateLinkServiceConnections"),
  ].flatMap((c): unknown[] => (Array.isArray(c) ? c : []));
  return connections.some((c) => {
    const groups = resourceField(c, "groupIds");
    return (
      Array.isArray(groups) &&
      groups.some((g) => typeof g === "string" && BATCH_GROUPS.has(g.toLowerCase()))
    );
  });
}

/** Private endpoints by the account they connect to: one per group, the first read. */
function byAccount(
  endpoints: Iterable<PrivateEndpointExport>,
): Map<string, PrivateEndpointExport[]> {
  const out = new Map<string, PrivateEndpointExport[]>();
  for (const endpoint of endpoints) {
    const key = idKey(endpoint.privateLinkServiceId!);
    const list = out.get(key) ?? [];
    if (!list.some((e) => e.group === endpoint.group)) list.push(endpoint);
    out.set(key, list);
  }
  return out;
}
