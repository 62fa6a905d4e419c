/**
 * Reads NSGs and route tables from the JSON Azure prints: flattened as `az network nsg show -o
 * json` prints them, or nested under `properties` as the ARM API returns them. Field names and
 * enum values are matched the way Azure matches them (case-insensitively); anything malformed
 * is reported with the JSON path of the field.
 */
import { asText, shown } from "../printable";
import { addressKind } from "../addresses";
import { resourceGroupOfResourceId } from "../ids";
import { isObject, Json, resourceField } from "../json";
import { Access, Direction, enumValues, NextHopType, Protocol } from "../enums";
import { parsePortRange } from "../ports";
import { InvalidInputError, Problem } from "../problems";
import {
  DEFAULT_SECURITY_RULES,
  NetworkSecurityGroup,
  NsgRule,
  RouteEntry,
  RouteTable,
} from "./network";

const get = resourceField;

/**
 * The path a value was found at, for problems only: paths are built when something is wrong,
 * not for every field of every rule (a 10,000-rule NSG would make 200,000 strings for nothing).
 */
function pathOf(node: Json, key: string, path: string): string {
  const properties = node.properties;
  return !Object.hasOwn(node, key) && isObject(properties) && Object.hasOwn(properties, key)
    ? `${path}.properties.${key}`
    : `${path}.${key}`;
}

/** A value, flattened or under `properties`, with the path it was found at. */
function field(node: Json, key: string, path: string): { value: unknown; path: string } {
  return { value: get(node, key), path: pathOf(node, key, path) };
}

/** Values Azure matches case-insensitively, by their lower-case spelling. */
function lookup<T extends string>(allowed: readonly T[], aliases: Record<string, T> = {}) {
  const byKey = new Map<string, T>(allowed.map((a) => [a.toLowerCase(), a]));
  for (const [alias, value] of Object.entries(aliases)) byKey.set(alias, value);
  return (value: unknown): T | undefined =>
    typeof value === "string" ? byKey.get(value.trim().toLowerCase()) : undefined;
}

const canonicalDirection = lookup(enumValues(Direction));
const canonicalAccess = lookup(enumValues(Access));
const canonicalProtocol = lookup(enumValues(Protocol), { any: "*" });
const canonicalNextHopType = lookup(enumValues(NextHopType));

/** Why an enum field was refused: missing, or not one of the values Azure takes. */
function notOneOf(value: unknown, allowed: string): string {
  return value === undefined ? `is missing; use ${allowed}.` : `${shown(value)} is not ${allowed}.`;
}

const isAddress = (v: string) => addressKind(v) !== "invalid";
const isPorts = (v: string) => parsePortRange(v) !== undefined;
const address = "*, an IP address, a CIDR prefix or a service tag";
const ports = "*, a port or a range low-high";

class Reader {
  readonly problems: Problem[] = [];
  constructor(private readonly source: string) {}

  problem(path: string, message: string): void {
    this.problems.push({ field: `${this.source} ${path}`, message });
  }

  /** Fields given but malformed, so that their absence is not reported twice. */
  private readonly malformed = new Set<string>();

  wasMalformed(path: string, single: string): boolean {
    return this.malformed.has(`${path}.${single}`);
  }

  /** A single field and its plural twin, merged into one list of strings. */
  list(
    node: Json,
    single: string,
    plural: string,
    path: string,
    check: (v: string) => boolean,
    what: string,
  ): string[] {
    const out: string[] = [];
    const one = get(node, single);
    if (one !== undefined && one !== null && one !== "") {
      if (typeof one === "string" && check(one)) out.push(one);
      else {
        this.malformed.add(`${path}.${single}`);
        this.problem(pathOf(node, single, path), `${shown(one)} is not ${what}.`);
      }
    }
    const many = get(node, plural);
    if (many !== undefined && many !== null) {
      if (!Array.isArray(many)) {
        this.problem(pathOf(node, plural, path), "must be a list.");
      } else {
        // A loop, not forEach: this runs four times for every rule read.
        for (let i = 0; i < many.length; i++) {
          const v: unknown = many[i];
          if (typeof v === "string" && check(v)) out.push(v);
          else {
            this.malformed.add(`${path}.${single}`);
            this.problem(`${pathOf(node, plural, path)}[${i}]`, `${shown(v)} is not ${what}.`);
          }
        }
      }
    }
    return out;
  }

  hasAsgs(node: Json, key: string): boolean {
    const value = get(node, key);
    return Array.isArray(value) && value.length > 0;
  }

  rule(node: unknown, path: string, isDefault: boolean): NsgRule | undefined {
    if (!isObject(node)) {
      this.problem(path, "must be a security rule object.");
      return undefined;
    }
    const before = this.problems.length;
    const name = get(node, "name");
    if (typeof name !== "string" || name === "")
      this.problem(pathOf(node, "name", path), "must be the rule's name.");
    const priority = get(node, "priority");
    const min = isDefault ? 65000 : 100;
    const max = isDefault ? 65500 : 4096;
    if (
      typeof priority !== "number" ||
      !Number.isInteger(priority) ||
      priority < min ||
      priority > max
    ) {
      this.problem(
        pathOf(node, "priority", path),
        `${priority === undefined ? "is missing" : `${shown(priority)} is not a priority`}; Azure uses whole numbers from ${min} to ${max}.`,
      );
    }
    const direction = canonicalDirection(get(node, "direction"));
    if (!direction)
      this.problem(
        pathOf(node, "direction", path),
        notOneOf(get(node, "direction"), "Inbound or Outbound"),
      );
    const access = canonicalAccess(get(node, "access"));
    if (!access)
      this.problem(pathOf(node, "access", path), notOneOf(get(node, "access"), "Allow or Deny"));
    const protocol = canonicalProtocol(get(node, "protocol"));
    if (!protocol) {
      this.problem(
        pathOf(node, "protocol", path),
        notOneOf(get(node, "protocol"), "one of Tcp, Udp, Icmp, Esp, Ah, *"),
      );
    }
    const rule: NsgRule = {
      name: asText(name),
      priority: Number(priority),
      direction: direction ?? "Inbound",
      access: access ?? "Deny",
      protocol: protocol ?? "*",
      sourceAddresses: this.list(
        node,
        "sourceAddressPrefix",
        "sourceAddressPrefixes",
        path,
        isAddress,
        address,
      ),
      sourcePorts: this.list(node, "sourcePortRange", "sourcePortRanges", path, isPorts, ports),
      destinationAddresses: this.list(
        node,
        "destinationAddressPrefix",
        "destinationAddressPrefixes",
        path,
        isAddress,
        address,
      ),
      destinationPorts: this.list(
        node,
        "destinationPortRange",
        "destinationPortRanges",
        path,
        isPorts,
        ports,
      ),
      sourceAsgs: this.hasAsgs(node, "sourceApplicationSecurityGroups"),
      destinationAsgs: this.hasAsgs(node, "destinationApplicationSecurityGroups"),
      isDefault,
    };
    this.needsAddresses(path, "source", rule.sourceAddresses, rule.sourceAsgs);
    this.needsAddresses(path, "destination", rule.destinationAddresses, rule.destinationAsgs);
    this.needsPorts(path, "source", rule.sourcePorts);
    this.needsPorts(path, "destination", rule.destinationPorts);
    return this.problems.length === before ? rule : undefined;
  }

  private needsAddresses(
    path: string,
    side: "source" | "destination",
    addresses: readonly string[],
    asgs: boolean,
  ): void {
    if (addresses.length === 0 && !asgs && !this.wasMalformed(path, `${side}AddressPrefix`))
      this.problem(
        `${path}.${side}AddressPrefix`,
        `the rule has no ${side} address prefix or application security group.`,
      );
  }

  private needsPorts(path: string, side: "source" | "destination", list: readonly string[]): void {
    if (list.length === 0 && !this.wasMalformed(path, `${side}PortRange`))
      this.problem(
        `${path}.${side}PortRange`,
        `the rule has no ${side} port range; use "*" for any.`,
      );
  }

  /**
   * Two rules of one name, or of one priority in a direction: Azure refuses such an NSG, so it
   * is not judged (the first rule would otherwise win silently).
   */
  duplicates(rules: readonly NsgRule[], value: unknown, path: string): void {
    if (!Array.isArray(value) || rules.length !== value.length) return; // reported already
    const names = new Map<string, number>();
    // Keyed by number, one range per direction: no key string per rule.
    const priorities = new Map<number, number>();
    rules.forEach((rule, i) => {
      const name = rule.name.toLowerCase();
      const priority = rule.priority + (rule.direction === "Inbound" ? 0 : 1_000_000);
      const sameName = names.get(name);
      const samePriority = priorities.get(priority);
      if (sameName !== undefined)
        this.problem(
          `${path}[${i}].name`,
          `${shown(rule.name)} is also the name of ${path}[${sameName}]; Azure refuses two rules of one name.`,
        );
      if (samePriority !== undefined)
        this.problem(
          `${path}[${i}].priority`,
          `${rule.priority} is also the priority of ${path}[${samePriority}] (${rule.direction}); Azure refuses two rules of one priority in a direction.`,
        );
      if (!names.has(name)) names.set(name, i);
      if (!priorities.has(priority)) priorities.set(priority, i);
    });
  }

  rules(value: unknown, path: string, isDefault: boolean): NsgRule[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problem(path, "must be a list of security rules.");
      return [];
    }
    return value.flatMap((node, i) => this.rule(node, `${path}[${i}]`, isDefault) ?? []);
  }
}

/** Name, location and resource group (az prints `resourceGroup`; ARM has it only in the id). */
function identity(
  json: Json,
  source: string,
): { name: string; location?: string; resourceGroup?: string } {
  const name = typeof json.name === "string" ? json.name : source;
  const location = typeof json.location === "string" ? json.location : undefined;
  const group =
    typeof json.resourceGroup === "string"
      ? json.resourceGroup
      : typeof json.id === "string"
        ? resourceGroupOfResourceId(json.id)
        : undefined;
  return {
    name,
    ...(location ? { location } : {}),
    ...(group ? { resourceGroup: group } : {}),
  };
}

/**
 * Reads one NSG. Azure's default rules are added when the JSON leaves them out.
 * @param source the file name (or `-`), used in problem fields.
 * @throws InvalidInputError naming the file and the JSON path of every malformed field.
 */
export function parseNetworkSecurityGroup(json: unknown, source: string): NetworkSecurityGroup {
  const reader = new Reader(source);
  if (!isObject(json))
    throw new InvalidInputError([
      { field: `${source} $`, message: "must be an NSG object (az network nsg show -o json)." },
    ]);
  const custom = field(json, "securityRules", "$");
  const defaults = field(json, "defaultSecurityRules", "$");
  if (custom.value === undefined && defaults.value === undefined) {
    throw new InvalidInputError([
      {
        field: `${source} $`,
        message:
          "has no securityRules: is it an NSG (az network nsg show -o json, or the ARM resource)?",
      },
    ]);
  }
  const rules = reader.rules(custom.value, custom.path, false);
  reader.duplicates(rules, custom.value, custom.path);
  const defaultRules =
    defaults.value === undefined
      ? [...DEFAULT_SECURITY_RULES]
      : reader.rules(defaults.value, defaults.path, true);
  if (reader.problems.length > 0) throw new InvalidInputError(reader.problems);
  return { ...identity(json, source), rules: [...rules, ...defaultRules] };
}

/**
 * Reads one route table.
 * @throws InvalidInputError naming the file and the JSON path of every malformed field.
 */
export function parseRouteTable(json: unknown, source: string): RouteTable {
  const reader = new Reader(source);
  if (!isObject(json))
    throw new InvalidInputError([
      {
        field: `${source} $`,
        message: "must be a route table object (az network route-table show -o json).",
      },
    ]);
  const routes = field(json, "routes", "$");
  if (!Array.isArray(routes.value)) {
    throw new InvalidInputError([
      {
        field: `${source} ${routes.path}`,
        message: "must be the table's list of routes: is it a route table?",
      },
    ]);
  }
  const entries: RouteEntry[] = [];
  const seenNames = new Map<string, number>();
  const seenPrefixes = new Map<string, number>();
  routes.value.forEach((node, i) => {
    const path = `${routes.path}[${i}]`;
    if (!isObject(node)) {
      reader.problem(path, "must be a route object.");
      return;
    }
    const name = field(node, "name", path).value;
    const prefix = field(node, "addressPrefix", path);
    const hop = field(node, "nextHopType", path);
    const nextHopType = canonicalNextHopType(hop.value);
    const ip = field(node, "nextHopIpAddress", path).value;
    if (
      typeof prefix.value !== "string" ||
      !["cidr", "ip", "serviceTag"].includes(addressKind(prefix.value))
    ) {
      reader.problem(prefix.path, `${shown(prefix.value)} is not a CIDR prefix or service tag.`);
    }
    if (!nextHopType) {
      reader.problem(
        hop.path,
        `${shown(hop.value)} is not one of ${enumValues(NextHopType).join(", ")}.`,
      );
    }
    const ipPath = pathOf(node, "nextHopIpAddress", path);
    if (nextHopType === "VirtualAppliance") {
      if (typeof ip !== "string" || addressKind(ip) !== "ip") {
        reader.problem(
          ipPath,
          `${ip === undefined ? "is missing" : `${shown(ip)} is not an IP address`}: a VirtualAppliance route needs the appliance's private IP.`,
        );
      } else if (
        addressKind(asText(prefix.value)) !== "serviceTag" &&
        asText(prefix.value).includes(":") !== ip.includes(":")
      ) {
        reader.problem(
          ipPath,
          `${shown(ip)} is not of the address family of ${shown(prefix.value)}.`,
        );
      }
    } else if (nextHopType && ip !== undefined && ip !== null && ip !== "") {
      reader.problem(
        ipPath,
        `only a VirtualAppliance route takes a next hop IP, not ${nextHopType}.`,
      );
    }
    const routeName = typeof name === "string" ? name : `routes[${i}]`;
    const key = routeName.toLowerCase();
    if (seenNames.has(key))
      reader.problem(
        pathOf(node, "name", path),
        `${shown(routeName)} is also the name of ${routes.path}[${seenNames.get(key)}]; Azure refuses two routes of one name.`,
      );
    else seenNames.set(key, i);
    const prefixKey = asText(prefix.value).toLowerCase();
    if (typeof prefix.value === "string" && seenPrefixes.has(prefixKey))
      reader.problem(
        prefix.path,
        `${shown(prefix.value)} is also the prefix of ${routes.path}[${seenPrefixes.get(prefixKey)}]; Azure refuses two routes of one prefix.`,
      );
    else seenPrefixes.set(prefixKey, i);
    entries.push({
      name: routeName,
      addressPrefix: asText(prefix.value),
      nextHopType: nextHopType ?? "None",
      ...(typeof ip === "string" && ip ? { nextHopIpAddress: ip } : {}),
    });
  });
  if (reader.problems.length > 0) throw new InvalidInputError(reader.problems);
  return { ...identity(json, source), routes: entries };
}
