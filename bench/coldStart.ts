/**
 * Cold start of `require('azure-batch-network')` (the built package) against the floor: a
 * process that requires only what the package itself needs from Pulumi and azure-native.
 * Each sample is a fresh node process; memory is read after a full GC; figures are medians.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { formatMiB, formatMs, median, ratio } from "./stats";

const ROOT = join(__dirname, "..");

const FLOOR_MODULES = [
  "@pulumi/pulumi",
  "@pulumi/random",
  "@pulumi/azure-native/batch",
  "@pulumi/azure-native/network",
  "@pulumi/azure-native/privatedns",
  "@pulumi/azure-native/resources",
  "@pulumi/azure-native/storage",
];

function sample(modules: readonly string[]): { ms: number; rss: number; heap: number } {
  const script = `
    const start = process.hrtime.bigint();
    for (const m of ${JSON.stringify(modules)}) require(m);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    global.gc();
    const mem = process.memoryUsage();
    process.stdout.write(JSON.stringify({ ms, rss: mem.rss, heap: mem.heapUsed }));`;
  const result = spawnSync(process.execPath, ["--expose-gc", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as { ms: number; rss: number; heap: number };
}

export function coldStart(runs = 9): string[] {
  const floor: Array<ReturnType<typeof sample>> = [];
  const pkg: Array<ReturnType<typeof sample>> = [];
  sample(FLOOR_MODULES); // warm the file system cache once
  for (let i = 0; i < runs; i++) {
    floor.push(sample(FLOOR_MODULES));
    pkg.push(sample([join(ROOT, "bin/index.js")]));
  }
  const f = {
    ms: median(floor.map((s) => s.ms)),
    rss: median(floor.map((s) => s.rss)),
    heap: median(floor.map((s) => s.heap)),
  };
  const p = {
    ms: median(pkg.map((s) => s.ms)),
    rss: median(pkg.map((s) => s.rss)),
    heap: median(pkg.map((s) => s.heap)),
  };
  return [
    `cold start, median of ${runs} fresh processes (target: package <= 1.05x floor)`,
    `  floor (pulumi, random, azure-native batch/network/privatedns/resources/storage): ${formatMs(f.ms)}, rss ${formatMiB(f.rss)}, heap ${formatMiB(f.heap)}`,
    `  require('azure-batch-network'):                                                ${formatMs(p.ms)}, rss ${formatMiB(p.rss)}, heap ${formatMiB(p.heap)}`,
    `  ratio: time ${ratio(p.ms, f.ms)}, rss ${ratio(p.rss, f.rss)}, heap ${ratio(p.heap, f.heap)}`,
  ];
}
