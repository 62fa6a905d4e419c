/**
 * Private endpoints, and the account settings that decide whether simplified nodes can reach
 * the node management endpoint at all.
 */
import { CommunicationMode, EndpointAccessDefaultAction, PublicNetworkAccess } from "../../enums";
import type { Problem } from "../../problems";
import type { BatchEnvironmentSettings } from "../settings";
import { defined, MaybeProblems, resourceId } from "./fields";
import type { ResolvedModes } from "./modes";

function reachability(
  settings: BatchEnvironmentSettings<unknown>,
  modes: ResolvedModes,
): { problems: Problem[]; warnings: string[] } {
  const account = settings.account ?? {};
  const simplifiedTarget = modes.poolTargets.find((t) => t !== CommunicationMode.Classic);
  if (
    simplifiedTarget === undefined ||
    settings.privateEndpoints?.nodeManagement === true ||
    account.existingAccountName !== undefined
  ) {
    return { problems: [], warnings: [] };
  }
  if (account.publicNetworkAccess === PublicNetworkAccess.Disabled) {
    return {
      problems: [
        {
          field: "privateEndpoints.nodeManagement",
          message: `is required: account.publicNetworkAccess is Disabled, and ${simplifiedTarget} nodes reach Batch through the account's node management endpoint, so without a nodeManagement private endpoint every node is unusable.`,
        },
      ],
      warnings: [],
    };
  }
  const access = account.nodeManagementAccess;
  if (access?.defaultAction !== EndpointAccessDefaultAction.Deny)
    return { problems: [], warnings: [] };
  if ((access.allowedIpRanges ?? []).length === 0) {
    return {
      problems: [
        {
          field: "privateEndpoints.nodeManagement",
          message: `is required: account.nodeManagementAccess denies by default with no allowed IP ranges, so ${simplifiedTarget} nodes cannot reach the node management endpoint and every node is unusable.`,
        },
      ],
      warnings: [],
    };
  }
  return {
    problems: [],
    warnings: [
      "account.nodeManagementAccess denies by default: only nodes whose outbound IP is in allowedIpRanges reach Batch; the rest are unusable. A nodeManagement private endpoint avoids this.",
    ],
  };
}

/** Every problem with `privateEndpoints` and with how nodes reach the service, and warnings. */
export function checkPrivateEndpoints(
  settings: BatchEnvironmentSettings<unknown>,
  modes: ResolvedModes,
): { problems: Problem[]; warnings: string[] } {
  const endpoints = settings.privateEndpoints;
  const problems: MaybeProblems = [];
  const warnings: string[] = [];
  if (endpoints !== undefined) {
    if (!endpoints.nodeManagement && !endpoints.batchAccount) {
      problems.push({
        field: "privateEndpoints",
        message:
          "asks for no endpoint; set nodeManagement and/or batchAccount to true, or drop privateEndpoints.",
      });
    }
    problems.push(
      resourceId("subnet", endpoints.subnetId, "privateEndpoints.subnetId"),
      resourceId("privateDnsZone", endpoints.privateDnsZoneId, "privateEndpoints.privateDnsZoneId"),
    );
    const classicOnly =
      modes.poolTargets.every((t) => t === CommunicationMode.Classic) &&
      !modes.ruleModes.includes(CommunicationMode.Simplified);
    if (endpoints.nodeManagement && classicOnly) {
      warnings.push(
        "privateEndpoints.nodeManagement serves only simplified pools; this classic pool does not use it.",
      );
    }
  }
  const reach = reachability(settings, modes);
  problems.push(...reach.problems);
  warnings.push(...reach.warnings);
  return { problems: problems.filter(defined), warnings };
}
