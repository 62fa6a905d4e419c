/**
 * Pulumi runtime mocks backed by the Azure simulation: what a deployment would get back from
 * Azure (IDs, names, endpoints, a pool's live mode) without Azure. Used by the tests and by
 * the offline `plan` command; documented as a simulation, never imported by the components.
 *
 * A "deployment" is one run of a program against the mocks. Runs share one simulation, so
 * consecutive runs behave like consecutive `pulumi up`s against the same Azure.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { AzureSimulation } from "./azure";

/** A resource one run registered, with the inputs Azure would receive. */
export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly id: string;
  readonly state: Record<string, unknown>;
  /** The provider reference the engine would use (`<urn>::<id>`); absent for the default. */
  readonly provider?: string;
}

/** An invoke one run made. */
export interface RecordedCall {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
  /** The provider reference the engine would use; absent for the default. */
  readonly provider?: string;
}

const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

/** ARM provider namespace and resource type per azure-native token, for IDs. */
const ARM_TYPES: Readonly<Record<string, string>> = {
  "azure-native:resources:ResourceGroup": "",
  "azure-native:batch:BatchAccount": "Microsoft.Batch/batchAccounts",
  "azure-native:batch:Pool": "Microsoft.Batch/batchAccounts/{accountName}/pools",
  "azure-native:network:NetworkSecurityGroup": "Microsoft.Network/networkSecurityGroups",
  "azure-native:network:SecurityRule":
    "Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}/securityRules",
  "azure-native:network:VirtualNetwork": "Microsoft.Network/virtualNetworks",
  "azure-native:network:Subnet": "Microsoft.Network/virtualNetworks/{virtualNetworkName}/subnets",
  "azure-native:network:RouteTable": "Microsoft.Network/routeTables",
  "azure-native:network:Route": "Microsoft.Network/routeTables/{routeTableName}/routes",
  "azure-native:network:PrivateEndpoint": "Microsoft.Network/privateEndpoints",
  "azure-native:network:PrivateDnsZoneGroup":
    "Microsoft.Network/privateEndpoints/{privateEndpointName}/privateDnsZoneGroups",
  "azure-native:privatedns:PrivateZone": "Microsoft.Network/privateDnsZones",
  "azure-native:privatedns:VirtualNetworkLink":
    "Microsoft.Network/privateDnsZones/{privateZoneName}/virtualNetworkLinks",
  "azure-native:storage:StorageAccount": "Microsoft.Storage/storageAccounts",
};

/** The input that names each resource in Azure (azure-native autonames it when absent). */
const NAME_INPUTS: Readonly<Record<string, string>> = {
  "azure-native:resources:ResourceGroup": "resourceGroupName",
  "azure-native:batch:BatchAccount": "accountName",
  "azure-native:batch:Pool": "poolName",
  "azure-native:network:NetworkSecurityGroup": "networkSecurityGroupName",
  "azure-native:network:SecurityRule": "securityRuleName",
  "azure-native:network:VirtualNetwork": "virtualNetworkName",
  "azure-native:network:Subnet": "subnetName",
  "azure-native:network:RouteTable": "routeTableName",
  "azure-native:network:Route": "routeName",
  "azure-native:network:PrivateEndpoint": "privateEndpointName",
  "azure-native:network:PrivateDnsZoneGroup": "privateDnsZoneGroupName",
  "azure-native:privatedns:PrivateZone": "privateZoneName",
  "azure-native:privatedns:VirtualNetworkLink": "virtualNetworkLinkName",
  "azure-native:storage:StorageAccount": "accountName",
};

/** A short stable hash, as azure-native's autonaming suffix would be (stable per resource). */
function stableSuffix(text: string, length = 7): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/**
 * An invoke failure as the engine reports Azure's 404: the SDK rethrows an RPC error's
 * `details` as the message.
 */
function notFound(what: string): Error {
  const message = `${what}: Code="ResourceNotFound" (404)`;
  return Object.assign(new Error(message), { details: message });
}

/** A run's resources against what is deployed, in `pulumi preview`'s words. */
export interface ResourceDiff {
  readonly create: RegisteredResource[];
  readonly update: RegisteredResource[];
  readonly replace: RegisteredResource[];
  readonly delete: RegisteredResource[];
  readonly same: RegisteredResource[];
}

/** Whether Azure would need a new resource: its name changed, or a pool's network did. */
function replaces(before: RegisteredResource, after: RegisteredResource): boolean {
  if (
    before.state.name !== undefined &&
    after.state.name !== undefined &&
    before.state.name !== after.state.name
  ) {
    return true;
  }
  return (
    after.type === "azure-native:batch:Pool" &&
    JSON.stringify(before.inputs.networkConfiguration) !==
      JSON.stringify(after.inputs.networkConfiguration)
  );
}

/** Options of {@link SimulatedAzureMocks}. */
export interface MockOptions {
  /** Live reads of pools and resources that do not exist answer as Azure would (not found). */
  readonly existing?: {
    readonly networkSecurityGroups?: readonly string[];
    readonly routeTables?: readonly string[];
    readonly batchAccounts?: readonly { readonly name: string; readonly location: string }[];
  };
}

/**
 * Pulumi mocks answering from an {@link AzureSimulation}. Install with {@link SimulatedAzureMocks.install}
 * before each run; read what the run registered from {@link registered}.
 */
export class SimulatedAzureMocks implements pulumi.runtime.Mocks {
  /** Resources registered by the current run, in registration order. */
  registered: RegisteredResource[] = [];
  /** Invokes made by the current run. */
  calls: RecordedCall[] = [];
  private readonly accountLocations = new Map<string, string>();
  private preview = false;

  constructor(
    readonly azure: AzureSimulation,
    private readonly options: MockOptions = {},
  ) {
    for (const account of options.existing?.batchAccounts ?? []) {
      this.accountLocations.set(account.name, account.location);
    }
  }

  /** Mocks over `azure` (a fork of this one's) that remember what this one deployed. */
  fork(azure: AzureSimulation): SimulatedAzureMocks {
    const copy = new SimulatedAzureMocks(azure, this.options);
    for (const [account, location] of this.accountLocations)
      copy.accountLocations.set(account, location);
    copy.deployed = [...this.deployed];
    return copy;
  }

  /** Starts a run: clears the run's records and installs the mocks (preview or update). */
  async install(preview = false, project = "azure-batch-network", stack = "dev"): Promise<void> {
    this.registered = [];
    this.calls = [];
    this.preview = preview;
    await pulumi.runtime.setMocks(this, project, stack, preview);
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = { ...(args.inputs as Record<string, unknown>) };
    if (!args.custom) {
      return { id: undefined, state: inputs };
    }
    const physicalName = this.physicalName(args.type, args.name, inputs);
    const id = this.resourceId(args.type, physicalName, inputs);
    const state: Record<string, unknown> = { ...inputs, name: physicalName };
    switch (args.type) {
      case "random:index/randomString:RandomString":
        state.result = stableSuffix(args.name, 64)
          .replace(/[^a-z0-9]/g, "")
          .slice(0, Number(inputs.length ?? 6));
        break;
      case "azure-native:batch:BatchAccount": {
        const location = String(inputs.location);
        this.accountLocations.set(physicalName, location);
        state.accountEndpoint = `${physicalName}.${location}.batch.azure.com`;
        break;
      }
      case "azure-native:network:NetworkSecurityGroup":
        if (!this.preview) {
          const rules = (inputs.securityRules ?? []) as Array<{ name: string }>;
          this.azure.writeNsgRules(
            physicalName,
            rules.map((r) => r.name),
          );
        }
        break;
      case "azure-native:network:SecurityRule":
        if (!this.preview)
          this.azure.writeNsgRule(String(inputs.networkSecurityGroupName), physicalName);
        break;
      case "azure-native:batch:Pool": {
        const pool = this.writePool(physicalName, inputs);
        if (!pool) {
          // Preview of a pool that does not exist yet: Azure has not named it, nor given it a
          // mode; what is missing here is unknown to the program, as in a real preview.
          const { name: _name, ...unnamed } = state;
          this.registered.push({
            type: args.type,
            name: args.name,
            inputs,
            id: "",
            state: unnamed,
            provider: args.provider,
          });
          return { id: undefined, state: unnamed };
        }
        Object.assign(state, pool);
        break;
      }
      default:
        break;
    }
    this.registered.push({
      type: args.type,
      name: args.name,
      inputs,
      id,
      state,
      provider: args.provider,
    });
    return { id, state };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    const inputs = args.inputs as Record<string, string>;
    this.calls.push({ token: args.token, inputs, provider: args.provider });
    const rg = inputs.resourceGroupName;
    switch (args.token) {
      case "azure-native:batch:getPool": {
        const live = this.azure.readPool(inputs.accountName, inputs.poolName, rg);
        if (!live)
          throw notFound(`Pool '${inputs.poolName}' not found in account '${inputs.accountName}'`);
        return { ...live };
      }
      case "azure-native:network:getNetworkSecurityGroup":
        this.requireExisting(
          this.options.existing?.networkSecurityGroups,
          inputs.networkSecurityGroupName,
          "network security group",
        );
        return {
          id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.Network/networkSecurityGroups/${inputs.networkSecurityGroupName}`,
          name: inputs.networkSecurityGroupName,
        };
      case "azure-native:network:getRouteTable":
        this.requireExisting(
          this.options.existing?.routeTables,
          inputs.routeTableName,
          "route table",
        );
        return {
          id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.Network/routeTables/${inputs.routeTableName}`,
          name: inputs.routeTableName,
        };
      case "azure-native:batch:getBatchAccount": {
        const location = this.accountLocations.get(inputs.accountName);
        if (!location) throw notFound(`Batch account '${inputs.accountName}' not found`);
        return {
          id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.Batch/batchAccounts/${inputs.accountName}`,
          name: inputs.accountName,
          accountEndpoint: `${inputs.accountName}.${location}.batch.azure.com`,
          location,
        };
      }
      default:
        // An invoke nobody expected is a bug in the code under test: fail loudly.
        throw new Error(`unexpected invoke ${args.token} ${JSON.stringify(inputs)}`);
    }
  }

  /** What the last successful update left deployed (Pulumi's state, in effect). */
  deployed: RegisteredResource[] = [];

  /** How this run's resources differ from what is deployed, in `pulumi preview`'s words. */
  diff(): ResourceDiff {
    const key = (r: RegisteredResource) => `${r.type}::${r.name}`;
    const before = new Map(this.deployed.map((r) => [key(r), r]));
    const now = new Map(this.registered.map((r) => [key(r), r]));
    const diff: ResourceDiff = { create: [], update: [], replace: [], delete: [], same: [] };
    for (const [k, r] of now) {
      const old = before.get(k);
      if (!old) diff.create.push(r);
      else if (replaces(old, r)) diff.replace.push(r);
      else if (JSON.stringify(old.inputs) !== JSON.stringify(r.inputs)) diff.update.push(r);
      else diff.same.push(r);
    }
    for (const [k, r] of before) if (!now.has(k)) diff.delete.push(r);
    return diff;
  }

  /** Ends an update run: pools the program no longer declares are deleted, as `pulumi up` would. */
  finishUpdate(): void {
    if (this.preview) return;
    const removed = this.diff().delete;
    // Pulumi deletes dependents before what they depend on: a pool depends on its rules, so
    // pools go first, then standalone rules.
    for (const pool of removed.filter((r) => r.type === "azure-native:batch:Pool")) {
      this.azure.deletePool(String(pool.inputs.accountName), String(pool.state.name));
    }
    for (const rule of removed.filter((r) => r.type === "azure-native:network:SecurityRule")) {
      this.azure.deleteNsgRule(
        String(rule.inputs.networkSecurityGroupName),
        String(rule.inputs.securityRuleName),
      );
    }
    this.deployed = [...this.registered];
  }

  private requireExisting(known: readonly string[] | undefined, name: string, what: string): void {
    if (known && !known.includes(name)) throw notFound(`The ${what} '${name}' was not found`);
  }

  private physicalName(type: string, logicalName: string, inputs: Record<string, unknown>): string {
    const input = NAME_INPUTS[type];
    const given = input ? inputs[input] : undefined;
    if (typeof given === "string" && given.length > 0) return given;
    return `${logicalName}${stableSuffix(`${type}::${logicalName}`)}`;
  }

  private resourceId(type: string, name: string, inputs: Record<string, unknown>): string {
    const armType = ARM_TYPES[type];
    if (armType === undefined) return `${type}::${name}`;
    if (armType === "") return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${name}`;
    const path = armType.replace(/\{(\w+)\}/g, (_, key: string) => String(inputs[key]));
    return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${String(inputs.resourceGroupName)}/providers/${path}/${name}`;
  }

  /** Writes the pool to the simulation (or, in a preview, reads it); undefined for a preview of a new pool. */
  private writePool(
    poolName: string,
    inputs: Record<string, unknown>,
  ): Record<string, unknown> | undefined {
    const accountName = String(inputs.accountName);
    const region = this.accountLocations.get(accountName) ?? "westus2";
    if (this.preview) {
      // A preview changes nothing; it reports what Azure has now.
      const live = this.azure.readPool(accountName, poolName, String(inputs.resourceGroupName));
      return live ? { currentNodeCommunicationMode: live.currentNodeCommunicationMode } : undefined;
    }
    const pool = this.azure.writePool(accountName, poolName, region, inputs);
    return {
      currentNodeCommunicationMode: pool.current,
      allocationState: pool.nodes === pool.targetNodes ? "Steady" : "Resizing",
      currentDedicatedNodes: pool.nodes,
    };
  }
}
