// A pool in a subnet managed elsewhere (by a platform team, say). The component adds its rules
// as standalone SecurityRule resources to the NSG already attached to that subnet, and
// creates the account and the pool. It never creates an NSG or touches the subnet itself.
import * as pulumi from "@pulumi/pulumi";
import { BatchEnvironment, CommunicationMode } from "azure-batch-network";

const config = new pulumi.Config();

const env = new BatchEnvironment("shared-net", {
  location: config.get("location") ?? "westus2",
  communicationMode: CommunicationMode.Simplified,
  network: {
    existingSubnetId:
      config.get("subnetId") ??
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/platform-network/providers/Microsoft.Network/virtualNetworks/hub/subnets/batch",
    existingNetworkSecurityGroup: {
      name: config.get("nsgName") ?? "batch-subnet-nsg",
      resourceGroupName: config.get("nsgResourceGroup") ?? "platform-network",
    },
    // Rules the platform team's NSG does not have yet take priorities 3000..3020.
    priorityBase: 3000,
  },
  pool: { dedicatedNodes: 1 },
});

export const poolName = env.poolName;
export const networkSecurityGroupId = env.networkSecurityGroupId;
export const securityRules = env.securityRules;
