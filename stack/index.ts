// The repository's own stack: one BatchEnvironment driven by the typed config in Pulumi.yaml.
// `pulumi config set communicationMode classic` (any case) is checked by the component.
import * as pulumi from "@pulumi/pulumi";
import { BatchEnvironment, CommunicationMode } from "../src";

const config = new pulumi.Config();

const env = new BatchEnvironment("batch", {
  location: config.get("location") ?? "westus2",
  // Config strings arrive in any case; the component accepts them and refuses anything else.
  communicationMode: (config.get("communicationMode") ??
    CommunicationMode.Simplified) as CommunicationMode,
  network: {
    addressSpace: [config.get("addressSpace") ?? "10.0.0.0/16"],
    subnetPrefix: config.get("subnetPrefix") ?? "10.0.0.0/24",
  },
  pool: {
    vmSize: config.get("vmSize") ?? "standard_d2s_v3",
    dedicatedNodes: config.getNumber("dedicatedNodes") ?? 2,
    lowPriorityNodes: config.getNumber("lowPriorityNodes") ?? 0,
  },
});

export const accountName = env.accountName;
export const poolName = env.poolName;
export const targetNodeCommunicationMode = env.targetNodeCommunicationMode;
export const currentNodeCommunicationMode = env.currentNodeCommunicationMode;
export const securityRules = env.securityRules;
export const outboundDependencies = env.outboundDependencies;
