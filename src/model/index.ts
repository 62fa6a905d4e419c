/**
 * The rules model: pure functions over plain data, no Pulumi, no I/O. Everything else in the
 * package (components, CLI, policy pack) takes its rules from here.
 */
export * from "./addresses";
export * from "./dependencies";
export * from "./enums";
export * from "./flows";
export * from "./modes";
export * from "./names";
export * from "./ports";
export * from "./problems";
export * from "./regions";
export * from "./routes";
export * from "./rules";
export * from "./securityRule";
export * from "./environment";
export * from "./ids";
export * from "./plan";
export * from "./validate";
export * from "./migration";
export * from "./stages";
export * from "./analyze";
