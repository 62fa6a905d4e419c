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
