/**
 * One cold start, in its own process: `package` requires the built package, `floor` the modules
 * it needs from Pulumi and azure-native. Prints the time to require them; with `--expose-gc`,
 * the heap after a full collection (read after the clock stops).
 */
import { join } from "node:path";

const ROOT = join(__dirname, "../..");

export const FLOOR_MODULES = [
  "@pulumi/pulumi",
  "@pulumi/random",
  "@pulumi/azure-native/batch",
  "@pulumi/azure-native/network",
  "@pulumi/azure-native/privatedns",
  "@pulumi/azure-native/resources",
  "@pulumi/azure-native/storage",
];

if (require.main === module) {
  const modules = process.argv[2] === "package" ? [join(ROOT, "bin/index.js")] : FLOOR_MODULES;
  const start = process.hrtime.bigint();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const m of modules) require(m);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  global.gc?.();
  process.stdout.write(JSON.stringify({ ms, heap: process.memoryUsage().heapUsed }));
}
