/**
 * The analyzer in one process, parse and judgement timed together (reading an NSG is most of
 * the cost): one NSG of 1,000 rules and one of the most rules unique priorities allow, and 1,000 NSGs of 20 rules. Heap figures are
 * read outside the timed loops, after a full collection (`--expose-gc`).
 */
import { join } from "node:path";
import type * as Package from "../../src/index";
import { LARGEST_NSG, syntheticNsgJson } from "../inputs";

const ROOT = join(__dirname, "../..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require(join(ROOT, "bin/index.js")) as typeof Package;

function judge(json: unknown, name: string): void {
  const nsg = pkg.parseNetworkSecurityGroup(json, name);
  pkg.analyzeNetwork({ region: "westus2", modes: ["Classic", "Simplified"], subnetNsg: nsg });
}

function timed(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const inputs = {
  big: syntheticNsgJson("big", 1000),
  huge: syntheticNsgJson("huge", LARGEST_NSG),
  many: Array.from({ length: 1000 }, (_, i) => syntheticNsgJson(`n${i}`, 20)),
};
// Warm the JIT on the same shapes first: otherwise the first input timed pays for compiling.
judge(syntheticNsgJson("warm", 1000), "warm");
judge(syntheticNsgJson("warm", 20), "warm");
global.gc?.();
const before = process.memoryUsage().heapUsed;
const result = {
  bigMs: timed(() => judge(inputs.big, "big")),
  hugeMs: timed(() => judge(inputs.huge, "huge")),
  manyMs: timed(() => inputs.many.forEach((json, i) => judge(json, `n${i}`))),
};
global.gc?.();
process.stdout.write(
  JSON.stringify({ ...result, heapGrowth: process.memoryUsage().heapUsed - before }),
);
