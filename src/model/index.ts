/**
 * The rules model: pure functions over plain data, no Pulumi, no I/O. Everything else in the
 * package (components, CLI, policy pack) takes its rules from here. This barrel is the
 * package's internal one; the public surface is `src/index.ts`.
 */
export * from "./addresses";
export * from "./dependencies";
export * from "./enums";
export * from "./flows";
export * from "./ids";
export * from "./json";
export * from "./limits";
export * from "./modes";
export * from "./names";
export * from "./ports";
export * from "./problems";
export * from "./regions";
export * from "./routes";
export * from "./rules";
export * from "./scope";
export * from "./securityRule";
export * from "./environment/settings";
export * from "./environment/options";
export * from "./environment/design";
export { existingSubnetReach } from "./environment/reach";
export * from "./environment/validate";
export * from "./migration/stages";
export * from "./migration/decide";
export * from "./migration/commands";
export * from "./migration/design";
export * from "./analyze";
export * from "./audit";
