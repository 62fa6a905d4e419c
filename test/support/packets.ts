/**
 * A brute-force NSG evaluator over concrete packets, independent of the analyzer: it lives in a
 * small universe where every service tag has concrete member addresses, consistent with what
 * Microsoft documents of tag names (regional inside global, Internet and AzureCloud holding
 * Azure's public ranges, services disjoint).
 */
import * as ipaddr from "ipaddr.js";
import { Flow, NetworkSecurityGroup, NsgRule, parsePortRange } from "../../src/model";

export const NODE = "10.0.0.4";
export const SUBNET = "10.0.0.0/24";

// Concrete members of each tag, lower-case names.
const REGIONAL: Record<string, string[]> = {
  "batchnodemanagement.westus2": ["20.1.0.1", "20.1.0.2"],
  "batchnodemanagement.eastus": ["20.2.0.1"],
  "storage.westus2": ["20.3.0.1"],
  "storage.eastus": ["20.4.0.1"],
};
const AZURE_PUBLIC = [...Object.values(REGIONAL).flat(), "20.5.0.1" /* AzureMonitor */];
export const MEMBERS: Record<string, string[]> = {
  ...REGIONAL,
  batchnodemanagement: [
    ...REGIONAL["batchnodemanagement.westus2"],
    ...REGIONAL["batchnodemanagement.eastus"],
  ],
  storage: [...REGIONAL["storage.westus2"], ...REGIONAL["storage.eastus"]],
  azuremonitor: ["20.5.0.1"],
  azurecloud: AZURE_PUBLIC,
  "azurecloud.westus2": [
    ...REGIONAL["batchnodemanagement.westus2"],
    ...REGIONAL["storage.westus2"],
  ],
  "azurecloud.eastus": [...REGIONAL["batchnodemanagement.eastus"], ...REGIONAL["storage.eastus"]],
  internet: [...AZURE_PUBLIC, "8.8.8.8"],
  // The VNet: the node, an appliance, a private endpoint.
  virtualnetwork: [NODE, "10.0.1.4", "10.0.2.4"],
  azureloadbalancer: ["168.63.129.16"],
};

export function inPrefix(ip: string, prefix: string): boolean {
  if (prefix === "*") return true;
  const members = MEMBERS[prefix.toLowerCase()];
  if (members) return members.includes(ip);
  const address = ipaddr.parse(ip);
  const [net, length] = prefix.includes("/")
    ? ipaddr.parseCIDR(prefix)
    : [ipaddr.parse(prefix), 32];
  return address.kind() === net.kind() && address.match([net, length]);
}

function inPorts(port: number, ranges: readonly string[]): boolean {
  return ranges.some((r) => {
    const range = parsePortRange(r)!;
    return range.from <= port && port <= range.to;
  });
}

export interface Packet {
  direction: "Inbound" | "Outbound";
  protocol: "Tcp" | "Udp";
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
}

export function bruteForce(nsg: NetworkSecurityGroup, packet: Packet): "Allow" | "Deny" {
  const rules = nsg.rules
    .filter((r) => r.direction === packet.direction)
    .sort((a, b) => a.priority - b.priority);
  const matches = (r: NsgRule) =>
    (r.protocol === "*" || r.protocol === packet.protocol) &&
    inPorts(packet.dstPort, r.destinationPorts) &&
    inPorts(packet.srcPort, r.sourcePorts) &&
    r.sourceAddresses.some((p) => inPrefix(packet.srcIp, p)) &&
    r.destinationAddresses.some((p) => inPrefix(packet.dstIp, p));
  return rules.find(matches)?.access ?? "Deny";
}

/**
 * Every concrete packet of a flow between the node and each member of its peer (a tag's
 * members, or the peer address itself), for each protocol and source port given.
 */
export function packetsOf(
  flow: Flow,
  protocols: ReadonlyArray<"Tcp" | "Udp"> = ["Tcp"],
  sourcePorts: readonly number[] = [33000],
): Packet[] {
  const range = parsePortRange(flow.ports)!;
  const peers = MEMBERS[flow.peer[0].toLowerCase()] ?? [flow.peer[0]];
  const packets: Packet[] = [];
  for (const peer of peers)
    for (let port = range.from; port <= range.to; port++)
      for (const protocol of protocols)
        for (const srcPort of sourcePorts)
          packets.push(
            flow.direction === "Inbound"
              ? { direction: "Inbound", protocol, srcIp: peer, srcPort, dstIp: NODE, dstPort: port }
              : {
                  direction: "Outbound",
                  protocol,
                  srcIp: NODE,
                  srcPort,
                  dstIp: peer,
                  dstPort: port,
                },
          );
  return packets;
}
