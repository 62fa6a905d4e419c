/**
 * The last stage declares the pool and account as `azure-native:batch/v20250601:*`. Nothing in
 * azure-native's documented interface promises those tokens: they resolve because the v3
 * provider plugin embeds every API version's metadata, and the only published evidence that it
 * knows this one is that azure-native's own classes list it among their aliases. If an upgrade
 * drops it from the aliases, the plugin may no longer know the version either: this fails then,
 * before a user's `pulumi up` at stage api-2025-06-01 would.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_2025_06_01, POOL_2025_06_01 } from "../../src/components/build/batchAt20250601";
import { runDeployment } from "../../src/simulate";
import { freshMocks, optionRecorder } from "../support/pulumi";

describe("the azure-native provider contract of stage api-2025-06-01", () => {
  it("azure-native's batch.Pool and batch.BatchAccount still list the 2025-06-01 tokens among their aliases", async () => {
    const batch = await import("@pulumi/azure-native/batch");
    const { recorded, transformation } = optionRecorder();
    await runDeployment(await freshMocks(), () => {
      const account = new batch.BatchAccount(
        "contract-account",
        { resourceGroupName: "rg", location: "westus2" },
        { transformations: [transformation] },
      );
      new batch.Pool(
        "contract-pool",
        { resourceGroupName: "rg", accountName: account.name, vmSize: "standard_d2s_v3" },
        { transformations: [transformation] },
      );
      return {};
    });
    const aliasTypes = (type: string) =>
      (recorded.find((r) => r.type === type)?.opts.aliases ?? []).map(
        (alias) => (alias as pulumi.Alias).type,
      );
    expect(aliasTypes("azure-native:batch:Pool")).to.include(POOL_2025_06_01);
    expect(aliasTypes("azure-native:batch:BatchAccount")).to.include(ACCOUNT_2025_06_01);
  });
});
