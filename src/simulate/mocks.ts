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
import { BatchApiVersion } from "../model";
import { AzureSimulation, Written } from "./azure";

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

/** What the error of a write the simulation refuses starts with. */
export const SIMULATED_FAILURE = "simulated failure";

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
  "azure-native:network:NatGateway": "Microsoft.Network/natGateways",
  "azure-native:network:PublicIPAddress": "Microsoft.Network/publicIPAddresses",
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
  "azure-native:network:NatGateway": "natGatewayName",
  "azure-native:network:PublicIPAddress": "publicIpAddressName",
};

/**
 * Types declared at another API version than azure-native's default, mapped to the default
 * type they alias (the package's thin 2025-06-01 classes declare exactly these aliases).
 */
const VERSIONED_TYPES: Readonly<Record<string, { base: string; apiVersion: BatchApiVersion }>> = {
  "azure-native:batch/v20250601:Pool": {
    base: "azure-native:batch:Pool",
    apiVersion: BatchApiVersion.V2025_06_01,
  },
  "azure-native:batch/v20250601:BatchAccount": {
    base: "azure-native:batch:BatchAccount",
    apiVersion: BatchApiVersion.V2025_06_01,
  },
};

/** A resource type without its API version: what an alias makes the same resource. */
export function baseType(type: string): string {
  return VERSIONED_TYPES[type]?.base ?? type;
}

function apiVersionOf(type: string): BatchApiVersion {
  return VERSIONED_TYPES[type]?.apiVersion ?? BatchApiVersion.V2024_07_01;
}

/** A short stable hash, as azure-native's autonaming suffix would be (stable per resource). */
function stableSuffix(text: string, length = 7): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/**
 * An invoke failure as azure-native reports Azure's answer (azcore's shape): the SDK rethrows
 * the RPC error's `details` as the message.
 */
export function azureError(status: number, code: string, what: string): Error {
  const message = `GET https://management.azure.com/...\nRESPONSE ${status}: ${status === 404 ? "404 Not Found" : String(status)}\nERROR CODE: ${code}\n{ "error": { "code": "${code}", "message": "${what}" } }`;
  return Object.assign(new Error(message), { details: message });
}

function notFound(what: string, code = "ResourceNotFound"): Error {
  return azureError(404, code, what);
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
    baseType(after.type) === "azure-native:batch:Pool" &&
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
    /**
     * Existing subnets a live read finds, by name (`getSubnet`); without the list, every subnet
     * asked for exists, not private, in 10.0.0.0/24.
     */
    readonly subnets?: readonly {
      readonly name: string;
      readonly addressPrefix?: string;
      /** `false`: private; absent: not set (Azure's implicit default outbound access). */
      readonly defaultOutboundAccess?: boolean;
      readonly natGatewayId?: string;
    }[];
  };
}

/** Resources whose writes reach Azure (a run can be made to fail at one of them). */
const AZURE_WRITES: ReadonlySet<string> = new Set([
  "azure-native:network:NetworkSecurityGroup",
  "azure-native:network:SecurityRule",
  "azure-native:network:RouteTable",
  "azure-native:network:Route",
  "azure-native:batch:Pool",
]);

/**
 * Pulumi mocks answering from an {@link AzureSimulation}. Install with {@link SimulatedAzureMocks.install}
 * before each run; read what the run registered from {@link registered}.
 */
export class SimulatedAzureMocks implements pulumi.runtime.Mocks {
  /** Resources registered by the current run, in registration order. */
  registered: RegisteredResource[] = [];
  /** Invokes made by the current run. */
  calls: RecordedCall[] = [];
  /** What the last successful update left deployed (Pulumi's state, in effect). */
  deployed: RegisteredResource[] = [];
  private readonly accountLocations = new Map<string, string>();
  private preview = false;
  /** Azure writes the current run may still make before it fails; undefined: no failure. */
  private writesBeforeFailure: number | undefined;
  private failRun: (error: Error) => void = () => undefined;
  /**
   * Rejects when a write of this run fails. Resources that wait on a failed one never finish
   * under the mocks (Pulumi's host ends the program instead), so a run watches this too.
   */
  runFailure: Promise<never> = new Promise<never>(() => undefined);

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

  /**
   * Starts a run: clears the run's records and installs the mocks (preview or update).
   * `failAfterWrites` makes the run fail at the Azure write after that many (what reached
   * Azure before it stays).
   */
  async install(
    preview = false,
    project = "azure-batch-network",
    stack = "dev",
    failAfterWrites?: number,
  ): Promise<void> {
    this.registered = [];
    this.calls = [];
    this.preview = preview;
    this.writesBeforeFailure = failAfterWrites;
    this.runFailure = new Promise<never>((_, reject) => {
      this.failRun = reject;
    });
    this.runFailure.catch(() => undefined); // observed by runDeployment; never unhandled
    await pulumi.runtime.setMocks(this, project, stack, preview);
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = { ...(args.inputs as Record<string, unknown>) };
    if (!args.custom) {
      return { id: undefined, state: inputs };
    }
    this.countWrite(args.type);
    const physicalName = this.physicalName(args.type, args.name, inputs);
    const id = this.resourceId(args.type, physicalName, inputs);
    const state: Record<string, unknown> = { ...inputs, name: physicalName };
    const outputs = this.apply(args.type, args.name, physicalName, inputs);
    const record = (resourceId: string, recorded: Record<string, unknown>) =>
      this.registered.push({
        type: args.type,
        name: args.name,
        inputs,
        id: resourceId,
        state: recorded,
        provider: args.provider,
      });
    if (outputs === "unknown") {
      // Preview of a pool that does not exist yet: Azure has not named it, nor given it a
      // mode; what is missing here is unknown to the program, as in a real preview.
      const { name: _name, ...unnamed } = state;
      record("", unnamed);
      return { id: undefined, state: unnamed };
    }
    Object.assign(state, outputs);
    record(id, state);
    return { id, state };
  }

  /** A run that fails at this write, when it was asked to. */
  private countWrite(type: string): void {
    if (this.preview || this.writesBeforeFailure === undefined) return;
    if (!AZURE_WRITES.has(baseType(type))) return;
    if (this.writesBeforeFailure === 0) {
      const error = new Error(`${SIMULATED_FAILURE}: Azure refused the write of a ${type}`);
      this.failRun(error);
      throw error;
    }
    this.writesBeforeFailure--;
  }

  /** What a write does in the simulated Azure, and the outputs Azure gives back. */
  private apply(
    type: string,
    logicalName: string,
    physicalName: string,
    inputs: Record<string, unknown>,
  ): Record<string, unknown> | "unknown" {
    switch (baseType(type)) {
      case "random:index/randomString:RandomString":
        return {
          result: stableSuffix(logicalName, 64)
            .replace(/[^a-z0-9]/g, "")
            .slice(0, Number(inputs.length ?? 6)),
        };
      case "azure-native:batch:BatchAccount": {
        const location = String(inputs.location);
        this.accountLocations.set(physicalName, location);
        return {
          accountEndpoint: `${physicalName}.${location}.batch.azure.com`,
          nodeManagementEndpoint: nodeManagementEndpoint(physicalName, location),
        };
      }
      case "azure-native:network:NetworkSecurityGroup":
        if (!this.preview) this.azure.writeNsgRules(physicalName, written(inputs.securityRules));
        return {};
      case "azure-native:network:SecurityRule":
        if (!this.preview)
          this.azure.writeNsgRule(String(inputs.networkSecurityGroupName), {
            ...inputs,
            name: physicalName,
          });
        return {};
      case "azure-native:network:RouteTable":
        if (!this.preview) this.azure.writeRoutes(physicalName, written(inputs.routes));
        return {};
      case "azure-native:network:Subnet": {
        const nat = inputs.natGateway as { id?: string } | undefined;
        if (!this.preview)
          this.azure.writeSubnet(physicalName, {
            addressPrefix: String(inputs.addressPrefix),
            ...(typeof inputs.defaultOutboundAccess === "boolean"
              ? { defaultOutboundAccess: inputs.defaultOutboundAccess }
              : {}),
            ...(nat?.id ? { natGatewayId: nat.id } : {}),
          });
        return {};
      }
      case "azure-native:network:Route":
        if (!this.preview)
          this.azure.writeRoute(String(inputs.routeTableName), { ...inputs, name: physicalName });
        return {};
      case "azure-native:batch:Pool":
        return this.writePool(physicalName, inputs, apiVersionOf(type)) ?? "unknown";
      default:
        return {};
    }
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    const inputs = args.inputs as Record<string, string>;
    this.calls.push({ token: args.token, inputs, provider: args.provider });
    const rg = inputs.resourceGroupName;
    switch (args.token) {
      case "azure-native:batch:getPool":
      case "azure-native:batch/v20250601:getPool": {
        const version =
          args.token === "azure-native:batch:getPool"
            ? BatchApiVersion.V2024_07_01
            : BatchApiVersion.V2025_06_01;
        const live = this.azure.readPool(inputs.accountName, inputs.poolName, rg, version);
        if (!live)
          throw notFound(
            `Pool '${inputs.poolName}' not found in account '${inputs.accountName}'`,
            "PoolNotFound",
          );
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
      case "azure-native:batch:getBatchAccount":
      case "azure-native:batch/v20250601:getBatchAccount":
        return this.readAccount(inputs.accountName, rg);
      case "azure-native:network:getSubnet":
        return this.readSubnet(inputs.subnetName, inputs.virtualNetworkName, rg);
      default:
        // An invoke nobody expected is a bug in the code under test: fail loudly.
        throw new Error(`unexpected invoke ${args.token} ${JSON.stringify(inputs)}`);
    }
  }

  /** A live read of an existing subnet: as the options describe it, as azure-native returns it. */
  private readSubnet(name: string, vnet: string, rg: string): Record<string, unknown> {
    const known = this.options.existing?.subnets;
    const subnet = known ? known.find((s) => s.name === name) : { name };
    if (!subnet) throw notFound(`Subnet '${name}' not found in virtual network '${vnet}'`);
    return {
      id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${name}`,
      name,
      addressPrefix: subnet.addressPrefix ?? "10.0.0.0/24",
      ...(subnet.defaultOutboundAccess !== undefined
        ? { defaultOutboundAccess: subnet.defaultOutboundAccess }
        : {}),
      ...(subnet.natGatewayId ? { natGateway: { id: subnet.natGatewayId } } : {}),
    };
  }

  private readAccount(accountName: string, rg: string): Record<string, unknown> {
    const location = this.accountLocations.get(accountName);
    if (!location) throw notFound(`Batch account '${accountName}' not found`);
    return {
      id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.Batch/batchAccounts/${accountName}`,
      name: accountName,
      accountEndpoint: `${accountName}.${location}.batch.azure.com`,
      nodeManagementEndpoint: nodeManagementEndpoint(accountName, location),
      location,
    };
  }

  /** How this run's resources differ from what is deployed, in `pulumi preview`'s words. */
  diff(): ResourceDiff {
    // A type change under an alias (a pool moved to API 2025-06-01) is the same resource.
    const key = (r: RegisteredResource) => `${baseType(r.type)}::${r.name}`;
    const before = new Map(this.deployed.map((r) => [key(r), r]));
    const now = new Map(this.registered.map((r) => [key(r), r]));
    const diff: ResourceDiff = { create: [], update: [], replace: [], delete: [], same: [] };
    for (const [k, r] of now) {
      const old = before.get(k);
      if (!old) diff.create.push(r);
      else if (replaces(old, r)) diff.replace.push(r);
      else if (old.type !== r.type || JSON.stringify(old.inputs) !== JSON.stringify(r.inputs))
        diff.update.push(r);
      else diff.same.push(r);
    }
    for (const [k, r] of before) if (!now.has(k)) diff.delete.push(r);
    return diff;
  }

  /** Ends an update run: what the program no longer declares is deleted, as `pulumi up` would. */
  finishUpdate(): void {
    if (this.preview) return;
    const removed = this.diff().delete;
    // Pulumi deletes dependents before what they depend on: a pool depends on its rules and
    // routes, so pools go first, then standalone rules and routes.
    for (const pool of removed.filter((r) => baseType(r.type) === "azure-native:batch:Pool")) {
      this.azure.deletePool(String(pool.inputs.accountName), String(pool.state.name));
    }
    for (const rule of removed.filter((r) => r.type === "azure-native:network:SecurityRule")) {
      this.azure.deleteNsgRule(
        String(rule.inputs.networkSecurityGroupName),
        String(rule.inputs.securityRuleName),
      );
    }
    for (const route of removed.filter((r) => r.type === "azure-native:network:Route")) {
      this.azure.deleteRoute(String(route.inputs.routeTableName), String(route.inputs.routeName));
    }
    this.deployed = [...this.registered];
  }

  /**
   * Ends a run that failed: nothing is deleted, and what it wrote before failing stays in
   * Pulumi's state beside what was deployed before, as the engine records a failed update.
   */
  abortRun(): void {
    if (this.preview) return;
    const key = (r: RegisteredResource) => `${baseType(r.type)}::${r.name}`;
    const merged = new Map(this.deployed.map((r) => [key(r), r]));
    for (const r of this.registered.filter((x) => x.id !== "")) merged.set(key(r), r);
    this.deployed = [...merged.values()];
  }

  private requireExisting(known: readonly string[] | undefined, name: string, what: string): void {
    if (known && !known.includes(name)) throw notFound(`The ${what} '${name}' was not found`);
  }

  private physicalName(type: string, logicalName: string, inputs: Record<string, unknown>): string {
    const input = NAME_INPUTS[baseType(type)];
    const given = input ? inputs[input] : undefined;
    if (typeof given === "string" && given.length > 0) return given;
    return `${logicalName}${stableSuffix(`${baseType(type)}::${logicalName}`)}`;
  }

  private resourceId(type: string, name: string, inputs: Record<string, unknown>): string {
    const armType = ARM_TYPES[baseType(type)];
    if (armType === undefined) return `${type}::${name}`;
    if (armType === "") return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${name}`;
    const path = armType.replace(/\{(\w+)\}/g, (_, key: string) => String(inputs[key]));
    return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${String(inputs.resourceGroupName)}/providers/${path}/${name}`;
  }

  /** Writes the pool to the simulation (or, in a preview, reads it); undefined for a preview of a new pool. */
  private writePool(
    poolName: string,
    inputs: Record<string, unknown>,
    apiVersion: BatchApiVersion,
  ): Record<string, unknown> | undefined {
    const accountName = String(inputs.accountName);
    const region = this.accountLocations.get(accountName) ?? "westus2";
    const rg = String(inputs.resourceGroupName);
    if (this.preview) {
      // A preview changes nothing; it reports what Azure has now.
      const live = this.azure.readPool(accountName, poolName, rg, apiVersion);
      return live ? { currentNodeCommunicationMode: live.currentNodeCommunicationMode } : undefined;
    }
    const pool = this.azure.writePool(accountName, poolName, region, inputs, apiVersion);
    return {
      ...(apiVersion === BatchApiVersion.V2024_07_01
        ? { currentNodeCommunicationMode: pool.current }
        : {}),
      allocationState: pool.nodes === pool.targetNodes ? "Steady" : "Resizing",
      currentDedicatedNodes: pool.nodes,
      currentLowPriorityNodes: 0,
    };
  }
}

/** An account's node management host: a unique ID (here a stable hash), not its name. */
function nodeManagementEndpoint(accountName: string, location: string): string {
  const id = createHash("sha256").update(`node-management:${accountName}`).digest("hex");
  const guid = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
  return `${guid}.${location}.service.batch.azure.com`;
}

/** Rules or routes as an inline list arrives: each with its name. */
function written(list: unknown): Written[] {
  return (Array.isArray(list) ? list : [])
    .filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null)
    .map((x) => ({ ...x, name: String(x.name) }));
}
