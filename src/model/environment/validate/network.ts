/** The network: a new VNet and subnet or an existing subnet, its NSG rules and routes. */
import { shown } from "../../printable";
import { addressKind, parsePrefix, prefixContains, prefixesOverlap } from "../../addresses";
import { DOCKER_BRIDGE } from "../../limits";
import { resourceGroupNameProblem, resourceNameProblem } from "../../names";
import { nestProblems, Problem } from "../../problems";
import { validateRouteOptions } from "../../routes";
import { ruleWarnings, validateRuleOptions } from "../../rules";
import { ruleOptionsOf } from "../options";
import { BatchEnvironmentSettings, ExistingResource, NETWORK_DEFAULTS } from "../settings";
import { defined, knownName, MaybeProblems, resourceId } from "./fields";

/** What later checks need to know of the network. */
export interface NetworkFacts {
  /** IPv4 prefix length of the pool subnet, when the component creates it. */
  readonly subnetPrefixLength: number | undefined;
}

function checkExisting(value: ExistingResource<unknown> | undefined, field: string): Problem[] {
  if (value === undefined) return [];
  return [
    value.name === undefined
      ? { field: `${field}.name`, message: "is required: the existing resource's name." }
      : knownName(resourceNameProblem, value.name, `${field}.name`),
    knownName(resourceGroupNameProblem, value.resourceGroupName, `${field}.resourceGroupName`),
  ].filter(defined);
}

function checkExistingSubnet(settings: BatchEnvironmentSettings<unknown>): MaybeProblems {
  const network = settings.network ?? {};
  const problems: MaybeProblems = [
    resourceId("subnet", network.existingSubnetId, "network.existingSubnetId"),
  ];
  for (const key of ["addressSpace", "subnetPrefix"] as const) {
    if (network[key] !== undefined) {
      problems.push({
        field: `network.${key}`,
        message:
          "applies only to a VNet the component creates; drop it, or drop network.existingSubnetId.",
      });
    }
  }
  if (network.existingNetworkSecurityGroup === undefined) {
    problems.push({
      field: "network.existingNetworkSecurityGroup",
      message:
        "is required with network.existingSubnetId: give the NSG attached to that subnet, so the rules go where the pool's traffic is judged (the component cannot attach an NSG to a subnet it does not manage).",
    });
  }
  if (network.routes !== undefined && network.routes.existingRouteTable === undefined) {
    problems.push({
      field: "network.routes.existingRouteTable",
      message:
        "is required with network.existingSubnetId: give the route table attached to that subnet (the component cannot attach one to a subnet it does not manage).",
    });
  }
  return problems;
}

function checkNewVnet(settings: BatchEnvironmentSettings<unknown>): {
  problems: MaybeProblems;
  warnings: string[];
  subnetPrefixLength?: number;
} {
  const network = settings.network ?? {};
  const problems: MaybeProblems = [];
  const warnings: string[] = [];
  const space = network.addressSpace ?? NETWORK_DEFAULTS.addressSpace;
  const subnet = network.subnetPrefix ?? NETWORK_DEFAULTS.subnetPrefix;
  const badSpace =
    !Array.isArray(space) ||
    space.length === 0 ||
    space.some((p) => typeof p !== "string" || addressKind(p) !== "cidr" || p.includes(":"));
  if (badSpace) {
    problems.push({
      field: "network.addressSpace",
      message: `${shown(space)} must be one or more IPv4 CIDR prefixes (e.g. ["10.0.0.0/16"]).`,
    });
  }
  const badSubnet =
    typeof subnet !== "string" || addressKind(subnet) !== "cidr" || subnet.includes(":");
  if (badSubnet) {
    problems.push({
      field: "network.subnetPrefix",
      message: `${shown(subnet)} must be an IPv4 CIDR prefix (e.g. 10.0.0.0/24).`,
    });
  }
  if (badSpace || badSubnet) return { problems, warnings };
  if (!space.some((p) => prefixContains(p, subnet))) {
    problems.push({
      field: "network.subnetPrefix",
      message: `${subnet} lies outside the VNet's address space ${space.join(", ")}; choose a prefix inside it.`,
    });
  }
  if (prefixesOverlap(subnet, DOCKER_BRIDGE)) {
    warnings.push(
      `network.subnetPrefix ${subnet} overlaps ${DOCKER_BRIDGE}, Docker's bridge network on the nodes: containers may not reach addresses in the overlap.`,
    );
  }
  return { problems, warnings, subnetPrefixLength: parsePrefix(subnet)[1] };
}

function checkRoutes(settings: BatchEnvironmentSettings<unknown>): MaybeProblems {
  const network = settings.network ?? {};
  const routes = network.routes;
  if (routes === undefined) return [];
  const problems: MaybeProblems = [
    ...nestProblems("network.routes", validateRouteOptions(routes)),
    ...checkExisting(routes.existingRouteTable, "network.routes.existingRouteTable"),
  ];
  if (
    routes.existingRouteTable === undefined &&
    routes.defaultRoute === undefined &&
    !("existingSubnetId" in network)
  ) {
    problems.push({
      field: "network.routes.defaultRoute",
      message:
        "is required when the component creates the route table: give the appliance or gateway the subnet's traffic is forced to (or give routes.existingRouteTable).",
    });
  }
  return problems;
}

/** The NAT gateway: created or given, only for a subnet the component creates. */
function checkNatGateway(settings: BatchEnvironmentSettings<unknown>): MaybeProblems {
  const network = settings.network ?? {};
  const nat = network.natGateway;
  if (nat === undefined) return [];
  if ("existingSubnetId" in network)
    return [
      {
        field: "network.natGateway",
        message:
          "applies only to a subnet the component creates; attach your NAT gateway to the existing subnet yourself (az network vnet subnet update --nat-gateway), or drop network.existingSubnetId.",
      },
    ];
  const problems: MaybeProblems = [
    resourceId("natGateway", nat.existingNatGatewayId, "network.natGateway.existingNatGatewayId"),
  ];
  if (nat.existingNatGatewayId !== undefined && nat.create === true)
    problems.push({
      field: "network.natGateway.create",
      message:
        "and existingNatGatewayId: give one of them (create a NAT gateway, or attach yours), not both.",
    });
  return problems;
}

/** Every problem with `network`, its warnings, and what later checks need to know of it. */
export function checkNetwork(settings: BatchEnvironmentSettings<unknown>): {
  problems: Problem[];
  warnings: string[];
  facts: NetworkFacts;
} {
  const network = settings.network ?? {};
  const existingSubnet = "existingSubnetId" in network;
  const created = existingSubnet ? undefined : checkNewVnet(settings);
  const ruleOptions = ruleOptionsOf(network, settings.pool);
  const problems: MaybeProblems = [
    ...(created ? created.problems : checkExistingSubnet(settings)),
    ...checkExisting(network.existingNetworkSecurityGroup, "network.existingNetworkSecurityGroup"),
    ...checkRoutes(settings),
    ...checkNatGateway(settings),
    // The NSG rules: the rules model checks them; problems come back under `network.`.
    ...nestProblems("network", validateRuleOptions(ruleOptions)),
  ];
  const warnings = [
    ...(created?.warnings ?? []),
    ...ruleWarnings(ruleOptions).map((w) => `network: ${w}`),
  ];
  return {
    problems: problems.filter(defined),
    warnings,
    facts: { subnetPrefixLength: created?.subnetPrefixLength },
  };
}
