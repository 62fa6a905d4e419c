import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { STAGE_ORDER } from "../../src/model";
import { MigrationHarness } from "../support/migration";
import { runProgramFile } from "../support/programs";
import { captureWarnings, freshMocks } from "../support/pulumi";
import { registeredUrns } from "../support/urns";

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
        for (const stage of STAGE_ORDER) {
          await h.settle(stage);
          const now = registeredUrns();
          const lost = RECORDED[`${label} ${stage}`].filter((urn) => !now.includes(urn));
          expect(lost, `stage ${stage}`).to.deep.equal([]);
        }
      });
    }
  }
});
