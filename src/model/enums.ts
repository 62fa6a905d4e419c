/**
 * Azure's enumerations, spelled as the Azure APIs spell them.
 *
 * Each is a frozen object plus a type of its values (`Direction.Inbound` is `"Inbound"`): plain
 * strings at run time, a closed set for the compiler, and a named enum in the schema Pulumi
 * infers for other languages (which refuses bare string unions).
 */

/**
 * A pool's `targetNodeCommunicationMode`, as the Batch management API spells it (API versions up
 * to 2024-07-01; 2025-06-01 removes the property).
 */
export const CommunicationMode = {
  /** The Batch service connects in to the nodes. Retired 31 March 2026. */
  Classic: "Classic",
  /** The nodes connect out to the Batch service. */
  Simplified: "Simplified",
  /** Azure picks. */
  Default: "Default",
} as const;
export type CommunicationMode = (typeof CommunicationMode)[keyof typeof CommunicationMode];

/** A mode a pool's nodes actually run in (`currentNodeCommunicationMode`). */
export type NodeMode = typeof CommunicationMode.Classic | typeof CommunicationMode.Simplified;

/**
 * The Batch management API version the package declares pools and accounts at. 2024-07-01 is
 * the version azure-native 3.x sends, and the last with the node communication mode properties;
 * 2025-06-01 removes them (and Azure put "API versions prior to 2025-06-01" on Batch's
 * retirement list on 2026-05-15).
 */
export const BatchApiVersion = {
  V2024_07_01: "2024-07-01",
  V2025_06_01: "2025-06-01",
} as const;
export type BatchApiVersion = (typeof BatchApiVersion)[keyof typeof BatchApiVersion];

/** Traffic direction of an NSG rule. */
export const Direction = { Inbound: "Inbound", Outbound: "Outbound" } as const;
export type Direction = (typeof Direction)[keyof typeof Direction];

/** Network protocol of an NSG rule; `*` (Any) matches every protocol. */
export const Protocol = {
  Tcp: "Tcp",
  Udp: "Udp",
  Icmp: "Icmp",
  Esp: "Esp",
  Ah: "Ah",
  Any: "*",
} as const;
export type Protocol = (typeof Protocol)[keyof typeof Protocol];

/** Whether an NSG rule allows or denies what it matches. */
export const Access = { Allow: "Allow", Deny: "Deny" } as const;
export type Access = (typeof Access)[keyof typeof Access];

/** Next hop of a user-defined route. */
export const NextHopType = {
  Internet: "Internet",
  VirtualAppliance: "VirtualAppliance",
  VirtualNetworkGateway: "VirtualNetworkGateway",
  VnetLocal: "VnetLocal",
  None: "None",
} as const;
export type NextHopType = (typeof NextHopType)[keyof typeof NextHopType];

/** Next hops a subnet's default route may take to force-tunnel its traffic. */
export const TunnelNextHopType = {
  VirtualAppliance: "VirtualAppliance",
  VirtualNetworkGateway: "VirtualNetworkGateway",
} as const;
export type TunnelNextHopType = (typeof TunnelNextHopType)[keyof typeof TunnelNextHopType];

/** A Batch account's `publicNetworkAccess`. */
export const PublicNetworkAccess = {
  Enabled: "Enabled",
  Disabled: "Disabled",
  SecuredByPerimeter: "SecuredByPerimeter",
} as const;
export type PublicNetworkAccess = (typeof PublicNetworkAccess)[keyof typeof PublicNetworkAccess];

/** Default action of a Batch account endpoint's access profile. */
export const EndpointAccessDefaultAction = { Allow: "Allow", Deny: "Deny" } as const;
export type EndpointAccessDefaultAction =
  (typeof EndpointAccessDefaultAction)[keyof typeof EndpointAccessDefaultAction];

/** Authentication modes a Batch account allows for its data plane. */
export const AuthenticationMode = {
  SharedKey: "SharedKey",
  AAD: "AAD",
  TaskAuthenticationToken: "TaskAuthenticationToken",
} as const;
export type AuthenticationMode = (typeof AuthenticationMode)[keyof typeof AuthenticationMode];

/** How a pool's nodes get public IP addresses. */
export const IPAddressProvisioningType = {
  BatchManaged: "BatchManaged",
  UserManaged: "UserManaged",
  NoPublicIPAddresses: "NoPublicIPAddresses",
} as const;
export type IPAddressProvisioningType =
  (typeof IPAddressProvisioningType)[keyof typeof IPAddressProvisioningType];

/** How tasks are spread across nodes. */
export const ComputeNodeFillType = { Spread: "Spread", Pack: "Pack" } as const;
export type ComputeNodeFillType = (typeof ComputeNodeFillType)[keyof typeof ComputeNodeFillType];

/** What happens to running tasks when nodes are removed. */
export const ComputeNodeDeallocationOption = {
  Requeue: "Requeue",
  Terminate: "Terminate",
  TaskCompletion: "TaskCompletion",
  RetainedData: "RetainedData",
} as const;
export type ComputeNodeDeallocationOption =
  (typeof ComputeNodeDeallocationOption)[keyof typeof ComputeNodeDeallocationOption];

/** Protocol of a pool's inbound NAT endpoint. */
export const InboundEndpointProtocol = { TCP: "TCP", UDP: "UDP" } as const;
export type InboundEndpointProtocol =
  (typeof InboundEndpointProtocol)[keyof typeof InboundEndpointProtocol];

/** The values of a const-object enum, for "use one of ..." messages and membership checks. */
export function enumValues<T extends Record<string, string>>(e: T): Array<T[keyof T]> {
  return Object.values(e) as Array<T[keyof T]>;
}
