/**
 * A brute-force walk of concrete packets through every layer Azure evaluates, independent of
 * the analyzer, in the small universe of packets.ts: the VNet's security admin rules, the NSGs,
 * the route the packet takes (longest prefix; a service tag beats 0.0.0.0/0 and a regional tag
 * its global tag), and what that route needs (a way out to the Internet, an approved endpoint).
 * Each packet is delivered, dropped, or "unknown" where the documented behaviour ends (an
 * appliance's own rules, a subnet export that does not say whether it is private).
 */
import type {
  AdminRuleSet,
  NetworkSecurityGroup,
  OutboundPath,
  PrivateEndpointPath,
  RouteTable,
} from "../../src/model";
import { bruteForce, inPrefix, MEMBERS, Packet } from "./packets";

export type Fate = "delivered" | "dropped" | "unknown";

export interface LayeredNetwork {
  readonly adminRules?: AdminRuleSet;
  readonly nsgs: readonly NetworkSecurityGroup[];
  readonly routeTable?: RouteTable;
  readonly outbound?: OutboundPath;
  readonly endpoint?: PrivateEndpointPath;
}

/** The admin rules' verdict on a packet: the first matching rule by priority decides. */
function admin(set: AdminRuleSet | undefined, packet: Packet): "deny" | "always" | "pass" {
  if (!set) return "pass";
  const rules = set.rules
    .filter((r) => r.match.direction === packet.direction)
    .sort((a, b) => a.match.priority - b.match.priority);
  // An admin rule matches as an NSG rule does: ask the NSG walker with that one rule.
  for (const rule of rules) {
    const single: NetworkSecurityGroup = {
      name: "one-rule",
      rules: [{ ...rule.match, access: "Allow" }],
    };
    if (bruteForce(single, packet) !== "Allow") continue;
    return rule.action === "Deny" ? "deny" : rule.action === "AlwaysAllow" ? "always" : "pass";
  }
  return "pass";
}

const VNET_SPACE = "10.0.0.0/8";

/** The route a packet to `ip` takes: longest prefix, a tag route above 0.0.0.0/0. */
function routeTo(table: RouteTable | undefined, ip: string): string {
  if (!table) return inPrefix(ip, VNET_SPACE) ? "VnetLocal" : "Internet";
  const tagged = table.routes.filter(
    (r) => MEMBERS[r.addressPrefix.toLowerCase()] && inPrefix(ip, r.addressPrefix),
  );
  // A regional tag (with a dot) beats its global tag.
  tagged.sort(
    (a, b) => Number(b.addressPrefix.includes(".")) - Number(a.addressPrefix.includes(".")),
  );
  if (tagged[0]) return tagged[0].nextHopType;
  const cidrs = table.routes
    .filter((r) => !MEMBERS[r.addressPrefix.toLowerCase()] && inPrefix(ip, r.addressPrefix))
    .sort((a, b) => Number(b.addressPrefix.split("/")[1]) - Number(a.addressPrefix.split("/")[1]));
  if (cidrs[0] && !(cidrs[0].addressPrefix === "0.0.0.0/0" && inPrefix(ip, VNET_SPACE)))
    return cidrs[0].nextHopType;
  return inPrefix(ip, VNET_SPACE) ? "VnetLocal" : "Internet";
}

/** Whether a node reaches the Internet address `ip` once its route sends it there. */
function wayOut(outbound: OutboundPath | undefined, ip: string): Fate {
  if (!outbound) return "delivered"; // the layer not given: the analyzer does not judge it
  const { subnet, natGateway, nodePublicIps } = outbound;
  if (nodePublicIps === "BatchManaged" || nodePublicIps === "UserManaged") return "delivered";
  if (subnet.natGatewayId)
    return natGateway && natGateway.publicAddresses === 0 ? "dropped" : "delivered";
  if (subnet.defaultOutboundAccess === false) {
    if (MEMBERS["storage.westus2"].includes(ip)) return "delivered";
    return nodePublicIps === undefined ? "unknown" : "dropped";
  }
  if (subnet.defaultOutboundAccess === undefined && !MEMBERS["storage.westus2"].includes(ip))
    return "unknown";
  return "delivered";
}

/** What becomes of one packet of a flow between the node and `peer`. */
export function fateOf(network: LayeredNetwork, packet: Packet): Fate {
  const verdict = admin(network.adminRules, packet);
  if (verdict === "deny") return "dropped";
  if (verdict === "pass" && network.nsgs.some((n) => bruteForce(n, packet) !== "Allow"))
    return "dropped";
  const far = packet.direction === "Outbound" ? packet.dstIp : packet.srcIp;
  const hop = routeTo(network.routeTable, far);
  if (packet.direction === "Inbound") {
    // Replies leave by the route to the sender: anything but the Internet breaks the session.
    if (hop === "Internet") return "delivered";
    return "dropped";
  }
  if (network.endpoint && far === network.endpoint.address) {
    // An endpoint that is not approved carries nothing, whichever way the packet gets to it.
    // Its state not given: the analyzer does not judge it.
    if ((network.endpoint.status?.toLowerCase() ?? "approved") !== "approved") return "dropped";
    if (hop === "VirtualAppliance" || hop === "VirtualNetworkGateway") return "unknown";
    return hop === "VnetLocal" ? "delivered" : "dropped";
  }
  if (hop === "VirtualAppliance" || hop === "VirtualNetworkGateway") return "unknown";
  if (hop !== "Internet") return "dropped";
  return wayOut(network.outbound, far);
}
