/**
 * The shape of every Azure export the package reads, declared once: NSGs, route tables, VNets
 * and subnets, NAT gateways, network interfaces, private endpoints, a VNet's effective security
 * admin rules, Batch accounts and pools. Each resource is read flattened (as `az ... -o json`
 * prints it) or under `properties` (ARM, Resource Graph) alike; enum values as Azure matches them
 * (case-insensitively), given back in their canonical spelling. What a field means across fields
 * (two rules of one priority, a next hop IP on the wrong route) is the parsers' to check.
 */
import * as v from "valibot";
import { addressKind } from "../addresses";
import { enumValues, Access, Direction, NextHopType, Protocol } from "../enums";
import { parsePortRange } from "../ports";
import { shown } from "../printable";
import {
  canonicalSpelling,
  listOf,
  oneOf,
  reference,
  required,
  resource,
  resourcePart,
  says,
  wholeNumber,
  withFastPath,
} from "./schema";
import { cidr, ipAddress, PUBLIC_IP_PROVISIONING } from "./values";

const ADDRESS = "*, an IP address, a CIDR prefix or a service tag";
const PORTS = "*, a port or a range low-high";

/** An optional text field: absent, null and "" all mean not given. */
function optionalText(check: (s: string) => boolean, what: string) {
  const message = says(`is not ${what}.`);
  return v.optional(
    v.nullable(
      v.pipe(
        v.string(message),
        v.check((s) => s === "" || check(s), message),
      ),
    ),
  );
}

const isAddress = (s: string) => addressKind(s) !== "invalid";
const isPorts = (s: string) => parsePortRange(s) !== undefined;

/** A single address or port field and its plural twin, as Azure has both. */
function addressList(what: string, check: (s: string) => boolean) {
  return v.optional(
    v.nullable(
      listOf(
        v.pipe(v.string(says(`is not ${what}.`)), v.check(check, says(`is not ${what}.`))),
        what,
      ),
    ),
  );
}

const name = (what: string) =>
  required(
    v.pipe(v.string(`must be the ${what}'s name.`), v.minLength(1, `must be the ${what}'s name.`)),
    `must be the ${what}'s name.`,
  );

const identity = {
  id: v.optional(v.string(says("is not a resource ID."))),
  name: v.optional(v.string(says("is not a name."))),
  location: v.optional(v.string(says("is not a region name."))),
  resourceGroup: v.optional(v.string(says("is not a resource group name."))),
  type: v.optional(v.string(says("is not a resource type."))),
};

/** A security rule's fields, as the schema checks them. */
function securityRuleFields(minPriority: number, maxPriority: number) {
  return resourcePart(
    {
      name: name("rule"),
      priority: wholeNumber(minPriority, maxPriority, "a priority"),
      direction: oneOf(enumValues(Direction), "Inbound or Outbound"),
      access: oneOf(enumValues(Access), "Allow or Deny"),
      protocol: oneOf(enumValues(Protocol), "one of Tcp, Udp, Icmp, Esp, Ah, *", { any: "*" }),
      sourceAddressPrefix: optionalText(isAddress, ADDRESS),
      sourceAddressPrefixes: addressList(ADDRESS, isAddress),
      destinationAddressPrefix: optionalText(isAddress, ADDRESS),
      destinationAddressPrefixes: addressList(ADDRESS, isAddress),
      sourcePortRange: optionalText(isPorts, PORTS),
      sourcePortRanges: addressList(PORTS, isPorts),
      destinationPortRange: optionalText(isPorts, PORTS),
      destinationPortRanges: addressList(PORTS, isPorts),
      sourceApplicationSecurityGroups: v.optional(v.nullable(v.array(v.unknown()))),
      destinationApplicationSecurityGroups: v.optional(v.nullable(v.array(v.unknown()))),
    },
    "a security rule object.",
  );
}

/** A security rule: the schema, with the fast path for rules with nothing wrong. */
function securityRule(minPriority: number, maxPriority: number) {
  return withFastPath(securityRuleFields(minPriority, maxPriority), (input) =>
    fastSecurityRule(input, minPriority, maxPriority),
  );
}

export type SecurityRuleExport = v.InferOutput<ReturnType<typeof securityRuleFields>>;
export const SecurityRuleSchema = securityRule(100, 4096);
export const DefaultSecurityRuleSchema = securityRule(65000, 65500);

const canonicalDirection = canonicalSpelling(enumValues(Direction));
const canonicalAccess = canonicalSpelling(enumValues(Access));
const canonicalProtocol = canonicalSpelling(enumValues(Protocol), { any: "*" });

/**
 * A rule's optional fields in the schema's order, each with how it is checked: a text field
 * (absent, null, "" or a string that passes), a list of strings that pass, or a list of anything
 * (application security groups).
 */
const RULE_FIELDS: ReadonlyArray<[string, "text" | "list", ((s: string) => boolean) | undefined]> =
  [
    ["sourceAddressPrefix", "text", isAddress],
    ["sourceAddressPrefixes", "list", isAddress],
    ["destinationAddressPrefix", "text", isAddress],
    ["destinationAddressPrefixes", "list", isAddress],
    ["sourcePortRange", "text", isPorts],
    ["sourcePortRanges", "list", isPorts],
    ["destinationPortRange", "text", isPorts],
    ["destinationPortRanges", "list", isPorts],
    ["sourceApplicationSecurityGroups", "list", undefined],
    ["destinationApplicationSecurityGroups", "list", undefined],
  ];

/**
 * A security rule as the schema above gives it, for a rule with nothing wrong, read without the
 * schema's machinery (a fleet's NSG export holds hundreds of thousands of rules, and the
 * schema's datasets, one per field, cost more than judging them); undefined for anything else,
 * which the schema then checks and words the problems of. Fields are read as the schema reads
 * them: flattened (az) or under `properties` (ARM), the flattened one first. Exported for the
 * property test that holds it to the schema.
 */
export function fastSecurityRule(
  input: unknown,
  minPriority: number,
  maxPriority: number,
): SecurityRuleExport | undefined {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return undefined;
  const node = input as Record<string, unknown>;
  const nested = node.properties;
  const properties =
    typeof nested === "object" && nested !== null && !Array.isArray(nested)
      ? (nested as Record<string, unknown>)
      : undefined;
  const has = (key: string) =>
    Object.hasOwn(node, key) || (properties !== undefined && Object.hasOwn(properties, key));
  const get = (key: string) => (Object.hasOwn(node, key) ? node[key] : properties?.[key]);
  const ruleName = get("name");
  const priority = get("priority");
  const direction = get("direction");
  const access = get("access");
  const protocol = get("protocol");
  if (typeof ruleName !== "string" || ruleName === "") return undefined;
  if (typeof priority !== "number" || !Number.isInteger(priority)) return undefined;
  if (priority < minPriority || priority > maxPriority) return undefined;
  if (typeof direction !== "string" || typeof access !== "string" || typeof protocol !== "string")
    return undefined;
  const rule: Record<string, unknown> = {
    name: ruleName,
    priority,
    direction: canonicalDirection(direction),
    access: canonicalAccess(access),
    protocol: canonicalProtocol(protocol),
  };
  if (!rule.direction || !rule.access || !rule.protocol) return undefined;
  for (const [key, kind, check] of RULE_FIELDS) {
    if (!has(key)) continue;
    const value = get(key);
    if (value === undefined || value === null) rule[key] = value;
    else if (kind === "text") {
      if (typeof value !== "string" || (value !== "" && !check!(value))) return undefined;
      rule[key] = value;
    } else {
      if (!Array.isArray(value)) return undefined;
      if (check)
        for (const item of value as unknown[])
          if (typeof item !== "string" || !check(item)) return undefined;
      rule[key] = [...(value as unknown[])];
    }
  }
  return rule as SecurityRuleExport;
}

/** The rule schema without its fast path, to hold the fast path to it in tests. */
export const SecurityRuleFieldsSchema = securityRuleFields(100, 4096);

export const NetworkSecurityGroupSchema = resource(
  {
    ...identity,
    securityRules: v.optional(v.nullable(listOf(SecurityRuleSchema, "security rules"))),
    defaultSecurityRules: v.optional(
      v.nullable(listOf(DefaultSecurityRuleSchema, "security rules")),
    ),
  },
  "an NSG object (az network nsg show -o json).",
);
export type NetworkSecurityGroupExport = v.InferOutput<typeof NetworkSecurityGroupSchema>;

export const RouteSchema = resource(
  {
    name: v.optional(v.string(says("is not a route name."))),
    addressPrefix: required(
      v.pipe(
        v.string(says("is not a CIDR prefix or service tag.")),
        v.check(
          (s) => ["cidr", "ip", "serviceTag"].includes(addressKind(s)),
          says("is not a CIDR prefix or service tag."),
        ),
      ),
      "is missing; a route needs a CIDR prefix or service tag.",
    ),
    nextHopType: oneOf(enumValues(NextHopType), `one of ${enumValues(NextHopType).join(", ")}`),
    nextHopIpAddress: v.optional(v.nullable(v.string(says("is not an IP address.")))),
  },
  "a route object.",
);
export type RouteExport = v.InferOutput<typeof RouteSchema>;

export const RouteTableSchema = resource(
  {
    ...identity,
    routes: listOf(
      RouteSchema,
      "routes",
      "must be the table's list of routes: is it a route table?",
    ),
  },
  "a route table object (az network route-table show -o json).",
);
export type RouteTableExport = v.InferOutput<typeof RouteTableSchema>;

const prefixList = v.optional(v.nullable(listOf(cidr, "CIDR prefixes")));

export const SubnetSchema = resource(
  {
    ...identity,
    addressPrefix: v.optional(v.nullable(cidr)),
    addressPrefixes: prefixList,
    defaultOutboundAccess: v.optional(v.nullable(v.boolean(says("is not true, false or null.")))),
    natGateway: v.optional(v.nullable(reference)),
    networkSecurityGroup: v.optional(v.nullable(reference)),
    routeTable: v.optional(v.nullable(reference)),
  },
  "a subnet object (az network vnet subnet show -o json).",
);
export type SubnetExport = v.InferOutput<typeof SubnetSchema>;

export const VirtualNetworkSchema = resource(
  {
    ...identity,
    addressSpace: v.optional(v.nullable(v.looseObject({ addressPrefixes: prefixList }))),
    subnets: v.optional(v.nullable(listOf(SubnetSchema, "subnets"))),
  },
  "a virtual network object (az network vnet show -o json).",
);

const referenceList = v.optional(v.nullable(listOf(reference, "resource references")));

export const NatGatewaySchema = resource(
  {
    ...identity,
    publicIpAddresses: referenceList,
    publicIPAddresses: referenceList,
    publicIpPrefixes: referenceList,
    publicIPPrefixes: referenceList,
  },
  "a NAT gateway object (az network nat gateway show -o json).",
);
export type NatGatewayExport = v.InferOutput<typeof NatGatewaySchema>;

const IpConfigurationSchema = resource(
  {
    privateIPAddress: v.optional(v.nullable(ipAddress)),
    privateIpAddress: v.optional(v.nullable(ipAddress)),
    subnet: v.optional(v.nullable(reference)),
    privateLinkConnectionProperties: v.optional(
      v.nullable(
        v.looseObject({
          fqdns: v.optional(
            v.nullable(listOf(v.string(says("is not a host name.")), "host names")),
          ),
        }),
      ),
    ),
  },
  "an IP configuration object.",
);

export const NetworkInterfaceSchema = resource(
  {
    ...identity,
    networkSecurityGroup: v.optional(v.nullable(reference)),
    ipConfigurations: listOf(
      IpConfigurationSchema,
      "IP configurations (is it a network interface?)",
    ),
  },
  "a network interface object (az network nic show -o json).",
);
export type NetworkInterfaceExport = v.InferOutput<typeof NetworkInterfaceSchema>;

const ConnectionSchema = resource(
  {
    groupIds: v.optional(v.nullable(listOf(v.string(says("is not a group ID.")), "group IDs"))),
    privateLinkServiceId: v.optional(v.nullable(v.string(says("is not a resource ID.")))),
    privateLinkServiceConnectionState: v.optional(
      v.nullable(
        v.looseObject({
          status: v.optional(v.nullable(v.string(says("is not a connection state.")))),
        }),
      ),
    ),
  },
  "a private link service connection object.",
);

export const PrivateEndpointSchema = resource(
  {
    ...identity,
    privateLinkServiceConnections: v.optional(v.nullable(listOf(ConnectionSchema, "connections"))),
    manualPrivateLinkServiceConnections: v.optional(
      v.nullable(listOf(ConnectionSchema, "connections")),
    ),
    customDnsConfigs: v.optional(
      v.nullable(
        listOf(
          v.looseObject({
            fqdn: v.optional(v.nullable(v.string(says("is not a host name.")))),
            ipAddresses: v.optional(v.nullable(listOf(ipAddress, "IP addresses"))),
          }),
          "DNS configurations",
        ),
      ),
    ),
    ipConfigurations: v.optional(v.nullable(listOf(IpConfigurationSchema, "IP configurations"))),
    networkInterfaces: referenceList,
    subnet: v.optional(v.nullable(reference)),
  },
  "a private endpoint object (az network private-endpoint show -o json).",
);
export type PrivateEndpointExportJson = v.InferOutput<typeof PrivateEndpointSchema>;

const AddressPrefixItemSchema = v.pipe(
  v.looseObject({
    addressPrefix: v.optional(v.nullable(v.string(says("is not an IP prefix or service tag.")))),
    addressPrefixType: v.optional(v.nullable(v.string(says("is not an address prefix type.")))),
  }),
  // A network group's members are not in the export; any other item is an address.
  v.forward(
    v.check(
      (item) =>
        item.addressPrefixType?.toLowerCase() === "networkgroup" ||
        (typeof item.addressPrefix === "string" && addressKind(item.addressPrefix) !== "invalid"),
      (issue) =>
        `${shown((issue.input as { addressPrefix?: unknown }).addressPrefix)} is not an IP prefix or service tag.`,
    ),
    ["addressPrefix"],
  ),
);

export const AdminRuleSchema = resource(
  {
    id: v.optional(v.string(says("is not a resource ID."))),
    name: v.optional(v.string(says("is not a name."))),
    access: oneOf(["Allow", "Deny", "AlwaysAllow"], "Allow, Deny or AlwaysAllow"),
    direction: oneOf(enumValues(Direction), "Inbound or Outbound"),
    priority: wholeNumber(1, 4096, "a priority"),
    protocol: oneOf(
      ["Tcp", "Udp", "Icmp", "Esp", "Ah", "Any"],
      "one of Tcp, Udp, Icmp, Esp, Ah, Any",
      {
        "*": "Any",
      },
    ),
    sources: v.optional(v.nullable(listOf(AddressPrefixItemSchema, "address prefixes"))),
    destinations: v.optional(v.nullable(listOf(AddressPrefixItemSchema, "address prefixes"))),
    sourcePortRanges: addressList(PORTS, isPorts),
    destinationPortRanges: addressList(PORTS, isPorts),
  },
  "a security admin rule object.",
);
export type AdminRuleExport = v.InferOutput<typeof AdminRuleSchema>;

const ADMIN_RULES_MESSAGE =
  'must be the effective security admin rules of a VNet (az network manager list-effective-security-admin-rule -o json: { "value": [...] }).';

/** A bare list of admin rules, or the answer that holds one under `value`: told apart by shape. */
export const AdminRulesSchema = v.lazy((input) =>
  Array.isArray(input)
    ? listOf(AdminRuleSchema, "security admin rules")
    : v.looseObject(
        {
          virtualNetworkId: v.optional(v.string(says("is not a resource ID."))),
          value: listOf(AdminRuleSchema, "security admin rules", ADMIN_RULES_MESSAGE),
          skipToken: v.optional(v.nullable(v.string())),
          nextLink: v.optional(v.nullable(v.string())),
        },
        (issue) =>
          issue.input === null || typeof issue.input !== "object"
            ? ADMIN_RULES_MESSAGE
            : issue.message,
      ),
);

const COMMUNICATION_MODES = ["Default", "Classic", "Simplified"] as const;

export const PoolSchema = resource(
  {
    ...identity,
    id: v.string(says("is not a pool's resource ID.", "the pool's resource ID is needed.")),
    targetNodeCommunicationMode: v.optional(
      v.nullable(oneOf(COMMUNICATION_MODES, "Default, Classic or Simplified")),
    ),
    currentNodeCommunicationMode: v.optional(
      v.nullable(oneOf(COMMUNICATION_MODES, "Default, Classic or Simplified")),
    ),
    networkConfiguration: v.optional(
      v.nullable(
        v.looseObject({
          subnetId: v.optional(v.nullable(v.string(says("is not a subnet's resource ID.")))),
          publicIPAddressConfiguration: v.optional(
            v.nullable(
              v.looseObject({
                provision: v.optional(v.nullable(PUBLIC_IP_PROVISIONING)),
              }),
            ),
          ),
        }),
      ),
    ),
  },
  "a Batch pool object.",
);
export type PoolExport = v.InferOutput<typeof PoolSchema>;

export const AccountSchema = resource(
  { ...identity, id: v.string(says("is not an account's resource ID.")) },
  "a Batch account object.",
);
