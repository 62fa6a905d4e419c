import { expect } from "chai";
import { MigrationStage, MigrationStrategy, STAGE_ORDER } from "../../src/model";
import type { ClassicBehaviour } from "../../src/simulate";
import { MigrationHarness } from "../support/migration";

/**
 * The README's table of jumps: from each settled stage to every other, in both Azure
 * behaviours, which runs are refused and which are safe. In-place refuses a jump that narrows
 * the rules away from the mode the pool's nodes run in, and the last stage while the pool still
 * targets Classic; new-pool never needs to (pools on their way out keep their rules until gone).
 */
const REFUSED: Record<ClassicBehaviour, Partial<Record<MigrationStage, MigrationStage[]>>> = {
  // Classic honoured: the pool runs Classic until simplified-pool drains it.
  honoured: {
    classic: ["simplified", "api-2025-06-01"],
    union: ["simplified", "api-2025-06-01"],
  },
  // Classic not honoured: the pool runs Simplified from the start, but targets Classic.
  retired: { classic: ["api-2025-06-01"], union: ["api-2025-06-01"] },
};

describe("NodeCommunicationMigration: jumping several stages at once", function () {
  this.timeout(300_000);
  for (const classic of ["retired", "honoured"] as ClassicBehaviour[]) {
    for (const strategy of ["in-place", "new-pool"] as MigrationStrategy[]) {
      for (const from of STAGE_ORDER) {
        const refusedHere = strategy === "in-place" ? (REFUSED[classic][from] ?? []) : [];
        it(`${classic}, ${strategy}, from a settled ${from}: ${refusedHere.length ? `refuses ${refusedHere.join(", ")}; the rest are safe` : "every jump is safe"}`, async () => {
          const outcomes: string[] = [];
          // Settle the way to `from` once; each jump goes on from a fork of that state.
          const settledAt = new MigrationHarness({ location: "westus2", strategy }, { classic });
          for (const stage of STAGE_ORDER.slice(0, STAGE_ORDER.indexOf(from) + 1))
            await settledAt.settle(stage);
          settledAt.expectSafe();
          for (const to of STAGE_ORDER.filter((s) => s !== from)) {
            const h = settledAt.fork();
            const mustRefuse = h.mustRefuse(to, strategy);
            let refused = false;
            try {
              await h.deploy(to);
              await h.settle(to);
            } catch (error) {
              refused = /refuses stage/.test((error as Error).message);
              if (!refused) throw error;
            }
            h.expectSafe();
            expect(refused, `${from} -> ${to}: the gate and the independent rule agree`).to.equal(
              mustRefuse,
            );
            outcomes.push(`${to}:${refused ? "refused" : "safe"}`);
          }
          const expected = STAGE_ORDER.filter((s) => s !== from).map(
            (to) => `${to}:${refusedHere.includes(to) ? "refused" : "safe"}`,
          );
          expect(outcomes).to.deep.equal(expected);
        });
      }
    }
  }
});
