/**
 * Azure regions: normalising the names users write to the programmatic name service tags use,
 * which cloud a region belongs to, and where simplified node communication is available.
 */
import { shown } from "./printable";
import { distance } from "fastest-levenshtein";
import { InvalidInputError } from "./problems";

/** The Azure cloud a region belongs to. Endpoint suffixes and private DNS zones differ per cloud. */
export type AzureCloud = "AzureCloud" | "AzureUSGovernment" | "AzureChinaCloud";

/** One Azure region as the package knows it. */
export interface Region {
  /** Programmatic (ARM) name, lowercase without spaces, as service tags use it: `westus2`. */
  readonly name: string;
  /** Display name, as the portal shows it: `West US 2`. */
  readonly displayName: string;
  readonly cloud: AzureCloud;
  /** Whether Batch honours `targetNodeCommunicationMode: Simplified` in this region. */
  readonly simplifiedAvailable: boolean;
  /** Whether Azure's provider list shows Batch accounts in this region (see NO_BATCH_ACCOUNTS). */
  readonly batchListed: boolean;
  /** The region no longer takes new resources. */
  readonly retired: boolean;
}

/** DNS suffixes of the services a Batch pool talks to, per cloud. */
export interface CloudEndpoints {
  /** Batch account and node management endpoints: `<account>.<region>.<batch>`. */
  readonly batch: string;
  /** Storage endpoints: `<account>.blob.<storage>`. */
  readonly storage: string;
  /** Key Vault endpoints: `*.<keyVault>`. */
  readonly keyVault: string;
  /** Private DNS zone for Batch private endpoints. */
  readonly batchPrivateDnsZone: string;
}

export const CLOUD_ENDPOINTS: Readonly<Record<AzureCloud, CloudEndpoints>> = {
  AzureCloud: {
    batch: "batch.azure.com",
    storage: "core.windows.net",
    keyVault: "vault.azure.net",
    batchPrivateDnsZone: "privatelink.batch.azure.com",
  },
  AzureUSGovernment: {
    batch: "batch.usgovcloudapi.net",
    storage: "core.usgovcloudapi.net",
    keyVault: "vault.usgovcloudapi.net",
    batchPrivateDnsZone: "privatelink.batch.usgovcloudapi.net",
  },
  AzureChinaCloud: {
    batch: "batch.chinacloudapi.cn",
    storage: "core.chinacloudapi.cn",
    keyVault: "vault.azure.cn",
    batchPrivateDnsZone: "privatelink.batch.chinacloudapi.cn",
  },
};

// [programmatic name, display name, extra display names]
type RegionRow = readonly [string, string, ...string[]];

const PUBLIC_REGIONS: readonly RegionRow[] = [
  ["australiacentral", "Australia Central"],
  ["australiacentral2", "Australia Central 2"],
  ["australiaeast", "Australia East"],
  ["australiasoutheast", "Australia Southeast"],
  ["austriaeast", "Austria East"],
  ["belgiumcentral", "Belgium Central"],
  ["brazilsouth", "Brazil South"],
  ["brazilsoutheast", "Brazil Southeast"],
  ["canadacentral", "Canada Central"],
  ["canadaeast", "Canada East"],
  ["centralindia", "Central India"],
  ["centralus", "Central US"],
  ["chilecentral", "Chile Central"],
  ["denmarkeast", "Denmark East"],
  ["eastasia", "East Asia"],
  ["eastus", "East US"],
  ["eastus2", "East US 2"],
  ["francecentral", "France Central"],
  ["francesouth", "France South"],
  ["germanynorth", "Germany North"],
  ["germanywestcentral", "Germany West Central"],
  ["indonesiacentral", "Indonesia Central"],
  ["israelcentral", "Israel Central"],
  ["italynorth", "Italy North"],
  ["japaneast", "Japan East"],
  ["japanwest", "Japan West"],
  ["jioindiacentral", "Jio India Central"],
  ["jioindiawest", "Jio India West"],
  ["koreacentral", "Korea Central"],
  ["koreasouth", "Korea South"],
  ["malaysiawest", "Malaysia West"],
  ["mexicocentral", "Mexico Central"],
  ["newzealandnorth", "New Zealand North"],
  ["northcentralus", "North Central US"],
  ["northeurope", "North Europe"],
  ["norwayeast", "Norway East"],
  ["norwaywest", "Norway West"],
  ["polandcentral", "Poland Central"],
  ["qatarcentral", "Qatar Central"],
  ["southafricanorth", "South Africa North"],
  ["southafricawest", "South Africa West"],
  ["southcentralus", "South Central US"],
  ["southeastasia", "Southeast Asia"],
  ["southindia", "South India"],
  ["spaincentral", "Spain Central"],
  ["swedencentral", "Sweden Central"],
  ["swedensouth", "Sweden South"],
  ["switzerlandnorth", "Switzerland North"],
  ["switzerlandwest", "Switzerland West"],
  ["uaecentral", "UAE Central"],
  ["uaenorth", "UAE North"],
  ["uksouth", "UK South"],
  ["ukwest", "UK West"],
  ["westcentralus", "West Central US"],
  ["westeurope", "West Europe"],
  ["westindia", "West India"],
  ["westus", "West US"],
  ["westus2", "West US 2"],
  ["westus3", "West US 3"],
];

const US_GOVERNMENT_REGIONS: readonly RegionRow[] = [
  ["usdodcentral", "USDoD Central"],
  ["usdodeast", "USDoD East"],
  ["usgovarizona", "USGov Arizona"],
  ["usgoviowa", "USGov Iowa"],
  ["usgovtexas", "USGov Texas"],
  ["usgovvirginia", "USGov Virginia"],
];

// Microsoft's simplified-mode page calls the first China regions "China North 1" / "China East 1".
const CHINA_REGIONS: readonly RegionRow[] = [
  ["chinaeast", "China East", "China East 1"],
  ["chinaeast2", "China East 2"],
  ["chinaeast3", "China East 3"],
  ["chinanorth", "China North", "China North 1"],
  ["chinanorth2", "China North 2"],
  ["chinanorth3", "China North 3"],
];

/**
 * Where Batch does not honour simplified mode (learn.microsoft.com/azure/batch/
 * simplified-compute-node-communication, "Supported regions"): West India among public regions;
 * China North 1 and China East 1; every Government region except USGov Arizona, Virginia, Texas.
 */
const SIMPLIFIED_UNAVAILABLE: ReadonlySet<string> = new Set([
  "westindia",
  "chinanorth",
  "chinaeast",
  "usdodcentral",
  "usdodeast",
  "usgoviowa",
]);

/**
 * Regions where Azure's provider list shows no `batchAccounts` (the snapshot in
 * pulumi-azure-native `versions/az-provider-list.json`, up to API 2024-07-01). Settings there
 * are warned about, not refused: the list may lag behind Azure.
 */
const NO_BATCH_ACCOUNTS: ReadonlySet<string> = new Set([
  "australiacentral2",
  "germanynorth",
  "norwaywest",
  "switzerlandwest",
  "uaecentral",
  "francesouth",
  "southafricawest",
  "jioindiacentral",
  "jioindiawest",
  "swedensouth",
]);

/** Regions Azure has retired: nothing new can be deployed there. */
const RETIRED: ReadonlySet<string> = new Set(["usgoviowa"]);

function toRegion([name, displayName]: RegionRow, cloud: AzureCloud): Region {
  return {
    name,
    displayName,
    cloud,
    simplifiedAvailable: !SIMPLIFIED_UNAVAILABLE.has(name),
    batchListed: !NO_BATCH_ACCOUNTS.has(name),
    retired: RETIRED.has(name),
  };
}

/** The regions of a cloud that still take deployments, for messages. */
export function liveRegionsOf(cloud: AzureCloud): Region[] {
  return REGIONS.filter((r) => r.cloud === cloud && !r.retired);
}

/** Why a retired region cannot be used, with the regions of its cloud that can. */
export function retiredRegionMessage(region: Region): string {
  const others = liveRegionsOf(region.cloud)
    .filter((r) => r.simplifiedAvailable)
    .map((r) => r.name);
  return `${region.name} (${region.displayName}) is retired: Azure takes no new resources there; use ${others.join(", ")}.`;
}

/** Why settings in a region Azure lists no Batch accounts in may fail. */
export function unlistedRegionWarning(region: Region): string {
  return `${region.name} (${region.displayName}): Azure's provider list shows no Batch accounts there (snapshot up to API 2024-07-01); creating the account or pool may fail. Prefer a paired region with Batch.`;
}

const ROWS_BY_CLOUD: ReadonlyArray<readonly [AzureCloud, readonly RegionRow[]]> = [
  ["AzureCloud", PUBLIC_REGIONS],
  ["AzureUSGovernment", US_GOVERNMENT_REGIONS],
  ["AzureChinaCloud", CHINA_REGIONS],
];

const KNOWN: ReadonlyArray<{ readonly row: RegionRow; readonly region: Region }> =
  ROWS_BY_CLOUD.flatMap(([cloud, rows]) =>
    rows.map((row) => ({ row, region: toRegion(row, cloud) })),
  );

/** Every region the package knows, public first, then US Government, then China. */
export const REGIONS: readonly Region[] = KNOWN.map((k) => k.region);

/** Lookup key: case and spaces do not matter ("West US 2" = "westus2" = "WestUS2"). */
function regionKey(text: string): string {
  return text.replace(/\s+/g, "").toLowerCase();
}

/** Every accepted spelling (programmatic name, display names), keyed by {@link regionKey}. */
const REGION_BY_KEY: ReadonlyMap<string, Region> = new Map(
  KNOWN.flatMap(({ row, region }) => row.map((spelling) => [regionKey(spelling), region] as const)),
);

/** The region a name denotes, or `undefined` when it is not an Azure region the package knows. */
export function findRegion(nameOrDisplayName: string): Region | undefined {
  if (typeof nameOrDisplayName !== "string") return undefined;
  return REGION_BY_KEY.get(regionKey(nameOrDisplayName));
}

/** Up to `count` known programmatic names closest in spelling to `text`, nearest first. */
export function nearestRegionNames(text: string, count = 3): string[] {
  const key = regionKey(text);
  return REGIONS.map((r) => ({ name: r.name, d: distance(key, r.name) }))
    .sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, count)
    .map((r) => r.name);
}

/** Explains why a region name was not accepted, with the nearest known names. */
export function unknownRegionMessage(text: unknown): string {
  if (text === undefined || text === null || text === "")
    return "is missing; give an Azure region name (westus2, or West US 2).";
  if (typeof text !== "string")
    return `must be an Azure region name (westus2, or West US 2), not ${shown(text)}.`;
  return (
    `${shown(text)} is not an Azure region this package knows. ` +
    `Did you mean ${nearestRegionNames(text.slice(0, 100))
      .map((n) => `"${n}"`)
      .join(", ")}? ` +
    `Give the programmatic name (westus2) or the display name (West US 2).`
  );
}

/**
 * The region a name denotes. Accepts programmatic and display names in any case.
 * @throws InvalidInputError naming `field` and the nearest known names when the name is unknown.
 */
export function resolveRegion(nameOrDisplayName: string, field = "region"): Region {
  const region = findRegion(nameOrDisplayName);
  if (!region) {
    throw new InvalidInputError([{ field, message: unknownRegionMessage(nameOrDisplayName) }]);
  }
  return region;
}

/** The programmatic region name service tags use: `BatchNodeManagement.<name>`. */
export function normaliseRegionName(nameOrDisplayName: string, field = "region"): string {
  return resolveRegion(nameOrDisplayName, field).name;
}
