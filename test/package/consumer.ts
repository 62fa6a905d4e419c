// Type-checked against the packed package's declarations (`types`), from the consumer project.
import * as pulumi from "@pulumi/pulumi";
import type { AzureSimulation } from "azure-batch-network/simulate";
import {
  BatchEnvironment,
  BatchEnvironmentArgs,
  CommunicationMode,
  NodeCommunicationMigrationArgs,
  securityRules,
} from "azure-batch-network";

const args: BatchEnvironmentArgs = {
  location: "westus2",
  communicationMode: CommunicationMode.Simplified,
  pool: { dedicatedNodes: 1 },
};
const migration: NodeCommunicationMigrationArgs = {
  location: "westus2",
  stage: "union",
  strategy: "new-pool",
};
export const names: string[] = securityRules("westus2", [CommunicationMode.Classic]).rules.map(
  (r) => r.name,
);
export const build = (): BatchEnvironment => new BatchEnvironment("typed", args);
export const settings = migration;

// References to existing resources take outputs of the user's own program.
export const existing: BatchEnvironmentArgs = {
  location: "westus2",
  communicationMode: CommunicationMode.Simplified,
  resourceGroupName: pulumi.output("platform-rg"),
  account: { existingAccountName: pulumi.output("corpbatch") },
  network: {
    existingSubnetId: pulumi.output("/subscriptions/0/subnet"),
    existingNetworkSecurityGroup: { name: pulumi.output("corp-nsg") },
  },
};
export type Simulation = AzureSimulation;
