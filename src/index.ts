/**
 * azure-batch-network: Pulumi components and offline tools for Azure Batch pools in virtual
 * networks. The package root exports the rules model (pure, no Pulumi) and the two components.
 * The simulation behind the offline `plan` is under `bin/simulate`, for tests of your own.
 */
export * from "./model";
export * from "./components/batchEnvironment";
export * from "./components/nodeCommunicationMigration";
