/** The analyzer of existing NSGs and route tables: what they do with each flow a mode needs. */
export { analyzeNetwork, analyzeWithinLimits } from "./analyze";
export type { Analysis, AnalysisInput, PrivateDns } from "./analyze";
export { adviseNetwork, applyChanges, keepsNeededFlows } from "./advice";
export type { Advice, AdviceContext, AdviceKind } from "./advice";
export { applyToNsg, applyToRouteTable, azCommand, nsgRuleOf, specOf } from "./changes";
export type { AzTarget, NetworkChange, RuleListField } from "./changes";
export { judgeFlow, pathOutcomes, worst } from "./judge";
export type { FlowVerdict, NetworkPath } from "./judge";
export type { Outcome, Probe, ProbeVerdict } from "./evaluate";
export { evaluateNsg } from "./evaluate";
export type { Surroundings } from "./coverage";
export { DEFAULT_SECURITY_RULES } from "./network";
export type {
  AdminAction,
  AdminRule,
  AdminRuleSet,
  NatGatewayFacts,
  NetworkSecurityGroup,
  NodePublicIps,
  NsgRule,
  OutboundPath,
  RouteEntry,
  RouteTable,
  SubnetFacts,
} from "./network";
export { parseNetworkSecurityGroup, parseRouteTable } from "./parse";
export {
  parseAdminRules,
  parseNatGateway,
  parseNetworkInterface,
  parseSubnet,
} from "./parseLayers";
export type { NetworkInterfaceFacts } from "./parseLayers";
export { LAYER_EXPORTS, LAYERS } from "./layers";
export type { LayerName, LayerOutcome, LayerVerdict, MissingLayer } from "./layers";
export {
  endpointAddressHint,
  endpointPath,
  parsePrivateEndpoint,
  PRIVATE_ENDPOINT_GROUPS,
  throughPrivateEndpoints,
} from "./privateEndpoints";
export type {
  EndpointAddressSources,
  PrivateEndpointExport,
  PrivateEndpointGroup,
  PrivateEndpointPath,
} from "./privateEndpoints";
