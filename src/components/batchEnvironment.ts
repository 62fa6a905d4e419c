/**
 * BatchEnvironment: a Batch account, VNet, subnet, NSG with the rules the pool's node
 * communication mode needs, optional routes and private endpoints, and the pool.
 *
 * Every decision comes from the model's `planEnvironment`; this file only turns the plan into
 * azure-native resources, reading top to bottom like the resource graph.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as batch from "@pulumi/azure-native/batch";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import type * as types from "@pulumi/azure-native/types";
import {
  AccountSpec,
  ACCOUNT_SUFFIX_LENGTH,
  AutoStorageSpec,
  NetworkSpec,
  PoolSpec,
  PrivateEndpointsSpec,
  accountNamePrefix,
  EndpointAccessSpec,
  EnvironmentPlan,
  EnvironmentSettings,
  forcedTunnelRoutes,
  ModeSpec,
  NodeMode,
  securityRules,
  nameOfResourceId,
  outboundDependencies,
  OutboundEndpointCategory,
  planEnvironment,
  SecurityRuleSpec,
  vnetIdOfSubnet,
} from "../model";
import { checkedResourceId, planOrThrow } from "./inputErrors";
import { poolArgs, PoolScale } from "./poolArgs";
import { networkKey, poolName } from "./poolName";
import { routeArgs, securityRuleArgs, standaloneRuleFields } from "./ruleArgs";

export const BATCH_ENVIRONMENT_TYPE = "azure-batch-network:index:BatchEnvironment";

// The argument types are the model's spec types with IDs as `pulumi.Input<string>`. Each is
// named here (not just instantiated) because Pulumi's schema inference, which lets other
// languages use the component, needs a named interface per object type.

/** The account's auto-storage account. See the model's `AutoStorageSpec`. */
export interface AutoStorageArgs extends AutoStorageSpec<pulumi.Input<string>> {}

/** The Batch account to create or use. See the model's `AccountSpec`. */
export interface AccountArgs extends AccountSpec<pulumi.Input<string>> {
  /** Auto-storage account for application packages and task files. */
  readonly autoStorage?: AutoStorageArgs;
}

/** The VNet, subnet, NSG rules and routes. See the model's `NetworkSpec`. */
export interface NetworkArgs extends NetworkSpec<pulumi.Input<string>> {}

/** The pool. See the model's `PoolSpec`. */
export interface PoolArgs extends PoolSpec<pulumi.Input<string>> {}

/** Private endpoints of the account. See the model's `PrivateEndpointsSpec`. */
export interface PrivateEndpointsArgs extends PrivateEndpointsSpec<pulumi.Input<string>> {}

/**
 * An environment's settings apart from its modes: shared by BatchEnvironment and
 * NodeCommunicationMigration. Documented field by field on the model's `EnvironmentSettings`.
 */
export interface EnvironmentSettingsArgs extends EnvironmentSettings<pulumi.Input<string>> {
  /** The Batch account: created (default) or existing. */
  readonly account?: AccountArgs;
  /** The network: a new VNet and subnet (default) or an existing subnet; NSG rules and routes. */
  readonly network?: NetworkArgs;
  /** The pool. Defaults follow Microsoft's simplified-mode example. */
  readonly pool?: PoolArgs;
  /** Private endpoints of the account, with their private DNS zone. */
  readonly privateEndpoints?: PrivateEndpointsArgs;
}

/** Arguments of a {@link BatchEnvironment}: its settings, the pool's mode and the rules' modes. */
export interface BatchEnvironmentArgs extends EnvironmentSettingsArgs, ModeSpec {
  /**
   * Delete the environment's pool, keeping account and network. For the new-pool migration
   * strategy, once the work runs on the new pool. Default false.
   */
  readonly retirePool?: boolean;
}

/** What the migration component reads of an environment it owns; not part of the public surface. */
export interface EnvironmentInternals {
  /** The plan the environment was built from. */
  readonly plan: EnvironmentPlan<pulumi.Input<string>>;
  /** The pool resource; undefined once retired. */
  readonly pool: batch.Pool | undefined;
  readonly accountName: pulumi.Output<string>;
  readonly resourceGroupName: pulumi.Output<string>;
  readonly subnetId: pulumi.Output<string>;
  /** What a pool must be created after: the NSG (or its standalone rules), routes, endpoints. */
  readonly poolPrerequisites: pulumi.Resource[];
}

// Kept off the class so that Pulumi's schema inference sees only the documented outputs.
const INTERNALS = new WeakMap<BatchEnvironment, EnvironmentInternals>();

/** The plan and pool of an environment (for NodeCommunicationMigration). */
export function environmentInternals(environment: BatchEnvironment): EnvironmentInternals {
  const internals = INTERNALS.get(environment);
  if (!internals) throw new Error("not a constructed BatchEnvironment");
  return internals;
}

/** What an environment knows before it creates its NSG, routes and pool. */
export interface EnvironmentFacts {
  readonly accountName: pulumi.Output<string>;
  readonly resourceGroupName: pulumi.Output<string>;
  /** The pool's name, known before the pool's own step. */
  readonly poolName: pulumi.Output<string>;
}

/** How the migration steers an environment in one run. */
export interface EnvironmentControl {
  /** The modes an NSG or route table the environment creates serves in this run. */
  readonly ruleModes: pulumi.Output<NodeMode[]>;
  /** The pool's size in this run. */
  readonly poolScale: pulumi.Output<PoolScale>;
}

/** Options of a BatchEnvironment; `control` is for the migration component that owns one. */
export interface BatchEnvironmentOptions extends pulumi.ComponentResourceOptions {
  /**
   * Called once the account and pool names are known and before the NSG, routes and pool are
   * declared: NodeCommunicationMigration decides their modes and size from a live read.
   */
  readonly control?: (facts: EnvironmentFacts) => EnvironmentControl;
  /** The plan of these arguments, when the owner has already made (and checked) it. */
  readonly plan?: EnvironmentPlan<pulumi.Input<string>>;
}

function endpointAccess(
  spec: EndpointAccessSpec | undefined,
): types.input.batch.EndpointAccessProfileArgs | undefined {
  if (!spec) return undefined;
  return {
    defaultAction: spec.defaultAction,
    ipRules: (spec.allowedIpRanges ?? []).map((value) => ({ action: "Allow", value })),
  };
}

/**
 * A Batch pool in a virtual network whose NSG, routes and account settings fit the pool's node
 * communication mode. Refuses, before creating anything, settings that would leave nodes
 * unusable.
 */
export class BatchEnvironment extends pulumi.ComponentResource {
  /** Name of the Batch account. */
  public readonly accountName!: pulumi.Output<string>;
  /** The account's Batch API endpoint (`<account>.<region>.batch.azure.com`). */
  public readonly accountEndpoint!: pulumi.Output<string>;
  /** Resource group of the account, network and pool. */
  public readonly resourceGroupName!: pulumi.Output<string>;
  /** Name of the pool; empty once the pool is retired. */
  public readonly poolName!: pulumi.Output<string>;
  /** Resource ID of the pool; empty once the pool is retired. */
  public readonly poolId!: pulumi.Output<string>;
  /** The pool's `targetNodeCommunicationMode`. */
  public readonly targetNodeCommunicationMode!: pulumi.Output<string>;
  /** The mode the pool actually runs in, as Azure reports it; empty when Azure does not say. */
  public readonly currentNodeCommunicationMode!: pulumi.Output<string>;
  /** The modes the NSG rules and routes serve. */
  public readonly ruleModes!: pulumi.Output<string[]>;
  /** Resource ID of the pool's subnet. */
  public readonly subnetId!: pulumi.Output<string>;
  /** Resource ID of the NSG that carries the rules. */
  public readonly networkSecurityGroupId!: pulumi.Output<string>;
  /** The security rules applied, as plain data. */
  public readonly securityRules!: pulumi.Output<SecurityRuleSpec[]>;
  /** Resource ID of the route table; empty without forced tunnelling. */
  public readonly routeTableId!: pulumi.Output<string>;
  /** What the pool reaches outbound, in the shape of listOutboundNetworkDependenciesEndpoints. */
  public readonly outboundDependencies!: pulumi.Output<OutboundEndpointCategory[]>;

  constructor(name: string, args: BatchEnvironmentArgs, opts: BatchEnvironmentOptions = {}) {
    // Validate before registering anything: invalid input leaves nothing half-created.
    const { control: steer, plan: planned, ...componentOpts } = opts;
    const plan = planned ?? planOrThrow("BatchEnvironment", name, () => planEnvironment(args));
    super(BATCH_ENVIRONMENT_TYPE, name, {}, componentOpts);
    for (const warning of plan.warnings) pulumi.log.warn(warning, this);

    const parent = { parent: this };
    const tags = { ...plan.tags };
    const location = plan.region.name;

    // Resource group.
    const resourceGroupName: pulumi.Output<string> = plan.existingResourceGroupName
      ? pulumi.output(plan.existingResourceGroupName)
      : new resources.ResourceGroup(`${name}-rg`, { location, tags }, parent).name;

    // Batch account (and its auto-storage).
    const suffix =
      plan.account.existingName === undefined &&
      (plan.account.fixedName === undefined || plan.account.autoStorage.kind === "create")
        ? new random.RandomString(
            `${name}-name-suffix`,
            {
              length: ACCOUNT_SUFFIX_LENGTH,
              special: false,
              upper: false,
              numeric: true,
              lower: true,
            },
            parent,
          ).result
        : undefined;
    let account: batch.BatchAccount | undefined;
    let accountName: pulumi.Output<string>;
    let accountEndpoint: pulumi.Output<string>;
    let autoStorageName: pulumi.Output<string | undefined> = pulumi.output(undefined);
    if (plan.account.existingName !== undefined) {
      const existing = batch.getBatchAccountOutput(
        { accountName: plan.account.existingName, resourceGroupName },
        parent,
      );
      accountName = pulumi.output(plan.account.existingName);
      accountEndpoint = existing.accountEndpoint;
      autoStorageName = existing.autoStorage.apply((s) =>
        s ? nameOfResourceId(s.storageAccountId) : undefined,
      );
    } else {
      let storageAccountId: pulumi.Input<string> | undefined;
      if (plan.account.autoStorage.kind === "create") {
        const autoStorage = new storage.StorageAccount(
          `${name}-autostorage`,
          {
            accountName: pulumi.interpolate`${accountNamePrefix(name, "st")}${suffix!}`,
            resourceGroupName,
            location,
            kind: "StorageV2",
            sku: { name: "Standard_LRS" },
            allowBlobPublicAccess: false,
            minimumTlsVersion: "TLS1_2",
            tags,
          },
          parent,
        );
        storageAccountId = autoStorage.id;
        autoStorageName = autoStorage.name;
      } else if (plan.account.autoStorage.kind === "existing") {
        storageAccountId = checkedResourceId(
          "storageAccount",
          plan.account.autoStorage.storageAccountId,
          "account.autoStorage.storageAccountId",
        );
        autoStorageName = pulumi.output(storageAccountId).apply(nameOfResourceId);
      }
      const networkProfile =
        plan.account.accountAccess || plan.account.nodeManagementAccess
          ? {
              accountAccess: endpointAccess(plan.account.accountAccess),
              nodeManagementAccess: endpointAccess(plan.account.nodeManagementAccess),
            }
          : undefined;
      account = new batch.BatchAccount(
        `${name}-account`,
        {
          accountName:
            plan.account.fixedName ?? pulumi.interpolate`${accountNamePrefix(name)}${suffix!}`,
          resourceGroupName,
          location,
          poolAllocationMode: "BatchService",
          publicNetworkAccess: plan.account.publicNetworkAccess,
          ...(networkProfile ? { networkProfile } : {}),
          ...(plan.account.allowedAuthenticationModes
            ? { allowedAuthenticationModes: [...plan.account.allowedAuthenticationModes] }
            : {}),
          ...(storageAccountId ? { autoStorage: { storageAccountId } } : {}),
          tags,
        },
        parent,
      );
      accountName = account.name;
      accountEndpoint = account.accountEndpoint;
    }

    // The pool's name is known before the pool's step, so a migration can read the pool live
    // and decide this run's rule modes and pool size before anything changes.
    const poolNameOutput = poolName(
      `${name}-pool-name`,
      name,
      plan.pool.fixedName,
      networkKey(plan, plan.pool),
      this,
    );
    const control = steer?.({ accountName, resourceGroupName, poolName: poolNameOutput });
    const appliedModes = control?.ruleModes ?? pulumi.output([...plan.ruleModes]);

    // NSG: created with the rules inline (applied atomically), or standalone rules on an existing one.
    // Standalone rules follow the plan's modes: when a migration removes some together with a
    // pool, Pulumi deletes the pool first, since the pool depends on them.
    const rules = plan.rules.rules;
    const appliedRules: pulumi.Output<SecurityRuleSpec[]> = plan.network
      .existingNetworkSecurityGroup
      ? pulumi.output(rules.map((r) => ({ ...r })))
      : appliedModes.apply((modes) =>
          securityRules(location, modes, plan.ruleOptions).rules.map((r) => ({ ...r })),
        );
    let networkSecurityGroupId: pulumi.Output<string>;
    let nsg: network.NetworkSecurityGroup | undefined;
    const ruleResources: network.SecurityRule[] = [];
    const existingNsg = plan.network.existingNetworkSecurityGroup;
    if (existingNsg) {
      const nsgResourceGroup = existingNsg.resourceGroupName ?? resourceGroupName;
      networkSecurityGroupId = network
        .getNetworkSecurityGroupOutput(
          { networkSecurityGroupName: existingNsg.name, resourceGroupName: nsgResourceGroup },
          parent,
        )
        .apply((g) => g.id ?? "");
      for (const rule of rules) {
        ruleResources.push(
          new network.SecurityRule(
            `${name}-rule-${rule.name}`,
            {
              ...standaloneRuleFields(rule),
              securityRuleName: rule.name,
              networkSecurityGroupName: existingNsg.name,
              resourceGroupName: nsgResourceGroup,
            },
            parent,
          ),
        );
      }
    } else {
      nsg = new network.NetworkSecurityGroup(
        `${name}-nsg`,
        {
          resourceGroupName,
          location,
          securityRules: appliedRules.apply((applied) => applied.map(securityRuleArgs)),
          tags,
        },
        parent,
      );
      networkSecurityGroupId = nsg.id;
    }

    // Route table for forced tunnelling: created with routes inline, or routes added to an existing one.
    let routeTableId: pulumi.Output<string> = pulumi.output("");
    let routeTable: network.RouteTable | undefined;
    const routeResources: network.Route[] = [];
    const routes = plan.routes?.routes ?? [];
    if (plan.network.routeTable?.existing) {
      const existing = plan.network.routeTable.existing;
      const tableResourceGroup = existing.resourceGroupName ?? resourceGroupName;
      routeTableId = network
        .getRouteTableOutput(
          { routeTableName: existing.name, resourceGroupName: tableResourceGroup },
          parent,
        )
        .apply((t) => t.id ?? "");
      for (const route of routes) {
        routeResources.push(
          new network.Route(
            `${name}-route-${route.name}`,
            {
              ...route,
              routeName: route.name,
              routeTableName: existing.name,
              resourceGroupName: tableResourceGroup,
            },
            parent,
          ),
        );
      }
    } else if (plan.network.routeTable) {
      const routeOptions = plan.routeOptions ?? {};
      routeTable = new network.RouteTable(
        `${name}-routes`,
        {
          resourceGroupName,
          location,
          routes: appliedModes.apply((modes) =>
            forcedTunnelRoutes(location, modes, routeOptions).routes.map(routeArgs),
          ),
          tags,
        },
        parent,
      );
      routeTableId = routeTable.id;
    }

    // VNet and subnet, or the existing subnet.
    let subnetId: pulumi.Output<string>;
    let vnetId: pulumi.Output<string>;
    if (plan.network.createVnet) {
      const vnet = new network.VirtualNetwork(
        `${name}-vnet`,
        {
          resourceGroupName,
          location,
          addressSpace: { addressPrefixes: [...plan.network.addressSpace] },
          tags,
        },
        parent,
      );
      const subnet = new network.Subnet(
        `${name}-subnet`,
        {
          resourceGroupName,
          virtualNetworkName: vnet.name,
          addressPrefix: plan.network.subnetPrefix,
          networkSecurityGroup: { id: networkSecurityGroupId },
          ...(routeTable ? { routeTable: { id: routeTable.id } } : {}),
        },
        parent,
      );
      subnetId = subnet.id;
      vnetId = vnet.id;
    } else {
      subnetId = checkedResourceId(
        "subnet",
        plan.network.existingSubnetId!,
        "network.existingSubnetId",
      );
      vnetId = subnetId.apply(vnetIdOfSubnet);
    }

    // Private endpoints of the account, with their DNS zone.
    const endpointResources: pulumi.Resource[] = [];
    const endpoints = plan.privateEndpoints;
    if (endpoints && account) {
      let zoneId: pulumi.Input<string>;
      if (endpoints.existingDnsZoneId !== undefined) {
        zoneId = checkedResourceId(
          "privateDnsZone",
          endpoints.existingDnsZoneId,
          "privateEndpoints.privateDnsZoneId",
        );
      } else {
        const zone = new privatedns.PrivateZone(
          `${name}-dns`,
          { privateZoneName: endpoints.dnsZoneName, resourceGroupName, location: "Global", tags },
          parent,
        );
        const link = new privatedns.VirtualNetworkLink(
          `${name}-dns-link`,
          {
            privateZoneName: zone.name,
            resourceGroupName,
            location: "Global",
            virtualNetwork: { id: vnetId },
            registrationEnabled: false,
            tags,
          },
          parent,
        );
        zoneId = zone.id;
        endpointResources.push(zone, link);
      }
      const endpointSubnetId =
        endpoints.subnetId !== undefined
          ? checkedResourceId("subnet", endpoints.subnetId, "privateEndpoints.subnetId")
          : subnetId;
      for (const groupId of endpoints.groupIds) {
        const endpoint = new network.PrivateEndpoint(
          `${name}-pe-${groupId}`,
          {
            resourceGroupName,
            location,
            subnet: { id: endpointSubnetId },
            privateLinkServiceConnections: [
              { name: `${name}-${groupId}`, privateLinkServiceId: account.id, groupIds: [groupId] },
            ],
            tags,
          },
          parent,
        );
        const zoneGroup = new network.PrivateDnsZoneGroup(
          `${name}-pe-${groupId}-dns`,
          {
            resourceGroupName,
            privateEndpointName: endpoint.name,
            privateDnsZoneConfigs: [
              { name: endpoints.dnsZoneName.replace(/\./g, "-"), privateDnsZoneId: zoneId },
            ],
          },
          parent,
        );
        endpointResources.push(endpoint, zoneGroup);
      }
    }

    // The pool: after its rules, routes and endpoints exist, so nodes never boot into a subnet
    // that cannot reach Batch.
    const poolPrerequisites: pulumi.Resource[] = [
      ...(nsg ? [nsg] : []),
      ...ruleResources,
      ...(routeTable ? [routeTable] : []),
      ...routeResources,
      ...endpointResources,
    ];
    const pool = args.retirePool
      ? undefined
      : new batch.Pool(
          `${name}-pool`,
          poolArgs(plan.pool, {
            accountName,
            resourceGroupName,
            subnetId,
            targetMode: plan.poolMode,
            poolName: poolNameOutput,
            scale: control?.poolScale,
          }),
          {
            parent: this,
            dependsOn: [...(account ? [account] : []), ...poolPrerequisites],
            // Azure cannot update networkConfiguration in place. The pool's name changes with
            // it (poolName.ts), so the replacement is created before the old pool is deleted;
            // a fixed name must go first.
            replaceOnChanges: ["networkConfiguration"],
            deleteBeforeReplace: plan.pool.fixedName !== undefined,
          },
        );

    this.accountName = accountName;
    this.accountEndpoint = accountEndpoint;
    this.resourceGroupName = resourceGroupName;
    INTERNALS.set(this, {
      plan,
      pool,
      accountName,
      resourceGroupName,
      subnetId,
      poolPrerequisites,
    });
    this.poolName = pool ? pool.name : pulumi.output("");
    this.poolId = pool ? pool.id : pulumi.output("");
    this.targetNodeCommunicationMode = pulumi.output(plan.poolMode);
    this.currentNodeCommunicationMode = pool
      ? pool.currentNodeCommunicationMode.apply((m) => m ?? "")
      : pulumi.output("");
    this.ruleModes = appliedModes.apply((modes) => [...modes]);
    this.subnetId = subnetId;
    this.networkSecurityGroupId = networkSecurityGroupId;
    this.securityRules = appliedRules;
    this.routeTableId = routeTableId;
    this.outboundDependencies = pulumi
      .all([accountName, autoStorageName, appliedModes])
      .apply(([acct, store, modes]) =>
        outboundDependencies(location, modes, {
          accountName: acct,
          ...(store ? { autoStorageAccountName: store } : {}),
        }),
      );
    this.registerOutputs({
      accountName: this.accountName,
      accountEndpoint: this.accountEndpoint,
      resourceGroupName: this.resourceGroupName,
      poolName: this.poolName,
      poolId: this.poolId,
      targetNodeCommunicationMode: this.targetNodeCommunicationMode,
      currentNodeCommunicationMode: this.currentNodeCommunicationMode,
      ruleModes: this.ruleModes,
      subnetId: this.subnetId,
      networkSecurityGroupId: this.networkSecurityGroupId,
      securityRules: this.securityRules,
      routeTableId: this.routeTableId,
      outboundDependencies: this.outboundDependencies,
    });
  }
}
