import { expect } from "chai";
import { MigrationStage, MigrationStrategy, STAGE_ORDER } from "../../src/model";
import { MigrationHarness } from "../support/migration";

/**
 * The README's table of jumps: from each settled stage to every other, which runs are refused
 * and which are safe. In-place refuses a jump that narrows the rules away from the mode the
 * pool runs; new-pool never needs to (pools on their way out keep their rules until gone).
 */
const REFUSED_IN_PLACE: Record<MigrationStage, MigrationStage[]> = {
  classic: ["simplified"],
  union: ["simplified"],
  "simplified-pool": ["classic"],
  simplified: ["classic"],
};

describe("NodeCommunicationMigration: jumping several stages at once", function () {
  this.timeout(120_000);
  for (const strategy of ["in-place", "new-pool"] as MigrationStrategy[]) {
    for (const from of STAGE_ORDER) {
      it(`${strategy}, from a settled ${from}: ${strategy === "in-place" ? `refuses ${REFUSED_IN_PLACE[from].join(", ")}; the rest are safe` : "every jump is safe"}`, async () => {
        const outcomes: string[] = [];
        // Settle the way to `from` once; each jump goes on from a fork of that state.
        const settledAt = new MigrationHarness({ location: "westus2", strategy });
        for (const stage of STAGE_ORDER.slice(0, STAGE_ORDER.indexOf(from) + 1))
          await settledAt.settle(stage);
        settledAt.expectSafe();
        for (const to of STAGE_ORDER.filter((s) => s !== from)) {
          const h = settledAt.fork();
          let refused = false;
          try {
            await h.deploy(to);
            await h.settle(to);
          } catch (error) {
            refused = /refuses stage/.test((error as Error).message);
            if (!refused) throw error;
          }
          h.expectSafe();
          outcomes.push(`${to}:${refused ? "refused" : "safe"}`);
        }
        const expected = STAGE_ORDER.filter((s) => s !== from).map(
          (to) =>
            `${to}:${strategy === "in-place" && REFUSED_IN_PLACE[from].includes(to) ? "refused" : "safe"}`,
        );
        expect(outcomes).to.deep.equal(expected);
      });
    }
  }
});
