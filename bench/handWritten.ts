/**
 * The same resources a default simplified BatchEnvironment creates, written by hand against
 * azure-native: the baseline the component's construction time is compared with.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as batch from "@pulumi/azure-native/batch";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";

export function handWrittenEnvironment(name: string): Record<string, pulumi.Output<unknown>> {
  const poolSuffix = new random.RandomString(`${name}-pool-name`, {
    length: 6,
    special: false,
    upper: false,
    keepers: { network: "10.0.0.0/24" },
  });
  const suffix = new random.RandomString(`${name}-name-suffix`, {
    length: 6,
    special: false,
    upper: false,
  });
  const rg = new resources.ResourceGroup(`${name}-rg`, { location: "westus2" });
  const account = new batch.BatchAccount(`${name}-account`, {
    accountName: pulumi.interpolate`${name.replace(/[^a-z0-9]/g, "")}${suffix.result}`,
    resourceGroupName: rg.name,
    location: "westus2",
    poolAllocationMode: "BatchService",
    publicNetworkAccess: "Enabled",
  });
  const nsg = new network.NetworkSecurityGroup(`${name}-nsg`, {
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
  });
  const vnet = new network.VirtualNetwork(`${name}-vnet`, {
    resourceGroupName: rg.name,
    location: "westus2",
    addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
  });
  const subnet = new network.Subnet(`${name}-subnet`, {
    resourceGroupName: rg.name,
    virtualNetworkName: vnet.name,
    addressPrefix: "10.0.0.0/24",
    networkSecurityGroup: { id: nsg.id },
  });
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
            offer: "0001-com-ubuntu-server-jammy",
            sku: "22_04-lts",
            version: "latest",
          },
          nodeAgentSkuId: "batch.node.ubuntu 22.04",
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
    { dependsOn: [nsg, account], replaceOnChanges: ["networkConfiguration"] },
  );
  return {
    poolName: pool.name,
    mode: pool.currentNodeCommunicationMode,
    account: account.accountEndpoint,
  };
}
