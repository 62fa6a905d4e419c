// Microsoft's simplified-mode example pool (on Ubuntu 24.04: Batch's 22.04 agent support ends
// 30 June 2027), in a VNet whose NSG carries exactly what
// simplified mode needs: outbound 443 (any protocol) to BatchNodeManagement.<region>.
import * as pulumi from "@pulumi/pulumi";
import { BatchEnvironment, CommunicationMode } from "azure-batch-network";

const config = new pulumi.Config();

const env = new BatchEnvironment("render", {
  location: config.get("location") ?? "westus2",
  communicationMode: CommunicationMode.Simplified,
  network: { addressSpace: ["10.20.0.0/16"], subnetPrefix: "10.20.1.0/24" },
  pool: {
    vmSize: "standard_d2s_v3",
    image: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server" },
    nodeAgentSkuId: "batch.node.ubuntu 24.04",
    dedicatedNodes: 2,
    resizeTimeout: "PT15M",
    taskSlotsPerNode: 1,
    nodeFillType: "Spread",
  },
});

export const accountName = env.accountName;
export const poolName = env.poolName;
export const currentNodeCommunicationMode = env.currentNodeCommunicationMode;
export const securityRules = env.securityRules;
