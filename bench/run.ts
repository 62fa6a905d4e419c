/**
 * `npm run bench`: the figures the package is measured by, each against its baseline, as
 * min / median / max of paired ratios (package and baseline started in turn), with the target
 * each should meet and whether it does. Not a test: it never fails on a number.
 *
 * Everything runs compiled (the package from bin/, this bench from .bench/), with source maps
 * off, each measurement in fresh processes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateFleet } from "./fleet";
import { LARGEST_NSG, writeInputs } from "./inputs";
import { paired, timeNode } from "./processes";
import { formatMiB, formatMs, median, spread, targetLine } from "./stats";

const ROOT = join(__dirname, "..");
const CLI = join(ROOT, "bin/cli/main.js");
const CHILD = (name: string) => join(__dirname, "children", `${name}.js`);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 11);

function cliTargets(dir: string): string[] {
  const inputs = writeInputs(dir);
  const cli = (args: string[]) => () => timeNode([CLI, ...args], ROOT).ms;
  const floor = (files: string[]) => () => timeNode([CHILD("readJson"), ...files], ROOT).ms;
  const nsgs = (files: string[]) => files.flatMap((f) => ["--nsg", f]);
  const lines = [
    `offline commands: whole process against Node reading and JSON.parse-ing the same input (${PAIRS} pairs)`,
  ];
  const cases: Array<[string, string[], string[], number, number]> = [
    ["rules", ["rules"], [inputs.nsg20], 1.25, PAIRS],
    ["--help", ["--help"], [inputs.nsg20], 1.25, PAIRS],
    ["check, a 20-rule NSG", ["check", ...nsgs([inputs.nsg20])], [inputs.nsg20], 1.25, PAIRS],
    ["check, a 1,000-rule NSG", ["check", ...nsgs([inputs.nsg1000])], [inputs.nsg1000], 1.5, PAIRS],
    [
      "check, 1,000 NSGs of 20 rules",
      ["check", "--region", "westus2", ...nsgs(inputs.many)],
      inputs.many,
      1.5,
      Math.max(3, Math.ceil(PAIRS / 2)),
    ],
  ];
  for (const [what, args, files, bound, pairs] of cases) {
    const result = paired(cli(args), floor(files), pairs);
    lines.push(targetLine(what, result.ratios, bound));
  }
  return lines;
}

function coldStartTargets(_dir: string): string[] {
  const sample = (which: string, gc = false) =>
    JSON.parse(
      timeNode([...(gc ? ["--expose-gc"] : []), CHILD("coldStart"), which], ROOT).stdout,
    ) as { ms: number; heap: number };
  const result = paired(
    () => timeNode([CHILD("coldStart"), "package"], ROOT).ms,
    () => timeNode([CHILD("coldStart"), "floor"], ROOT).ms,
    PAIRS,
  );
  // Heap after a full collection, in separate processes (never inside a timed one).
  const heaps = Array.from({ length: 3 }, () => [
    sample("package", true).heap,
    sample("floor", true).heap,
  ]);
  return [
    `require('azure-batch-network') against Pulumi plus the azure-native submodules it needs (${PAIRS} pairs)`,
    targetLine("cold start, whole process", result.ratios, 1.05),
    `  heap after a full GC: package ${formatMiB(median(heaps.map((h) => h[0])))}, floor ${formatMiB(median(heaps.map((h) => h[1])))}`,
  ];
}

function constructionTargets(_dir: string): string[] {
  const lines = [
    "BatchEnvironment construction under mocks against the same resources written by hand, each size in fresh processes",
  ];
  for (const [count, pairs] of [
    [1, PAIRS],
    [10, PAIRS],
    [50, 5],
    [200, 3],
  ] as const) {
    const run = (kind: string) => () =>
      (
        JSON.parse(timeNode([CHILD("construct"), kind, String(count)], ROOT).stdout) as {
          ms: number;
        }
      ).ms;
    const result = paired(run("component"), run("hand"), pairs);
    lines.push(
      targetLine(
        `${count} environment${count > 1 ? "s" : ""} (${formatMs(median(result.a))})`,
        result.ratios,
        1.1,
      ),
    );
  }
  return lines;
}

function analyzerFigures(_dir: string): string[] {
  const runs = Array.from(
    { length: 5 },
    () =>
      JSON.parse(timeNode(["--expose-gc", CHILD("analyze")], ROOT).stdout) as {
        bigMs: number;
        hugeMs: number;
        manyMs: number;
        heapGrowth: number;
      },
  );
  const ms = (key: "bigMs" | "hugeMs" | "manyMs") =>
    spread(
      runs.map((r) => r[key]),
      1,
    );
  // Linear in rules: the cost of a rule in the largest NSG against one in a 1,000-rule NSG.
  const perRule = runs.map((r) => r.hugeMs / LARGEST_NSG / (r.bigMs / 1000));
  return [
    "analyzer in one process, parse and judgement together (ms, min / median / max of 5 processes)",
    `  one NSG of 1,000 rules:   ${ms("bigMs")}`,
    `  one NSG of ${LARGEST_NSG.toLocaleString("en")} rules:   ${ms("hugeMs")}`,
    `  1,000 NSGs of 20 rules:   ${ms("manyMs")}`,
    `  heap kept after a full GC: ${formatMiB(median(runs.map((r) => r.heapGrowth)))}`,
    targetLine(
      `a rule of ${LARGEST_NSG.toLocaleString("en")} against a rule of 1,000`,
      perRule,
      1.5,
    ),
  ];
}

/** The audit of generated fleets of 100, 1,000 and 10,000 pools, each in fresh processes. */
function auditFigures(dir: string): string[] {
  const lines = [
    "audit of a generated fleet (NSGs of 100 rules), read + judged in one process, 3 processes each",
  ];
  for (const [pools, subnets] of [
    [100, 20],
    [1000, 200],
    [10000, 2000],
  ]) {
    const folder = join(dir, `fleet-${pools}`);
    mkdirSync(folder, { recursive: true });
    const fleet = generateFleet({ pools, subnets, nsgs: subnets, rulesPerNsg: 100, seed: 7 });
    for (const d of fleet.documents) writeFileSync(join(folder, d.source), JSON.stringify(d.json));
    const runs = Array.from(
      { length: 3 },
      () =>
        JSON.parse(timeNode([CHILD("audit"), folder], ROOT).stdout) as {
          ms: number;
          maxRssBytes: number;
        },
    );
    const cli = Array.from(
      { length: 3 },
      () => timeNode([CLI, "audit", folder, "--json"], ROOT).ms,
    );
    lines.push(
      `  ${pools.toLocaleString("en")} pools, ${subnets.toLocaleString("en")} subnets and NSGs: ${spread(
        runs.map((r) => r.ms),
        0,
      )} ms in process, peak ${formatMiB(median(runs.map((r) => r.maxRssBytes)))}; the whole CLI run ${spread(cli, 0)} ms`,
    );
  }
  return lines;
}

function main(): void {
  console.log(
    `node ${process.version}, ${new Date().toISOString()}; ratios are min / median / max`,
  );
  const dir = mkdtempSync(join(tmpdir(), "azure-batch-network-bench-"));
  try {
    // Each section printed as soon as it is measured: the whole run takes minutes.
    const only = process.env.BENCH_ONLY;
    const sections = [
      cliTargets,
      coldStartTargets,
      constructionTargets,
      analyzerFigures,
      auditFigures,
    ].filter((s) => !only || s.name === only);
    for (const section of sections) console.log(section(dir).join("\n"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
