/**
 * Whether the network an environment designs lets its nodes reach Batch, judged by the same
 * layered evaluator as `check`, on the network as the component will build it: the generated
 * NSG rules, the routes, the private subnet with its NAT gateway and the nodes' public IPs, and
 * the account's private endpoints (approved: the component creates them). A design that leaves
 * a needed flow blocked is refused before anything is created; one the evaluator cannot decide
 * (an appliance's own rules) is warned about. An existing subnet is judged when it is read.
 */
import { analyzeNetwork } from "../analyze/analyze";
import type {
  NetworkSecurityGroup,
  OutboundPath,
  RouteTable,
  SubnetFacts,
} from "../analyze/network";
import { parseNetworkSecurityGroup } from "../analyze/parse";
import type { PrivateEndpointPath } from "../analyze/privateEndpoints";
import type { Problem } from "../problems";
import type { AppliedNetwork, EnvironmentDesign } from "./design";

/** The field a blocked flow is refused under, by the layer that blocks it. */
const FIELD_OF_LAYER: Readonly<Record<string, string>> = {
  outbound: "network.natGateway",
  route: "network.routes",
  nsg: "network.extraRules",
  "private-endpoint": "privateEndpoints",
};

/** @param applied the network the design applies with its own rule modes. */
export function designedReach(
  design: EnvironmentDesign<unknown>,
  applied: AppliedNetwork,
): {
  problems: Problem[];
  warnings: string[];
} {
  const network = design.network;
  if (!network.createVnet) return { problems: [], warnings: [] };
  // Rules added to an existing NSG join rules this design cannot see: those are judged live.
  const subnetNsg: NetworkSecurityGroup | undefined = network.existingNetworkSecurityGroup
    ? undefined
    : parseNetworkSecurityGroup({ name: "the NSG", securityRules: applied.rules }, "design");
  const routeTable: RouteTable | undefined =
    applied.routes.length > 0 ? { name: "the route table", routes: applied.routes } : undefined;
  const outbound: OutboundPath = {
    subnet: {
      name: "the subnet",
      prefixes: [network.subnetPrefix],
      defaultOutboundAccess: network.privateSubnet ? false : null,
      ...(network.natGateway.kind !== "none" ? { natGatewayId: "the NAT gateway" } : {}),
    },
    nodePublicIps: design.pool.publicIpProvisioning,
  };
  // The component's own endpoints live in the VNet and are approved as they are created.
  const privateEndpoints: PrivateEndpointPath[] = (design.privateEndpoints?.groupIds ?? []).map(
    (group) => ({
      group,
      address: network.subnetPrefix,
      source: `privateEndpoints.${group}`,
      status: "Approved",
    }),
  );
  const analysis = analyzeNetwork({
    region: design.region.name,
    modes: applied.modes,
    subnetPrefix: network.subnetPrefix,
    ...(subnetNsg ? { subnetNsg } : { notGiven: ["nsg"] }),
    ...(routeTable ? { routeTable } : {}),
    outbound,
    ...(privateEndpoints.length > 0 ? { privateEndpoints } : {}),
  });
  const problems: Problem[] = [];
  const warnings: string[] = [];
  for (const verdict of analysis.flows) {
    if (verdict.verdict === "allowed") continue;
    const layer = verdict.layers.find((l) => l.outcome === verdict.verdict);
    const where = `${verdict.flow.direction.toLowerCase()} ${verdict.flow.ports} ${verdict.flow.direction === "Inbound" ? "from" : "to"} ${verdict.flow.peer[0]}`;
    if (verdict.verdict === "blocked") {
      problems.push({
        field: FIELD_OF_LAYER[layer?.layer ?? ""] ?? "network",
        message: `leaves the nodes no way to reach Batch (${where}): ${verdict.reason}. Let the component give the subnet a NAT gateway (leave network.natGateway.create unset or true), attach yours (network.natGateway.existingNatGatewayId), give the pool public IPs, or reach Batch through a nodeManagement private endpoint.`,
      });
    } else {
      warnings.push(`The nodes' way to Batch (${where}) cannot be judged here: ${verdict.reason}.`);
    }
  }
  return { problems, warnings };
}

/** What a pool without public IPs still reaches the Internet for, when only Batch has an endpoint. */
export function remainingNeedsWarning(design: EnvironmentDesign<unknown>): string[] {
  const n = design.network;
  if (
    !n.createVnet ||
    n.natGateway.kind !== "none" ||
    design.pool.publicIpProvisioning !== "NoPublicIPAddresses" ||
    !design.privateEndpoints?.groupIds.includes("nodeManagement")
  )
    return [];
  return [
    `pool.publicIpProvisioning NoPublicIPAddresses in a private subnet without a NAT gateway: the nodes reach Batch through the nodeManagement private endpoint and the region's Storage without one, and nothing else. What tasks fetch from the Internet (Storage in other regions, container registries, packages.microsoft.com for mount configurations, Key Vault for disk encryption: the outbound dependencies the account lists) needs a way out: set network.natGateway.create, or a private endpoint for each.`,
  ];
}

/**
 * Whether an existing subnet, as a live read shows it, lets the pool's nodes out to Batch: its
 * outbound path (private or not, its NAT gateway) with the pool's public IPs, through the
 * routes the design adds (other routes and the NSG's other rules are the subnet owner's).
 * @returns the reason it does not (the run is refused), or why it cannot be told (a warning).
 */
export function existingSubnetReach(
  design: EnvironmentDesign<unknown>,
  applied: AppliedNetwork,
  subnet: SubnetFacts,
): { refusal?: string; warnings: string[] } {
  const routeTable: RouteTable | undefined =
    applied.routes.length > 0 ? { name: "the routes added", routes: applied.routes } : undefined;
  const privateEndpoints: PrivateEndpointPath[] = (design.privateEndpoints?.groupIds ?? []).map(
    (group) => ({
      group,
      address: subnet.prefixes[0] ?? "10.0.0.0/8",
      source: `privateEndpoints.${group}`,
      status: "Approved",
    }),
  );
  const analysis = analyzeNetwork({
    region: design.region.name,
    modes: applied.modes,
    notGiven: routeTable ? ["nsg"] : ["nsg", "route"],
    ...(routeTable ? { routeTable } : {}),
    outbound: { subnet, nodePublicIps: design.pool.publicIpProvisioning },
    ...(privateEndpoints.length > 0 ? { privateEndpoints } : {}),
  });
  const blocked = analysis.flows.find((f) => f.verdict === "blocked");
  const warnings = analysis.flows
    .filter((f) => f.verdict === "undecided")
    .map(
      (f) =>
        `network.existingSubnetId: whether the nodes reach ${f.flow.peer[0]} cannot be told: ${f.reason}.`,
    );
  return blocked
    ? {
        refusal: `subnet ${subnet.name} leaves the nodes no way to reach Batch: ${blocked.reason}. Attach a NAT gateway to it (az network vnet subnet update --nat-gateway), give the pool public IPs, or reach Batch through a nodeManagement private endpoint.`,
        warnings,
      }
    : { warnings };
}
