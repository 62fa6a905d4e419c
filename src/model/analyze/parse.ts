/**
 * Reads NSGs and route tables from the JSON Azure prints: flattened as `az network nsg show -o
 * json` prints them, or nested under `properties` as the ARM API returns them. Their shape is
 * the schemas' (../input/azure.ts); what spans fields (a rule with no address, two rules of one
 * priority, a next hop IP on the wrong route) is checked here. Anything wrong is reported with
 * the JSON path of the field.
 */
import { shown } from "../printable";
import { addressKind } from "../addresses";
import { resourceGroupOfResourceId, subscriptionOfResourceId } from "../ids";
import { InvalidInputError, Problem } from "../problems";
import { NetworkSecurityGroupSchema, RouteTableSchema, SecurityRuleExport } from "../input/azure";
import { capped, fieldPath, validated } from "../input/schema";
import {
  DEFAULT_SECURITY_RULES,
  NetworkSecurityGroup,
  NsgRule,
  RouteEntry,
  RouteTable,
} from "./network";

/**
 * The lists rules hold, one frozen copy per distinct content: a fleet's NSGs hold a million
 * rules whose address and port lists are mostly the same few (`*`, `VirtualNetwork`, `443`), and
 * four lists a rule held a third of the inventory's memory. Bounded, so that hostile input
 * cannot grow it without end (when full it starts again; lists already shared stay valid).
 */
const LISTS = new Map<string, readonly string[]>();
const MAX_LISTS = 100_000;
const EMPTY: readonly string[] = Object.freeze([]);

/** A single field and its plural twin, merged into one (shared, frozen) list. */
function both(
  single: string | null | undefined,
  plural: readonly string[] | null | undefined,
): readonly string[] {
  const items = [...(single ? [single] : []), ...(plural ?? [])];
  if (items.length === 0) return EMPTY;
  const key = items.join("\u0000");
  const known = LISTS.get(key);
  if (known) return known;
  if (LISTS.size >= MAX_LISTS) LISTS.clear();
  const list = Object.freeze(items);
  LISTS.set(key, list);
  return list;
}

function ruleOf(rule: SecurityRuleExport, isDefault: boolean): NsgRule {
  return {
    name: rule.name,
    priority: rule.priority,
    direction: rule.direction,
    access: rule.access,
    protocol: rule.protocol,
    sourceAddresses: both(rule.sourceAddressPrefix, rule.sourceAddressPrefixes),
    sourcePorts: both(rule.sourcePortRange, rule.sourcePortRanges),
    destinationAddresses: both(rule.destinationAddressPrefix, rule.destinationAddressPrefixes),
    destinationPorts: both(rule.destinationPortRange, rule.destinationPortRanges),
    sourceAsgs: (rule.sourceApplicationSecurityGroups?.length ?? 0) > 0,
    destinationAsgs: (rule.destinationApplicationSecurityGroups?.length ?? 0) > 0,
    isDefault,
  };
}

/** What a rule must have beyond its fields' shapes: addresses and ports on both sides. */
function completeness(rule: NsgRule, path: string, problems: Problem[]): void {
  for (const side of ["source", "destination"] as const) {
    const addresses = side === "source" ? rule.sourceAddresses : rule.destinationAddresses;
    const asgs = side === "source" ? rule.sourceAsgs : rule.destinationAsgs;
    if (addresses.length === 0 && !asgs)
      problems.push({
        field: `${path}.${side}AddressPrefix`,
        message: `the rule has no ${side} address prefix or application security group.`,
      });
    const ports = side === "source" ? rule.sourcePorts : rule.destinationPorts;
    if (ports.length === 0)
      problems.push({
        field: `${path}.${side}PortRange`,
        message: `the rule has no ${side} port range; use "*" for any.`,
      });
  }
}

/**
 * Two rules of one name, or of one priority in a direction: Azure refuses such an NSG, so it is
 * not judged (the first rule would otherwise win silently).
 */
function duplicates(rules: readonly NsgRule[], path: string, problems: Problem[]): void {
  const names = new Map<string, number>();
  // Keyed by number, one range per direction: no key string per rule.
  const priorities = new Map<number, number>();
  rules.forEach((rule, i) => {
    const name = rule.name.toLowerCase();
    const priority = rule.priority + (rule.direction === "Inbound" ? 0 : 1_000_000);
    const sameName = names.get(name);
    const samePriority = priorities.get(priority);
    if (sameName !== undefined)
      problems.push({
        field: `${path}[${i}].name`,
        message: `${shown(rule.name)} is also the name of ${path}[${sameName}]; Azure refuses two rules of one name.`,
      });
    if (samePriority !== undefined)
      problems.push({
        field: `${path}[${i}].priority`,
        message: `${rule.priority} is also the priority of ${path}[${samePriority}] (${rule.direction}); Azure refuses two rules of one priority in a direction.`,
      });
    if (!names.has(name)) names.set(name, i);
    if (!priorities.has(priority)) priorities.set(priority, i);
  });
}

/**
 * Why Azure would refuse these rules in one NSG (two of one name, or of one priority in a
 * direction, or a priority outside 100-4096), as problems; none when it would take them.
 */
export function ruleSetProblems(rules: readonly NsgRule[]): Problem[] {
  const problems: Problem[] = [];
  duplicates(rules, "$.securityRules", problems);
  rules.forEach((rule, i) => {
    if (!Number.isInteger(rule.priority) || rule.priority < 100 || rule.priority > 4096)
      problems.push({
        field: `$.securityRules[${i}].priority`,
        message: `${rule.priority} is outside 100-4096.`,
      });
  });
  return problems;
}

/** Name, location and resource group (az prints `resourceGroup`; ARM has it only in the id). */
function identity(
  json: { name?: string; location?: string; resourceGroup?: string; id?: string },
  source: string,
): { name: string; location?: string; resourceGroup?: string; subscription?: string } {
  const group =
    json.resourceGroup ?? (json.id !== undefined ? resourceGroupOfResourceId(json.id) : undefined);
  const subscription = json.id !== undefined ? subscriptionOfResourceId(json.id) : undefined;
  return {
    name: json.name ?? source,
    ...(json.location ? { location: json.location } : {}),
    ...(group ? { resourceGroup: group } : {}),
    ...(subscription ? { subscription } : {}),
  };
}

const withSource = (source: string, problems: readonly Problem[]): Problem[] =>
  capped(
    problems.map((p) => ({ ...p, field: `${source} ${p.field}` })),
    source,
  );

/**
 * Reads one NSG. Azure's default rules are added when the JSON leaves them out.
 * @param source the file name (or `-`), used in problem fields.
 * @throws InvalidInputError naming the file and the JSON path of every malformed field.
 */
export function parseNetworkSecurityGroup(json: unknown, source: string): NetworkSecurityGroup {
  const nsg = validated(NetworkSecurityGroupSchema, json, source);
  if (!nsg.securityRules && !nsg.defaultSecurityRules) {
    throw new InvalidInputError([
      {
        field: `${source} $`,
        message:
          "has no securityRules: is it an NSG (az network nsg show -o json, or the ARM resource)?",
      },
    ]);
  }
  const path = fieldPath(json, "securityRules");
  const rules = (nsg.securityRules ?? []).map((r) => ruleOf(r, false));
  const problems: Problem[] = [];
  rules.forEach((rule, i) => completeness(rule, `${path}[${i}]`, problems));
  duplicates(rules, path, problems);
  const defaults = !nsg.defaultSecurityRules
    ? DEFAULT_SECURITY_RULES
    : nsg.defaultSecurityRules.map((r) => ruleOf(r, true));
  if (problems.length > 0) throw new InvalidInputError(withSource(source, problems));
  return { ...identity(nsg, source), rules: [...rules, ...defaults] };
}

/**
 * Reads one route table.
 * @throws InvalidInputError naming the file and the JSON path of every malformed field.
 */
export function parseRouteTable(json: unknown, source: string): RouteTable {
  const table = validated(RouteTableSchema, json, source);
  const path = fieldPath(json, "routes");
  const problems: Problem[] = [];
  const seenNames = new Map<string, number>();
  const seenPrefixes = new Map<string, number>();
  const entries = table.routes.map((route, i): RouteEntry => {
    const at = `${path}[${i}]`;
    const ip = route.nextHopIpAddress ? route.nextHopIpAddress : undefined;
    if (route.nextHopType === "VirtualAppliance") {
      if (ip === undefined || addressKind(ip) !== "ip") {
        problems.push({
          field: `${at}.nextHopIpAddress`,
          message: `${ip === undefined ? "is missing" : `${shown(ip)} is not an IP address`}: a VirtualAppliance route needs the appliance's private IP.`,
        });
      } else if (
        addressKind(route.addressPrefix) !== "serviceTag" &&
        route.addressPrefix.includes(":") !== ip.includes(":")
      ) {
        problems.push({
          field: `${at}.nextHopIpAddress`,
          message: `${shown(ip)} is not of the address family of ${shown(route.addressPrefix)}.`,
        });
      }
    } else if (ip !== undefined) {
      problems.push({
        field: `${at}.nextHopIpAddress`,
        message: `only a VirtualAppliance route takes a next hop IP, not ${route.nextHopType}.`,
      });
    }
    const name = route.name ?? `routes[${i}]`;
    const key = name.toLowerCase();
    if (seenNames.has(key))
      problems.push({
        field: `${at}.name`,
        message: `${shown(name)} is also the name of ${path}[${seenNames.get(key)}]; Azure refuses two routes of one name.`,
      });
    else seenNames.set(key, i);
    const prefix = route.addressPrefix.toLowerCase();
    if (seenPrefixes.has(prefix))
      problems.push({
        field: `${at}.addressPrefix`,
        message: `${shown(route.addressPrefix)} is also the prefix of ${path}[${seenPrefixes.get(prefix)}]; Azure refuses two routes of one prefix.`,
      });
    else seenPrefixes.set(prefix, i);
    return {
      name,
      addressPrefix: route.addressPrefix,
      nextHopType: route.nextHopType,
      ...(ip ? { nextHopIpAddress: ip } : {}),
    };
  });
  if (problems.length > 0) throw new InvalidInputError(withSource(source, problems));
  return { ...identity(table, source), routes: entries };
}
