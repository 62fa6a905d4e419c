// The secure pattern of Azure's `batch-pool-no-public-ip` quickstart: the account's public
// node management endpoint is closed, nodes reach Batch through a nodeManagement private
// endpoint (with the privatelink.batch.azure.com zone linked to the VNet), the pool has no
// public IPs, and the subnet denies outbound Internet except what Batch and storage need.
import * as pulumi from "@pulumi/pulumi";
import { BatchEnvironment, CommunicationMode } from "azure-batch-network";

const config = new pulumi.Config();

const env = new BatchEnvironment("secure", {
  location: config.get("location") ?? "westus2",
  communicationMode: CommunicationMode.Simplified,
  account: {
    publicNetworkAccess: "Enabled", // the Batch API stays reachable for your tooling...
    nodeManagementAccess: { defaultAction: "Deny" }, // ...but nodes must use the private endpoint
  },
  privateEndpoints: { nodeManagement: true },
  network: {
    addressSpace: ["10.30.0.0/16"],
    subnetPrefix: "10.30.1.0/24",
    outboundLockdown: { storageDestinations: ["Storage.westus2"] },
  },
  pool: { publicIpProvisioning: "NoPublicIPAddresses", dedicatedNodes: 2 },
});

export const poolName = env.poolName;
export const subnetId = env.subnetId;
export const securityRules = env.securityRules;
export const outboundDependencies = env.outboundDependencies;
