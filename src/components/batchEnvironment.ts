/**
 * BatchEnvironment: a Batch account, VNet, subnet, NSG with the rules the pool's node
 * communication mode needs, optional routes and private endpoints, and the pool.
 *
 * Every decision comes from the model's `designEnvironment`; the constructor runs the build
 * steps of `build/` in order, each turning part of the design into azure-native resources.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  AccountSettings,
  appliedNetwork,
  AutoStorageSettings,
  BatchApiVersion,
  designEnvironment,
  EnvironmentSettings,
  ExistingResource,
  ModeSettings,
  NatGatewaySettings,
  NetworkSettings,
  OutboundEndpointCategory,
  PoolSettings,
  PrivateEndpointSettings,
  RouteSettings,
  SecurityRuleSpec,
} from "../model";
import { BATCH_ENVIRONMENT_TYPE, BuildContext } from "./build/context";
import { EnvironmentOutputs, outputsStep } from "./build/outputs";
import { foundationSteps, networkSteps } from "./build/pipeline";
import { poolStep } from "./build/pool";
import { poolNameStep } from "./build/poolNames";
import { sharedNsgProblems } from "./build/sharedNsg";
import { designOrThrow } from "./inputErrors";
import { warnAll } from "./warnings";

export { BATCH_ENVIRONMENT_TYPE };

// The argument types are the model's settings types with references as `pulumi.Input<string>`.
// Each is named here (not just instantiated) because Pulumi's schema inference, which lets
// other languages use the component, needs a named interface per object type.

/** The account's auto-storage account. See the model's `AutoStorageSettings`. */
export interface AutoStorageArgs extends AutoStorageSettings<pulumi.Input<string>> {}

/** The Batch account to create or use. See the model's `AccountSettings`. */
export interface AccountArgs extends AccountSettings<pulumi.Input<string>> {
  /** Auto-storage account for application packages and task files. */
  readonly autoStorage?: AutoStorageArgs;
}

/** An existing resource the component adds to, by name. */
export interface ExistingResourceArgs extends ExistingResource<pulumi.Input<string>> {}

/** Routes for forced tunnelling. See the model's `RouteSettings`. */
export interface RoutesArgs extends RouteSettings<pulumi.Input<string>> {
  /** Add the routes to this route table (already on the subnet) instead of creating one. */
  readonly existingRouteTable?: ExistingResourceArgs;
}

/** The subnet's NAT gateway: its way out. See the model's `NatGatewaySettings`. */
export interface NatGatewayArgs extends NatGatewaySettings<pulumi.Input<string>> {}

/** The VNet, subnet, NSG rules and routes. See the model's `NetworkSettings`. */
export interface NetworkArgs extends NetworkSettings<pulumi.Input<string>> {
  /** Add the rules to this existing NSG (standalone rules) instead of creating an NSG. */
  readonly existingNetworkSecurityGroup?: ExistingResourceArgs;
  /** Forced tunnelling: a route table with the mode's routes. Off when undefined. */
  readonly routes?: RoutesArgs;
  /**
   * The created subnet's NAT gateway. Default: one where the pool has no public IPs and no
   * nodeManagement private endpoint (the subnet is private).
   */
  readonly natGateway?: NatGatewayArgs;
}

/** The pool. See the model's `PoolSettings`. */
export interface PoolArgs extends PoolSettings<pulumi.Input<string>> {}

/** Private endpoints of the account. See the model's `PrivateEndpointSettings`. */
export interface PrivateEndpointsArgs extends PrivateEndpointSettings<pulumi.Input<string>> {}

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
export interface BatchEnvironmentArgs extends EnvironmentSettingsArgs, ModeSettings {}

/**
 * A Batch pool in a virtual network whose NSG, routes and account settings fit the pool's node
 * communication mode. Refuses, before creating anything, settings that would leave nodes
 * unusable.
 */
export class BatchEnvironment extends pulumi.ComponentResource implements EnvironmentOutputs {
  /** Name of the Batch account. */
  public readonly accountName!: pulumi.Output<string>;
  /** The account's Batch API endpoint (`<account>.<region>.batch.azure.com`). */
  public readonly accountEndpoint!: pulumi.Output<string>;
  /**
   * The account's node management host (`<unique id>.<region>.service.batch.azure.com`), which
   * simplified nodes reach; as Azure reports it for the account.
   */
  public readonly nodeManagementEndpoint!: pulumi.Output<string | undefined>;
  /** Resource group of the account, network and pool. */
  public readonly resourceGroupName!: pulumi.Output<string>;
  /** Name of the pool. */
  public readonly poolName!: pulumi.Output<string | undefined>;
  /** Resource ID of the pool. */
  public readonly poolId!: pulumi.Output<string | undefined>;
  /** The pool's `targetNodeCommunicationMode`. */
  public readonly targetNodeCommunicationMode!: pulumi.Output<string>;
  /** The mode the pool actually runs in, as Azure reports it; absent when Azure does not say. */
  public readonly currentNodeCommunicationMode!: pulumi.Output<string | undefined>;
  /** The modes the NSG rules and routes serve. */
  public readonly ruleModes!: pulumi.Output<string[]>;
  /** Resource ID of the pool's subnet. */
  public readonly subnetId!: pulumi.Output<string>;
  /** Resource ID of the NSG that carries the rules. */
  public readonly networkSecurityGroupId!: pulumi.Output<string>;
  /** The security rules applied, as plain data. */
  public readonly securityRules!: pulumi.Output<SecurityRuleSpec[]>;
  /** Resource ID of the route table; absent without forced tunnelling. */
  public readonly routeTableId!: pulumi.Output<string | undefined>;
  /** What the pool reaches outbound, in the shape of listOutboundNetworkDependenciesEndpoints. */
  public readonly outboundDependencies!: pulumi.Output<OutboundEndpointCategory[]>;

  constructor(
    name: string,
    args: BatchEnvironmentArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    // Validate before registering anything: invalid input leaves nothing half-created.
    const design = designOrThrow(
      "BatchEnvironment",
      name,
      () => designEnvironment(args),
      (d) => sharedNsgProblems(name, d),
    );
    super(BATCH_ENVIRONMENT_TYPE, name, {}, opts);
    warnAll(design.warnings, this);

    const ctx: BuildContext = { name, parent: this, design };
    const foundation = foundationSteps(ctx);
    const { account, resourceGroupName } = foundation;
    const poolName = poolNameStep(ctx);
    const applied = appliedNetwork(design, design.ruleModes);
    const { rules, network, poolPrerequisites } = networkSteps(ctx, foundation, applied);
    const pool = poolStep({
      logicalName: `${name}-pool`,
      parent: this,
      pool: design.pool,
      account,
      placement: {
        accountName: account.accountName,
        resourceGroupName,
        subnetId: network.subnetId,
        ...(design.apiVersion === BatchApiVersion.V2024_07_01
          ? { targetMode: design.poolTarget }
          : {}),
        poolName,
      },
      after: poolPrerequisites,
      apiVersion: design.apiVersion,
    });
    const outputs = outputsStep(ctx, { account, rules, network, applied, pool });
    Object.assign(this, outputs);
    this.registerOutputs({ ...outputs });
  }
}
