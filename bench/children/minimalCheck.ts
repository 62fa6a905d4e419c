/**
 * The baseline `check` on many files is measured against: the same judging written minimally,
 * apart from the package. Each NSG file is read and parsed; each flow both modes need (Classic:
 * inbound TCP 29876-29877 from BatchNodeManagement, outbound TCP 443 to Storage and to
 * BatchNodeManagement; Simplified: outbound 443 to BatchNodeManagement) is decided by the first
 * rule, by priority, whose direction, protocol, ports and addresses match it, Azure's default
 * rules last; one line per NSG is printed. No advice, no other layers: what every judge of an
 * NSG must do at least.
 */
import { readFileSync } from "node:fs";

interface Rule {
  priority: number;
  direction: string;
  access: string;
  protocol: string;
  sources: string[];
  sourcePorts: string[];
  destinations: string[];
  ports: string[];
}

interface Flow {
  direction: "Inbound" | "Outbound";
  protocol: "Tcp" | "*";
  low: number;
  high: number;
  peer: string;
}

const DEFAULTS: Rule[] = [
  ["Inbound", 65000, "Allow", "VirtualNetwork", "VirtualNetwork"],
  ["Inbound", 65001, "Allow", "AzureLoadBalancer", "*"],
  ["Inbound", 65500, "Deny", "*", "*"],
  ["Outbound", 65000, "Allow", "VirtualNetwork", "VirtualNetwork"],
  ["Outbound", 65001, "Allow", "*", "Internet"],
  ["Outbound", 65500, "Deny", "*", "*"],
].map(([direction, priority, access, source, destination]) => ({
  priority: priority as number,
  direction: direction as string,
  access: access as string,
  protocol: "*",
  sources: [source as string],
  sourcePorts: ["*"],
  destinations: [destination as string],
  ports: ["*"],
}));

const list = (one: unknown, many: unknown): string[] => [
  ...(typeof one === "string" && one !== "" ? [one] : []),
  ...(Array.isArray(many) ? (many as string[]) : []),
];

function ruleOf(r: Record<string, unknown>): Rule {
  const p = (r.properties ?? r) as Record<string, unknown>;
  return {
    priority: p.priority as number,
    direction: p.direction as string,
    access: p.access as string,
    protocol: p.protocol as string,
    sources: list(p.sourceAddressPrefix, p.sourceAddressPrefixes),
    sourcePorts: list(p.sourcePortRange, p.sourcePortRanges),
    destinations: list(p.destinationAddressPrefix, p.destinationAddressPrefixes),
    ports: list(p.destinationPortRange, p.destinationPortRanges),
  };
}

/** Whether a port field covers the whole of low-high. */
function coversPorts(ranges: string[], low: number, high: number): boolean {
  return ranges.some((r) => {
    if (r === "*") return true;
    const [a, b = a] = r.split("-").map(Number);
    return a <= low && high <= b;
  });
}

/** Whether an address field names the service tag `peer` (or everything on its side). */
function namesPeer(addresses: string[], peer: string): boolean {
  const tag = peer.split(".")[0];
  return addresses.some((a) => a === "*" || a === "Internet" || a === peer || a === tag);
}

/** Whether an address field takes in the node, an address in the VNet. */
const namesNode = (addresses: string[]) =>
  addresses.some((a) => a === "*" || a === "VirtualNetwork");

function matches(rule: Rule, flow: Flow): boolean {
  if (rule.direction !== flow.direction) return false;
  if (rule.protocol !== "*" && rule.protocol !== flow.protocol) return false;
  if (!coversPorts(rule.ports, flow.low, flow.high) || !coversPorts(rule.sourcePorts, 0, 65535))
    return false;
  return flow.direction === "Inbound"
    ? namesPeer(rule.sources, flow.peer) && namesNode(rule.destinations)
    : namesNode(rule.sources) && namesPeer(rule.destinations, flow.peer);
}

function flowsOf(region: string): Flow[] {
  const batch = `BatchNodeManagement.${region}`;
  return [
    { direction: "Inbound", protocol: "Tcp", low: 29876, high: 29877, peer: batch },
    { direction: "Outbound", protocol: "Tcp", low: 443, high: 443, peer: `Storage.${region}` },
    { direction: "Outbound", protocol: "Tcp", low: 443, high: 443, peer: batch },
    { direction: "Outbound", protocol: "*", low: 443, high: 443, peer: batch },
  ];
}

for (const file of process.argv.slice(2)) {
  const json = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  const own = (
    (json.securityRules ??
      (json.properties as Record<string, unknown> | undefined)?.securityRules ??
      []) as Array<Record<string, unknown>>
  ).map(ruleOf);
  const rules = [...own, ...DEFAULTS].sort((a, b) => a.priority - b.priority);
  const region = typeof json.location === "string" ? json.location : "westus2";
  const verdicts = flowsOf(region).map((flow) => rules.find((r) => matches(r, flow))?.access);
  process.stdout.write(
    `${file}: ${verdicts.every((v) => v === "Allow") ? "allowed" : "blocked"}\n`,
  );
}
