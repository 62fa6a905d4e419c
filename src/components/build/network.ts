/** Build step 5: the VNet and subnet (with the NSG and route table attached), or the existing subnet. */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { vnetIdOfSubnet } from "../../model";
import { checkedResourceId } from "../inputErrors";
import { BuildContext, childOf } from "./context";
import type { RuleParts } from "./rules";

export interface NetworkParts {
  readonly subnetId: pulumi.Output<string>;
  readonly vnetId: pulumi.Output<string>;
}

/** Step 5: where the pool's nodes live. */
export function networkStep(
  ctx: BuildContext,
  resourceGroupName: pulumi.Output<string>,
  rules: RuleParts,
): NetworkParts {
  const design = ctx.design.network;
  if (!design.createVnet) {
    const subnetId = checkedResourceId(
      "subnet",
      design.existingSubnetId!,
      "network.existingSubnetId",
    );
    return { subnetId, vnetId: subnetId.apply(vnetIdOfSubnet) };
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
  const subnet = new network.Subnet(
    `${ctx.name}-subnet`,
    {
      resourceGroupName,
      virtualNetworkName: vnet.name,
      addressPrefix: design.subnetPrefix,
      networkSecurityGroup: { id: rules.networkSecurityGroupId },
      ...(rules.routeTable ? { routeTable: { id: rules.routeTable.id } } : {}),
    },
    childOf(ctx),
  );
  return { subnetId: subnet.id, vnetId: vnet.id };
}
