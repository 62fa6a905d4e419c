/**
 * Existing NSGs and route tables as the analyzer reads them: every rule with its address and
 * port fields as lists (Azure's single and plural fields merged), and Azure's default rules.
 */
import type { Access, Direction, NextHopType, Protocol } from "../enums";

/** One security rule of an existing NSG. */
export interface NsgRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: Direction;
  readonly access: Access;
  readonly protocol: Protocol;
  readonly sourceAddresses: readonly string[];
  readonly sourcePorts: readonly string[];
  readonly destinationAddresses: readonly string[];
  readonly destinationPorts: readonly string[];
  /** The rule names application security groups on that side (membership is not known offline). */
  readonly sourceAsgs: boolean;
  readonly destinationAsgs: boolean;
  /** One of Azure's default rules (priority 65000 and above). */
  readonly isDefault: boolean;
}

/** An NSG: its custom rules and Azure's default rules. */
export interface NetworkSecurityGroup {
  readonly name: string;
  readonly location?: string;
  /** Its resource group, when the JSON says (for the `az` lines advice prints). */
  readonly resourceGroup?: string;
  /** Its subscription, when its ID says (the `az` lines name it). */
  readonly subscription?: string;
  readonly rules: readonly NsgRule[];
}

export interface RouteEntry {
  readonly name: string;
  readonly addressPrefix: string;
  readonly nextHopType: NextHopType;
  readonly nextHopIpAddress?: string;
}

export interface RouteTable {
  readonly name: string;
  readonly location?: string;
  readonly resourceGroup?: string;
  readonly subscription?: string;
  readonly routes: readonly RouteEntry[];
}

function defaultRule(
  name: string,
  direction: Direction,
  priority: number,
  source: string,
  destination: string,
  access: Access,
): NsgRule {
  return {
    name,
    priority,
    direction,
    access,
    protocol: "*",
    sourceAddresses: [source],
    sourcePorts: ["*"],
    destinationAddresses: [destination],
    destinationPorts: ["*"],
    sourceAsgs: false,
    destinationAsgs: false,
    isDefault: true,
  };
}

/** Azure's default rules, always present below every custom rule, named as the API names them. */
export const DEFAULT_SECURITY_RULES: readonly NsgRule[] = [
  defaultRule("AllowVnetInBound", "Inbound", 65000, "VirtualNetwork", "VirtualNetwork", "Allow"),
  defaultRule("AllowAzureLoadBalancerInBound", "Inbound", 65001, "AzureLoadBalancer", "*", "Allow"),
  defaultRule("DenyAllInBound", "Inbound", 65500, "*", "*", "Deny"),
  defaultRule("AllowVnetOutBound", "Outbound", 65000, "VirtualNetwork", "VirtualNetwork", "Allow"),
  defaultRule("AllowInternetOutBound", "Outbound", 65001, "*", "Internet", "Allow"),
  defaultRule("DenyAllOutBound", "Outbound", 65500, "*", "*", "Deny"),
];

/** What a security admin rule of Azure Virtual Network Manager does with the traffic it matches. */
export type AdminAction = "Allow" | "Deny" | "AlwaysAllow";

/**
 * One effective security admin rule of a VNet (Azure Virtual Network Manager). Admin rules come
 * before NSGs: `Deny` stops the traffic, `AlwaysAllow` lets it through without the NSGs,
 * `Allow` passes it on to the NSGs. Its match is the NSG rule's, so it is judged by the same
 * matcher (`match.access` only says which way an uncertain match would go).
 */
export interface AdminRule {
  readonly action: AdminAction;
  /** The rule's fields as an NSG rule's, for matching. */
  readonly match: NsgRule;
  /** The security admin configuration the rule belongs to, when its ID says. */
  readonly configuration?: string;
  /** The network manager, when its ID says. */
  readonly networkManager?: string;
}

/** The effective security admin rules of one VNet (an empty list: none apply). */
export interface AdminRuleSet {
  /** Where they were read from: the VNet's name or the file. */
  readonly name: string;
  /** The VNet the rules apply to, when the export names it. */
  readonly virtualNetworkId?: string;
  readonly rules: readonly AdminRule[];
}

/** How the pool's nodes get their public addresses (`publicIPAddressConfiguration.provision`). */
export type NodePublicIps = "BatchManaged" | "UserManaged" | "NoPublicIPAddresses";

/** A subnet as its export describes it: what decides the nodes' way out, and what it carries. */
export interface SubnetFacts {
  readonly name: string;
  readonly id?: string;
  readonly resourceGroup?: string;
  readonly prefixes: readonly string[];
  /**
   * `false`: a private subnet (no default outbound access); `true` or `null`: Azure's implicit
   * default outbound access (`null` is how VNets made with older API versions leave it);
   * `undefined`: the export does not say, so it cannot be told offline.
   */
  readonly defaultOutboundAccess: boolean | null | undefined;
  readonly natGatewayId?: string;
  readonly networkSecurityGroupId?: string;
  readonly routeTableId?: string;
}

/** A NAT gateway as its export describes it. */
export interface NatGatewayFacts {
  readonly name: string;
  readonly id?: string;
  /** Public IP addresses and prefixes it translates to: none, and it carries nothing. */
  readonly publicAddresses: number;
}

/**
 * The subnet's outbound path: what a flow whose route leads to the Internet needs past the
 * NSGs. A node reaches the Internet through its own public IP, the subnet's NAT gateway, or (in
 * a subnet that is not private) Azure's default outbound access; same-region Storage is
 * reachable from a private subnet without any of them.
 */
export interface OutboundPath {
  readonly subnet: SubnetFacts;
  /** The subnet's NAT gateway, when exported (its public addresses are then known). */
  readonly natGateway?: NatGatewayFacts;
  /** The pool's public IP provisioning; undefined when not given. */
  readonly nodePublicIps?: NodePublicIps;
}
