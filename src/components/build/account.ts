/**
 * Build steps 1 and 2: the resource group, and the Batch account (created, with its
 * auto-storage, or an existing one read live).
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as batch from "@pulumi/azure-native/batch";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import type * as types from "@pulumi/azure-native/types";
import {
  BatchApiVersion,
  ACCOUNT_SUFFIX_LENGTH,
  accountNamePrefix,
  EndpointAccessSettings,
  nameOfResourceId,
} from "../../model";
import { checkedName, checkedResourceId } from "../inputErrors";
import { BatchAccountAt20250601, getBatchAccountAt20250601Output } from "./batchAt20250601";
import { BuildContext, childOf } from "./context";

/** What later steps need of the account. */
export interface AccountParts {
  readonly resourceGroupName: pulumi.Output<string>;
  /** The account, when the component creates it. */
  readonly account?: batch.BatchAccount | BatchAccountAt20250601;
  readonly accountId: pulumi.Output<string>;
  readonly accountName: pulumi.Output<string>;
  /**
   * The name the account is given, known before it is written (the live read of a gated run
   * needs it first); the existing account's name when there is one.
   */
  readonly plannedName: pulumi.Output<string>;
  readonly accountEndpoint: pulumi.Output<string>;
  /** The host the nodes reach the service at (`<unique id>.<region>.service.batch.azure.com`). */
  readonly nodeManagementEndpoint: pulumi.Output<string | undefined>;
  /** The auto-storage account's name, when the account has one. */
  readonly autoStorageName: pulumi.Output<string | undefined>;
}

/** Step 1: the existing resource group, or a new one. */
export function resourceGroupStep(ctx: BuildContext): pulumi.Output<string> {
  const existing = ctx.design.existingResourceGroupName;
  if (existing !== undefined) return checkedName("resourceGroup", existing, "resourceGroupName");
  return new resources.ResourceGroup(
    `${ctx.name}-rg`,
    { location: ctx.design.region.name, tags: { ...ctx.design.tags } },
    childOf(ctx),
  ).name;
}

function endpointAccess(
  settings: EndpointAccessSettings | undefined,
): types.input.batch.EndpointAccessProfileArgs | undefined {
  if (!settings) return undefined;
  return {
    defaultAction: settings.defaultAction,
    ipRules: (settings.allowedIpRanges ?? []).map((value) => ({ action: "Allow", value })),
  };
}

function nameSuffix(ctx: BuildContext): pulumi.Output<string> {
  return new random.RandomString(
    `${ctx.name}-name-suffix`,
    { length: ACCOUNT_SUFFIX_LENGTH, special: false, upper: false, numeric: true, lower: true },
    childOf(ctx),
  ).result;
}

function existingAccount(
  ctx: BuildContext,
  resourceGroupName: pulumi.Output<string>,
): AccountParts {
  const accountName = checkedName(
    "batchAccount",
    ctx.design.account.existingName!,
    "account.existingAccountName",
  );
  const read = { accountName, resourceGroupName };
  const existing =
    ctx.design.apiVersion === BatchApiVersion.V2025_06_01
      ? getBatchAccountAt20250601Output(read, childOf(ctx))
      : batch.getBatchAccountOutput(read, childOf(ctx));
  return {
    resourceGroupName,
    accountId: existing.id,
    accountName,
    plannedName: accountName,
    accountEndpoint: existing.accountEndpoint,
    nodeManagementEndpoint: existing.nodeManagementEndpoint,
    autoStorageName: existing.autoStorage.apply((s) =>
      s ? nameOfResourceId(s.storageAccountId) : undefined,
    ),
  };
}

function autoStorage(
  ctx: BuildContext,
  resourceGroupName: pulumi.Output<string>,
  suffix: pulumi.Output<string> | undefined,
): { id?: pulumi.Input<string>; name: pulumi.Output<string | undefined> } {
  const wanted = ctx.design.account.autoStorage;
  if (wanted.kind === "create") {
    const created = new storage.StorageAccount(
      `${ctx.name}-autostorage`,
      {
        accountName: pulumi.interpolate`${accountNamePrefix(ctx.name, "st")}${suffix!}`,
        resourceGroupName,
        location: ctx.design.region.name,
        kind: "StorageV2",
        sku: { name: "Standard_LRS" },
        allowBlobPublicAccess: false,
        minimumTlsVersion: "TLS1_2",
        tags: { ...ctx.design.tags },
      },
      childOf(ctx),
    );
    return { id: created.id, name: created.name };
  }
  if (wanted.kind === "existing") {
    const id = checkedResourceId(
      "storageAccount",
      wanted.storageAccountId,
      "account.autoStorage.storageAccountId",
    );
    return { id, name: id.apply(nameOfResourceId) };
  }
  return { name: pulumi.output(undefined) };
}

/**
 * Step 2: the Batch account the pool belongs to.
 * @param gate when given, the account is written only once it resolves, and not at all when it
 *   fails: a migration's gate that refuses the run then leaves the account as it was.
 */
export function accountStep(
  ctx: BuildContext,
  resourceGroupName: pulumi.Output<string>,
  gate?: pulumi.Output<unknown>,
): AccountParts {
  const design = ctx.design.account;
  if (design.existingName !== undefined) return existingAccount(ctx, resourceGroupName);
  const needsSuffix = design.fixedName === undefined || design.autoStorage.kind === "create";
  const suffix = needsSuffix ? nameSuffix(ctx) : undefined;
  const store = autoStorage(ctx, resourceGroupName, suffix);
  const networkProfile =
    design.accountAccess || design.nodeManagementAccess
      ? {
          accountAccess: endpointAccess(design.accountAccess),
          nodeManagementAccess: endpointAccess(design.nodeManagementAccess),
        }
      : undefined;
  const Account =
    ctx.design.apiVersion === BatchApiVersion.V2025_06_01
      ? BatchAccountAt20250601
      : batch.BatchAccount;
  const plannedName = pulumi.output(
    design.fixedName ?? pulumi.interpolate`${accountNamePrefix(ctx.name)}${suffix!}`,
  );
  const account = new Account(
    `${ctx.name}-account`,
    {
      accountName: plannedName,
      resourceGroupName: gate
        ? pulumi.all([resourceGroupName, gate]).apply(([group]) => group)
        : resourceGroupName,
      location: ctx.design.region.name,
      poolAllocationMode: "BatchService",
      publicNetworkAccess: design.publicNetworkAccess,
      ...(networkProfile ? { networkProfile } : {}),
      ...(design.allowedAuthenticationModes
        ? { allowedAuthenticationModes: [...design.allowedAuthenticationModes] }
        : {}),
      ...(store.id ? { autoStorage: { storageAccountId: store.id } } : {}),
      tags: { ...ctx.design.tags },
    },
    childOf(ctx),
  );
  return {
    resourceGroupName,
    account,
    accountId: account.id,
    accountName: account.name,
    plannedName,
    accountEndpoint: account.accountEndpoint,
    nodeManagementEndpoint: account.nodeManagementEndpoint,
    autoStorageName: store.name,
  };
}
