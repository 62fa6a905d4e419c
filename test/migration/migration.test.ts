import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { CommunicationMode, MigrationStage, SecurityRuleSpec } from "../../src/model";
import {
  AzureSimulation,
  runDeployment,
  SimulatedAzureMocks,
  withCapturedLog,
} from "../../src/simulate";
import { MigrationHarness } from "../support/migration";
import { drainRegistrations, freshMocks, optionRecorder } from "../support/pulumi";

const { Classic, Simplified } = CommunicationMode;
const BASE = { location: "westus2" };

function poolsOf(h: MigrationHarness) {
  return h.azure
    .listPools()
    .map(
      (p) =>
        `${p.poolName.includes("-simplified-") ? "replacement" : "original"} ${p.target}->${p.current} ${p.nodes}/${p.targetNodes}`,
    );
}

function ruleNames(rules: unknown): string[] {
  expect(rules).to.be.an("array");
  return (rules as SecurityRuleSpec[]).map((r) => r.name);
}

async function refusal(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    return (error as Error).message;
  }
  return "";
}

describe("NodeCommunicationMigration: in-place, forward and back", () => {
  it("classic -> union -> simplified-pool (resize to zero and back) -> simplified, one command at a time", async () => {
    const h = new MigrationHarness({ ...BASE, pool: { dedicatedNodes: 3 } });
    const classic = await h.deploy("classic");
    expect(classic.outputs.ruleModes).to.deep.equal([Classic]);
    expect(classic.outputs.nextCommand).to.equal("pulumi config set stage union && pulumi up");
    expect(classic.outputs.nextStageSafe).to.equal(true);
    expect(poolsOf(h)).to.deep.equal(["original Classic->Classic 3/3"]);

    const union = await h.deploy("union");
    expect(union.outputs.ruleModes).to.deep.equal([Classic, Simplified]);
    expect(ruleNames(union.outputs.rules)).to.include.members([
      "AllowBatchClassicNodeManagementInbound",
      "AllowBatchSimplifiedNodeManagementOutbound",
    ]);
    expect(union.outputs.nextCommand).to.equal(
      "pulumi config set stage simplified-pool && pulumi up",
    );

    // First run at simplified-pool: target changes and the pool drains to zero.
    const preview = await h.deploy("simplified-pool", { preview: true });
    expect(preview.outputs.summary)
      .to.contain("sets pool")
      .and.contain("target to Simplified and resizes it to 0 nodes");
    expect(preview.outputs.summary).to.contain("Next run:").and.contain("scales pool");
    expect(poolsOf(h), "a preview changes nothing").to.deep.equal([
      "original Classic->Classic 3/3",
    ]);
    const drain = await h.deploy("simplified-pool");
    expect(poolsOf(h)).to.deep.equal(["original Simplified->Classic 0/0"]);
    expect(drain.outputs.nextStageSafe).to.equal(false);
    expect(drain.outputs.nextCommand).to.equal("pulumi up");

    // Second run: back out to the configured size; Azure applies Simplified.
    const back = await h.deploy("simplified-pool");
    expect(back.outputs.summary)
      .to.contain("scales pool")
      .and.contain("back out to 3 dedicated + 0 low-priority nodes");
    expect(poolsOf(h)).to.deep.equal(["original Simplified->Simplified 3/3"]);
    expect(back.outputs.live).to.equal("Simplified");
    expect(back.outputs.nextStageSafe).to.equal(true);
    expect(back.outputs.nextCommand).to.equal("pulumi config set stage simplified && pulumi up");

    const simplified = await h.deploy("simplified");
    expect(simplified.outputs.ruleModes).to.deep.equal([Simplified]);
    expect(ruleNames(simplified.outputs.rules)).to.deep.equal([
      "AllowBatchSimplifiedNodeManagementOutbound",
    ]);
    expect(simplified.outputs.nextStageSafe).to.equal(false);
    expect(simplified.outputs.nextCommand).to.equal(undefined);
    expect(simplified.outputs.rollbackCommand).to.equal(
      "pulumi config set stage simplified-pool && pulumi up",
    );
    h.expectSafe();
  });

  it("rolls back the same way: widen, pool back to Classic through zero, then narrow", async () => {
    const h = new MigrationHarness(BASE);
    for (const stage of ["classic", "union", "simplified-pool", "simplified"] as MigrationStage[])
      await h.settle(stage);
    const widened = await h.settle("simplified-pool");
    expect(widened.outputs.ruleModes).to.deep.equal([Classic, Simplified]);
    expect(poolsOf(h)).to.deep.equal(["original Simplified->Simplified 2/2"]);
    const first = await h.deploy("union");
    expect(first.outputs.summary).to.contain("target to Classic and resizes it to 0 nodes");
    const union = await h.settle("union");
    expect(poolsOf(h)).to.deep.equal(["original Classic->Classic 2/2"]);
    expect(union.outputs.nextCommand).to.equal(
      "pulumi config set stage simplified-pool && pulumi up",
    );
    expect(union.outputs.rollbackCommand).to.equal("pulumi config set stage classic && pulumi up");
    const classic = await h.deploy("classic");
    expect(classic.outputs.ruleModes).to.deep.equal([Classic]);
    h.expectSafe();
  });

  it("waits while a resize is slow: stays at zero until drained, then scales out", async () => {
    const h = new MigrationHarness(BASE, { resizeDelay: () => 2 });
    await h.deploy("classic");
    h.azure.advance(2);
    await h.deploy("union");
    await h.deploy("simplified-pool");
    expect(poolsOf(h)).to.deep.equal(["original Simplified->Classic 2/0"]);
    const waiting = await h.deploy("simplified-pool");
    expect(waiting.outputs.summary)
      .to.contain("keeps pool")
      .and.contain("at 0 nodes while it drains");
    h.azure.advance(2);
    await h.deploy("simplified-pool");
    h.azure.advance(2);
    const done = await h.deploy("simplified-pool");
    expect(done.outputs.nextStageSafe).to.equal(true);
    h.expectSafe();
  });
});

describe("NodeCommunicationMigration: the gate", () => {
  it("refuses a jump to simplified while the pool runs classic, in the preview and the update, and changes nothing", async () => {
    const h = new MigrationHarness(BASE);
    await h.deploy("classic");
    const previewed = await refusal(h.deploy("simplified", { preview: true }));
    expect(previewed).to.match(/refuses stage simplified/);
    expect(previewed).to.match(
      /pool batch-[a-z0-9]{6} still runs Classic \(live currentNodeCommunicationMode\)/,
    );
    expect(previewed).to.contain("pulumi config set stage simplified-pool && pulumi up");
    const updated = await refusal(h.deploy("simplified"));
    expect(updated).to.equal(previewed);
    await drainRegistrations();
    expect(poolsOf(h)).to.deep.equal(["original Classic->Classic 2/2"]);
    expect([...h.azure.listNsgRules().values()].flatMap((r) => [...r])).to.include(
      "AllowBatchClassicNodeManagementInbound",
    );
    h.expectSafe();
  });

  it("a refused run declares no rule on an existing NSG and outputs no narrowed rules", async () => {
    const h = new MigrationHarness({
      ...BASE,
      network: {
        existingSubnetId:
          "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/batch",
        existingNetworkSecurityGroup: { name: "hub-nsg" },
      },
    });
    await h.settle("classic");
    const before = [...h.azure.listNsgRules().get("hub-nsg")!];
    expect(await refusal(h.deploy("simplified"))).to.match(/refuses stage simplified/);
    await drainRegistrations();
    expect(
      h.mocks.registered.filter((r) => r.type === "azure-native:network:SecurityRule"),
    ).to.deep.equal([]);
    expect([...h.azure.listNsgRules().get("hub-nsg")!]).to.deep.equal(before);
    h.expectSafe();
  });

  it("refuses narrowing back to classic while the pool runs simplified", async () => {
    const h = new MigrationHarness(BASE);
    for (const stage of ["union", "simplified-pool"] as MigrationStage[]) await h.settle(stage);
    expect(await refusal(h.deploy("classic"))).to.match(/still runs Simplified.*stage union/s);
    h.expectSafe();
  });

  it("lets a fresh environment start at any stage: a pool that does not exist yet needs nothing", async () => {
    const h = new MigrationHarness(BASE);
    const preview = await h.deploy("simplified", { preview: true });
    expect(preview.outputs.summary).to.contain("creates pool").and.contain("target Simplified");
    const result = await h.deploy("simplified");
    expect(result.outputs.ruleModes).to.deep.equal([Simplified]);
    expect(poolsOf(h)).to.deep.equal(["original Simplified->Simplified 2/2"]);
    h.expectSafe();
  });

  it("where Azure does not report the mode (API 2025-06-01+), refuses to narrow until the user confirms it", async () => {
    const h = new MigrationHarness(BASE, { dropModeProperties: true });
    await h.deploy("simplified");
    const refused = await refusal(h.deploy("simplified"));
    expect(refused).to.contain("2025-06-01").and.contain("confirmedLiveMode");
    const confirmed = await h.deploy("simplified", { extra: { confirmedLiveMode: Simplified } });
    expect(confirmed.outputs.ruleModes).to.deep.equal([Simplified]);
    expect(confirmed.outputs.live).to.equal("unreported");
  });
});

describe("NodeCommunicationMigration: new-pool", () => {
  it("creates the simplified pool beside the classic one, deletes the classic pool, then narrows", async () => {
    const h = new MigrationHarness({ ...BASE, strategy: "new-pool" });
    await h.settle("classic");
    await h.settle("union");
    const both = await h.settle("simplified-pool");
    expect(poolsOf(h)).to.deep.equal([
      "original Classic->Classic 2/2",
      "replacement Simplified->Simplified 2/2",
    ]);
    expect(both.outputs.replacementPoolName).to.match(/^batch-simplified-[a-z0-9]{6}$/);
    expect(both.outputs.liveModes).to.deep.equal({
      original: "Classic",
      replacement: "Simplified",
    });
    expect(both.outputs.nextCommand).to.equal("pulumi config set stage simplified && pulumi up");

    const deleting = await h.deploy("simplified");
    expect(
      deleting.outputs.ruleModes,
      "the classic rules stay while the classic pool exists",
    ).to.deep.equal([Classic, Simplified]);
    expect(deleting.outputs.summary)
      .to.contain("deletes pool")
      .and.contain("keeps the Classic rules");
    expect(deleting.outputs.nextCommand).to.equal("pulumi up");
    expect(poolsOf(h)).to.deep.equal(["replacement Simplified->Simplified 2/2"]);
    const narrowed = await h.deploy("simplified");
    expect(narrowed.outputs.ruleModes).to.deep.equal([Simplified]);
    expect(narrowed.outputs.poolName).to.equal(undefined);
    h.expectSafe();
  });

  it("rolls back: the classic pool comes back beside the simplified one, which goes before the rules narrow", async () => {
    const h = new MigrationHarness({ ...BASE, strategy: "new-pool" });
    for (const stage of ["classic", "simplified-pool", "simplified"] as MigrationStage[])
      await h.settle(stage);
    await h.settle("simplified-pool");
    expect(poolsOf(h)).to.deep.equal([
      "replacement Simplified->Simplified 2/2",
      "original Classic->Classic 2/2",
    ]);
    await h.settle("union");
    expect(poolsOf(h)).to.deep.equal(["original Classic->Classic 2/2"]);
    const classic = await h.settle("classic");
    expect(classic.outputs.ruleModes).to.deep.equal([Classic]);
    h.expectSafe();
  });

  it("a jump from classic straight to simplified is safe: the classic rules are held until its pool is gone", async () => {
    const h = new MigrationHarness({ ...BASE, strategy: "new-pool" });
    await h.settle("classic");
    const jump = await h.deploy("simplified");
    expect(jump.outputs.ruleModes).to.deep.equal([Classic, Simplified]);
    await h.settle("simplified");
    expect(poolsOf(h)).to.deep.equal(["replacement Simplified->Simplified 2/2"]);
    h.expectSafe();
  });

  it("with rules on an existing NSG, the classic rules stay until the classic pool is gone, then go", async () => {
    const h = new MigrationHarness({
      ...BASE,
      strategy: "new-pool",
      network: {
        existingSubnetId:
          "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/batch",
        existingNetworkSecurityGroup: { name: "hub-nsg" },
      },
    });
    for (const stage of ["classic", "union", "simplified-pool"] as MigrationStage[])
      await h.settle(stage);
    const standalone = (r: Awaited<ReturnType<typeof h.deploy>>) =>
      r.registered
        .filter((x) => x.type === "azure-native:network:SecurityRule")
        .map((x) => x.inputs.securityRuleName);
    const deleting = await h.deploy("simplified");
    expect(standalone(deleting), "held with the pool that needs them").to.include(
      "AllowBatchClassicNodeManagementInbound",
    );
    expect(ruleNames(deleting.outputs.rules)).to.deep.equal(standalone(deleting));
    expect(deleting.outputs.ruleModes).to.deep.equal([Classic, Simplified]);
    const final = await h.settle("simplified");
    expect(standalone(final)).to.deep.equal(["AllowBatchSimplifiedNodeManagementOutbound"]);
    expect(ruleNames(final.outputs.rules)).to.deep.equal(standalone(final));
    expect([...h.azure.listNsgRules().get("hub-nsg")!]).to.deep.equal([
      "AllowBatchSimplifiedNodeManagementOutbound",
    ]);
    h.expectSafe();
  });
});

describe("NodeCommunicationMigration: adoption of a BatchEnvironment stack", () => {
  it("keeps every resource: same children and names, the environment aliased to its old place", async () => {
    const mocks = new SimulatedAzureMocks(new AzureSimulation());
    const { BatchEnvironment } = await import("../../src/components/batchEnvironment");
    const { NodeCommunicationMigration } =
      await import("../../src/components/nodeCommunicationMigration");
    await withCapturedLog(async () => {
      const before = await runDeployment(mocks, () => {
        const env = new BatchEnvironment("batch", {
          location: "westus2",
          communicationMode: Classic,
        });
        return { pool: env.poolName };
      });
      const recorder = optionRecorder();
      const after = await runDeployment(mocks, () => {
        const m = new NodeCommunicationMigration(
          "batch",
          { location: "westus2", stage: "classic" },
          { transformations: [recorder.transformation] },
        );
        return { pool: m.poolName };
      });
      const names = (r: typeof before) =>
        r.registered.map((x) => `${x.type} ${x.name} ${String(x.state.name)}`).sort();
      expect(names(after)).to.deep.equal(names(before));
      expect(after.outputs.pool).to.equal(before.outputs.pool);
      expect(mocks.diff().create.concat(mocks.diff().replace, mocks.diff().delete)).to.deep.equal(
        [],
      );
      const env = recorder.recorded.find(
        (r) => r.type === "azure-batch-network:index:BatchEnvironment",
      )!;
      expect(env.opts.aliases).to.deep.equal([{ parent: pulumi.rootStackResource }]);
    });
  });
});

describe("NodeCommunicationMigration: bad input", () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ["an unknown stage", { location: "westus2", stage: "halfway" }, ["stage"]],
    [
      "an unknown strategy",
      { location: "westus2", stage: "union", strategy: "blue-green" },
      ["strategy"],
    ],
    [
      "a replacement name equal to the fixed pool name",
      {
        location: "westus2",
        stage: "union",
        strategy: "new-pool",
        pool: { name: "render" },
        replacementPoolName: "Render",
      },
      ["replacementPoolName"],
    ],
    [
      "a simplified stage where Azure has no simplified mode",
      { location: "westindia", stage: "simplified-pool" },
      ["stage"],
    ],
    [
      "inconsistent environment settings",
      {
        location: "westus2",
        stage: "simplified",
        account: { publicNetworkAccess: "Disabled" },
        network: { subnetPrefix: "10.9.0.0/24" },
      },
      ["network.subnetPrefix", "privateEndpoints.nodeManagement"],
    ],
  ];
  for (const [what, args, fields] of cases) {
    it(`${what}: an InputPropertiesError naming the fields; nothing registered`, async () => {
      const mocks = await freshMocks();
      const { NodeCommunicationMigration } =
        await import("../../src/components/nodeCommunicationMigration");
      let thrown: unknown;
      try {
        new NodeCommunicationMigration("bad", args as never);
      } catch (error) {
        thrown = error;
      }
      expect(pulumi.InputPropertiesError.isInstance(thrown), String(thrown)).to.equal(true);
      expect(
        (thrown as pulumi.InputPropertiesError).errors.map((e) => e.propertyPath).sort(),
      ).to.deep.equal(fields);
      await drainRegistrations();
      expect(mocks.registered).to.deep.equal([]);
    });
  }
});
