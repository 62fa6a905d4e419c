import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { STAGE_ORDER } from "../../src/model";
import { MigrationHarness } from "../support/migration";
import { runProgramFile } from "../support/programs";
import { captureWarnings, freshMocks } from "../support/pulumi";
import { registeredAliases, registeredUrns } from "../support/urns";

/**
 * Every resource keeps its URN across releases: a URN that changes is a resource Pulumi
 * deletes and creates again (a pool drained, an NSG swapped under a subnet). The fixture holds
 * the URNs the released package gave each example and each settled migration stage.
 */
const RECORDED = JSON.parse(
  readFileSync(join(__dirname, "../fixtures/urns/urns.json"), "utf8"),
) as Record<string, string[]>;

const EXISTING_NETWORK = {
  existingSubnetId:
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/batch",
  existingNetworkSecurityGroup: { name: "hub-nsg" },
};

describe("resource URNs stay as released", function () {
  this.timeout(120_000);

  for (const [example, project] of [
    ["simplified-pool", "batch-simplified-pool"],
    ["no-public-ip", "batch-no-public-ip"],
    ["existing-network", "batch-existing-network"],
  ]) {
    it(`examples/${example}: the same URNs, none added or lost`, async () => {
      const mocks = await freshMocks();
      await captureWarnings(() => runProgramFile(mocks, `examples/${example}/index.ts`, project));
      expect(registeredUrns()).to.deep.equal(RECORDED[`examples/${example}`]);
    });
  }

  for (const strategy of ["in-place", "new-pool"] as const) {
    for (const existing of [false, true]) {
      const label = `migration ${strategy}${existing ? " existing-nsg" : ""}`;
      it(`${label}: every settled stage keeps every URN it had`, async () => {
        const h = new MigrationHarness({
          location: "westus2",
          strategy,
          ...(existing ? { network: EXISTING_NETWORK } : {}),
        });
        let before: string[] = [];
        for (const stage of STAGE_ORDER) {
          await h.settle(stage);
          const now = registeredUrns();
          const aliased = new Set([...registeredAliases().values()].flat());
          // The released stages keep their recorded URNs; a later stage keeps every URN the
          // stage before it had, or declares it as an alias (a type moved to API 2025-06-01 is
          // an update of the same resource, never a replacement).
          const recorded = RECORDED[`${label} ${stage}`] ?? before;
          const lost = recorded.filter((urn) => !now.includes(urn) && !aliased.has(urn));
          expect(lost, `stage ${stage}`).to.deep.equal([]);
          if (stage === "api-2025-06-01") {
            // The account and pool, each aliasing the URN it had at 2024-07-01.
            const moved = now.filter((urn) => urn.includes("azure-native:batch/v20250601:"));
            expect(moved).to.have.length(2);
            for (const urn of moved) {
              const was = urn.replace("azure-native:batch/v20250601:", "azure-native:batch:");
              expect(before).to.include(was);
              expect(registeredAliases().get(urn)).to.include(was);
            }
          }
          before = now;
        }
        // And back: azure-native's own classes alias the 2025-06-01 types, so the way back
        // is an update too.
        await h.settle("simplified");
        for (const urn of before.filter((u) => u.includes("azure-native:batch/v20250601:"))) {
          const back = urn.replace("azure-native:batch/v20250601:", "azure-native:batch:");
          expect(registeredUrns()).to.include(back);
          expect(registeredAliases().get(back)).to.include(urn);
        }
      });
    }
  }
});
