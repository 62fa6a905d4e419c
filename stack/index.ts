// The repository's own stack: a NodeCommunicationMigration driven by the typed config in
// Pulumi.yaml. Each migration step is `pulumi config set stage <stage> && pulumi up`.
import * as pulumi from "@pulumi/pulumi";
import {
  CommunicationMode,
  MigrationStage,
  MigrationStrategy,
  NodeCommunicationMigration,
} from "../src";

const config = new pulumi.Config();

// Config strings arrive as the user typed them; the component accepts any case and refuses
// anything that is not a stage, strategy or mode, naming the field.
const migration = new NodeCommunicationMigration("batch", {
  stage: (config.get("stage") ?? MigrationStage.Simplified) as MigrationStage,
  strategy: (config.get("strategy") ?? MigrationStrategy.InPlace) as MigrationStrategy,
  // Empty (the schema's default) means "not confirmed": Azure's live read decides.
  confirmedLiveMode: (config.get("confirmedLiveMode") || undefined) as
    CommunicationMode | undefined,
  location: config.get("location") ?? "westus2",
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

export const stage = migration.stage;
export const strategy = migration.strategy;
export const accountName = migration.accountName;
export const poolName = migration.poolName;
export const replacementPoolName = migration.replacementPoolName;
export const liveNodeCommunicationMode = migration.liveNodeCommunicationMode;
export const nextStageSafe = migration.nextStageSafe;
export const nextCommand = migration.nextCommand;
export const rollbackCommand = migration.rollbackCommand;
export const runSummary = migration.runSummary;
export const securityRules = migration.securityRules;
