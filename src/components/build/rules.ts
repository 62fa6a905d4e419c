/**
 * Build step 4: the NSG rules and forced-tunnelling routes one run applies. An NSG or route
 * table the component creates carries them inline (applied atomically); on existing ones they
 * are standalone resources. Either way they follow the run's `AppliedNetwork`, so the NSG and
 * the component's outputs always say the same, and a run refused by its gate declares none.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import type { AppliedNetwork, ExistingResource } from "../../model";
import { checkedName } from "../inputErrors";
import { BuildContext, childOf, Ref } from "./context";
import { routeArgs, securityRuleArgs, standaloneRuleFields } from "./ruleArgs";
import { concatResources, ResourceList } from "./resourceLists";
import { derive, Known } from "./known";
import { claimResolved } from "./sharedNsg";

/** What later steps need of the rules and routes. */
export interface RuleParts {
  readonly networkSecurityGroupId: pulumi.Output<string>;
  /** The route table, when the component creates one (the subnet takes it). */
  readonly routeTable?: network.RouteTable;
  readonly routeTableId: pulumi.Output<string | undefined>;
  /** What a pool is created after: the NSG (or its standalone rules), the routes. */
  readonly poolPrerequisites: ResourceList;
}

interface Located {
  readonly name: pulumi.Output<string>;
  readonly resourceGroupName: pulumi.Output<string>;
}

function locate(
  existing: ExistingResource<Ref>,
  resourceGroupName: pulumi.Output<string>,
  field: string,
): Located {
  return {
    name: checkedName("resource", existing.name, `${field}.name`),
    resourceGroupName:
      existing.resourceGroupName === undefined
        ? resourceGroupName
        : checkedName("resourceGroup", existing.resourceGroupName, `${field}.resourceGroupName`),
  };
}

function securityGroup(
  ctx: BuildContext,
  resourceGroupName: pulumi.Output<string>,
  applied: Known<AppliedNetwork>,
): { id: pulumi.Output<string>; resources: ResourceList } {
  const existing = ctx.design.network.existingNetworkSecurityGroup;
  if (!existing) {
    const nsg = new network.NetworkSecurityGroup(
      `${ctx.name}-nsg`,
      {
        resourceGroupName,
        location: ctx.design.region.name,
        securityRules: derive(applied, (n) => n.rules.map(securityRuleArgs)),
        tags: { ...ctx.design.tags },
      },
      childOf(ctx),
    );
    return { id: nsg.id, resources: [nsg] };
  }
  const located = locate(existing, resourceGroupName, "network.existingNetworkSecurityGroup");
  const at = {
    ...located,
    name: claimResolved(ctx.name, located.resourceGroupName, located.name),
  };
  const id = network
    .getNetworkSecurityGroupOutput(
      { networkSecurityGroupName: at.name, resourceGroupName: at.resourceGroupName },
      childOf(ctx),
    )
    .apply((g) => g.id ?? "");
  // Declared from the applied network, so that they follow the run's modes and a refused run
  // declares none; Pulumi deletes a pool before the rules it depends on.
  const rules = derive(applied, (n) =>
    n.rules.map(
      (rule) =>
        new network.SecurityRule(
          `${ctx.name}-rule-${rule.name}`,
          {
            ...standaloneRuleFields(rule),
            securityRuleName: rule.name,
            networkSecurityGroupName: at.name,
            resourceGroupName: at.resourceGroupName,
          },
          childOf(ctx),
        ),
    ),
  );
  return { id, resources: rules };
}

function routes(
  ctx: BuildContext,
  resourceGroupName: pulumi.Output<string>,
  applied: Known<AppliedNetwork>,
): {
  table?: network.RouteTable;
  id: pulumi.Output<string | undefined>;
  resources: ResourceList;
} {
  const wanted = ctx.design.network.routeTable;
  if (!wanted) return { id: pulumi.output(undefined), resources: [] };
  if (!wanted.existing) {
    const table = new network.RouteTable(
      `${ctx.name}-routes`,
      {
        resourceGroupName,
        location: ctx.design.region.name,
        routes: derive(applied, (n) => n.routes.map(routeArgs)),
        tags: { ...ctx.design.tags },
      },
      childOf(ctx),
    );
    return { table, id: table.id, resources: [table] };
  }
  const at = locate(wanted.existing, resourceGroupName, "network.routes.existingRouteTable");
  const id = network
    .getRouteTableOutput(
      { routeTableName: at.name, resourceGroupName: at.resourceGroupName },
      childOf(ctx),
    )
    .apply((t) => t.id);
  const declared = derive(applied, (n) =>
    n.routes.map(
      (route) =>
        new network.Route(
          `${ctx.name}-route-${route.name}`,
          {
            ...routeArgs(route),
            routeName: route.name,
            routeTableName: at.name,
            resourceGroupName: at.resourceGroupName,
          },
          childOf(ctx),
        ),
    ),
  );
  return { id, resources: declared };
}

/** Step 4: the rules and routes of the run, on the NSG and route table of the subnet. */
export function rulesStep(
  ctx: BuildContext,
  resourceGroupName: pulumi.Output<string>,
  applied: Known<AppliedNetwork>,
): RuleParts {
  const nsg = securityGroup(ctx, resourceGroupName, applied);
  const table = routes(ctx, resourceGroupName, applied);
  return {
    networkSecurityGroupId: nsg.id,
    ...(table.table ? { routeTable: table.table } : {}),
    routeTableId: table.id,
    poolPrerequisites: concatResources(nsg.resources, table.resources),
  };
}
