/**
 * The build steps every environment runs, in one order, for both components: the resource
 * group and account, then (once the run knows which modes its network serves) the NSG rules and
 * routes, the subnet with its way out, and the private endpoints. BatchEnvironment runs them
 * back to back; NodeCommunicationMigration puts its live read of the pools between the two
 * halves, since what it reads decides the network. The pool comes after either way.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { AppliedNetwork } from "../../model";
import { AccountParts, accountStep, resourceGroupStep } from "./account";
import type { BuildContext } from "./context";
import { endpointsStep } from "./endpoints";
import type { Known } from "./known";
import { NetworkParts, networkStep } from "./network";
import { concatResources, ResourceList } from "./resourceLists";
import { RuleParts, rulesStep } from "./rules";

export interface Foundation {
  readonly resourceGroupName: pulumi.Output<string>;
  readonly account: AccountParts;
}

export interface NetworkBuild {
  readonly rules: RuleParts;
  readonly network: NetworkParts;
  /** What every pool is created after: the NSG (or its rules), the routes, the NAT gateway, the endpoints. */
  readonly poolPrerequisites: ResourceList;
}

/** Steps 1-2: the resource group and the account. */
export function foundationSteps(
  ctx: BuildContext,
  accountGate?: pulumi.Output<unknown>,
): Foundation {
  const resourceGroupName = resourceGroupStep(ctx);
  return { resourceGroupName, account: accountStep(ctx, resourceGroupName, accountGate) };
}

/** Steps 4-6: the network one run applies, for the modes `applied` serves. */
export function networkSteps(
  ctx: BuildContext,
  foundation: Foundation,
  applied: Known<AppliedNetwork>,
): NetworkBuild {
  const rules = rulesStep(ctx, foundation.resourceGroupName, applied);
  const network = networkStep(ctx, foundation.resourceGroupName, rules, applied);
  const endpoints = endpointsStep(ctx, foundation.account, network);
  return {
    rules,
    network,
    poolPrerequisites: concatResources(rules.poolPrerequisites, [
      ...network.resources,
      ...endpoints,
    ]),
  };
}
