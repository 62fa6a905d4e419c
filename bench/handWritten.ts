/**
 * The same resources a default simplified BatchEnvironment creates, written by hand against
 * azure-native as a component of its own (the same eight children under one parent, its outputs
 * registered): the baseline the component's construction time is compared with. A flat list of
 * resources would charge the package for being a component at all.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as batch from "@pulumi/azure-native/batch";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";

class HandWrittenEnvironment extends pulumi.ComponentResource {
  readonly outputs: Record<string, pulumi.Output<unknown>>;

  constructor(name: string) {
    super("bench:index:HandWrittenEnvironment", name, {}, {});
    this.outputs = children(name, { parent: this });
    this.registerOutputs(this.outputs);
  }
}

export function handWrittenEnvironment(name: string): Record<string, pulumi.Output<unknown>> {
  return new HandWrittenEnvironment(name).outputs;
}

function children(
  name: string,
  opts: pulumi.CustomResourceOptions,
): Record<string, pulumi.Output<unknown>> {
  const poolSuffix = new random.RandomString(
    `${name}-pool-name`,
    {
      length: 6,
      special: false,
      upper: false,
      keepers: { network: "10.0.0.0/24" },
    },
    opts,
  );
  const suffix = new random.RandomString(
    `${name}-name-suffix`,
    {
      length: 6,
      special: false,
      upper: false,
    },
    opts,
  );
  const rg = new resources.ResourceGroup(`${name}-rg`, { location: "westus2" }, opts);
  const account = new batch.BatchAccount(
    `${name}-account`,
    {
      accountName: pulumi.interpolate`${name.replace(/[^a-z0-9]/g, "")}${suffix.result}`,
      resourceGroupName: rg.name,
      location: "westus2",
      poolAllocationMode: "BatchService",
      publicNetworkAccess: "Enabled",
    },
    opts,
  );
  const nsg = new network.NetworkSecurityGroup(
    `${name}-nsg`,
    {
      resourceGroupName: rg.name,
      location: "westus2",
      securityRules: [
        {
          name: "AllowBatchSimplifiedNodeManagementOutbound",
          priority: 1002,
          direction: "Outbound",
          access: "Allow",
          protocol: "*",
          sourceAddressPrefix: "*",
          sourcePortRange: "*",
          destinationAddressPrefix: "BatchNodeManagement.westus2",
          destinationPortRange: "443",
        },
      ],
    },
    opts,
  );
  const vnet = new network.VirtualNetwork(
    `${name}-vnet`,
    {
      resourceGroupName: rg.name,
      location: "westus2",
      addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
    },
    opts,
  );
  const subnet = new network.Subnet(
    `${name}-subnet`,
    {
      resourceGroupName: rg.name,
      virtualNetworkName: vnet.name,
      addressPrefix: "10.0.0.0/24",
      networkSecurityGroup: { id: nsg.id },
      defaultOutboundAccess: false,
    },
    opts,
  );
  const pool = new batch.Pool(
    `${name}-pool`,
    {
      accountName: account.name,
      poolName: pulumi.interpolate`${name}-${poolSuffix.result}`,
      resourceGroupName: rg.name,
      vmSize: "standard_d2s_v3",
      deploymentConfiguration: {
        virtualMachineConfiguration: {
          imageReference: {
            publisher: "Canonical",
            offer: "ubuntu-24_04-lts",
            sku: "server",
            version: "latest",
          },
          nodeAgentSkuId: "batch.node.ubuntu 24.04",
        },
      },
      scaleSettings: {
        fixedScale: { targetDedicatedNodes: 2, targetLowPriorityNodes: 0, resizeTimeout: "PT15M" },
      },
      taskSlotsPerNode: 1,
      taskSchedulingPolicy: { nodeFillType: "Spread" },
      interNodeCommunication: "Disabled",
      networkConfiguration: {
        subnetId: subnet.id,
        publicIPAddressConfiguration: { provision: "BatchManaged" },
      },
      targetNodeCommunicationMode: "Simplified",
    },
    { ...opts, dependsOn: [nsg, account], replaceOnChanges: ["networkConfiguration"] },
  );
  return {
    poolName: pool.name,
    mode: pool.currentNodeCommunicationMode,
    account: account.accountEndpoint,
  };
}
