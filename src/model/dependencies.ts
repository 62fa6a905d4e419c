/**
 * The outbound endpoints a pool depends on, in the shape of the Batch management API's
 * `BatchAccount_ListOutboundNetworkDependenciesEndpoints` (category -> endpoints -> domainName,
 * description, endpointDetails[].port).
 *
 * Classic follows the published example response exactly. For simplified the service's exact
 * answer is not published (the 2024-07-01, 2025-06-01 and 2026-08-01 examples are all
 * classic-shaped): Microsoft's page says simplified drops the general Storage access and needs
 * only the account's node management endpoint plus what the pool's features use, and that is
 * what this lists. The node management host is the account's `nodeManagementEndpoint`
 * (`<unique id>.<region>.service.batch.azure.com`), never built from the account's name: given
 * when known, otherwise shown in its form.
 */
import { shown } from "./printable";
import { accountNameProblem } from "./names";
import { CommunicationMode, NodeMode } from "./modes";
import { InvalidInputError, objectProblem, Problem } from "./problems";
import { CLOUD_ENDPOINTS, Region } from "./regions";
import { checkScope } from "./scope";
import { refuseTooDeepArguments } from "./input/json";

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
  /** The Batch account's name; without it the account endpoint is shown in its form. */
  readonly accountName?: string;
  /** The account's `accountEndpoint` (`<account>.<region>.batch.azure.com`), when known. */
  readonly accountEndpoint?: string;
  /**
   * The account's `nodeManagementEndpoint` (`<unique id>.<region>.service.batch.azure.com`), as
   * `BatchAccount` and `getBatchAccount` return it. Without it the endpoint is listed in its
   * form, with how to read it.
   */
  readonly nodeManagementEndpoint?: string;
  /** The account's auto-storage account name, when it has one. */
  readonly autoStorageAccountName?: string;
  /** The pool has a mount configuration (blobfuse, NFS, SMB): needs packages.microsoft.com. */
  readonly mountConfiguration?: boolean;
  /** The pool uses disk encryption on a VM size without encryption at host: needs Key Vault. */
  readonly diskEncryptionWithoutEncryptionAtHost?: boolean;
}

// A DNS host name: labels of letters, digits and hyphens, at most 253 characters.
const HOST = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

const TEXT = {
  account:
    "Applicable to job manager tasks, tasks that use job scoped authentication, or any task that makes calls to Batch.",
  classicService: "Applicable to all Azure Batch pools.",
  simplifiedService:
    "Node management endpoint of this Batch account. Applicable to all Azure Batch pools in simplified mode.",
  simplifiedServiceForm:
    "Node management endpoint of this Batch account: its nodeManagementEndpoint property, a unique ID (not the account name) then the region (az batch account show --query nodeManagementEndpoint). Applicable to all Azure Batch pools in simplified mode.",
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
  const account = options.accountName ?? "<account-name>";
  const classic = mode === CommunicationMode.Classic;
  const nodeManagement = options.nodeManagementEndpoint
    ? endpoint(options.nodeManagementEndpoint, TEXT.simplifiedService)
    : endpoint(`<unique-id>.${region.name}.service.${suffix.batch}`, TEXT.simplifiedServiceForm);
  const batch = [
    endpoint(options.accountEndpoint ?? `${account}.${region.name}.${suffix.batch}`, TEXT.account),
    classic
      ? endpoint(`${region.name}.service.${suffix.batch}`, TEXT.classicService)
      : nodeManagement,
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
  const host = (
    value: unknown,
    field: string,
    form: RegExp,
    example: string,
  ): Problem | undefined =>
    value === undefined || (typeof value === "string" && form.test(value))
      ? undefined
      : { field, message: `${shown(value)} is not a host name such as ${example}.` };
  return [
    options.accountName === undefined
      ? undefined
      : accountNameProblem(options.accountName, "accountName", "Batch account"),
    host(options.accountEndpoint, "accountEndpoint", HOST, "mybatch.westus2.batch.azure.com"),
    host(
      options.nodeManagementEndpoint,
      "nodeManagementEndpoint",
      HOST,
      "7b0c9a1e-6d0b-4c3b-9f0e-0a1b2c3d4e5f.westus2.service.batch.azure.com",
    ),
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
  refuseTooDeepArguments({ region, modes, options });
  const scope = checkScope(region, modes);
  const shape = objectProblem(options, "options", "dependency options");
  const problems = [
    ...scope.problems,
    ...(shape.length ? shape : validateDependencyOptions(options)),
  ];
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
