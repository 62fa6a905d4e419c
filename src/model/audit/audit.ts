/**
 * Every pool of a fleet against its subnet's NSG and route table: the modes Azure may run it
 * in, the verdict per flow from the same analyzer as `check`, the pools sharing its subnet, and
 * what to change per NSG, merged across the pools that share it so that every one keeps working.
 * Pure: it judges an {@link Inventory} read from exports.
 */
import { analyzeWithinLimits, Analysis, AnalysisInput } from "../analyze/analyze";
import {
  nameOfResourceId,
  resourceGroupOfResourceId,
  subscriptionOfResourceId,
  vnetIdOfSubnet,
} from "../ids";
import {
  canonicalModes,
  CommunicationMode,
  findCommunicationMode,
  isNodeMode,
  modesForTargets,
  NodeMode,
} from "../modes";
import { findRegion, Region } from "../regions";
import { builtHere, idKey, Inventory, PoolRecord, SubnetRecord } from "./inventory";
import { mergeChanges, MergedChanges } from "./merge";
import { FleetOverview, fleetOverview, poolLabel } from "./overview";

export type { MergedChanges } from "./merge";
import type { AdminRuleSet, NodePublicIps, OutboundPath } from "../analyze/network";
import { endpointPath, PrivateEndpointPath } from "../analyze/privateEndpoints";

export type PoolStatus = "ok" | "at-risk" | "broken" | "no-vnet";

/** An export the audit needs and does not have, with the command that makes it. */
export interface MissingExport {
  readonly what: string;
  readonly id: string;
  readonly command: string;
}

export interface PoolAudit {
  readonly pool: string;
  readonly poolId: string;
  readonly account: string;
  /** The subscription its ID names. */
  readonly subscription?: string;
  readonly region?: string;
  readonly subnetId?: string;
  readonly nsg?: string;
  readonly routeTable?: string;
  /**
   * As exported: `Default` when the pool declares no target but says what it runs; `unknown`
   * when its export says neither (a read at API 2025-06-01): then judged for both modes.
   */
  readonly target: string;
  readonly current?: string;
  /** The modes the pool's nodes may join in, which its subnet must serve. */
  readonly judgedModes: readonly NodeMode[];
  readonly status: PoolStatus;
  /** Why, in one line. */
  readonly why: string;
  readonly analysis?: Analysis;
  readonly missing: readonly MissingExport[];
  /** Other pools in the same subnet: the first {@link SHARED_NAMES_SHOWN} of them by name. */
  readonly sharesSubnetWith: readonly string[];
  /** How many other pools share the subnet, all told. */
  readonly sharesSubnetWithCount: number;
  /** What the verdict rests on beyond the exports' words, when anything. */
  readonly notes?: readonly string[];
}

/**
 * Names of the other pools in a subnet each pool lists: ten thousand pools in one subnet would
 * otherwise list a hundred million names (and no report could hold them).
 */
export const SHARED_NAMES_SHOWN = 10;

export interface StatusCount {
  readonly region: string;
  readonly account: string;
  readonly ok: number;
  readonly atRisk: number;
  readonly broken: number;
  readonly noVnet: number;
}

export interface FleetAudit {
  /** What to read first: counts, the worst NSGs, the changes that fix most, what is missing. */
  readonly overview: FleetOverview;
  readonly pools: readonly PoolAudit[];
  readonly summary: readonly StatusCount[];
  readonly changes: readonly MergedChanges[];
  readonly skipped: Inventory["skipped"];
  /** The worst pool's: `ok` when every pool is ok or needs no network rules. */
  readonly status: "ok" | "at-risk" | "broken";
  /**
   * Accounts no pool in the exports belongs to: they have none, or their pools were not
   * exported; each with the command that exports them.
   */
  readonly accountsWithoutPools: readonly MissingExport[];
  /** Listings the exports hold only the first pages of, with the command for the next. */
  readonly incomplete: Inventory["incomplete"];
}

/**
 * Whether a pool's export says nothing of its mode (a read at API 2025-06-01, which has no mode
 * properties, or `az batch pool list`): its nodes may run either.
 */
export function modeUnknown(pool: PoolRecord): boolean {
  return pool.target === undefined && pool.current === undefined;
}

/** The command that tells a pool's mode, for a pool whose export does not. */
export function modeCommand(poolId: string): string {
  return `az rest --method get --url "https://management.azure.com${poolId}?api-version=2024-07-01" --query "properties.{target: targetNodeCommunicationMode, current: currentNodeCommunicationMode}"`;
}

/**
 * The modes a pool's nodes may join in: what its target runs in now, and what it runs today;
 * both modes (where the region offers them) when its export does not say.
 */
export function poolModes(pool: PoolRecord, region: ReturnType<typeof findRegion>): NodeMode[] {
  if (modeUnknown(pool))
    return canonicalModes(modesForTargets([CommunicationMode.Classic], region), region);
  const target = findCommunicationMode(pool.target ?? "Default") ?? CommunicationMode.Default;
  const modes = new Set<CommunicationMode>(modesForTargets([target], region));
  const current = findCommunicationMode(pool.current);
  // A Default pool made before 30 Sep 2024 may still run Classic: keep what it runs today.
  if (current && isNodeMode(current) && (current !== "Simplified" || region?.simplifiedAvailable))
    modes.add(current);
  return canonicalModes(modes, region);
}

function accountsWithoutPools(inventory: Inventory): MissingExport[] {
  const withPools = new Set(inventory.pools.map((p) => idKey(p.accountId)));
  return [...inventory.accounts.values()]
    .filter((a) => !withPools.has(idKey(a.id)))
    .map((a) => ({
      what: `pools of account ${a.name} (it has none, or they were not exported)`,
      id: a.id,
      command: `az rest --method get --url "https://management.azure.com${a.id}/pools?api-version=2024-07-01"`,
    }));
}

/** Whether a pool's export shows Simplified in a region the package's table says lacks it. */
function simplifiedObserved(pool: PoolRecord, region: Region): boolean {
  if (region.simplifiedAvailable) return false;
  return [pool.target, pool.current].some(
    (m) => findCommunicationMode(m) === CommunicationMode.Simplified,
  );
}

interface Judged {
  readonly audit: PoolAudit;
  /** What the pool's analysis was made of, to judge changes for it again. */
  readonly input?: AnalysisInput;
}

function missingExports(inventory: Inventory, pool: PoolRecord): MissingExport[] {
  const missing: MissingExport[] = [];
  if (!inventory.accounts.has(idKey(pool.accountId)))
    missing.push({
      what: "Batch account (for its region)",
      id: pool.accountId,
      command: `az batch account show --ids ${pool.accountId} -o json`,
    });
  if (!pool.subnetId) return missing;
  const subnet = inventory.subnets.get(idKey(pool.subnetId));
  if (!subnet) {
    missing.push({
      what: "subnet (with its VNet)",
      id: pool.subnetId,
      command: `az network vnet show --ids ${vnetIdOfSubnet(pool.subnetId)} -o json`,
    });
    return missing;
  }
  if (subnet.nsgId && !inventory.nsgs.has(idKey(subnet.nsgId)))
    missing.push({
      what: "NSG",
      id: subnet.nsgId,
      command: `az network nsg show --ids ${subnet.nsgId} -o json`,
    });
  if (subnet.routeTableId && !inventory.routeTables.has(idKey(subnet.routeTableId)))
    missing.push({
      what: "route table",
      id: subnet.routeTableId,
      command: `az network route-table show --ids ${subnet.routeTableId} -o json`,
    });
  return missing;
}

const PUBLIC_IP_SETTINGS = new Set(["BatchManaged", "UserManaged", "NoPublicIPAddresses"]);

/**
 * The layers around a pool's NSG and route table, as the folder has them: the VNet's admin rules,
 * the subnet's outbound path (its NAT gateway, the pool's public IPs), the account's private
 * endpoints with their addresses; and what the folder lacks of them, with the command that
 * exports it.
 */
function poolLayers(
  inventory: Inventory,
  pool: PoolRecord,
  subnet: SubnetRecord,
): {
  adminRules?: AdminRuleSet;
  outbound: OutboundPath;
  endpoints: PrivateEndpointPath[];
  missing: MissingExport[];
  key: string;
} {
  const missing: MissingExport[] = [];
  const vnetId = vnetIdOfSubnet(subnet.id);
  const adminRules = inventory.adminRules.get(idKey(vnetId));
  if (!adminRules)
    missing.push({
      what: "VNet's security admin rules",
      id: vnetId,
      command: `az network manager list-effective-security-admin-rule --resource-group ${resourceGroupOfResourceId(vnetId) ?? "<rg>"} --vnet-name ${nameOfResourceId(vnetId)} --query "{virtualNetworkId: '${vnetId}', value: value}" -o json`,
    });
  const natId = subnet.facts.natGatewayId;
  const natGateway = natId ? inventory.natGateways.get(idKey(natId)) : undefined;
  // Batch's own default when the pool's export says nothing of public IPs.
  const provision = pool.publicIpProvisioning ?? "BatchManaged";
  const outbound: OutboundPath = {
    subnet: subnet.facts,
    ...(natGateway ? { natGateway } : {}),
    ...(PUBLIC_IP_SETTINGS.has(provision) ? { nodePublicIps: provision as NodePublicIps } : {}),
  };
  const nics = new Map<string, { address: string; fqdns: readonly string[] }>();
  const subnetPrefixes = new Map<string, string>();
  const endpoints: PrivateEndpointPath[] = [];
  for (const endpoint of inventory.privateEndpoints.get(idKey(pool.accountId)) ?? []) {
    for (const nicId of endpoint.networkInterfaceIds) {
      const config = inventory.networkInterfaces
        .get(idKey(nicId))
        ?.ipConfigurations.find((c) => c.privateIpAddress);
      if (config?.privateIpAddress)
        nics.set(idKey(nicId), { address: config.privateIpAddress, fqdns: config.fqdns });
    }
    const home = endpoint.subnetId ? inventory.subnets.get(idKey(endpoint.subnetId)) : undefined;
    if (home?.addressPrefix) subnetPrefixes.set(idKey(home.id), home.addressPrefix);
    const path = endpointPath(endpoint, { nics, subnetPrefixes });
    if (path) endpoints.push(path);
    else
      missing.push({
        what: `network interface of private endpoint ${endpoint.name}`,
        id: endpoint.networkInterfaceIds[0] ?? endpoint.id ?? endpoint.name,
        command: endpoint.networkInterfaceIds[0]
          ? `az network nic show --ids ${endpoint.networkInterfaceIds[0]} -o json`
          : `az network private-endpoint show --ids ${endpoint.id ?? endpoint.name} -o json`,
      });
  }
  const key = [
    adminRules ? vnetId : "-",
    natId ?? "",
    natGateway?.publicAddresses ?? "",
    String(subnet.facts.defaultOutboundAccess),
    outbound.nodePublicIps ?? "",
    endpoints.map((e) => `${e.group}=${e.address}=${e.status ?? ""}`).join(),
    missing.length,
  ].join(";");
  return { ...(adminRules ? { adminRules } : {}), outbound, endpoints, missing, key };
}

/**
 * What a pool in a VNet is judged on: its subnet's NSG and route table, and the layers around
 * them the folder has; with what the folder lacks of those layers. The pool's subnet must be in
 * the inventory.
 */
export function poolInput(
  inventory: Inventory,
  pool: PoolRecord,
  region: string,
  modes: readonly NodeMode[],
  simplifiedObserved = false,
): { input: AnalysisInput; missing: MissingExport[]; key: string } {
  const subnet = inventory.subnets.get(idKey(pool.subnetId!))!;
  const nsg = subnet.nsgId ? inventory.nsgs.get(idKey(subnet.nsgId)) : undefined;
  const table = subnet.routeTableId
    ? inventory.routeTables.get(idKey(subnet.routeTableId))
    : undefined;
  const layers = poolLayers(inventory, pool, subnet);
  const input: AnalysisInput = {
    region,
    modes,
    ...(layers.adminRules ? { adminRules: layers.adminRules } : {}),
    ...(nsg ? { subnetNsg: nsg } : {}),
    ...(table ? { routeTable: table } : {}),
    outbound: layers.outbound,
    ...(subnet.addressPrefix ? { subnetPrefix: subnet.addressPrefix } : {}),
    ...(layers.endpoints.length > 0 ? { privateEndpoints: layers.endpoints } : {}),
    // A layer the folder lacks makes the flows it could decide undecided, never allowed.
    ...(layers.missing.length > 0 ? { strict: true } : {}),
    ...(simplifiedObserved ? { simplifiedObserved } : {}),
  };
  return { input, missing: layers.missing, key: layers.key };
}

function statusOf(analysis: Analysis, pool: PoolRecord): { status: PoolStatus; why: string } {
  const blocked = analysis.flows.filter((f) => f.verdict === "blocked");
  const current = findCommunicationMode(pool.current);
  const now = blocked.filter(
    (f) => current !== undefined && f.flow.modes.some((m) => m === current),
  );
  if (now.length > 0) return { status: "broken", why: `${current} nodes: ${now[0].reason}` };
  if (blocked.length > 0) return { status: "at-risk", why: blocked[0].reason };
  const undecided = analysis.flows.find((f) => f.verdict === "undecided");
  if (undecided) return { status: "at-risk", why: undecided.reason };
  return { status: "ok", why: "every flow its modes need is allowed" };
}

/** For each pool, the others in its subnet: a few by name, and how many. */
function subnetSharing(inventory: Inventory) {
  const bySubnet = new Map<string, string[]>();
  for (const pool of inventory.pools) {
    if (!pool.subnetId) continue;
    const key = idKey(pool.subnetId);
    const names = bySubnet.get(key);
    if (names) names.push(pool.name);
    else bySubnet.set(key, [pool.name]);
  }
  return (pool: PoolRecord) => {
    const names = pool.subnetId ? (bySubnet.get(idKey(pool.subnetId)) ?? []) : [];
    const others: string[] = [];
    for (const n of names) {
      if (n === pool.name) continue;
      if (others.length < SHARED_NAMES_SHOWN) others.push(n);
    }
    return { sharesSubnetWith: others, sharesSubnetWithCount: Math.max(0, names.length - 1) };
  };
}

/** What a pool's audit says before its network is judged: who it is, its modes, its notes. */
function poolFacts(
  inventory: Inventory,
  pool: PoolRecord,
  sharing: ReturnType<typeof subnetSharing>,
) {
  const account = inventory.accounts.get(idKey(pool.accountId));
  const listed = account?.location ? findRegion(account.location) : undefined;
  const observed = listed !== undefined && simplifiedObserved(pool, listed);
  const region = observed ? { ...listed, simplifiedAvailable: true } : listed;
  const unknown = modeUnknown(pool);
  const notes = [
    ...(unknown
      ? [
          `mode unknown: the pool's export carries no targetNodeCommunicationMode or currentNodeCommunicationMode (a read at API 2025-06-01, or az batch pool list), so it is judged for both modes; its mode: ${modeCommand(pool.id)}`,
        ]
      : []),
    ...(observed
      ? [
          `judged with Simplified's flows: the pool's export says it targets or runs Simplified, though this package's table says ${listed.name} does not offer simplified node communication (Azure's offer has moved on).`,
        ]
      : []),
  ];
  const subscription = subscriptionOfResourceId(pool.id);
  const base = {
    pool: pool.name,
    poolId: pool.id,
    account: account?.name ?? nameOfResourceId(pool.accountId),
    ...(subscription ? { subscription } : {}),
    ...(region ? { region: region.name } : {}),
    target: unknown ? "unknown" : (pool.target ?? "Default"),
    ...(pool.current ? { current: pool.current } : {}),
    judgedModes: poolModes(pool, region),
    ...sharing(pool),
    ...(notes.length > 0 ? { notes } : {}),
  };
  return { base, region, observed };
}

/**
 * Judges every pool of the inventory. Pools in the same subnet with the same modes share one
 * analysis, so the work grows with the number of distinct subnets, not of pools.
 */
export function auditFleet(
  inventory: Inventory,
  onProgress?: (done: number, total: number) => void,
): FleetAudit {
  const sharing = subnetSharing(inventory);
  // A caller's own inventory is walked for depth pool by pool, as any analysis input is.
  const withinLimits = builtHere(inventory);
  const analyses = new Map<string, Analysis>();
  const judged: Judged[] = inventory.pools.map((pool, index): Judged => {
    if (onProgress && index % 500 === 0) onProgress(index, inventory.pools.length);
    const { base, region, observed } = poolFacts(inventory, pool, sharing);
    if (!pool.subnetId)
      return {
        audit: {
          ...base,
          status: "no-vnet",
          why: "not in a virtual network: Batch manages its network, no NSG rules are needed",
          missing: [],
        },
      };
    const missing = missingExports(inventory, pool);
    const subnet = inventory.subnets.get(idKey(pool.subnetId));
    const nsg = subnet?.nsgId ? inventory.nsgs.get(idKey(subnet.nsgId)) : undefined;
    const table = subnet?.routeTableId
      ? inventory.routeTables.get(idKey(subnet.routeTableId))
      : undefined;
    const named = {
      ...base,
      subnetId: pool.subnetId,
      ...(nsg ? { nsg: nsg.name } : {}),
      ...(table ? { routeTable: table.name } : {}),
    };
    if (missing.length > 0 || !region) {
      return {
        audit: {
          ...named,
          status: "at-risk",
          why: `undecided: the exports lack the ${missing.map((m) => m.what).join(", ") || "account's region"}`,
          missing,
        },
      };
    }
    const {
      input,
      missing: layerMissing,
      key: layersKey,
    } = poolInput(inventory, pool, region.name, base.judgedModes, observed);
    const key = [
      subnet?.nsgId ?? "",
      subnet?.routeTableId ?? "",
      subnet?.addressPrefix ?? "",
      region.name,
      String(observed),
      base.judgedModes.join(),
      layersKey,
    ].join("|");
    let analysis = analyses.get(key);
    if (!analysis) {
      analysis = analyzeWithinLimits(input, withinLimits);
      analyses.set(key, analysis);
    }
    return {
      audit: { ...named, ...statusOf(analysis, pool), analysis, missing: layerMissing },
      input,
    };
  });
  const pools = judged.map((j) => j.audit);
  const changes = mergeChanges(
    inventory,
    judged.map((j) => ({
      name: poolLabel(j.audit),
      id: j.audit.poolId,
      subnetId: j.audit.subnetId,
      analysis: j.audit.analysis,
      input: j.input,
    })),
  );
  return {
    overview: fleetOverview(
      pools.map((p) => ({
        ...p,
        blockedFlows: (p.analysis?.flows ?? [])
          .filter((f) => f.verdict === "blocked")
          .map((f) => f.flow.id),
      })),
      changes,
    ),
    pools,
    summary: summarise(pools),
    changes,
    skipped: inventory.skipped,
    status: judged.some((j) => j.audit.status === "broken")
      ? "broken"
      : judged.some((j) => j.audit.status === "at-risk")
        ? "at-risk"
        : "ok",
    accountsWithoutPools: accountsWithoutPools(inventory),
    incomplete: inventory.incomplete,
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function summarise(pools: readonly PoolAudit[]): StatusCount[] {
  const counts = new Map<string, StatusCount>();
  for (const p of pools) {
    const region = p.region ?? "(unknown)";
    const key = `${region}\u0000${p.account}`;
    const c = counts.get(key) ?? {
      region,
      account: p.account,
      ok: 0,
      atRisk: 0,
      broken: 0,
      noVnet: 0,
    };
    counts.set(key, {
      ...c,
      ok: c.ok + (p.status === "ok" ? 1 : 0),
      atRisk: c.atRisk + (p.status === "at-risk" ? 1 : 0),
      broken: c.broken + (p.status === "broken" ? 1 : 0),
      noVnet: c.noVnet + (p.status === "no-vnet" ? 1 : 0),
    });
  }
  return [...counts.values()].sort(
    (a, b) => compare(a.region, b.region) || compare(a.account, b.account),
  );
}
