import { expect } from "chai";
import fc from "fast-check";
import { MigrationStrategy, STAGE_ORDER } from "../../src/model";
import type { ClassicBehaviour } from "../../src/simulate";
import { MigrationArgs, MigrationHarness } from "../support/migration";

/**
 * The safety property over random walks through the stages, driven as an operator would: many
 * `pulumi up` runs in a row, forward, backward, skips and repeats, previews among them, Azure
 * taking random time to resize (all at once or one node a tick), drained pools that keep
 * reporting their last mode, runs that fail half way (what reached Azure stays), and Azure
 * honouring Classic, not honouring it, or retiring it in the middle of the walk.
 *
 * At every change Azure sees (each NSG write, pool write, deletion, tick), every pool that has
 * or gets nodes finds the rules its running nodes and its next nodes need, judged by the
 * analyzer on what the NSG and route table carry; and the gate refuses exactly when the
 * harness's own statement of the rule says it must.
 */
const LOCKED_DOWN = { outboundLockdown: {}, classicJobManagerOutbound: false };
const NETWORKS: Record<string, MigrationArgs["network"]> = {
  created: undefined,
  "locked down": LOCKED_DOWN,
  "existing NSG, locked down": {
    ...LOCKED_DOWN,
    existingSubnetId:
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub/subnets/batch",
    existingNetworkSecurityGroup: { name: "hub-nsg" },
  },
};

describe("NodeCommunicationMigration: safety over random stage sequences", function () {
  this.timeout(600_000);

  const step = fc.record({
    stage: fc.constantFrom(...STAGE_ORDER),
    preview: fc.boolean(),
    ticks: fc.nat({ max: 3 }),
    // Some runs fail after this many writes reached Azure.
    failAfterWrites: fc.option(fc.nat({ max: 3 }), { freq: 4 }),
  });
  const world = fc.oneof(
    fc.constantFrom<ClassicBehaviour>("retired", "honoured"),
    fc.nat({ max: 6 }).map((at) => ({ retiresAfterStep: at })),
  );

  for (const strategy of ["in-place", "new-pool"] as MigrationStrategy[]) {
    it(`${strategy}: no state misses a needed flow, and the gate fires exactly when it must`, async () => {
      await fc.assert(
        fc.asyncProperty(
          world,
          fc.constantFrom(...Object.keys(NETWORKS)),
          fc.boolean(),
          fc.array(step, { minLength: 1, maxLength: 7 }),
          fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 5 }),
          async (azureWorld, network, oneNodePerTick, steps, delays) => {
            let drawn = 0;
            const h = new MigrationHarness(
              { location: "westus2", strategy, network: NETWORKS[network] },
              {
                classic: typeof azureWorld === "string" ? azureWorld : "honoured",
                oneNodePerTick,
                resizeDelay: () => delays[drawn++ % delays.length],
              },
            );
            await h.deploy("classic");
            h.azure.advance(4);
            for (const [i, { stage, preview, ticks, failAfterWrites }] of steps.entries()) {
              if (typeof azureWorld === "object" && i === azureWorld.retiresAfterStep)
                h.azure.setClassicBehaviour("retired");
              const mustRefuse = h.mustRefuse(stage, strategy);
              const failing = failAfterWrites !== null && !preview;
              let error = "";
              try {
                await h.deploy(stage, {
                  preview,
                  ...(failing ? { failAfterWrites } : {}),
                });
              } catch (thrown) {
                error = (thrown as Error).message;
              }
              const where = `step ${i}: stage ${stage}${preview ? " (preview)" : ""}${failing ? ` failing after ${failAfterWrites} writes` : ""}`;
              if (mustRefuse) {
                expect(error, where).to.match(/refuses stage/);
                expect(error, where).to.match(/still (runs|targets) (Classic|Simplified)/);
              } else if (error !== "") {
                expect(failing, `${where}: ${error}`).to.equal(true);
                expect(error, where).to.contain("simulated failure");
              }
              h.azure.advance(ticks);
            }
            h.azure.advance(10);
            h.expectSafe();
          },
        ),
        { numRuns: 20, endOnFailure: true },
      );
    });
  }
});
