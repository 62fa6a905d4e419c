/**
 * Constructs `count` environments under Pulumi's mocks, in its own process: `component` with the
 * built package's BatchEnvironment, `hand` with the same resources written by hand. Prints the
 * time from the program's start to every output resolved.
 */
import { join } from "node:path";
import type * as Package from "../../src/index";
import type * as Simulate from "../../src/simulate/index";
import { handWrittenEnvironment } from "../handWritten";

const ROOT = join(__dirname, "../..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require(join(ROOT, "bin/index.js")) as typeof Package;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sim = require(join(ROOT, "bin/simulate/index.js")) as typeof Simulate;

function program(kind: string, count: number): () => Record<string, unknown> {
  return () => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      if (kind === "component") {
        const env = new pkg.BatchEnvironment(`env-${i}`, { location: "westus2" });
        out[`pool${i}`] = env.poolName;
        out[`mode${i}`] = env.currentNodeCommunicationMode;
      } else {
        for (const [k, v] of Object.entries(handWrittenEnvironment(`env-${i}`)))
          out[`${k}${i}`] = v;
      }
    }
    return out;
  };
}

async function main(): Promise<void> {
  const [kind, countText] = process.argv.slice(2);
  const count = Number(countText);
  const mocks = new sim.SimulatedAzureMocks(new sim.AzureSimulation());
  // What loading left behind is collected before the clock starts (run with --expose-gc).
  global.gc?.();
  const start = process.hrtime.bigint();
  await sim.runDeployment(mocks, program(kind, count));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(JSON.stringify({ ms }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 3;
});
