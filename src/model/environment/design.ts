/**
 * The design of an environment: from its checked settings, every decision the components carry
 * out (what to create, what to reuse, which rules, routes and pool settings). Pure data;
 * `BatchEnvironment` only turns it into resources.
 */
import type {
  AuthenticationMode,
  BatchApiVersion,
  ComputeNodeDeallocationOption,
  ComputeNodeFillType,
  IPAddressProvisioningType,
  PublicNetworkAccess,
} from "../enums";
import { CommunicationMode, NodeMode } from "../modes";
import { InvalidInputError } from "../problems";
import { CLOUD_ENDPOINTS, Region } from "../regions";
import { routeSetFor, RouteOptions, RouteSpec } from "../routes";
import { RuleOptions, ruleSetFor } from "../rules";
import type { SecurityRuleSpec } from "../securityRule";
import type { Flow, RemoteAccessOptions } from "../flows";
import { NatPool, remoteAccessNatPools } from "../natPools";
import { ruleOptionsOf, routeOptionsOf } from "./options";
import {
  BatchEnvironmentSettings,
  EndpointAccessSettings,
  ExistingResource,
  ImageSettings,
  NETWORK_DEFAULTS,
  POOL_DEFAULTS,
  PoolSettings,
  StartTaskSettings,
} from "./settings";
import { validateEnvironment, ValidationOptions } from "./validate";
import { designedReach, remainingNeedsWarning } from "./reach";

export type PrivateEndpointGroupId = "nodeManagement" | "batchAccount";

export type ScaleDesign =
  | {
      readonly kind: "fixed";
      readonly dedicatedNodes: number;
      readonly lowPriorityNodes: number;
      readonly resizeTimeout: string;
      readonly nodeDeallocationOption?: ComputeNodeDeallocationOption;
    }
  | { readonly kind: "auto"; readonly formula: string; readonly evaluationInterval: string };

/** The pool's settings with defaults applied; its mode and subnet come from the design around it. */
export interface PoolDesign<Ref = string> {
  readonly fixedName?: string;
  readonly displayName?: string;
  readonly vmSize: string;
  readonly image: ImageSettings;
  readonly nodeAgentSkuId: string;
  readonly scale: ScaleDesign;
  readonly taskSlotsPerNode: number;
  readonly nodeFillType: ComputeNodeFillType;
  readonly interNodeCommunication: boolean;
  readonly startTask?: StartTaskSettings;
  readonly publicIpProvisioning: IPAddressProvisioningType;
  readonly publicIpAddressIds?: readonly Ref[];
  readonly inboundNatPools: readonly NatPool[];
}

export interface AccountDesign<Ref = string> {
  /** Use this existing account; nothing below applies. */
  readonly existingName?: Ref;
  /** Create the account with this name; otherwise derive one from the component's name. */
  readonly fixedName?: string;
  readonly publicNetworkAccess: PublicNetworkAccess;
  readonly accountAccess?: EndpointAccessSettings;
  readonly nodeManagementAccess?: EndpointAccessSettings;
  readonly allowedAuthenticationModes?: readonly AuthenticationMode[];
  readonly autoStorage:
    | { readonly kind: "none" }
    | { readonly kind: "create" }
    | { readonly kind: "existing"; readonly storageAccountId: Ref };
}

/** The subnet's NAT gateway: none, one the component creates, or an existing one attached. */
export type NatGatewayDesign<Ref = string> =
  | { readonly kind: "none" }
  | { readonly kind: "create" }
  | { readonly kind: "existing"; readonly id: Ref };

export interface NetworkDesign<Ref = string> {
  /** Create a VNet and subnet; otherwise use `existingSubnetId`. */
  readonly createVnet: boolean;
  /**
   * The subnet the component creates is private (`defaultOutboundAccess: false`), as Azure
   * makes new subnets since 31 March 2026: its nodes go out only by an explicit way.
   */
  readonly privateSubnet: boolean;
  /** The subnet's explicit way out, when the pool needs one (a subnet the component creates). */
  readonly natGateway: NatGatewayDesign<Ref>;
  readonly addressSpace: readonly string[];
  readonly subnetPrefix: string;
  readonly existingSubnetId?: Ref;
  /** Add standalone rules to this NSG; otherwise create an NSG with the rules inline. */
  readonly existingNetworkSecurityGroup?: ExistingResource<Ref>;
  /** Forced tunnelling: create a route table, or add routes to an existing one. */
  readonly routeTable?: { readonly existing?: ExistingResource<Ref> };
  /** The options the NSG rules are generated with, whatever modes a run applies. */
  readonly ruleOptions: RuleOptions;
  /** The options the routes are generated with; undefined without forced tunnelling. */
  readonly routeOptions?: RouteOptions;
}

export interface PrivateEndpointsDesign<Ref = string> {
  readonly groupIds: readonly PrivateEndpointGroupId[];
  /** Default: the pool's subnet. */
  readonly subnetId?: Ref;
  /** The zone for the account's cloud (`privatelink.batch.azure.com` in public Azure). */
  readonly dnsZoneName: string;
  /** Use this zone; otherwise create one and link it to the VNet. */
  readonly existingDnsZoneId?: Ref;
}

/** Everything the component builds, decided. */
export interface EnvironmentDesign<Ref = string> {
  readonly region: Region;
  /** The pool's `targetNodeCommunicationMode` (not sent at API 2025-06-01). */
  readonly poolTarget: CommunicationMode;
  /** The management API version the pool and account are declared at. */
  readonly apiVersion: BatchApiVersion;
  /** The modes the NSG rules and routes serve when nothing holds others. */
  readonly ruleModes: readonly NodeMode[];
  /** Existing resource group, or `undefined` to create one. */
  readonly existingResourceGroupName?: Ref;
  readonly account: AccountDesign<Ref>;
  readonly network: NetworkDesign<Ref>;
  readonly pool: PoolDesign<Ref>;
  readonly privateEndpoints?: PrivateEndpointsDesign<Ref>;
  readonly tags: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
}

/** What one run applies to the network: the rules and routes for a set of modes. */
export interface AppliedNetwork {
  /** The concrete modes the rules and routes serve. */
  readonly modes: NodeMode[];
  readonly flows: Flow[];
  readonly rules: SecurityRuleSpec[];
  /** Forced-tunnelling routes; empty without them. */
  readonly routes: RouteSpec[];
}

/**
 * The rules and routes an environment applies when they serve `modes`: the one place a run's
 * network is generated, so its NSG, its outputs and its dependencies agree.
 */
export function appliedNetwork(
  design: EnvironmentDesign<unknown>,
  modes: readonly NodeMode[],
): AppliedNetwork {
  const region = design.region.name;
  const ruleSet = ruleSetFor(region, [...modes], design.network.ruleOptions);
  const routeOptions = design.network.routeOptions;
  return {
    modes: ruleSet.modes,
    flows: ruleSet.flows,
    rules: ruleSet.rules.map((r) => ({ ...r })),
    routes: routeOptions
      ? routeSetFor(region, ruleSet.modes, routeOptions).routes.map((r) => ({ ...r }))
      : [],
  };
}

function designPool<Ref>(
  pool: PoolSettings<Ref>,
  remote: RemoteAccessOptions | undefined,
): PoolDesign<Ref> {
  const autoscale = pool.autoScaleFormula !== undefined;
  return {
    fixedName: pool.name,
    displayName: pool.displayName,
    vmSize: pool.vmSize ?? POOL_DEFAULTS.vmSize,
    image: pool.image ?? POOL_DEFAULTS.image,
    nodeAgentSkuId: pool.nodeAgentSkuId ?? POOL_DEFAULTS.nodeAgentSkuId,
    scale: autoscale
      ? {
          kind: "auto",
          formula: pool.autoScaleFormula,
          evaluationInterval:
            pool.autoScaleEvaluationInterval ?? POOL_DEFAULTS.autoScaleEvaluationInterval,
        }
      : {
          kind: "fixed",
          dedicatedNodes: pool.dedicatedNodes ?? POOL_DEFAULTS.dedicatedNodes,
          lowPriorityNodes: pool.lowPriorityNodes ?? POOL_DEFAULTS.lowPriorityNodes,
          resizeTimeout: pool.resizeTimeout ?? POOL_DEFAULTS.resizeTimeout,
          nodeDeallocationOption: pool.nodeDeallocationOption,
        },
    taskSlotsPerNode: pool.taskSlotsPerNode ?? POOL_DEFAULTS.taskSlotsPerNode,
    nodeFillType: pool.nodeFillType ?? POOL_DEFAULTS.nodeFillType,
    interNodeCommunication: pool.interNodeCommunication ?? false,
    startTask: pool.startTask,
    publicIpProvisioning: pool.publicIpProvisioning ?? "BatchManaged",
    publicIpAddressIds: pool.publicIpAddressIds,
    // The pool's own NAT pools, then those SSH and RDP need (Batch maps neither by itself).
    inboundNatPools: [...(pool.inboundNatPools ?? []), ...remoteAccessNatPools(remote)],
  };
}

function designAccount<Ref>(settings: BatchEnvironmentSettings<Ref>): AccountDesign<Ref> {
  const account = settings.account ?? {};
  const autoStorage = account.autoStorage;
  return {
    existingName: account.existingAccountName,
    fixedName: account.name,
    publicNetworkAccess: account.publicNetworkAccess ?? "Enabled",
    accountAccess: account.accountAccess,
    nodeManagementAccess: account.nodeManagementAccess,
    allowedAuthenticationModes: account.allowedAuthenticationModes,
    autoStorage:
      autoStorage === undefined
        ? { kind: "none" }
        : autoStorage.create
          ? { kind: "create" }
          : { kind: "existing", storageAccountId: autoStorage.storageAccountId as Ref },
  };
}

function designPrivateEndpoints<Ref>(
  settings: BatchEnvironmentSettings<Ref>,
  region: Region,
): PrivateEndpointsDesign<Ref> | undefined {
  const endpoints = settings.privateEndpoints;
  const groupIds: PrivateEndpointGroupId[] = [];
  if (endpoints?.nodeManagement) groupIds.push("nodeManagement");
  if (endpoints?.batchAccount) groupIds.push("batchAccount");
  if (groupIds.length === 0) return undefined;
  return {
    groupIds,
    subnetId: endpoints?.subnetId,
    dnsZoneName: CLOUD_ENDPOINTS[region.cloud].batchPrivateDnsZone,
    existingDnsZoneId: endpoints?.privateDnsZoneId,
  };
}

/**
 * The subnet's NAT gateway. A subnet the component creates is private, so nodes without public
 * IPs reach Batch only through a NAT gateway or the account's nodeManagement private endpoint:
 * they get one unless that endpoint is there, or the settings say otherwise.
 */
function designNatGateway<Ref>(
  settings: BatchEnvironmentSettings<Ref>,
  createVnet: boolean,
): NatGatewayDesign<Ref> {
  const nat = settings.network?.natGateway;
  if (!createVnet) return { kind: "none" };
  if (nat?.existingNatGatewayId !== undefined)
    return { kind: "existing", id: nat.existingNatGatewayId };
  if (nat?.create !== undefined) return nat.create ? { kind: "create" } : { kind: "none" };
  const noPublicIps = settings.pool?.publicIpProvisioning === "NoPublicIPAddresses";
  return noPublicIps && settings.privateEndpoints?.nodeManagement !== true
    ? { kind: "create" }
    : { kind: "none" };
}

/**
 * Validates settings and decides everything the component builds.
 * @throws InvalidInputError listing every problem; nothing should be built then.
 */
export function designEnvironment<Ref>(
  settings: BatchEnvironmentSettings<Ref>,
  options: ValidationOptions = {},
): EnvironmentDesign<Ref> {
  const checked = validateEnvironment(settings, options);
  const { region } = checked;
  const poolTarget = checked.poolTargets[0];
  if (checked.problems.length > 0 || !region || !poolTarget)
    throw new InvalidInputError(checked.problems);
  const network = settings.network ?? {};
  const createVnet = !("existingSubnetId" in network);
  const natGateway = designNatGateway(settings, createVnet);
  // Routes to the Internet carry something only where the nodes have a way out: public IPs, a
  // NAT gateway, or (an existing subnet, judged when it is read) whatever that subnet has.
  const nodesHaveWayOut =
    !createVnet ||
    natGateway.kind !== "none" ||
    settings.pool?.publicIpProvisioning !== "NoPublicIPAddresses";
  const routeOptions = routeOptionsOf(network, settings.privateEndpoints, nodesHaveWayOut);
  const routeNotes = routeOptions
    ? routeSetFor(region.name, checked.ruleModes, routeOptions).notes
    : [];
  const design: EnvironmentDesign<Ref> = {
    region,
    poolTarget,
    apiVersion: checked.apiVersion,
    ruleModes: checked.ruleModes,
    existingResourceGroupName: settings.resourceGroupName,
    account: designAccount(settings),
    network: {
      createVnet,
      privateSubnet: createVnet,
      natGateway,
      addressSpace: network.addressSpace ?? NETWORK_DEFAULTS.addressSpace,
      subnetPrefix: network.subnetPrefix ?? NETWORK_DEFAULTS.subnetPrefix,
      existingSubnetId: network.existingSubnetId,
      existingNetworkSecurityGroup: network.existingNetworkSecurityGroup,
      routeTable: network.routes ? { existing: network.routes.existingRouteTable } : undefined,
      ruleOptions: ruleOptionsOf(network, settings.pool),
      ...(routeOptions ? { routeOptions } : {}),
    },
    pool: designPool(settings.pool ?? {}, network.remoteAccess),
    privateEndpoints: designPrivateEndpoints(settings, region),
    tags: settings.tags ?? {},
    warnings: [...checked.warnings, ...routeNotes],
  };
  // The network as it will be built, judged by the evaluator `check` uses.
  const reach = designedReach(design, appliedNetwork(design, design.ruleModes));
  if (reach.problems.length > 0) throw new InvalidInputError(reach.problems);
  return {
    ...design,
    warnings: [...design.warnings, ...reach.warnings, ...remainingNeedsWarning(design)],
  };
}
