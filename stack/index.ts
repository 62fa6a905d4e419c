// The repository's own stack: a NodeCommunicationMigration driven by the typed config in
// Pulumi.yaml. Each migration step is `pulumi config set stage <stage> && pulumi up`.
import * as pulumi from "@pulumi/pulumi";
import { NodeCommunicationMigration } from "../src";
import { migrationArgsFromConfig } from "../src/stackConfig";

const migration = new NodeCommunicationMigration(
  "batch",
  migrationArgsFromConfig(new pulumi.Config()),
);

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
