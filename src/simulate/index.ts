/**
 * An offline stand-in for Azure behind Pulumi's mocks: for tests and the `plan` command only.
 * The components never import it.
 */
export * from "./azure";
export * from "./deploy";
export * from "./mocks";
export * from "./plan";
export * from "./log";
