/**
 * Build step 5: where the pool's nodes live and how they get out. A created subnet is private
 * (no default outbound access, as Azure makes new subnets since 31 March 2026) with the NAT
 * gateway its design calls for; an existing subnet is read live and judged by the same
 * evaluator, and a subnet that leaves the nodes no way to Batch stops the run before the pool.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { AppliedNetwork, existingSubnetReach, SubnetFacts, vnetIdOfSubnet } from "../../model";
import { checkedResourceId } from "../inputErrors";
import { BuildContext, childOf } from "./context";
import type { Known } from "./known";
import type { RuleParts } from "./rules";

export interface NetworkParts {
  readonly subnetId: pulumi.Output<string>;
  readonly vnetId: pulumi.Output<string>;
  /** The subnet's NAT gateway, when the design gives it one. */
  readonly natGatewayId?: pulumi.Output<string>;
  /** What the pool is created after: the NAT gateway and its address. */
  readonly resources: pulumi.Resource[];
}

/** The NAT gateway the design gives the subnet: created with a static public IP, or given. */
function natGatewayStep(
  ctx: BuildContext,
  resourceGroupName: pulumi.Output<string>,
): { id?: pulumi.Output<string>; resources: pulumi.Resource[] } {
  const nat = ctx.design.network.natGateway;
  if (nat.kind === "none") return { resources: [] };
  if (nat.kind === "existing")
    return {
      id: checkedResourceId("natGateway", nat.id, "network.natGateway.existingNatGatewayId"),
      resources: [],
    };
  const location = ctx.design.region.name;
  const tags = { ...ctx.design.tags };
  const address = new network.PublicIPAddress(
    `${ctx.name}-nat-ip`,
    {
      resourceGroupName,
      location,
      sku: { name: "Standard" },
      publicIPAllocationMethod: "Static",
      publicIPAddressVersion: "IPv4",
      tags,
    },
    childOf(ctx),
  );
  const gateway = new network.NatGateway(
    `${ctx.name}-nat`,
    {
      resourceGroupName,
      location,
      sku: { name: "Standard" },
      publicIpAddresses: [{ id: address.id }],
      tags,
    },
    childOf(ctx),
  );
  return { id: gateway.id, resources: [address, gateway] };
}

/** The facts of a live subnet read, as the model's evaluator reads a subnet export. */
function subnetFacts(read: network.GetSubnetResult, id: string): SubnetFacts {
  return {
    name: read.name ?? id.slice(id.lastIndexOf("/") + 1),
    id,
    prefixes: [read.addressPrefix, ...(read.addressPrefixes ?? [])].filter(
      (p): p is string => typeof p === "string",
    ),
    // A live read leaves out what is not set: no value is Azure's implicit default access.
    defaultOutboundAccess: read.defaultOutboundAccess ?? null,
    ...(read.natGateway?.id ? { natGatewayId: read.natGateway.id } : {}),
  };
}

/**
 * The existing subnet's ID once a live read has shown it lets the nodes out to Batch; the run
 * fails, naming `network.existingSubnetId`, when it does not.
 */
function judgedExistingSubnet(
  ctx: BuildContext,
  subnetId: pulumi.Output<string>,
  applied: Known<AppliedNetwork>,
): pulumi.Output<string> {
  const read = subnetId.apply((id) => {
    // A checked subnet ID: .../resourceGroups/<group>/.../virtualNetworks/<vnet>/subnets/<subnet>.
    const [, group, vnet, subnet] =
      /\/resourceGroups\/([^/]+)\/.*\/virtualNetworks\/([^/]+)\/subnets\/([^/]+)$/i.exec(id)!;
    return network.getSubnetOutput(
      { resourceGroupName: group, virtualNetworkName: vnet, subnetName: subnet },
      childOf(ctx),
    );
  });
  return pulumi.all([subnetId, read, pulumi.output(applied)]).apply(([id, live, net]) => {
    const reach = existingSubnetReach(ctx.design, net, subnetFacts(live, id));
    for (const warning of reach.warnings) void pulumi.log.warn(warning, ctx.parent);
    if (reach.refusal)
      throw new pulumi.InputPropertyError({
        propertyPath: "network.existingSubnetId",
        reason: reach.refusal,
      });
    return id;
  });
}

/** Step 5: where the pool's nodes live. */
export function networkStep(
  ctx: BuildContext,
  resourceGroupName: pulumi.Output<string>,
  rules: RuleParts,
  applied: Known<AppliedNetwork>,
): NetworkParts {
  const design = ctx.design.network;
  if (!design.createVnet) {
    const given = checkedResourceId("subnet", design.existingSubnetId!, "network.existingSubnetId");
    const subnetId = judgedExistingSubnet(ctx, given, applied);
    return { subnetId, vnetId: given.apply(vnetIdOfSubnet), resources: [] };
  }
  const location = ctx.design.region.name;
  const vnet = new network.VirtualNetwork(
    `${ctx.name}-vnet`,
    {
      resourceGroupName,
      location,
      addressSpace: { addressPrefixes: [...design.addressSpace] },
      tags: { ...ctx.design.tags },
    },
    childOf(ctx),
  );
  const nat = natGatewayStep(ctx, resourceGroupName);
  const subnet = new network.Subnet(
    `${ctx.name}-subnet`,
    {
      resourceGroupName,
      virtualNetworkName: vnet.name,
      addressPrefix: design.subnetPrefix,
      networkSecurityGroup: { id: rules.networkSecurityGroupId },
      ...(rules.routeTable ? { routeTable: { id: rules.routeTable.id } } : {}),
      ...(design.privateSubnet ? { defaultOutboundAccess: false } : {}),
      ...(nat.id ? { natGateway: { id: nat.id } } : {}),
    },
    childOf(ctx),
  );
  return {
    subnetId: subnet.id,
    vnetId: vnet.id,
    ...(nat.id ? { natGatewayId: nat.id } : {}),
    resources: nat.resources,
  };
}
