/**
 * A Batch environment's settings, as the user gives them. The package's decisions from them are
 * the design (`design.ts`); `BatchEnvironment` turns a design into resources.
 *
 * Settings that may refer to other resources (IDs, names of existing resources) are typed `Ref`:
 * `string` here, where the model sees them; `pulumi.Input<string>` in the components' arguments,
 * so that `rg.name` from a user's own program fits. The model checks the references it can read
 * (strings); the components check an unresolved output when it resolves.
 */
import type {
  Access,
  BatchApiVersion,
  AuthenticationMode,
  ComputeNodeDeallocationOption,
  ComputeNodeFillType,
  EndpointAccessDefaultAction,
  InboundEndpointProtocol,
  IPAddressProvisioningType,
  PublicNetworkAccess,
} from "../enums";
import type { RemoteAccessOptions } from "../flows";
import type { CommunicationMode } from "../modes";
import type { DefaultRouteOptions } from "../routes";
import type { OutboundLockdownOptions } from "../rules";
import type { SecurityRuleSpec } from "../securityRule";

/** Access to one of the Batch account's public endpoints. */
export interface EndpointAccessSettings {
  /** What happens to traffic no IP rule matches. */
  readonly defaultAction: EndpointAccessDefaultAction;
  /** IPv4 addresses or CIDR ranges allowed in (at most 200). */
  readonly allowedIpRanges?: string[];
}

/** The account's auto-storage account: an existing one by ID, or one the component creates. */
export interface AutoStorageSettings<Ref = string> {
  /** Resource ID of an existing storage account. */
  readonly storageAccountId?: Ref;
  /** Create a StorageV2 account for auto-storage. */
  readonly create?: boolean;
}

/** The Batch account: created by the component, or an existing one by name. */
export interface AccountSettings<Ref = string> {
  /**
   * Name of the account to create: 3-24 lowercase letters and digits, globally unique. Default:
   * derived from the component's name plus a stable random suffix.
   */
  readonly name?: string;
  /** Use this existing account (in `resourceGroupName`) instead of creating one. */
  readonly existingAccountName?: Ref;
  /** Whether the account's public endpoints take traffic. Default `Enabled`. */
  readonly publicNetworkAccess?: PublicNetworkAccess;
  /** Who may reach the account endpoint (the Batch API). */
  readonly accountAccess?: EndpointAccessSettings;
  /** Who may reach the node management endpoint (how simplified nodes reach the service). */
  readonly nodeManagementAccess?: EndpointAccessSettings;
  /** Authentication modes the account allows. Default: Azure's. */
  readonly allowedAuthenticationModes?: AuthenticationMode[];
  /** Auto-storage account for application packages and task files. */
  readonly autoStorage?: AutoStorageSettings<Ref>;
}

/** An existing resource the component adds to, by name. */
export interface ExistingResource<Ref = string> {
  /** The resource's name. */
  readonly name: Ref;
  /** Its resource group. Default: the environment's. */
  readonly resourceGroupName?: Ref;
}

/** Routes for forced tunnelling. */
export interface RouteSettings<Ref = string> {
  /** The subnet's default route. Required when the component creates the route table. */
  readonly defaultRoute?: DefaultRouteOptions;
  /** Classic: route `Storage.<region>` straight to the Internet instead of the appliance. */
  readonly classicStorageBypass?: boolean;
  /** Add the routes to this route table (already on the subnet) instead of creating one. */
  readonly existingRouteTable?: ExistingResource<Ref>;
}

/**
 * The subnet's NAT gateway: its explicit way out to the Internet. A subnet the component
 * creates is private (no default outbound access, as Azure makes new subnets since 31 March
 * 2026), so nodes without public IPs reach nothing on the Internet without one.
 */
export interface NatGatewaySettings<Ref = string> {
  /**
   * Create a Standard NAT gateway with a static public IP for the subnet. Default: where the
   * pool has no public IPs and no `nodeManagement` private endpoint (its nodes would otherwise
   * have no way to Batch); `false` leaves it out, which is refused where nothing else reaches
   * Batch.
   */
  readonly create?: boolean;
  /** Attach this existing NAT gateway (resource ID) instead of creating one. */
  readonly existingNatGatewayId?: Ref;
}

/** The network the pool lives in, its NSG rules and routes. */
export interface NetworkSettings<Ref = string> {
  /** Address space of the VNet the component creates. Default `["10.0.0.0/16"]`. */
  readonly addressSpace?: string[];
  /** Prefix of the pool's subnet, inside `addressSpace`. Default `10.0.0.0/24`. */
  readonly subnetPrefix?: string;
  /** Use this existing subnet (resource ID) instead of creating a VNet and subnet. */
  readonly existingSubnetId?: Ref;
  /**
   * Add the rules to this existing NSG (standalone rules) instead of creating an NSG. Required
   * with `existingSubnetId`: give the NSG attached to that subnet.
   */
  readonly existingNetworkSecurityGroup?: ExistingResource<Ref>;
  /** Priority of the first generated rule. Default 1000; the package uses base..base+20. */
  readonly priorityBase?: number;
  /** Classic: allow outbound 443 to BatchNodeManagement for job manager tasks. Default true. */
  readonly classicJobManagerOutbound?: boolean;
  /** SSH / RDP to the nodes from given prefixes. Off by default. */
  readonly remoteAccess?: RemoteAccessOptions;
  /** Deny outbound Internet below the Batch rules. Off when undefined. */
  readonly outboundLockdown?: OutboundLockdownOptions;
  /** Rules of your own, merged with the generated ones. */
  readonly extraRules?: SecurityRuleSpec[];
  /** Forced tunnelling: a route table with the mode's routes. Off when undefined. */
  readonly routes?: RouteSettings<Ref>;
  /** The subnet's NAT gateway (a subnet the component creates only). See `NatGatewaySettings`. */
  readonly natGateway?: NatGatewaySettings<Ref>;
}

/** One NSG rule of an inbound NAT pool. */
export interface NatPoolRuleSettings {
  /** 150-4096, unique within the pool's NAT pools. */
  readonly priority: number;
  /** `Allow` or `Deny`. */
  readonly access: Access;
  /** IP, CIDR, service tag or `*`. */
  readonly sourceAddressPrefix: string;
  /** Source ports, each `*`, a port or a range. Default any. */
  readonly sourcePortRanges?: string[];
}

/** An inbound NAT pool: a range of public ports mapped to one port on every node. */
export interface InboundNatPoolSettings {
  /** Name of the NAT pool, unique within the pool. */
  readonly name: string;
  /** `TCP` or `UDP`. */
  readonly protocol: InboundEndpointProtocol;
  /** Port on the nodes: 1-65535, not 22/3389 clashes, never 29876 or 29877. */
  readonly backendPort: number;
  /** First public port: 1-65534, outside 50000-55000. */
  readonly frontendPortRangeStart: number;
  /** Last public port: outside 50000-55000. */
  readonly frontendPortRangeEnd: number;
  /** NSG rules Batch applies to the pool's public endpoints. */
  readonly networkSecurityGroupRules?: NatPoolRuleSettings[];
}

/** The marketplace or gallery image of the nodes. */
export interface ImageSettings {
  /** Marketplace image publisher (`Canonical`). */
  readonly publisher?: string;
  /** Marketplace image offer (`ubuntu-24_04-lts`). */
  readonly offer?: string;
  /** Marketplace image SKU (`server`). */
  readonly sku?: string;
  /** Image version. Default `latest`. */
  readonly version?: string;
  /** Resource ID of a gallery image, instead of publisher/offer/sku. */
  readonly id?: string;
}

/** A start task run on every node as it joins the pool. */
export interface StartTaskSettings {
  /** The command the start task runs (no shell unless you call one). */
  readonly commandLine: string;
  /** Wait for it to succeed before scheduling tasks. Default true. */
  readonly waitForSuccess?: boolean;
  /** Retries after the first attempt; -1 retries without limit. Default 0. */
  readonly maxTaskRetryCount?: number;
  /** Run as an administrator (auto user, pool scope). Default false. */
  readonly runElevated?: boolean;
  /** Environment variables of the task. */
  readonly environment?: { [key: string]: string };
}

/**
 * The pool. Defaults follow Microsoft's simplified-mode example (2 nodes), on Ubuntu 24.04: Batch's
 * Ubuntu 22.04 node agent support ends 30 June 2027.
 */
export interface PoolSettings<Ref = string> {
  /**
   * Fixed pool name. Leave it out: an autonamed pool can be replaced create-before-delete when
   * its network configuration changes.
   */
  readonly name?: string;
  /** Display name of the pool (any text, at most 1024 characters). */
  readonly displayName?: string;
  /** Default `standard_d2s_v3`. */
  readonly vmSize?: string;
  /** Default Canonical `ubuntu-24_04-lts` `server` `latest`. */
  readonly image?: ImageSettings;
  /** Default `batch.node.ubuntu 24.04` (`batch.node.ubuntu 22.04` is warned: its support ends 30 June 2027). */
  readonly nodeAgentSkuId?: string;
  /** Fixed scale: dedicated nodes. Default 2 (0 with an autoscale formula). */
  readonly dedicatedNodes?: number;
  /** Fixed scale: Spot / low-priority nodes. Default 0. */
  readonly lowPriorityNodes?: number;
  /** Fixed scale: how long a resize may take (ISO 8601, at least PT5M). Default `PT15M`. */
  readonly resizeTimeout?: string;
  /** Fixed scale: what happens to running tasks when nodes go. Default Azure's (Requeue). */
  readonly nodeDeallocationOption?: ComputeNodeDeallocationOption;
  /** Autoscale formula, instead of fixed scale. */
  readonly autoScaleFormula?: string;
  /** Autoscale: how often the formula runs (ISO 8601, PT5M-P7D). Default `PT15M`. */
  readonly autoScaleEvaluationInterval?: string;
  /** Task slots per node, 1-256. Default 1. */
  readonly taskSlotsPerNode?: number;
  /** Default `Spread`. */
  readonly nodeFillType?: ComputeNodeFillType;
  /** Enable inter-node communication. Default false. */
  readonly interNodeCommunication?: boolean;
  /** A start task run on every node as it joins the pool. */
  readonly startTask?: StartTaskSettings;
  /** Default `BatchManaged`. `NoPublicIPAddresses` needs Simplified mode. */
  readonly publicIpProvisioning?: IPAddressProvisioningType;
  /** Public IP resource IDs, with `UserManaged` only (one per 100 nodes). */
  readonly publicIpAddressIds?: Ref[];
  /** Inbound NAT pools (Batch no longer maps SSH/RDP by default). */
  readonly inboundNatPools?: InboundNatPoolSettings[];
}

/** Private endpoints of the Batch account. */
export interface PrivateEndpointSettings<Ref = string> {
  /** A `nodeManagement` endpoint: how simplified nodes reach Batch without the public endpoint. */
  readonly nodeManagement?: boolean;
  /** A `batchAccount` endpoint for the Batch API. */
  readonly batchAccount?: boolean;
  /** Subnet of the endpoints. Default: the pool's subnet. */
  readonly subnetId?: Ref;
  /** An existing `privatelink.batch.*` private DNS zone, instead of creating one. */
  readonly privateDnsZoneId?: Ref;
}

/** A Batch environment's settings, apart from the modes (which a migration drives). */
export interface EnvironmentSettings<Ref = string> {
  /** Azure region, programmatic or display name. */
  readonly location: string;
  /**
   * The Batch management API version the pool and account are declared at. Default
   * `2024-07-01`, the version azure-native 3.x sends, with the node communication mode
   * properties. `2025-06-01` declares them without (Azure runs VNet pools in Simplified there);
   * a migration's stage sets it (its last stage, `api-2025-06-01`, moves the pool there).
   */
  readonly batchApiVersion?: BatchApiVersion;
  /** An existing resource group to deploy into. Default: a new one. */
  readonly resourceGroupName?: Ref;
  readonly account?: AccountSettings<Ref>;
  readonly network?: NetworkSettings<Ref>;
  readonly pool?: PoolSettings<Ref>;
  readonly privateEndpoints?: PrivateEndpointSettings<Ref>;
  /** Tags on every resource that takes them. */
  readonly tags?: { [key: string]: string };
}

/** The pool's mode and the modes its subnet's rules serve. */
export interface ModeSettings {
  /**
   * The pool's `targetNodeCommunicationMode`. Default `Simplified`. Config strings are accepted
   * in any case. A Classic pool's subnet also carries the Simplified rules: Azure no longer
   * honours Classic (31 March 2026), so its nodes may join in Simplified.
   */
  readonly communicationMode?: CommunicationMode;
  /**
   * The modes the NSG rules and routes serve. Default: every mode the pool's target may run in
   * (Classic: Classic and Simplified; Simplified and Default: Simplified). Give more to widen on
   * purpose; fewer is refused.
   */
  readonly ruleModes?: CommunicationMode[];
}

/** Everything a Batch environment is, as the user gives it. */
export interface BatchEnvironmentSettings<Ref = string>
  extends EnvironmentSettings<Ref>, ModeSettings {}

export const POOL_DEFAULTS = {
  vmSize: "standard_d2s_v3",
  image: {
    publisher: "Canonical",
    offer: "ubuntu-24_04-lts",
    sku: "server",
    version: "latest",
  },
  nodeAgentSkuId: "batch.node.ubuntu 24.04",
  dedicatedNodes: 2,
  lowPriorityNodes: 0,
  resizeTimeout: "PT15M",
  autoScaleEvaluationInterval: "PT15M",
  taskSlotsPerNode: 1,
  nodeFillType: "Spread",
} as const;

export const NETWORK_DEFAULTS = {
  addressSpace: ["10.0.0.0/16"],
  subnetPrefix: "10.0.0.0/24",
} as const;
