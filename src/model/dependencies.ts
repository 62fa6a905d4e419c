/**
 * The outbound endpoints a pool depends on, in the shape of the Batch management API's
 * `BatchAccount_ListOutboundNetworkDependenciesEndpoints` (category -> endpoints -> domainName,
 * description, endpointDetails[].port).
 *
 * Classic follows the published example response exactly. For simplified the service's exact
 * answer is not published: Microsoft's page says simplified drops the general Storage access
 * and needs only the account's node management endpoint plus what the pool's features use,
 * and that is what this lists.
 */
import { accountNameProblem } from "./names";
import { CommunicationMode, NodeMode } from "./modes";
import { InvalidInputError, Problem } from "./problems";
import { CLOUD_ENDPOINTS, Region } from "./regions";
import { checkScope } from "./scope";

export interface OutboundEndpointDetail {
  /** The TCP port the endpoint is reached on. */
  readonly port: number;
}

export interface OutboundEndpoint {
  /** The endpoint's domain name (may start with `*.`). */
  readonly domainName: string;
  /** What needs the endpoint. */
  readonly description: string;
  /** How the endpoint is reached. */
  readonly endpointDetails: OutboundEndpointDetail[];
}

export interface OutboundEndpointCategory {
  /** The service the endpoints belong to (`Azure Batch`, `Azure Storage`, ...). */
  readonly category: string;
  /** The endpoints of that service. */
  readonly endpoints: OutboundEndpoint[];
}

/** The pool and account features that add endpoints. */
export interface DependencyOptions {
  /** The Batch account's name. */
  readonly accountName: string;
  /** The account's auto-storage account name, when it has one. */
  readonly autoStorageAccountName?: string;
  /** The pool has a mount configuration (blobfuse, NFS, SMB): needs packages.microsoft.com. */
  readonly mountConfiguration?: boolean;
  /** The pool uses disk encryption on a VM size without encryption at host: needs Key Vault. */
  readonly diskEncryptionWithoutEncryptionAtHost?: boolean;
}

const TEXT = {
  account:
    "Applicable to job manager tasks, tasks that use job scoped authentication, or any task that makes calls to Batch.",
  classicService: "Applicable to all Azure Batch pools.",
  simplifiedService:
    "Node management endpoint of this Batch account. Applicable to all Azure Batch pools in simplified mode.",
  autoStorage:
    "AutoStorage endpoint for this Batch account. Applicable to all Azure Batch pools under this account.",
  generalStorage: "Applicable to all Azure Batch pools.",
  packages:
    "Only applicable to pools containing a Mount Configuration. Learn about Mount Configurations in Batch at https://docs.microsoft.com/azure/batch/virtual-file-mount.",
  keyVault:
    "Only applicable to pools containing a Disk Encryption Configuration and whose VM size does not support encryption at host. Learn more about disk encryption in Azure Batch at https://docs.microsoft.com/azure/batch/disk-encryption. Learn more about encryption at host and supported VM sizes at https://docs.microsoft.com/azure/virtual-machines/disks-enable-host-based-encryption-portal.",
};

function endpoint(domainName: string, description: string): OutboundEndpoint {
  return { domainName, description, endpointDetails: [{ port: 443 }] };
}

function endpointsFor(
  mode: NodeMode,
  region: Region,
  options: DependencyOptions,
): OutboundEndpointCategory[] {
  const suffix = CLOUD_ENDPOINTS[region.cloud];
  const account = options.accountName;
  const classic = mode === CommunicationMode.Classic;
  const batch = [
    endpoint(`${account}.${region.name}.${suffix.batch}`, TEXT.account),
    classic
      ? endpoint(`${region.name}.service.${suffix.batch}`, TEXT.classicService)
      : endpoint(`${account}.${region.name}.service.${suffix.batch}`, TEXT.simplifiedService),
  ];
  const storage = [
    ...(options.autoStorageAccountName
      ? [endpoint(`${options.autoStorageAccountName}.blob.${suffix.storage}`, TEXT.autoStorage)]
      : []),
    ...(classic
      ? ["blob", "table", "queue"].map((s) =>
          endpoint(`*.${s}.${suffix.storage}`, TEXT.generalStorage),
        )
      : []),
  ];
  const categories: OutboundEndpointCategory[] = [{ category: "Azure Batch", endpoints: batch }];
  if (storage.length > 0) categories.push({ category: "Azure Storage", endpoints: storage });
  if (options.mountConfiguration) {
    categories.push({
      category: "Microsoft Package Repository",
      endpoints: [endpoint("packages.microsoft.com", TEXT.packages)],
    });
  }
  if (options.diskEncryptionWithoutEncryptionAtHost) {
    categories.push({
      category: "Azure Key Vault",
      endpoints: [endpoint(`*.${suffix.keyVault}`, TEXT.keyVault)],
    });
  }
  return categories;
}

/** Merges categories by name, keeping first-seen order and dropping repeated domain names. */
function mergeCategories(lists: OutboundEndpointCategory[][]): OutboundEndpointCategory[] {
  const merged = new Map<string, OutboundEndpoint[]>();
  for (const category of lists.flat()) {
    const endpoints = merged.get(category.category) ?? [];
    for (const e of category.endpoints) {
      if (!endpoints.some((known) => known.domainName === e.domainName)) endpoints.push(e);
    }
    merged.set(category.category, endpoints);
  }
  return [...merged].map(([category, endpoints]) => ({ category, endpoints }));
}

/** Problems with dependency options. */
export function validateDependencyOptions(options: DependencyOptions): Problem[] {
  return [
    accountNameProblem(options.accountName, "accountName", "Batch account"),
    options.autoStorageAccountName === undefined
      ? undefined
      : accountNameProblem(
          options.autoStorageAccountName,
          "autoStorageAccountName",
          "storage account",
        ),
  ].filter((p): p is Problem => p !== undefined);
}

/**
 * The outbound endpoints pools in these modes depend on; for several modes (the union, or
 * `Default`), every endpoint any of them needs.
 * @throws InvalidInputError for an unknown region, no modes, or invalid names.
 */
export function outboundDependencies(
  region: string,
  modes: Iterable<CommunicationMode>,
  options: DependencyOptions,
): OutboundEndpointCategory[] {
  const scope = checkScope(region, modes);
  const problems = [...scope.problems, ...validateDependencyOptions(options)];
  if (problems.length > 0 || !scope.region) throw new InvalidInputError(problems);
  return dependenciesFor(scope.region, scope.modes, options);
}

/** {@link outboundDependencies} without validation, for callers that validated already. */
export function dependenciesFor(
  region: Region,
  modes: readonly NodeMode[],
  options: DependencyOptions,
): OutboundEndpointCategory[] {
  return mergeCategories(modes.map((m) => endpointsFor(m, region, options)));
}
