/**
 * From a checked environment spec, the decisions the component carries out: what to create,
 * what to reuse, which rules, routes and pool settings. Pure data; `BatchEnvironment` only
 * turns it into resources.
 */
import type {
  AuthenticationMode,
  ComputeNodeDeallocationOption,
  ComputeNodeFillType,
  IPAddressProvisioningType,
  PublicNetworkAccess,
} from "./enums";
import {
  EndpointAccessSpec,
  EnvironmentSpec,
  ExistingResourceSpec,
  ImageSpec,
  InboundNatPoolSpec,
  NETWORK_DEFAULTS,
  POOL_DEFAULTS,
  StartTaskSpec,
} from "./environment";
import { CommunicationMode, NodeMode } from "./modes";
import { InvalidInputError } from "./problems";
import { CLOUD_ENDPOINTS, Region } from "./regions";
import { forcedTunnelRoutes, RouteOptions, RoutePlan } from "./routes";
import { RuleOptions, RuleSet, securityRules } from "./rules";
import { validateEnvironment } from "./validate";

export type PrivateEndpointGroupId = "nodeManagement" | "batchAccount";

export type ScalePlan =
  | {
      readonly kind: "fixed";
      readonly dedicatedNodes: number;
      readonly lowPriorityNodes: number;
      readonly resizeTimeout: string;
      readonly nodeDeallocationOption?: ComputeNodeDeallocationOption;
    }
  | { readonly kind: "auto"; readonly formula: string; readonly evaluationInterval: string };

/** The pool's settings with defaults applied; its mode and subnet come from the plan around it. */
export interface PoolPlan<Id = string> {
  readonly fixedName?: string;
  readonly displayName?: string;
  readonly vmSize: string;
  readonly image: ImageSpec;
  readonly nodeAgentSkuId: string;
  readonly scale: ScalePlan;
  readonly taskSlotsPerNode: number;
  readonly nodeFillType: ComputeNodeFillType;
  readonly interNodeCommunication: boolean;
  readonly startTask?: StartTaskSpec;
  readonly publicIpProvisioning: IPAddressProvisioningType;
  readonly publicIpAddressIds?: readonly Id[];
  readonly inboundNatPools: readonly InboundNatPoolSpec[];
}

export interface AccountPlan<Id = string> {
  /** Use this existing account; nothing below applies. */
  readonly existingName?: string;
  /** Create the account with this name; otherwise derive one from the component's name. */
  readonly fixedName?: string;
  readonly publicNetworkAccess: PublicNetworkAccess;
  readonly accountAccess?: EndpointAccessSpec;
  readonly nodeManagementAccess?: EndpointAccessSpec;
  readonly allowedAuthenticationModes?: readonly AuthenticationMode[];
  readonly autoStorage:
    | { readonly kind: "none" }
    | { readonly kind: "create" }
    | { readonly kind: "existing"; readonly storageAccountId: Id };
}

export interface NetworkPlan<Id = string> {
  /** Create a VNet and subnet; otherwise use `existingSubnetId`. */
  readonly createVnet: boolean;
  readonly addressSpace: readonly string[];
  readonly subnetPrefix: string;
  readonly existingSubnetId?: Id;
  /** Add standalone rules to this NSG; otherwise create an NSG with the rules inline. */
  readonly existingNetworkSecurityGroup?: ExistingResourceSpec;
  /** Forced tunnelling: create a route table, or add routes to an existing one. */
  readonly routeTable?: { readonly existing?: ExistingResourceSpec };
}

export interface PrivateEndpointsPlan<Id = string> {
  readonly groupIds: readonly PrivateEndpointGroupId[];
  /** Default: the pool's subnet. */
  readonly subnetId?: Id;
  /** The zone for the account's cloud (`privatelink.batch.azure.com` in public Azure). */
  readonly dnsZoneName: string;
  /** Use this zone; otherwise create one and link it to the VNet. */
  readonly existingDnsZoneId?: Id;
}

/** Everything the component builds, decided. */
export interface EnvironmentPlan<Id = string> {
  readonly region: Region;
  /** The pool's `targetNodeCommunicationMode`. */
  readonly poolMode: CommunicationMode;
  /** The modes the NSG rules and routes serve. */
  readonly ruleModes: readonly NodeMode[];
  readonly rules: RuleSet;
  /** The options the rules were made with, to make them again for other modes. */
  readonly ruleOptions: RuleOptions;
  readonly routes?: RoutePlan;
  /** The options the routes were made with; undefined without forced tunnelling. */
  readonly routeOptions?: RouteOptions;
  /** Existing resource group, or `undefined` to create one. */
  readonly existingResourceGroupName?: string;
  readonly account: AccountPlan<Id>;
  readonly network: NetworkPlan<Id>;
  readonly pool: PoolPlan<Id>;
  readonly privateEndpoints?: PrivateEndpointsPlan<Id>;
  readonly tags: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
}

/**
 * Validates a spec and decides everything the component builds.
 * @throws InvalidInputError listing every problem; nothing should be built then.
 */
export function planEnvironment<Id>(
  spec: EnvironmentSpec<Id>,
  now: Date = new Date(),
): EnvironmentPlan<Id> {
  const checked = validateEnvironment(spec, now);
  const { region, poolMode } = checked;
  if (checked.problems.length > 0 || !region || !poolMode)
    throw new InvalidInputError(checked.problems);

  const network = spec.network ?? {};
  const ruleOptions: RuleOptions = {
    priorityBase: network.priorityBase,
    classicJobManagerOutbound: network.classicJobManagerOutbound,
    remoteAccess: network.remoteAccess,
    outboundLockdown: network.outboundLockdown,
    extraRules: network.extraRules,
  };
  const rules = securityRules(region.name, checked.ruleModes, ruleOptions);
  const endpoints = spec.privateEndpoints;
  const routeOptions: RouteOptions | undefined = network.routes
    ? {
        defaultRoute: network.routes.defaultRoute,
        classicStorageBypass: network.routes.classicStorageBypass,
        nodeManagementPrivateEndpoint: endpoints?.nodeManagement === true,
      }
    : undefined;
  const routes = routeOptions
    ? forcedTunnelRoutes(region.name, checked.ruleModes, routeOptions)
    : undefined;

  const account = spec.account ?? {};
  const autoStorage = account.autoStorage;
  const pool = spec.pool ?? {};
  const autoscale = pool.autoScaleFormula !== undefined;
  const groupIds: PrivateEndpointGroupId[] = [];
  if (endpoints?.nodeManagement) groupIds.push("nodeManagement");
  if (endpoints?.batchAccount) groupIds.push("batchAccount");

  return {
    region,
    poolMode,
    ruleModes: checked.ruleModes,
    rules,
    ruleOptions,
    routes,
    routeOptions,
    existingResourceGroupName: spec.resourceGroupName,
    account: {
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
            : { kind: "existing", storageAccountId: autoStorage.storageAccountId as Id },
    },
    network: {
      createVnet: !("existingSubnetId" in network),
      addressSpace: network.addressSpace ?? NETWORK_DEFAULTS.addressSpace,
      subnetPrefix: network.subnetPrefix ?? NETWORK_DEFAULTS.subnetPrefix,
      existingSubnetId: network.existingSubnetId,
      existingNetworkSecurityGroup: network.existingNetworkSecurityGroup,
      routeTable: network.routes ? { existing: network.routes.existingRouteTable } : undefined,
    },
    pool: {
      fixedName: pool.name,
      displayName: pool.displayName,
      vmSize: pool.vmSize ?? POOL_DEFAULTS.vmSize,
      image: pool.image ?? POOL_DEFAULTS.image,
      nodeAgentSkuId: pool.nodeAgentSkuId ?? POOL_DEFAULTS.nodeAgentSkuId,
      scale: autoscale
        ? {
            kind: "auto",
            formula: pool.autoScaleFormula!,
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
      inboundNatPools: pool.inboundNatPools ?? [],
    },
    privateEndpoints:
      groupIds.length > 0
        ? {
            groupIds,
            subnetId: endpoints?.subnetId,
            dnsZoneName: CLOUD_ENDPOINTS[region.cloud].batchPrivateDnsZone,
            existingDnsZoneId: endpoints?.privateDnsZoneId,
          }
        : undefined,
    tags: spec.tags ?? {},
    warnings: [
      ...checked.warnings,
      ...rules.warnings.map((w) => `network: ${w}`),
      ...(routes?.notes ?? []),
    ].filter((w, i, all) => all.indexOf(w) === i),
  };
}
