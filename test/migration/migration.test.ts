import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { CommunicationMode, MigrationStage, SecurityRuleSpec } from "../../src/model";
import {
  AzureSimulation,
  ClassicBehaviour,
  runDeployment,
  SimulatedAzureMocks,
  withCapturedLog,
} from "../../src/simulate";
import { MigrationHarness } from "../support/migration";
import { drainRegistrations, freshMocks, optionRecorder } from "../support/pulumi";

const { Classic, Simplified } = CommunicationMode;
const BASE = { location: "westus2" };
const WORLDS: readonly ClassicBehaviour[] = ["retired", "honoured"];
const EXISTING_NETWORK = {
  existingSubnetId:
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/batch",
  existingNetworkSecurityGroup: { name: "hub-nsg" },
};

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

/** The mode a pool created with a Classic target runs in, in each world. */
const CLASSIC_RUNS: Record<ClassicBehaviour, string> = { retired: Simplified, honoured: Classic };

describe("NodeCommunicationMigration: in-place, forward and back", () => {
  for (const classic of WORLDS) {
    it(`${classic}: classic -> union -> simplified-pool -> simplified -> api-2025-06-01, one command at a time`, async () => {
      const h = new MigrationHarness({ ...BASE, pool: { dedicatedNodes: 3 } }, { classic });
      const start = await h.deploy("classic");
      // A Classic target's nodes may join in Simplified, so the classic stage serves both.
      expect(start.outputs.ruleModes).to.deep.equal([Classic, Simplified]);
      expect(start.outputs.nextCommand).to.equal("pulumi config set stage union && pulumi up");
      expect(poolsOf(h)).to.deep.equal([`original Classic->${CLASSIC_RUNS[classic]} 3/3`]);

      const union = await h.deploy("union");
      expect(union.outputs.ruleModes).to.deep.equal([Classic, Simplified]);
      expect(union.outputs.nextCommand).to.equal(
        "pulumi config set stage simplified-pool && pulumi up",
      );
      if (classic === "retired") {
        expect(union.outputs.summary).to.contain("Azure no longer honours Classic");
        // The pool already runs Simplified: its target changes without a drain.
        const switched = await h.deploy("simplified-pool");
        expect(switched.outputs.summary).to.contain("sets pool").and.contain("it already runs");
        expect(poolsOf(h)).to.deep.equal(["original Simplified->Simplified 3/3"]);
        expect(switched.outputs.nextStageSafe).to.equal(true);
      } else {
        const preview = await h.deploy("simplified-pool", { preview: true });
        expect(preview.outputs.summary).to.contain(
          "target to Simplified and resizes it to 0 nodes",
        );
        expect(poolsOf(h), "a preview changes nothing").to.deep.equal([
          "original Classic->Classic 3/3",
        ]);
        const drain = await h.deploy("simplified-pool");
        expect(poolsOf(h)).to.deep.equal(["original Simplified->Classic 0/0"]);
        expect(drain.outputs.nextCommand).to.equal("pulumi up");
        const back = await h.deploy("simplified-pool");
        expect(back.outputs.summary).to.contain("back out to 3 dedicated + 0 low-priority nodes");
        expect(poolsOf(h)).to.deep.equal(["original Simplified->Simplified 3/3"]);
        expect(back.outputs.live).to.equal("Simplified");
        expect(back.outputs.nextStageSafe).to.equal(true);
      }

      const simplified = await h.deploy("simplified");
      expect(simplified.outputs.ruleModes).to.deep.equal([Simplified]);
      expect(ruleNames(simplified.outputs.rules)).to.deep.equal([
        "AllowBatchSimplifiedNodeManagementOutbound",
      ]);
      expect(simplified.outputs.nextCommand).to.equal(
        "pulumi config set stage api-2025-06-01 && pulumi up",
      );

      const final = await h.deploy("api-2025-06-01");
      const pool = final.registered.find((r) => r.type.endsWith(":Pool"))!;
      expect(pool.type).to.equal("azure-native:batch/v20250601:Pool");
      expect(pool.inputs).to.not.have.property("targetNodeCommunicationMode");
      expect(final.diff.update.map((r) => r.type)).to.include("azure-native:batch/v20250601:Pool");
      expect(
        [...final.diff.create, ...final.diff.replace, ...final.diff.delete].map((r) => r.type),
      ).to.deep.equal([]);
      expect(final.outputs.nextCommand).to.equal(undefined);
      expect(final.outputs.rollbackCommand).to.equal(
        "pulumi config set stage simplified && pulumi up",
      );
      expect(h.azure.listPools()[0].apiVersion).to.equal("2025-06-01");
      h.expectSafe();
    });

    it(`${classic}: rolls back the same way: to 2024-07-01, widen, pool back to Classic through zero`, async () => {
      const h = new MigrationHarness(BASE, { classic });
      const forward: MigrationStage[] = [
        "classic",
        "union",
        "simplified-pool",
        "simplified",
        "api-2025-06-01",
      ];
      for (const stage of forward) await h.settle(stage);
      const back = await h.settle("simplified");
      expect(back.registered.find((r) => r.type.endsWith(":Pool"))!.type).to.equal(
        "azure-native:batch:Pool",
      );
      expect(h.azure.listPools()[0].apiVersion).to.equal("2024-07-01");
      const widened = await h.settle("simplified-pool");
      expect(widened.outputs.ruleModes).to.deep.equal([Classic, Simplified]);
      const first = await h.deploy("union");
      expect(first.outputs.summary).to.contain("target to Classic and resizes it to 0 nodes");
      const union = await h.settle("union");
      expect(poolsOf(h)).to.deep.equal([`original Classic->${CLASSIC_RUNS[classic]} 2/2`]);
      expect(union.outputs.live).to.equal(CLASSIC_RUNS[classic]);
      if (classic === "retired") {
        // Settled after one drain, without looping: the next run says why.
        const again = await h.deploy("union");
        expect(again.outputs.summary).to.contain("Azure no longer honours Classic");
        expect(again.outputs.nextStageSafe).to.equal(true);
        expect(poolsOf(h)).to.deep.equal(["original Classic->Simplified 2/2"]);
      }
      expect(union.outputs.rollbackCommand).to.equal(
        "pulumi config set stage classic && pulumi up",
      );
      const classicStage = await h.settle("classic");
      expect(classicStage.outputs.ruleModes).to.deep.equal([Classic, Simplified]);
      h.expectSafe();
    });
  }

  it("honoured: waits while a resize is slow: stays at zero until drained, then scales out", async () => {
    const h = new MigrationHarness(BASE, { classic: "honoured", resizeDelay: () => 2 });
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
  it("honoured: refuses a jump to simplified while the pool runs classic, in the preview and the update, and changes nothing", async () => {
    const h = new MigrationHarness(BASE, { classic: "honoured" });
    await h.deploy("classic");
    const previewed = await refusal(h.deploy("simplified", { preview: true }));
    expect(previewed).to.match(/refuses stage simplified/);
    expect(previewed).to.match(
      /pool batch-[a-z0-9]{6} still runs Classic \(live currentNodeCommunicationMode\)/,
    );
    expect(previewed).to.contain("pulumi config set stage simplified-pool && pulumi up");
    const updated = await refusal(h.deploy("simplified"));
    expect(updated).to.contain(previewed.slice(previewed.indexOf("refuses")));
    await drainRegistrations();
    expect(poolsOf(h)).to.deep.equal(["original Classic->Classic 2/2"]);
    expect([...h.azure.listNsgRules().values()].flatMap((r) => [...r])).to.include(
      "AllowBatchClassicNodeManagementInbound",
    );
    h.expectSafe();
  });

  it("honoured: a refused run declares no rule on an existing NSG and outputs no narrowed rules", async () => {
    const h = new MigrationHarness({ ...BASE, network: EXISTING_NETWORK }, { classic: "honoured" });
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

  for (const classic of WORLDS) {
    it(`${classic}: never refuses going back to classic: its rules keep serving Simplified`, async () => {
      const h = new MigrationHarness(BASE, { classic });
      for (const stage of ["union", "simplified-pool", "simplified"] as MigrationStage[])
        await h.settle(stage);
      const back = await h.deploy("classic");
      expect(back.outputs.ruleModes).to.deep.equal([Classic, Simplified]);
      await h.settle("classic");
      h.expectSafe();
    });
  }

  it("lets a fresh environment start at any stage: a pool that does not exist yet needs nothing", async () => {
    const h = new MigrationHarness(BASE);
    const preview = await h.deploy("simplified", { preview: true });
    expect(preview.outputs.summary).to.contain("creates pool").and.contain("target Simplified");
    const result = await h.deploy("simplified");
    expect(result.outputs.ruleModes).to.deep.equal([Simplified]);
    expect(poolsOf(h)).to.deep.equal(["original Simplified->Simplified 2/2"]);
    h.expectSafe();
  });

  it("where Azure does not report the mode, refuses to narrow until the user confirms it", async () => {
    const h = new MigrationHarness(BASE, { dropModeProperties: true });
    await h.deploy("simplified");
    const refused = await refusal(h.deploy("simplified"));
    expect(refused).to.contain("2025-06-01").and.contain("confirmedLiveMode");
    const confirmed = await h.deploy("simplified", { extra: { confirmedLiveMode: Simplified } });
    expect(confirmed.outputs.ruleModes).to.deep.equal([Simplified]);
    expect(confirmed.outputs.live).to.equal("unreported");
  });
});

describe("NodeCommunicationMigration: the last stage, api-2025-06-01", () => {
  for (const classic of WORLDS) {
    it(`${classic}: refuses it while the pool targets or runs Classic, since nothing could change that afterwards`, async () => {
      const h = new MigrationHarness(BASE, { classic });
      await h.settle("classic");
      const refused = await refusal(h.deploy("api-2025-06-01"));
      expect(refused).to.match(/refuses stage api-2025-06-01/);
      expect(refused).to.match(
        classic === "honoured" ? /still runs Classic/ : /still targets Classic.*stage simplified/s,
      );
      // A refused run changes nothing: the account is not moved to its new type either.
      expect(h.mocks.registered.map((r) => r.type)).to.not.include.members([
        "azure-native:batch/v20250601:BatchAccount",
        "azure-native:batch/v20250601:Pool",
      ]);
      expect(h.mocks.deployed.map((r) => r.type)).to.include("azure-native:batch:BatchAccount");
      h.expectSafe();
    });
  }

  it("moves the pool and the account under aliases of their 2024-07-01 types: updates, never replacements", async () => {
    const h = new MigrationHarness(BASE);
    await h.settle("simplified");
    const { NodeCommunicationMigration } =
      await import("../../src/components/nodeCommunicationMigration");
    const recorder = optionRecorder();
    const moved = await withCapturedLog(() =>
      runDeployment(h.mocks, () => {
        const m = new NodeCommunicationMigration(
          "batch",
          { ...BASE, stage: "api-2025-06-01" },
          { transformations: [recorder.transformation] },
        );
        return { next: m.nextCommand };
      }),
    );
    for (const [type, alias] of [
      ["azure-native:batch/v20250601:Pool", "azure-native:batch:Pool"],
      ["azure-native:batch/v20250601:BatchAccount", "azure-native:batch:BatchAccount"],
    ]) {
      const opts = recorder.recorded.find((r) => r.type === type)!.opts;
      expect(opts.aliases, type).to.deep.include({ type: alias });
    }
    const { diff } = moved.result;
    expect(diff.update.map((r) => r.type)).to.include.members([
      "azure-native:batch/v20250601:Pool",
      "azure-native:batch/v20250601:BatchAccount",
    ]);
    expect(diff.create.concat(diff.replace, diff.delete)).to.deep.equal([]);
    h.expectSafe();
  });

  it("asks for confirmedLiveMode once Azure no longer reports the mode at 2024-07-01", async () => {
    const h = new MigrationHarness(BASE);
    await h.settle("simplified");
    const silent = new MigrationHarness(BASE, { dropModeProperties: true }, "batch", h);
    const refused = await refusal(silent.deploy("api-2025-06-01"));
    expect(refused).to.contain("confirmedLiveMode");
    const done = await silent.deploy("api-2025-06-01", {
      extra: { confirmedLiveMode: Simplified },
    });
    expect(done.outputs.ruleModes).to.deep.equal([Simplified]);
    silent.expectSafe();
  });
});

describe("NodeCommunicationMigration: the subnet's way out at every stage", () => {
  it("keeps the subnet private with the pool's way out through every stage; a pool without public IPs keeps its NAT gateway", async () => {
    const h = new MigrationHarness(BASE);
    for (const stage of [
      "classic",
      "union",
      "simplified-pool",
      "simplified",
      "api-2025-06-01",
    ] as const) {
      await h.settle(stage);
      const [subnet] = [...h.azure.subnetContents().values()];
      expect(subnet.defaultOutboundAccess, stage).to.equal(false);
    }
    expect(h.violations).to.deep.equal([]);
    const noPublicIps = new MigrationHarness({
      ...BASE,
      pool: { publicIpProvisioning: "NoPublicIPAddresses" },
    });
    for (const stage of ["simplified", "api-2025-06-01", "simplified"] as const) {
      await noPublicIps.settle(stage);
      const [subnet] = [...noPublicIps.azure.subnetContents().values()];
      expect(subnet, stage).to.deep.include({ defaultOutboundAccess: false });
      expect(subnet.natGatewayId, stage).to.be.a("string");
      expect(
        noPublicIps.mocks.registered.map((r) => r.type),
        stage,
      ).to.include("azure-native:network:NatGateway");
    }
    // Every intermediate state was judged with the subnet's way out, and none missed a flow.
    expect(noPublicIps.violations).to.deep.equal([]);
  });
});

describe("NodeCommunicationMigration: new-pool", () => {
  for (const classic of WORLDS) {
    it(`${classic}: creates the simplified pool beside the classic one, deletes the classic pool, then narrows`, async () => {
      const h = new MigrationHarness({ ...BASE, strategy: "new-pool" }, { classic });
      await h.settle("classic");
      await h.settle("union");
      const both = await h.settle("simplified-pool");
      expect(poolsOf(h)).to.deep.equal([
        `original Classic->${CLASSIC_RUNS[classic]} 2/2`,
        "replacement Simplified->Simplified 2/2",
      ]);
      expect(both.outputs.replacementPoolName).to.match(/^batch-simplified-[a-z0-9]{6}$/);
      expect(both.outputs.liveModes).to.deep.equal({
        original: CLASSIC_RUNS[classic],
        replacement: Simplified,
      });
      expect(both.outputs.nextCommand).to.equal("pulumi config set stage simplified && pulumi up");

      const deleting = await h.deploy("simplified");
      expect(deleting.outputs.summary).to.contain("deletes pool");
      expect(poolsOf(h)).to.deep.equal(["replacement Simplified->Simplified 2/2"]);
      const narrowed = await h.settle("simplified");
      expect(narrowed.outputs.ruleModes).to.deep.equal([Simplified]);
      expect(narrowed.outputs.poolName).to.equal(undefined);
      h.expectSafe();
    });

    it(`${classic}: rolls back: the classic pool comes back beside the simplified one, which goes before the rules narrow`, async () => {
      const h = new MigrationHarness({ ...BASE, strategy: "new-pool" }, { classic });
      for (const stage of ["classic", "simplified-pool", "simplified"] as MigrationStage[])
        await h.settle(stage);
      await h.settle("simplified-pool");
      expect(poolsOf(h)).to.deep.equal([
        "replacement Simplified->Simplified 2/2",
        `original Classic->${CLASSIC_RUNS[classic]} 2/2`,
      ]);
      await h.settle("union");
      expect(poolsOf(h)).to.deep.equal([`original Classic->${CLASSIC_RUNS[classic]} 2/2`]);
      const back = await h.settle("classic");
      expect(back.outputs.ruleModes).to.deep.equal([Classic, Simplified]);
      h.expectSafe();
    });
  }

  it("honoured: a jump from classic straight to simplified is safe: the classic rules are held until its pool is gone", async () => {
    const h = new MigrationHarness({ ...BASE, strategy: "new-pool" }, { classic: "honoured" });
    await h.settle("classic");
    const jump = await h.deploy("simplified");
    expect(jump.outputs.ruleModes).to.deep.equal([Classic, Simplified]);
    expect(jump.outputs.summary).to.contain("keeps the Classic rules");
    await h.settle("simplified");
    expect(poolsOf(h)).to.deep.equal(["replacement Simplified->Simplified 2/2"]);
    h.expectSafe();
  });

  it("honoured: with rules on an existing NSG, the classic rules stay until the classic pool is gone, then go", async () => {
    const h = new MigrationHarness(
      { ...BASE, strategy: "new-pool", network: EXISTING_NETWORK },
      { classic: "honoured" },
    );
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
      "an API version, which the stage decides",
      { location: "westus2", stage: "simplified", batchApiVersion: "2025-06-01" },
      ["batchApiVersion"],
    ],
    [
      "an environment's mode settings, which the stage decides and would override without a word",
      {
        location: "westus2",
        stage: "simplified",
        communicationMode: "Classic",
        ruleModes: ["Classic"],
      },
      ["communicationMode", "ruleModes"],
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
