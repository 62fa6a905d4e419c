import { expect } from "chai";
import { MigrationStage, STAGE_ORDER } from "../../src/model";
import type { ClassicBehaviour } from "../../src/simulate";
import { MigrationArgs, MigrationHarness } from "../support/migration";

/**
 * What an operator's long walk used to break, sequence by sequence (each the smallest that
 * did), in both Azure behaviours and across the retirement itself: Azure honouring Classic when
 * the walk starts and no longer honouring it from some run on. The NSG has an outbound lockdown
 * and no job-manager outbound rule, so nothing but the package's own Simplified rule lets a
 * Simplified node reach Batch. Every state Azure passes through is judged by the analyzer.
 */
const LOCKED_DOWN = { outboundLockdown: {}, classicJobManagerOutbound: false };
const EXISTING_NSG = {
  ...LOCKED_DOWN,
  existingSubnetId:
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/batch",
  existingNetworkSecurityGroup: { name: "hub-nsg" },
};

type World = ClassicBehaviour | "retiring";
const WORLDS: readonly World[] = ["retired", "honoured", "retiring"];

/** A harness in a world; `retiring` starts honoured and retires Classic when `retire` is called. */
function harness(args: Omit<MigrationArgs, "stage" | "location">, world: World) {
  const h = new MigrationHarness(
    { location: "westus2", ...args },
    { classic: world === "retiring" ? "honoured" : world },
  );
  const retire = () => {
    if (world === "retiring") h.azure.setClassicBehaviour("retired");
  };
  return { h, retire };
}

async function refusal(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    return (error as Error).message;
  }
  return "";
}

describe("NodeCommunicationMigration: what an operator's long walk used to break", function () {
  this.timeout(120_000);

  for (const world of WORLDS) {
    it(`${world}: 1. in-place, existing NSG, back to classic while drained`, async () => {
      const { h, retire } = harness({ network: EXISTING_NSG, pool: { dedicatedNodes: 1 } }, world);
      await h.settle("classic");
      retire();
      await h.deploy("simplified-pool");
      await h.deploy("classic");
      expect([...h.azure.listNsgRules().get("hub-nsg")!]).to.include(
        "AllowBatchSimplifiedNodeManagementOutbound",
      );
      h.azure.advance(5);
      await h.settle("classic");
      h.expectSafe();
    });

    it(`${world}: 2. in-place, the NSG the component makes: simplified-pool (drained), classic, classic`, async () => {
      const { h, retire } = harness({ network: LOCKED_DOWN, pool: { dedicatedNodes: 1 } }, world);
      await h.settle("classic");
      retire();
      await h.deploy("simplified-pool");
      await h.deploy("classic");
      h.azure.advance(5);
      await h.deploy("classic");
      h.azure.advance(5);
      await h.settle("classic");
      h.expectSafe();
    });

    it(`${world}: 3. new-pool, existing NSG: classic, simplified, classic`, async () => {
      const { h, retire } = harness({ strategy: "new-pool", network: EXISTING_NSG }, world);
      await h.settle("classic");
      retire();
      await h.settle("simplified");
      await h.settle("classic");
      h.expectSafe();
    });

    for (const strategy of ["in-place", "new-pool"] as const) {
      it(`${world}: 4. a new stack at stage classic (${strategy})`, async () => {
        const { h, retire } = harness({ strategy, network: LOCKED_DOWN }, world);
        retire();
        await h.settle("classic");
        h.azure.advance(5);
        h.expectSafe();
      });
    }

    it(`${world}: 5. a target being reverted keeps its rules on an existing NSG too`, async () => {
      const { h, retire } = harness({ network: EXISTING_NSG }, world);
      for (const stage of ["classic", "simplified-pool", "simplified"] as MigrationStage[])
        await h.settle(stage);
      retire();
      const back = await h.deploy("classic");
      expect(
        back.registered
          .filter((r) => r.type === "azure-native:network:SecurityRule")
          .map((r) => r.inputs.securityRuleName),
      ).to.include("AllowBatchSimplifiedNodeManagementOutbound");
      h.azure.advance(5);
      await h.settle("classic");
      h.expectSafe();
    });

    it(`${world}: 6. a refused run changes nothing on an existing NSG`, async () => {
      const { h } = harness({ network: EXISTING_NSG }, world);
      await h.settle("classic");
      const before = [...h.azure.listNsgRules().get("hub-nsg")!];
      // Honoured, the pool runs Classic (simplified would narrow it away); otherwise it still
      // targets Classic, which the last stage would leave no way to change.
      const stage: MigrationStage = world === "retired" ? "api-2025-06-01" : "simplified";
      expect(await refusal(h.deploy(stage))).to.match(/refuses stage/);
      expect(
        h.mocks.registered.filter((r) => r.type === "azure-native:network:SecurityRule"),
      ).to.deep.equal([]);
      expect([...h.azure.listNsgRules().get("hub-nsg")!]).to.deep.equal(before);
      h.expectSafe();
    });

    for (const strategy of ["in-place", "new-pool"] as const) {
      it(`${world}: 7. every stage settles in a few runs forward and back, and says what it did (${strategy})`, async () => {
        const { h, retire } = harness({ strategy, network: LOCKED_DOWN }, world);
        const walk = [...STAGE_ORDER, ...[...STAGE_ORDER].reverse().slice(1)];
        for (const [i, stage] of walk.entries()) {
          if (i === 2) retire();
          const classicBefore = h.azure
            .listPools()
            .find((p) => !p.poolName.includes("-simplified-"));
          const nodesBefore = classicBefore?.nodes;
          const last = await h.settle(stage, 4);
          expect(last.outputs.nextCommand).to.not.equal("pulumi up");
          expect(h.infos.join("\n")).to.not.contain("before it had drained");
          if (strategy === "new-pool" && (stage === "union" || stage === "simplified-pool")) {
            // New-pool never drains the classic pool it keeps.
            const kept = h.azure.listPools().find((p) => !p.poolName.includes("-simplified-"));
            if (nodesBefore !== undefined && kept) expect(kept.nodes, stage).to.equal(nodesBefore);
          }
        }
        h.expectSafe();
      });
    }
  }
});
