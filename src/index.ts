/**
 * azure-batch-network: Pulumi components and offline tools for Azure Batch pools in virtual
 * networks. This file is the package's public surface, listed name by name: the two
 * components and their arguments, and the model's functions and types a program needs. The
 * simulation behind the offline `plan`, for tests of your own, is `azure-batch-network/simulate`.
 */

// The components.
export { BatchEnvironment, BATCH_ENVIRONMENT_TYPE } from "./components/batchEnvironment";
export type {
  AccountArgs,
  AutoStorageArgs,
  BatchEnvironmentArgs,
  EnvironmentSettingsArgs,
  ExistingResourceArgs,
  NatGatewayArgs,
  NetworkArgs,
  PoolArgs,
  PrivateEndpointsArgs,
  RoutesArgs,
} from "./components/batchEnvironment";
export {
  NodeCommunicationMigration,
  NODE_COMMUNICATION_MIGRATION_TYPE,
} from "./components/nodeCommunicationMigration";
export type { NodeCommunicationMigrationArgs } from "./components/nodeCommunicationMigration";

// Azure's enumerations, as the APIs spell them.
export {
  Access,
  AuthenticationMode,
  CommunicationMode,
  ComputeNodeDeallocationOption,
  ComputeNodeFillType,
  Direction,
  EndpointAccessDefaultAction,
  InboundEndpointProtocol,
  IPAddressProvisioningType,
  NextHopType,
  Protocol,
  PublicNetworkAccess,
  TunnelNextHopType,
} from "./model/enums";
export type { NodeMode } from "./model/enums";

// Bad input.
export { formatProblems, InvalidInputError } from "./model/problems";
export type { Problem } from "./model/problems";

// Regions.
export { findRegion, REGIONS, resolveRegion } from "./model/regions";
export type { AzureCloud, Region } from "./model/regions";

// What each mode needs: flows, NSG rules, routes, outbound dependencies.
export { MODE_SETS } from "./model/modes";
export type { ModeSetName } from "./model/modes";
export { requiredFlows } from "./model/flows";
export type { Flow, FlowId, FlowOptions, RemoteAccessOptions } from "./model/flows";
export { DEFAULT_PRIORITY_BASE, RESERVED_PRIORITY_SPAN, securityRules } from "./model/rules";
export type { OutboundLockdownOptions, RuleOptions, RuleSet } from "./model/rules";
export type { SecurityRuleSpec } from "./model/securityRule";
export { forcedTunnelRoutes } from "./model/routes";
export type { DefaultRouteOptions, RouteOptions, RouteSet, RouteSpec } from "./model/routes";
export { outboundDependencies } from "./model/dependencies";
export type {
  DependencyOptions,
  OutboundEndpoint,
  OutboundEndpointCategory,
  OutboundEndpointDetail,
} from "./model/dependencies";

// An environment's settings, their checks and the package's decisions from them.
export type * from "./model/environment/settings";
export { validateEnvironment } from "./model/environment/validate";
export type { ValidationOptions, ValidationResult } from "./model/environment/validate";
export { designEnvironment } from "./model/environment/design";
export type { EnvironmentDesign } from "./model/environment/design";

// The migration's stages.
export {
  MigrationStage,
  MigrationStrategy,
  STAGE_ORDER,
  stageSettings,
} from "./model/migration/stages";
export type { StageSettings } from "./model/migration/stages";
export type { MigrationFields, MigrationSettings } from "./model/migration/design";

// Judging existing networks.
export {
  analyzeNetwork,
  applyToNsg,
  applyToRouteTable,
  azCommand,
  endpointPath,
  LAYERS,
  parseAdminRules,
  parseNatGateway,
  parseNetworkInterface,
  parseNetworkSecurityGroup,
  parsePrivateEndpoint,
  parseRouteTable,
  parseSubnet,
} from "./model/analyze";
export type {
  Advice,
  AdviceKind,
  AdminRuleSet,
  Analysis,
  AnalysisInput,
  FlowVerdict,
  LayerName,
  LayerVerdict,
  MissingLayer,
  NatGatewayFacts,
  NetworkChange,
  NetworkInterfaceFacts,
  NetworkSecurityGroup,
  NodePublicIps,
  NsgRule,
  OutboundPath,
  Outcome,
  PrivateDns,
  PrivateEndpointExport,
  PrivateEndpointGroup,
  PrivateEndpointPath,
  RouteEntry,
  RouteTable,
  SubnetFacts,
} from "./model/analyze";

// Auditing a fleet from read-only exports.
export { auditFleet, readExports } from "./model/audit";
export type {
  ExportDocument,
  FleetAudit,
  Inventory,
  MergedChanges,
  MissingExport,
  PoolAudit,
  PoolStatus,
  StatusCount,
} from "./model/audit";
