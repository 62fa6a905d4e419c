// Type-checked against the packed package's declarations (`types`), from the consumer project.
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
