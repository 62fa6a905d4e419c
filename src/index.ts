/**
 * azure-batch-network: Pulumi components and offline tools for Azure Batch pools in virtual
 * networks. The package root exports the rules model; importing it loads no Pulumi code.
 */
export * from "./model";
export * from "./components/batchEnvironment";
export * from "./components/nodeCommunicationMigration";
