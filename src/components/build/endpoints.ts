/** Build step 6: the account's private endpoints, with their private DNS zone and zone groups. */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import { checkedResourceId } from "../inputErrors";
import type { AccountParts } from "./account";
import { BuildContext, childOf } from "./context";
import type { NetworkParts } from "./network";

function dnsZone(
  ctx: BuildContext,
  resourceGroupName: pulumi.Output<string>,
  net: NetworkParts,
): { zoneId: pulumi.Input<string>; resources: pulumi.Resource[] } {
  const endpoints = ctx.design.privateEndpoints!;
  if (endpoints.existingDnsZoneId !== undefined) {
    const zoneId = checkedResourceId(
      "privateDnsZone",
      endpoints.existingDnsZoneId,
      "privateEndpoints.privateDnsZoneId",
    );
    return { zoneId, resources: [] };
  }
  const tags = { ...ctx.design.tags };
  const zone = new privatedns.PrivateZone(
    `${ctx.name}-dns`,
    { privateZoneName: endpoints.dnsZoneName, resourceGroupName, location: "Global", tags },
    childOf(ctx),
  );
  const link = new privatedns.VirtualNetworkLink(
    `${ctx.name}-dns-link`,
    {
      privateZoneName: zone.name,
      resourceGroupName,
      location: "Global",
      virtualNetwork: { id: net.vnetId },
      registrationEnabled: false,
      tags,
    },
    childOf(ctx),
  );
  return { zoneId: zone.id, resources: [zone, link] };
}

/** Step 6: what the pool reaches Batch through privately; empty without private endpoints. */
export function endpointsStep(
  ctx: BuildContext,
  account: AccountParts,
  net: NetworkParts,
): pulumi.Resource[] {
  const endpoints = ctx.design.privateEndpoints;
  if (!endpoints) return [];
  const { resourceGroupName } = account;
  const zone = dnsZone(ctx, resourceGroupName, net);
  const subnetId =
    endpoints.subnetId !== undefined
      ? checkedResourceId("subnet", endpoints.subnetId, "privateEndpoints.subnetId")
      : net.subnetId;
  const created: pulumi.Resource[] = [...zone.resources];
  for (const groupId of endpoints.groupIds) {
    const endpoint = new network.PrivateEndpoint(
      `${ctx.name}-pe-${groupId}`,
      {
        resourceGroupName,
        location: ctx.design.region.name,
        subnet: { id: subnetId },
        privateLinkServiceConnections: [
          {
            name: `${ctx.name}-${groupId}`,
            privateLinkServiceId: account.accountId,
            groupIds: [groupId],
          },
        ],
        tags: { ...ctx.design.tags },
      },
      childOf(ctx),
    );
    const zoneGroup = new network.PrivateDnsZoneGroup(
      `${ctx.name}-pe-${groupId}-dns`,
      {
        resourceGroupName,
        privateEndpointName: endpoint.name,
        privateDnsZoneConfigs: [
          { name: endpoints.dnsZoneName.replace(/\./g, "-"), privateDnsZoneId: zone.zoneId },
        ],
      },
      childOf(ctx),
    );
    created.push(endpoint, zoneGroup);
  }
  return created;
}
