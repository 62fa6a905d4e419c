/**
 * Reads the layers around the NSGs from the JSON Azure prints: a subnet (`az network vnet subnet
 * show`), a NAT gateway (`az network nat gateway show`), a network interface (`az network nic
 * show`) and the effective security admin rules of a VNet (`az network manager
 * list-effective-security-admin-rule`). Flattened (`az`) or under `properties` (ARM) alike;
 * anything malformed is reported with the JSON path of the field, all at once.
 */
import { asText, shown } from "../printable";
import { addressKind } from "../addresses";
import { nameOfResourceId, resourceGroupOfResourceId } from "../ids";
import { isObject, Json, resourceField } from "../json";
import { parsePortRange } from "../ports";
import { InvalidInputError, Problem } from "../problems";
import type {
  AdminAction,
  AdminRule,
  AdminRuleSet,
  NatGatewayFacts,
  NsgRule,
  SubnetFacts,
} from "./network";

const get = resourceField;

/** A resource reference's ID (`{ "id": "..." }`), when the field holds one. */
function idOf(value: unknown): string | undefined {
  const id = isObject(value) ? value.id : undefined;
  return typeof id === "string" && id !== "" ? id : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The object's own field under either spelling Azure uses (`publicIpAddresses`, `publicIPAddresses`). */
function either(node: Json, ...keys: string[]): unknown {
  for (const key of keys) {
    const value = get(node, key);
    if (value !== undefined) return value;
  }
  return undefined;
}

function refuse(source: string, message: string): never {
  throw new InvalidInputError([{ field: `${source} $`, message }]);
}

/**
 * Reads one subnet.
 * @throws InvalidInputError naming the file and the JSON path of every malformed field.
 */
export function parseSubnet(json: unknown, source: string): SubnetFacts {
  if (!isObject(json))
    refuse(source, "must be a subnet object (az network vnet subnet show -o json).");
  const problems: Problem[] = [];
  const prefixes = [get(json, "addressPrefix"), ...list(get(json, "addressPrefixes"))].filter(
    (p) => p !== undefined && p !== null,
  );
  if (prefixes.length === 0)
    refuse(source, "has no addressPrefix: is it a subnet (az network vnet subnet show -o json)?");
  prefixes.forEach((p, i) => {
    // An IPv6 prefix of a dual-stack subnet is valid, and no Batch flow of this package uses it.
    if (typeof p !== "string" || addressKind(p) !== "cidr")
      problems.push({
        field: `${source} $.addressPrefix${prefixes.length > 1 ? `es[${i}]` : ""}`,
        message: `${shown(p)} is not a CIDR prefix.`,
      });
  });
  const access = get(json, "defaultOutboundAccess");
  if (access !== undefined && access !== null && typeof access !== "boolean")
    problems.push({
      field: `${source} $.defaultOutboundAccess`,
      message: `${shown(access)} is not true, false or null.`,
    });
  if (problems.length > 0) throw new InvalidInputError(problems);
  const id = typeof json.id === "string" ? json.id : undefined;
  const natGatewayId = idOf(get(json, "natGateway"));
  const networkSecurityGroupId = idOf(get(json, "networkSecurityGroup"));
  const routeTableId = idOf(get(json, "routeTable"));
  const resourceGroup =
    typeof json.resourceGroup === "string"
      ? json.resourceGroup
      : id
        ? resourceGroupOfResourceId(id)
        : undefined;
  return {
    name: typeof json.name === "string" ? json.name : source,
    ...(id ? { id } : {}),
    ...(resourceGroup ? { resourceGroup } : {}),
    prefixes: prefixes.filter((p): p is string => typeof p === "string" && !p.includes(":")),
    // Absent: the export does not say. Present as null: the older API's implicit access.
    defaultOutboundAccess:
      Object.hasOwn(json, "defaultOutboundAccess") ||
      (isObject(json.properties) && Object.hasOwn(json.properties, "defaultOutboundAccess"))
        ? (access as boolean | null)
        : undefined,
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
  if (!isObject(json))
    refuse(source, "must be a NAT gateway object (az network nat gateway show -o json).");
  const addresses = either(json, "publicIpAddresses", "publicIPAddresses");
  const prefixes = either(json, "publicIpPrefixes", "publicIPPrefixes");
  const type = typeof json.type === "string" ? json.type.toLowerCase() : undefined;
  if (addresses === undefined && prefixes === undefined && type !== "microsoft.network/natgateways")
    refuse(
      source,
      "has no publicIpAddresses: is it a NAT gateway (az network nat gateway show -o json)?",
    );
  const id = typeof json.id === "string" ? json.id : undefined;
  return {
    name: typeof json.name === "string" ? json.name : source,
    ...(id ? { id } : {}),
    publicAddresses: [...list(addresses), ...list(prefixes)].filter((r) => idOf(r)).length,
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
  if (!isObject(json))
    refuse(source, "must be a network interface object (az network nic show -o json).");
  const configs = get(json, "ipConfigurations");
  if (!Array.isArray(configs))
    refuse(
      source,
      "has no ipConfigurations: is it a network interface (az network nic show -o json)?",
    );
  const id = typeof json.id === "string" ? json.id : undefined;
  const nsg = idOf(get(json, "networkSecurityGroup"));
  return {
    name: typeof json.name === "string" ? json.name : source,
    ...(id ? { id } : {}),
    ...(nsg ? { networkSecurityGroupId: nsg } : {}),
    ipConfigurations: configs.map((c) => {
      const ip = get(c, "privateIPAddress") ?? get(c, "privateIpAddress");
      const subnetId = idOf(get(c, "subnet"));
      const link = get(c, "privateLinkConnectionProperties");
      return {
        ...(typeof ip === "string" && addressKind(ip) === "ip" && !ip.includes(":")
          ? { privateIpAddress: ip }
          : {}),
        ...(subnetId ? { subnetId } : {}),
        fqdns: list(get(link, "fqdns")).filter((f): f is string => typeof f === "string"),
      };
    }),
  };
}

// ---- Security admin rules -------------------------------------------------------------------

const ACTIONS: Readonly<Record<string, AdminAction>> = {
  allow: "Allow",
  deny: "Deny",
  alwaysallow: "AlwaysAllow",
};
const PROTOCOLS: Readonly<Record<string, NsgRule["protocol"]>> = {
  tcp: "Tcp",
  udp: "Udp",
  icmp: "Icmp",
  esp: "Esp",
  ah: "Ah",
  any: "*",
  "*": "*",
};

/** The part of a resource ID after `/<type>/`, when the ID has it. */
function segment(id: string | undefined, type: string): string | undefined {
  if (!id) return undefined;
  return new RegExp(`/${type}/([^/]+)`, "i").exec(id)?.[1];
}

/** An admin rule's addresses on one side: prefixes and tags; network groups cannot be resolved offline. */
function sideOf(
  value: unknown,
  path: string,
  problems: Problem[],
): { addresses: string[]; unresolved: boolean } {
  if (value === undefined || value === null) return { addresses: ["*"], unresolved: false };
  if (!Array.isArray(value)) {
    problems.push({ field: path, message: "must be a list of address prefixes." });
    return { addresses: [], unresolved: false };
  }
  if (value.length === 0) return { addresses: ["*"], unresolved: false };
  const addresses: string[] = [];
  let unresolved = false;
  value.forEach((item, i) => {
    const prefix = get(item, "addressPrefix");
    const type = asText(get(item, "addressPrefixType")).toLowerCase();
    if (type === "networkgroup") {
      // Its members are VNets and subnets the export does not list: like an ASG, unknown offline.
      unresolved = true;
      return;
    }
    if (typeof prefix !== "string" || addressKind(prefix) === "invalid")
      problems.push({
        field: `${path}[${i}].addressPrefix`,
        message: `${shown(prefix)} is not an IP prefix or service tag.`,
      });
    else addresses.push(prefix);
  });
  return { addresses, unresolved };
}

function portsOf(value: unknown, path: string, problems: Problem[]): string[] {
  if (value === undefined || value === null) return ["*"];
  if (!Array.isArray(value)) {
    problems.push({ field: path, message: "must be a list of port ranges." });
    return [];
  }
  if (value.length === 0) return ["*"];
  const out: string[] = [];
  value.forEach((v, i) => {
    if (typeof v === "string" && parsePortRange(v) !== undefined) out.push(v);
    else
      problems.push({
        field: `${path}[${i}]`,
        message: `${shown(v)} is not *, a port or a range low-high.`,
      });
  });
  return out;
}

function adminRule(node: unknown, path: string, problems: Problem[]): AdminRule | undefined {
  if (!isObject(node)) {
    problems.push({ field: path, message: "must be a security admin rule object." });
    return undefined;
  }
  const before = problems.length;
  const at = (key: string) =>
    Object.hasOwn(node, key) || !isObject(node.properties)
      ? `${path}.${key}`
      : `${path}.properties.${key}`;
  const action = ACTIONS[asText(get(node, "access")).toLowerCase()];
  if (!action)
    problems.push({
      field: at("access"),
      message: `${shown(get(node, "access"))} is not Allow, Deny or AlwaysAllow.`,
    });
  const direction = asText(get(node, "direction")).toLowerCase();
  if (direction !== "inbound" && direction !== "outbound")
    problems.push({
      field: at("direction"),
      message: `${shown(get(node, "direction"))} is not Inbound or Outbound.`,
    });
  const priority = get(node, "priority");
  if (
    typeof priority !== "number" ||
    !Number.isInteger(priority) ||
    priority < 1 ||
    priority > 4096
  )
    problems.push({
      field: at("priority"),
      message: `${shown(priority)} is not a priority; admin rules take whole numbers from 1 to 4096.`,
    });
  const protocol = PROTOCOLS[asText(get(node, "protocol")).toLowerCase()];
  if (!protocol)
    problems.push({
      field: at("protocol"),
      message: `${shown(get(node, "protocol"))} is not one of Tcp, Udp, Icmp, Esp, Ah, Any.`,
    });
  const sources = sideOf(get(node, "sources"), at("sources"), problems);
  const destinations = sideOf(get(node, "destinations"), at("destinations"), problems);
  const sourcePorts = portsOf(get(node, "sourcePortRanges"), at("sourcePortRanges"), problems);
  const destinationPorts = portsOf(
    get(node, "destinationPortRanges"),
    at("destinationPortRanges"),
    problems,
  );
  if (problems.length > before) return undefined;
  const id = typeof node.id === "string" ? node.id : undefined;
  const name = segment(id, "rules") ?? (typeof node.name === "string" ? node.name : path);
  const configuration = segment(id, "securityAdminConfigurations");
  const networkManager = segment(id, "networkManagers");
  return {
    action: action,
    match: {
      name,
      priority: priority as number,
      direction: direction === "inbound" ? "Inbound" : "Outbound",
      // Which way an uncertain match would go: only Deny stops the traffic.
      access: action === "Deny" ? "Deny" : "Allow",
      protocol: protocol,
      sourceAddresses: sources.addresses,
      sourcePorts,
      destinationAddresses: destinations.addresses,
      destinationPorts,
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
  const rules = Array.isArray(json) ? json : isObject(json) ? json.value : undefined;
  if (!Array.isArray(rules))
    refuse(
      source,
      'must be the effective security admin rules of a VNet (az network manager list-effective-security-admin-rule -o json: { "value": [...] }).',
    );
  const problems: Problem[] = [];
  const path = Array.isArray(json) ? "$" : "$.value";
  const read = rules.flatMap((r, i) => adminRule(r, `${path}[${i}]`, problems) ?? []);
  if (problems.length > 0)
    throw new InvalidInputError(problems.map((p) => ({ ...p, field: `${source} ${p.field}` })));
  const vnet =
    isObject(json) && typeof json.virtualNetworkId === "string" ? json.virtualNetworkId : undefined;
  return {
    name: vnet ? nameOfResourceId(vnet) : source,
    ...(vnet ? { virtualNetworkId: vnet } : {}),
    rules: read,
  };
}
