/** The analyzer of existing NSGs and route tables: what they do with each flow a mode needs. */
export { analyzeNetwork, worst } from "./analyze";
export type { Advice, AdviceKind, Analysis, AnalysisInput, FlowVerdict } from "./analyze";
export type { Outcome, Probe, ProbeVerdict } from "./evaluate";
export { evaluateNsg } from "./evaluate";
export type { Surroundings } from "./coverage";
export { DEFAULT_SECURITY_RULES } from "./network";
export type { NetworkSecurityGroup, NsgRule, RouteEntry, RouteTable } from "./network";
export { parseNetworkSecurityGroup, parseRouteTable } from "./parse";
