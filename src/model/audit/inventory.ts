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
  /**
   * Listings whose last page says more pages follow that no document holds after it: the
   * audit judged only what was exported, and says so with the command for the next page.
   */
  readonly incomplete: readonly MissingPage[];
}

/** A page of a listing the exports do not hold. */
export interface MissingPage {
  readonly source: string;
  /** Where the token is (`$.nextLink`). */
  readonly at: string;
  readonly command: string;
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

/** Keys a list page carries when more pages follow: ARM's, and Resource Graph's in its spellings. */
const CONTINUATION_KEYS = ["nextLink", "@odata.nextLink", "$skipToken", "skipToken", "skip_token"];

/** A page of a listing: its resources, where they sit, and the token of the next page. */
interface Page {
  readonly items: unknown[];
  /** The JSON path of the list (`$.value`, `$[2].data`). */
  readonly at: string;
  readonly continuation?: { readonly key: string; readonly token: string };
}

/** A list page (`{ "value": [...] }`, `{ "data": [...] }`) and its continuation, if `json` is one. */
function pageOf(json: unknown, at: string): Page | undefined {
  if (!isObject(json)) return undefined;
  for (const key of ["value", "data"]) {
    if (!Object.hasOwn(json, key) || !Array.isArray(json[key])) continue;
    const continuationKey = CONTINUATION_KEYS.find(
      (k) => Object.hasOwn(json, k) && typeof json[k] === "string" && json[k] !== "",
    );
    return {
      items: json[key] as unknown[],
      at: `${at}.${key}`,
      ...(continuationKey
        ? { continuation: { key: continuationKey, token: json[continuationKey] as string } }
        : {}),
    };
  }
  return undefined;
}

/**
 * The pages a document holds: one list page, several (a list of pages, as a loop over
 * `nextLink` writes them), a bare list of resources, or one resource.
 */
function pagesOf(json: unknown): Page[] {
  const page = pageOf(json, "$");
  if (page) return [page];
  if (Array.isArray(json)) {
    const pages = json.map((item, i) => pageOf(item, `$[${i}]`));
    if (json.length > 0 && pages.every((p) => p !== undefined)) return pages;
    return [{ items: json, at: "$" }];
  }
  return isObject(json) ? [{ items: [json], at: "" }] : [];
}

/** The command that fetches the page a continuation token stands for. */
function nextPageCommand(continuation: { key: string; token: string }): string {
  return /link/i.test(continuation.key)
    ? `az rest --method get --url '${continuation.token}'`
    : `az graph query -q '<the same query>' --skip-token '${continuation.token}' -o json`;
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
 * An inventory built a document, or a resource, at a time: readExports gives it whole
 * documents; the command line's streaming reader gives it the resources of an export too large
 * to hold as one value, one by one, so that only their parsed facts stay in memory.
 */
export class InventoryBuilder {
  private readonly accounts = new ById<AccountRecord>("Batch account");
  private readonly pools = new ById<PoolRecord>("pool");
  private readonly subnets = new ById<SubnetRecord>("subnet");
  private readonly nsgs = new ById<NetworkSecurityGroup & { id: string }>("NSG");
  private readonly routeTables = new ById<RouteTable & { id: string }>("route table");
  private readonly natGateways = new ById<NatGatewayFacts>("NAT gateway");
  private readonly networkInterfaces = new ById<NetworkInterfaceFacts>("network interface");
  private readonly adminRules = new ById<AdminRuleSet>("admin rules of VNet");
  private readonly endpoints = new ById<PrivateEndpointExport>("private endpoint");
  private readonly skipped: Array<{ source: string; why: string }> = [];
  private readonly incomplete: MissingPage[] = [];
  private readonly problems: Problem[] = [];
  /** Per document: its problems (capped when it ends) and how many resources it gave. */
  private current?: { source: string; problems: Problem[]; read: number; seen: number };

  /** Starts a document; the resources given after it are its own. */
  beginDocument(source: string): void {
    this.endDocument();
    this.current = { source, problems: [], read: 0, seen: 0 };
  }

  /** Ends the current document: its problems (at most 20) join the rest; a document of no kind the audit reads is named. */
  endDocument(why?: string): void {
    const doc = this.current;
    if (!doc) return;
    this.current = undefined;
    this.problems.push(...capped(doc.problems, doc.source));
    // An empty list is an export of nothing (a subscription without route tables): not skipped.
    if (doc.read === 0 && doc.seen > 0)
      this.skipped.push({
        source: doc.source,
        why: `holds no Batch account, pool, VNet, subnet, NSG, route table, NAT gateway, network interface, private endpoint or admin rules (by "type")${why ? `; ${why}` : ""}`,
      });
  }

  /** A listing of the current document continues past what it holds. */
  addContinuation(at: string, continuation: { key: string; token: string }): void {
    const doc = this.current!;
    this.incomplete.push({
      source: doc.source,
      at: `${at}.${continuation.key}`,
      command: nextPageCommand(continuation),
    });
  }

  /**
   * A top-level field beside the list of a document given a resource at a time: a token of
   * the next page makes the listing incomplete, as in a whole document.
   */
  addField(key: string, value: unknown): void {
    if (CONTINUATION_KEYS.includes(key) && typeof value === "string" && value !== "")
      this.addContinuation("$", { key, token: value });
  }

  /** One whole document: its pages, their resources, and a listing it leaves unfinished. */
  addDocument(source: string, json: unknown): void {
    this.beginDocument(source);
    const doc = this.current!;
    // The admin rules of one VNet, as the export recipe writes them: { virtualNetworkId, value }.
    if (isObject(json) && typeof json.virtualNetworkId === "string" && Array.isArray(json.value)) {
      const set = readAt(source, "$", doc.problems, (s) => parseAdminRules(json, s));
      if (set?.virtualNetworkId)
        this.adminRules.put(set.virtualNetworkId, set, source, "$", doc.problems);
      doc.read++;
      this.endDocument();
      return;
    }
    const pages = pagesOf(json);
    pages.forEach((page) =>
      page.items.forEach((node, i) => this.addResource(node, page.at ? `${page.at}[${i}]` : "$")),
    );
    const last = pages.at(-1);
    if (last?.continuation)
      this.addContinuation(last.at.replace(/\.(value|data)$/, ""), last.continuation);
    this.endDocument(shown(isObject(json) ? Object.keys(json).slice(0, 5) : typeof json));
  }

  /** One resource of the current document, at its JSON path there. */
  addResource(node: unknown, at: string): void {
    const doc = this.current!;
    doc.seen++;
    if (!isObject(node)) return;
    const { source, problems } = doc;
    const type = text(node.type)?.toLowerCase();
    const id = text(resourceField(node, "id"));
    const parse = <T>(run: (s: string) => T) => readAt(source, at, problems, run);
    if (type === TYPES.account) {
      const account = parse((s) => accountOf(node, s));
      if (account) this.accounts.put(account.id, account, source, at, problems);
    } else if (type === TYPES.pool) {
      const pool = parse((s) => poolOf(node, s));
      if (pool) this.pools.put(pool.id, pool, source, at, problems);
    } else if (type === TYPES.vnet) {
      const vnet = parse((s) => validated(VirtualNetworkSchema, node, s));
      const list = `${at}${fieldPath(node, "subnets").slice(1)}`;
      (vnet?.subnets ? (resourceField(node, "subnets") as unknown[]) : []).forEach((raw, j) => {
        const where = `${list}[${j}]`;
        const subnet = readAt(source, where, problems, (s) => subnetOf(raw, s));
        if (subnet) this.subnets.put(subnet.id, subnet, source, where, problems);
      });
    } else if (type === TYPES.subnet) {
      const subnet = parse((s) => subnetOf(node, s));
      if (subnet) this.subnets.put(subnet.id, subnet, source, at, problems);
    } else if (type === TYPES.natGateway && id) {
      const nat = parse((s) => parseNatGateway(node, s));
      if (nat) this.natGateways.put(id, nat, source, at, problems);
    } else if (type === TYPES.networkInterface && id) {
      const nic = parse((s) => parseNetworkInterface(node, s));
      if (nic) this.networkInterfaces.put(id, nic, source, at, problems);
    } else if (type === TYPES.nsg && id) {
      const nsg = parse((s) => parseNetworkSecurityGroup(node, s));
      if (nsg) this.nsgs.put(id, { ...nsg, id }, source, at, problems);
    } else if (type === TYPES.routeTable && id) {
      const table = parse((s) => parseRouteTable(node, s));
      if (table) this.routeTables.put(id, { ...table, id }, source, at, problems);
    } else if (type === TYPES.privateEndpoint) {
      // Endpoints of other services (storage, key vault) are in the same export: not ours.
      if (isBatchEndpoint(node)) {
        const endpoint = parse((s) => parsePrivateEndpoint(node, s));
        if (endpoint?.privateLinkServiceId)
          this.endpoints.put(endpoint.id ?? `${source} ${at}`, endpoint, source, at, problems);
      }
    } else {
      return;
    }
    doc.read++;
  }

  /**
   * The inventory of everything given.
   * @throws InvalidInputError listing every malformed resource (at most 20 per document).
   */
  build(): Inventory {
    this.endDocument();
    if (this.problems.length > 0) throw new InvalidInputError(this.problems);
    const inventory: Inventory = {
      accounts: this.accounts.map,
      pools: [...this.pools.map.values()],
      subnets: this.subnets.map,
      nsgs: this.nsgs.map,
      routeTables: this.routeTables.map,
      natGateways: this.natGateways.map,
      networkInterfaces: this.networkInterfaces.map,
      adminRules: this.adminRules.map,
      privateEndpoints: byAccount(this.endpoints.map.values()),
      skipped: this.skipped,
      incomplete: this.incomplete,
    };
    BUILT.add(inventory);
    return inventory;
  }
}

/**
 * Inventories this module built: every value in them came out of a schema, so none nests past
 * the input limits, and the audit need not walk them again (a caller's own is walked once).
 */
const BUILT = new WeakSet<Inventory>();

/** Whether `inventory` is one {@link InventoryBuilder} built. */
export function builtHere(inventory: Inventory): boolean {
  return BUILT.has(inventory);
}

/**
 * Reads every document into one inventory. A document holding no resource the audit reads is
 * skipped and named; a resource of a known type that is malformed is refused, naming its
 * document, its JSON path and what is wrong, so that no pool is judged against half a network.
 * A resource given twice is read once; two copies of one resource that differ are refused. A
 * document may hold several pages of a listing; a listing whose last page says more follow is
 * named in `incomplete`, with the command for the next page.
 * @throws InvalidInputError listing every malformed resource (at most 20 per document).
 */
export function readExports(given: readonly ExportDocument[]): Inventory {
  const documents = validated(ExportDocumentsSchema, given, "documents");
  const builder = new InventoryBuilder();
  for (const { source, json } of documents) builder.addDocument(source, json);
  return builder.build();
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
