/**
 * Build step 8: what an environment reports, derived from the run's applied network and the
 * resources the steps made. BatchEnvironment and the environment inside a migration both
 * report this, so their outputs cannot drift apart.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  AppliedNetwork,
  dependenciesFor,
  isNodeMode,
  OutboundEndpointCategory,
  SecurityRuleSpec,
} from "../../model";
import type { AccountParts } from "./account";
import type { BuildContext } from "./context";
import type { NetworkParts } from "./network";
import { DeclaredPool, reportedMode } from "./pool";
import { derive, Known } from "./known";
import type { RuleParts } from "./rules";

export interface EnvironmentOutputs {
  readonly accountName: pulumi.Output<string>;
  readonly accountEndpoint: pulumi.Output<string>;
  readonly nodeManagementEndpoint: pulumi.Output<string | undefined>;
  readonly resourceGroupName: pulumi.Output<string>;
  readonly poolName: pulumi.Output<string | undefined>;
  readonly poolId: pulumi.Output<string | undefined>;
  readonly targetNodeCommunicationMode: pulumi.Output<string>;
  readonly currentNodeCommunicationMode: pulumi.Output<string | undefined>;
  readonly ruleModes: pulumi.Output<string[]>;
  readonly subnetId: pulumi.Output<string>;
  readonly networkSecurityGroupId: pulumi.Output<string>;
  readonly securityRules: pulumi.Output<SecurityRuleSpec[]>;
  readonly routeTableId: pulumi.Output<string | undefined>;
  readonly outboundDependencies: pulumi.Output<OutboundEndpointCategory[]>;
}

/** Step 8: the environment's outputs. */
export function outputsStep(
  ctx: BuildContext,
  parts: {
    readonly account: AccountParts;
    readonly rules: RuleParts;
    readonly network: NetworkParts;
    readonly applied: Known<AppliedNetwork>;
    readonly pool?: DeclaredPool;
  },
): EnvironmentOutputs {
  const { account, rules, network, applied, pool } = parts;
  const region = ctx.design.region;
  return {
    accountName: account.accountName,
    accountEndpoint: account.accountEndpoint,
    nodeManagementEndpoint: account.nodeManagementEndpoint,
    resourceGroupName: account.resourceGroupName,
    poolName: pool ? pool.name : pulumi.output(undefined),
    poolId: pool ? pool.id : pulumi.output(undefined),
    targetNodeCommunicationMode: pulumi.output(ctx.design.poolTarget),
    currentNodeCommunicationMode: pool
      ? reportedMode(pool).apply((m) => (isNodeMode(m) ? m : undefined))
      : pulumi.output(undefined),
    ruleModes: pulumi.output(derive(applied, (n) => [...n.modes])),
    subnetId: network.subnetId,
    networkSecurityGroupId: rules.networkSecurityGroupId,
    securityRules: pulumi.output(derive(applied, (n) => n.rules)),
    routeTableId: rules.routeTableId,
    outboundDependencies: pulumi
      .all([
        derive(applied, (n) => n.modes),
        account.accountName,
        account.accountEndpoint,
        account.nodeManagementEndpoint,
        account.autoStorageName,
      ])
      .apply(
        ([modes, accountName, accountEndpoint, nodeManagementEndpoint, autoStorageAccountName]) =>
          dependenciesFor(region, modes, {
            accountName,
            ...(accountEndpoint ? { accountEndpoint } : {}),
            ...(nodeManagementEndpoint ? { nodeManagementEndpoint } : {}),
            ...(autoStorageAccountName ? { autoStorageAccountName } : {}),
          }),
      ),
  };
}
