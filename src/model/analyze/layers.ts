/**
 * The layers Azure evaluates between a node and Batch, in its order, and the verdict of each
 * one on a flow: security admin rules, then the NSGs (subnet then NIC inbound; NIC then subnet
 * outbound), then the route, then what that route needs (the outbound method for a route to
 * the Internet, the private endpoint's connection for a route into the VNet).
 */
import { addressKind } from "../addresses";
import type { Flow } from "../flows";
import type { NextHopType } from "../enums";
import type { Outcome } from "./evaluate";
import type { OutboundPath } from "./network";
import type { PrivateEndpointPath } from "./privateEndpoints";

export type LayerName = "admin-rules" | "nsg" | "route" | "outbound" | "private-endpoint";

/** Every layer, in the order Azure evaluates them. */
export const LAYERS: readonly LayerName[] = [
  "admin-rules",
  "nsg",
  "route",
  "outbound",
  "private-endpoint",
];

/**
 * One layer's verdict on one flow. Beyond the three outcomes: `passes` (admin rules that leave
 * the flow to the NSGs), `skipped` (a layer before this one decided, or it does not apply to
 * the flow), `not-judged` (the layer was not given).
 */
export type LayerOutcome = Outcome | "passes" | "skipped" | "not-judged";

export interface LayerVerdict {
  readonly layer: LayerName;
  readonly outcome: LayerOutcome;
  /** The resource, and its rule, that decided; empty when the layer was not given. */
  readonly by: string;
  /** Why, in words; empty for a plain pass. */
  readonly reason: string;
}

/** A layer the caller did not give, and how to export it. */
export interface MissingLayer {
  readonly layer: LayerName;
  readonly what: string;
  readonly command: string;
}

/** What each layer is, and the command that exports it, for reports of what was not judged. */
export const LAYER_EXPORTS: Readonly<Record<LayerName, { what: string; command: string }>> = {
  "admin-rules": {
    what: "the VNet's security admin rules (Azure Virtual Network Manager)",
    command:
      "az network manager list-effective-security-admin-rule --resource-group <rg> --vnet-name <vnet> -o json",
  },
  nsg: {
    what: "the subnet's NSG",
    command: "az network nsg show -g <rg> -n <nsg> -o json",
  },
  route: {
    what: "the subnet's route table",
    command: "az network route-table show -g <rg> -n <route-table> -o json",
  },
  outbound: {
    what: "the subnet's outbound path (whether it is private, its NAT gateway, the nodes' public IPs)",
    command: "az network vnet subnet show -g <rg> --vnet-name <vnet> -n <subnet> -o json",
  },
  "private-endpoint": {
    what: "the private endpoint's connection state",
    command: "az network private-endpoint show -g <rg> -n <endpoint> -o json",
  },
};

const PUBLIC_IPS = new Set(["BatchManaged", "UserManaged"]);

/**
 * The outbound layer: what a flow whose route leads to the Internet needs past the NSGs. Inbound
 * flows, flows into the VNet and flows an appliance or gateway carries do not need it.
 * @param hop the route's next hop; undefined when the route layer was not given.
 */
export function evaluateOutbound(
  outbound: OutboundPath | undefined,
  flow: Flow,
  hop: NextHopType | undefined,
  routeLabel: string,
): LayerVerdict {
  const verdict = (outcome: LayerOutcome, by: string, reason = ""): LayerVerdict => ({
    layer: "outbound",
    outcome,
    by,
    reason,
  });
  const peer = flow.peer[0];
  if (flow.direction === "Inbound")
    return verdict("skipped", "", "inbound: replies leave the way the connection came in");
  if (addressKind(peer) !== "serviceTag") return verdict("skipped", "", `${peer} is in the VNet`);
  if (hop !== undefined && hop !== "Internet")
    return verdict("skipped", "", `${routeLabel} carries it (its next hop decides)`);
  if (!outbound) return verdict("not-judged", "", "");
  const { subnet, natGateway, nodePublicIps } = outbound;
  const subnetLabel = `subnet ${subnet.name}`;
  if (nodePublicIps && PUBLIC_IPS.has(nodePublicIps))
    return verdict("allowed", `the nodes' public IPs (${nodePublicIps})`);
  if (subnet.natGatewayId) {
    const name =
      natGateway?.name ?? subnet.natGatewayId.slice(subnet.natGatewayId.lastIndexOf("/") + 1);
    if (natGateway && natGateway.publicAddresses === 0)
      return verdict(
        "blocked",
        `NAT gateway ${name}`,
        `NAT gateway ${name} on ${subnetLabel} has no public IP address or prefix: it carries nothing`,
      );
    return verdict("allowed", `NAT gateway ${name} on ${subnetLabel}`);
  }
  const sameRegionStorage = /^storage\./i.test(peer);
  if (subnet.defaultOutboundAccess === false) {
    if (sameRegionStorage)
      return verdict(
        "allowed",
        `${subnetLabel} (private)`,
        "same-region Storage is reachable from a private subnet without an outbound method",
      );
    const reason = `${subnetLabel} is private (defaultOutboundAccess false) and has no NAT gateway`;
    if (nodePublicIps === undefined)
      return verdict(
        "undecided",
        `${subnetLabel} (private)`,
        `${reason}: the nodes reach ${peer} only with public IPs, and the pool's public IP setting was not given`,
      );
    return verdict(
      "blocked",
      `${subnetLabel} (private)`,
      `${reason}, and the nodes have no public IP (${nodePublicIps}): traffic to ${peer} through ${routeLabel} goes nowhere`,
    );
  }
  if (subnet.defaultOutboundAccess === undefined && !sameRegionStorage)
    return verdict(
      "undecided",
      subnetLabel,
      `the export of ${subnetLabel} does not say defaultOutboundAccess, and the nodes have no NAT gateway${nodePublicIps ? " or public IP" : " (and their public IPs were not given)"}: whether they reach ${peer} cannot be told offline`,
    );
  return verdict("allowed", `${subnetLabel} (default outbound access)`);
}

/** The private endpoint layer: an endpoint carries traffic only when its connection is approved. */
export function evaluateEndpoint(endpoint: PrivateEndpointPath): LayerVerdict {
  const by = `private endpoint ${endpoint.source}`;
  if (endpoint.status === undefined)
    return { layer: "private-endpoint", outcome: "not-judged", by, reason: "" };
  if (endpoint.status.toLowerCase() === "approved")
    return { layer: "private-endpoint", outcome: "allowed", by: `${by} (Approved)`, reason: "" };
  return {
    layer: "private-endpoint",
    outcome: "blocked",
    by: `${by} (${endpoint.status})`,
    reason: `${by}'s connection is ${endpoint.status}: an endpoint carries traffic only once its connection is Approved`,
  };
}
