/**
 * Reads the layers around the NSGs from the JSON Azure prints: a subnet (`az network vnet subnet
 * show`), a NAT gateway (`az network nat gateway show`), a network interface (`az network nic
 * show`) and the effective security admin rules of a VNet (`az network manager
 * list-effective-security-admin-rule`). Flattened (`az`) or under `properties` (ARM) alike;
 * anything malformed is reported with the JSON path of the field, all at once.
 */
import { nameOfResourceId, resourceGroupOfResourceId } from "../ids";
import { InvalidInputError } from "../problems";
import {
  AdminRuleExport,
  AdminRulesSchema,
  NatGatewaySchema,
  NetworkInterfaceSchema,
  SubnetSchema,
} from "../input/azure";
import { validated } from "../input/schema";
import type { AdminAction, AdminRule, AdminRuleSet, NatGatewayFacts, SubnetFacts } from "./network";

/** A resource reference's ID (`{ "id": "..." }`), when it holds one. */
function idOf(reference: { id?: string } | null | undefined): string | undefined {
  return reference?.id || undefined;
}

function refuse(source: string, message: string): never {
  throw new InvalidInputError([{ field: `${source} $`, message }]);
}

/**
 * Reads one subnet.
 * @throws InvalidInputError naming the file and the JSON path of every malformed field.
 */
export function parseSubnet(json: unknown, source: string): SubnetFacts {
  const subnet = validated(SubnetSchema, json, source);
  const prefixes = [
    ...(subnet.addressPrefix ? [subnet.addressPrefix] : []),
    ...(subnet.addressPrefixes ?? []),
  ];
  if (prefixes.length === 0)
    refuse(source, "has no addressPrefix: is it a subnet (az network vnet subnet show -o json)?");
  const id = subnet.id || undefined;
  const natGatewayId = idOf(subnet.natGateway);
  const networkSecurityGroupId = idOf(subnet.networkSecurityGroup);
  const routeTableId = idOf(subnet.routeTable);
  const resourceGroup = subnet.resourceGroup || (id ? resourceGroupOfResourceId(id) : undefined);
  return {
    name: subnet.name || source,
    ...(id ? { id } : {}),
    ...(resourceGroup ? { resourceGroup } : {}),
    // An IPv6 prefix of a dual-stack subnet is valid, and no Batch flow of this package uses it.
    prefixes: prefixes.filter((p) => !p.includes(":")),
    // Absent: the export does not say. Present as null: the older API's implicit access.
    defaultOutboundAccess: subnet.defaultOutboundAccess,
    ...(natGatewayId ? { natGatewayId } : {}),
    ...(networkSecurityGroupId ? { networkSecurityGroupId } : {}),
    ...(routeTableId ? { routeTableId } : {}),
  };
}

/**
 * Reads one NAT gateway.
 * @throws InvalidInputError when the JSON is not a NAT gateway.
 */
export function parseNatGateway(json: unknown, source: string): NatGatewayFacts {
  const nat = validated(NatGatewaySchema, json, source);
  const addresses = nat.publicIpAddresses ?? nat.publicIPAddresses;
  const prefixes = nat.publicIpPrefixes ?? nat.publicIPPrefixes;
  if (!addresses && !prefixes && nat.type?.toLowerCase() !== "microsoft.network/natgateways")
    refuse(
      source,
      "has no publicIpAddresses: is it a NAT gateway (az network nat gateway show -o json)?",
    );
  return {
    name: nat.name || source,
    ...(nat.id ? { id: nat.id } : {}),
    publicAddresses: [...(addresses ?? []), ...(prefixes ?? [])].filter((r) => idOf(r)).length,
  };
}

/** A network interface's NSG and private addresses, as the analyzer needs them. */
export interface NetworkInterfaceFacts {
  readonly name: string;
  readonly id?: string;
  readonly networkSecurityGroupId?: string;
  readonly ipConfigurations: readonly {
    readonly privateIpAddress?: string;
    readonly subnetId?: string;
    /** For a private endpoint's NIC: the names that resolve to this address. */
    readonly fqdns: readonly string[];
  }[];
}

/**
 * Reads one network interface.
 * @throws InvalidInputError when the JSON is not a network interface.
 */
export function parseNetworkInterface(json: unknown, source: string): NetworkInterfaceFacts {
  const nic = validated(NetworkInterfaceSchema, json, source);
  const nsg = idOf(nic.networkSecurityGroup);
  return {
    name: nic.name || source,
    ...(nic.id ? { id: nic.id } : {}),
    ...(nsg ? { networkSecurityGroupId: nsg } : {}),
    ipConfigurations: nic.ipConfigurations.map((c) => {
      const ip = c.privateIPAddress ?? c.privateIpAddress;
      const subnetId = idOf(c.subnet);
      return {
        ...(ip && !ip.includes(":") ? { privateIpAddress: ip } : {}),
        ...(subnetId ? { subnetId } : {}),
        fqdns: c.privateLinkConnectionProperties?.fqdns ?? [],
      };
    }),
  };
}

// ---- Security admin rules -------------------------------------------------------------------

/** The part of a resource ID after `/<type>/`, when the ID has it. */
function segment(id: string | undefined, type: string): string | undefined {
  if (!id) return undefined;
  return new RegExp(`/${type}/([^/]+)`, "i").exec(id)?.[1];
}

type AddressItems = AdminRuleExport["sources"];

/** An admin rule's addresses on one side: prefixes and tags; network groups cannot be resolved offline. */
function sideOf(items: AddressItems): { addresses: string[]; unresolved: boolean } {
  if (!items || items.length === 0) return { addresses: ["*"], unresolved: false };
  const addresses: string[] = [];
  let unresolved = false;
  for (const item of items) {
    // Its members are VNets and subnets the export does not list: like an ASG, unknown offline.
    if (item.addressPrefixType?.toLowerCase() === "networkgroup") unresolved = true;
    else if (item.addressPrefix) addresses.push(item.addressPrefix);
  }
  return { addresses, unresolved };
}

const portsOf = (ranges: readonly string[] | null | undefined): string[] =>
  ranges && ranges.length > 0 ? [...ranges] : ["*"];

function adminRule(rule: AdminRuleExport, path: string): AdminRule {
  const action: AdminAction = rule.access;
  const sources = sideOf(rule.sources);
  const destinations = sideOf(rule.destinations);
  const name = segment(rule.id, "rules") ?? (rule.name || path);
  const configuration = segment(rule.id, "securityAdminConfigurations");
  const networkManager = segment(rule.id, "networkManagers");
  return {
    action,
    match: {
      name,
      priority: rule.priority,
      direction: rule.direction,
      // Which way an uncertain match would go: only Deny stops the traffic.
      access: action === "Deny" ? "Deny" : "Allow",
      protocol: rule.protocol === "Any" ? "*" : rule.protocol,
      sourceAddresses: sources.addresses,
      sourcePorts: portsOf(rule.sourcePortRanges),
      destinationAddresses: destinations.addresses,
      destinationPorts: portsOf(rule.destinationPortRanges),
      sourceAsgs: sources.unresolved,
      destinationAsgs: destinations.unresolved,
      isDefault: false,
    },
    ...(configuration ? { configuration } : {}),
    ...(networkManager ? { networkManager } : {}),
  };
}

/**
 * Reads the effective security admin rules of a VNet: the answer of `az network manager
 * list-effective-security-admin-rule` (`{ "value": [...] }`), a bare list, or the same with the
 * VNet's ID beside it (`{ "virtualNetworkId": "...", "value": [...] }`, as the audit's export
 * recipe writes it). An empty list is a VNet no admin rule applies to.
 * @throws InvalidInputError naming the file and the JSON path of every malformed field.
 */
export function parseAdminRules(json: unknown, source: string): AdminRuleSet {
  const set = validated(AdminRulesSchema, json, source);
  const rules = Array.isArray(set) ? set : set.value;
  const path = Array.isArray(set) ? "$" : "$.value";
  const vnet = Array.isArray(set) ? undefined : set.virtualNetworkId || undefined;
  return {
    name: vnet ? nameOfResourceId(vnet) : source,
    ...(vnet ? { virtualNetworkId: vnet } : {}),
    rules: rules.map((r, i) => adminRule(r, `${path}[${i}]`)),
  };
}
