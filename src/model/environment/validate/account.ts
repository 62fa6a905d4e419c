/** The Batch account: created (with its access settings and auto-storage) or existing. */
import { shown } from "../../printable";
import { addressKind } from "../../addresses";
import {
  AuthenticationMode,
  EndpointAccessDefaultAction,
  enumValues,
  PublicNetworkAccess,
} from "../../enums";
import { MAX_ENDPOINT_IP_RULES } from "../../limits";
import { accountNameProblem } from "../../names";
import type { Problem } from "../../problems";
import type { BatchEnvironmentSettings, EndpointAccessSettings } from "../settings";
import { defined, knownName, MaybeProblems, oneOf, resourceId } from "./fields";

const CREATE_ONLY = [
  "publicNetworkAccess",
  "accountAccess",
  "nodeManagementAccess",
  "allowedAuthenticationModes",
  "autoStorage",
] as const;

function checkEndpointAccess(access: EndpointAccessSettings | undefined, field: string): Problem[] {
  if (access === undefined) return [];
  const problems: MaybeProblems = [
    oneOf(access.defaultAction, enumValues(EndpointAccessDefaultAction), `${field}.defaultAction`),
  ];
  if (access.defaultAction === undefined) {
    problems.push({
      field: `${field}.defaultAction`,
      message: 'is required; use "Allow" or "Deny".',
    });
  }
  const ranges = access.allowedIpRanges ?? [];
  if (ranges.length > MAX_ENDPOINT_IP_RULES) {
    problems.push({
      field: `${field}.allowedIpRanges`,
      message: `has ${ranges.length} entries; Azure allows at most ${MAX_ENDPOINT_IP_RULES}.`,
    });
  }
  ranges.forEach((range, i) => {
    const ok =
      typeof range === "string" &&
      ["ip", "cidr"].includes(addressKind(range)) &&
      !range.includes(":");
    if (!ok) {
      problems.push({
        field: `${field}.allowedIpRanges[${i}]`,
        message: `${shown(range)} is not an IPv4 address or CIDR range (e.g. 203.0.113.0/24).`,
      });
    }
  });
  return problems.filter(defined);
}

function checkAutoStorage(settings: BatchEnvironmentSettings<unknown>): MaybeProblems {
  const autoStorage = settings.account?.autoStorage;
  if (autoStorage === undefined) return [];
  if (typeof autoStorage !== "object" || autoStorage === null || Array.isArray(autoStorage)) {
    return [
      {
        field: "account.autoStorage",
        message: `${shown(autoStorage)} is not auto-storage settings: give { create: true } or { storageAccountId: "<resource ID>" }.`,
      },
    ];
  }
  const problems: MaybeProblems = [];
  const hasId = "storageAccountId" in autoStorage && autoStorage.storageAccountId !== undefined;
  if (hasId && autoStorage.create) {
    problems.push({
      field: "account.autoStorage",
      message: "give storageAccountId (existing) or create: true, not both.",
    });
  } else if (!hasId && !autoStorage.create && !("storageAccountId" in autoStorage)) {
    problems.push({
      field: "account.autoStorage",
      message: "give storageAccountId (existing) or create: true.",
    });
  }
  problems.push(
    resourceId(
      "storageAccount",
      autoStorage.storageAccountId,
      "account.autoStorage.storageAccountId",
    ),
  );
  return problems;
}

/** Every problem with `account`. */
export function checkAccount(settings: BatchEnvironmentSettings<unknown>): Problem[] {
  const account = settings.account ?? {};
  const problems: MaybeProblems = [];
  const batchAccountName = (value: unknown, field: string) =>
    accountNameProblem(value, field, "Batch account");
  if (account.name !== undefined) problems.push(batchAccountName(account.name, "account.name"));
  if (account.existingAccountName !== undefined) {
    problems.push(
      knownName(batchAccountName, account.existingAccountName, "account.existingAccountName"),
    );
    if (account.name !== undefined) {
      problems.push({
        field: "account.name",
        message: "give account.name (to create) or account.existingAccountName (to use), not both.",
      });
    }
    if (settings.resourceGroupName === undefined) {
      problems.push({
        field: "resourceGroupName",
        message:
          "is required with account.existingAccountName: give the resource group that holds the account (without it the component makes a new group, which cannot hold an existing account).",
      });
    }
    for (const key of CREATE_ONLY) {
      if (account[key] !== undefined) {
        problems.push({
          field: `account.${key}`,
          message:
            "applies only to an account the component creates; set it on the existing account itself, or drop account.existingAccountName.",
        });
      }
    }
  }
  problems.push(
    oneOf(
      account.publicNetworkAccess,
      enumValues(PublicNetworkAccess),
      "account.publicNetworkAccess",
    ),
  );
  (account.allowedAuthenticationModes ?? []).forEach((m, i) =>
    problems.push(
      oneOf(m, enumValues(AuthenticationMode), `account.allowedAuthenticationModes[${i}]`),
    ),
  );
  problems.push(...checkEndpointAccess(account.accountAccess, "account.accountAccess"));
  problems.push(
    ...checkEndpointAccess(account.nodeManagementAccess, "account.nodeManagementAccess"),
  );
  problems.push(...checkAutoStorage(settings));
  return problems.filter(defined);
}
