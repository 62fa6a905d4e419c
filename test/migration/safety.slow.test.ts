import { expect } from "chai";
import fc from "fast-check";
import { MigrationStrategy, STAGE_ORDER } from "../../src/model";
import { MigrationHarness } from "../support/migration";

/**
 * The safety property over random walks through the stages: forward, backward, skips and
 * repeats, previews among updates, and Azure taking random time to resize. At every change
 * Azure sees (each NSG write, pool write, deletion, tick), every pool that has or gets nodes
 * finds the rules its live and target modes need; and the gate refuses exactly when a pool the
 * stage keeps runs a mode the stage's rules no longer serve.
 */
describe("NodeCommunicationMigration: safety over random stage sequences", function () {
  this.timeout(300_000);

  const step = fc.record({
    stage: fc.constantFrom(...STAGE_ORDER),
    preview: fc.boolean(),
    ticks: fc.nat({ max: 3 }),
  });

  for (const strategy of ["in-place", "new-pool"] as MigrationStrategy[]) {
    it(`${strategy}: no state misses a needed flow, and the gate fires exactly when it must`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(step, { minLength: 1, maxLength: 7 }),
          fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 5 }),
          async (steps, delays) => {
            let drawn = 0;
            const h = new MigrationHarness(
              { location: "westus2", strategy },
              { resizeDelay: () => delays[drawn++ % delays.length] },
            );
            await h.deploy("classic");
            h.azure.advance(4);
            for (const { stage, preview, ticks } of steps) {
              const mustRefuse = h.mustRefuse(stage, strategy);
              let refused = "";
              try {
                await h.deploy(stage, { preview });
              } catch (error) {
                refused = (error as Error).message;
              }
              expect(
                refused !== "",
                `stage ${stage}${preview ? " (preview)" : ""}: refused "${refused}"`,
              ).to.equal(mustRefuse);
              if (refused) expect(refused).to.match(/still runs (Classic|Simplified)/);
              h.azure.advance(ticks);
            }
            h.expectSafe();
          },
        ),
        { numRuns: 15 },
      );
    });
  }
});
