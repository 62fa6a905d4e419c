import { expect } from "chai";
import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import type * as EnvironmentModule from "../../src/components/batchEnvironment";
import type * as MigrationModule from "../../src/components/nodeCommunicationMigration";
import { type SimulatedAzureMocks, withCapturedLog } from "../../src/simulate";
import { drainRegistrations, freshMocks } from "../support/pulumi";
import { anyJson, FULL_SETTINGS, pathsOf, replaced } from "../support/untrusted";

/**
 * Both components take untrusted arguments: whatever value sits anywhere in them, a component
 * is either constructed or refuses with one InputPropertiesError, and then registers nothing.
 */
let BatchEnvironment: typeof EnvironmentModule.BatchEnvironment;
let NodeCommunicationMigration: typeof MigrationModule.NodeCommunicationMigration;
let mocks: SimulatedAzureMocks;

const paths = pathsOf(FULL_SETTINGS).filter((p) => p.length > 0);
const broken = fc.oneof(
  anyJson,
  fc
    .tuple(fc.constantFrom(...paths), anyJson)
    .map(([path, value]) => replaced(FULL_SETTINGS, path, value)),
);

describe("components take untrusted arguments", () => {
  before(async () => {
    ({ BatchEnvironment } = await import("../../src/components/batchEnvironment"));
    ({ NodeCommunicationMigration } =
      await import("../../src/components/nodeCommunicationMigration"));
    mocks = await freshMocks();
  });

  const components: Array<[string, (args: unknown) => pulumi.ComponentResource]> = [
    ["BatchEnvironment", (args) => new BatchEnvironment("u-env", args as never)],
    [
      "NodeCommunicationMigration",
      (args) =>
        new NodeCommunicationMigration("u-mig", { stage: "union", ...(args as object) } as never),
    ],
  ];
  for (const [name, construct] of components) {
    it(`${name}: constructed, or one InputPropertiesError and nothing registered`, async function () {
      this.timeout(60_000);
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(broken, async (args) => {
          // Registrations of an earlier, accepted construction must not count against this one.
          await drainRegistrations();
          const before = mocks.registered.length;
          let thrown: unknown;
          // An accepted construction may warn (a Classic target, say): the run's, not noise.
          await withCapturedLog(() => {
            try {
              construct(args);
            } catch (error) {
              thrown = error;
            }
          });
          if (thrown === undefined) return;
          expect(pulumi.InputPropertiesError.isInstance(thrown), (thrown as Error)?.stack).to.equal(
            true,
          );
          await drainRegistrations();
          expect(mocks.registered.length).to.equal(before);
          refused++;
        }),
        { numRuns: Number(process.env.UNTRUSTED_RUNS ?? 60) },
      );
      expect(refused).to.be.above(10);
    });
  }
});
