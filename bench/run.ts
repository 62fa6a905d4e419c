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
import { figureLine, formatMiB, formatMs, median, spread, targetLine } from "./stats";

const ROOT = join(__dirname, "..");
const CLI = join(ROOT, "bin/cli/main.js");
const CHILD = (name: string) => join(__dirname, "children", `${name}.js`);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 11);

function cliTargets(dir: string): string[] {
  const inputs = writeInputs(dir);
  const cli = (args: string[]) => () => timeNode([CLI, ...args], ROOT).ms;
  const floor = (files: string[]) => () => timeNode([CHILD("readJson"), ...files], ROOT).ms;
  const minimal = (files: string[]) => () => timeNode([CHILD("minimalCheck"), ...files], ROOT).ms;
  const nsgs = (files: string[]) => files.flatMap((f) => ["--nsg", f]);
  const lines = [
    `offline commands, whole process, against a baseline doing the same work (${PAIRS} pairs, order alternating)`,
  ];
  const cases: Array<[string, () => number, () => number, number]> = [
    ["rules / Node reading and parsing an NSG", cli(["rules"]), floor([inputs.nsg20]), 1.15],
    [
      "check, a 20-rule NSG / Node reading and parsing it",
      cli(["check", ...nsgs([inputs.nsg20])]),
      floor([inputs.nsg20]),
      1.15,
    ],
    [
      "check, a 1,000-rule NSG / Node reading and parsing it",
      cli(["check", ...nsgs([inputs.nsg1000])]),
      floor([inputs.nsg1000]),
      1.35,
    ],
    [
      "check, 1,000 NSGs of 20 rules / a minimal evaluator of the same flows",
      cli(["check", "--region", "westus2", ...nsgs(inputs.many)]),
      minimal(inputs.many),
      1.5,
    ],
  ];
  for (const [what, a, b, bound] of cases)
    lines.push(targetLine(what, paired(a, b, PAIRS).ratios, bound));
  // For scale, not a target: the minimal evaluator against the parse floor itself.
  lines.push(
    figureLine(
      "(the minimal evaluator / Node reading and parsing the 1,000 files)",
      paired(minimal(inputs.many), floor(inputs.many), Math.max(3, Math.ceil(PAIRS / 2))).ratios,
    ),
  );
  return lines;
}

function planTargets(dir: string): string[] {
  const requirePackage = () => timeNode([CHILD("coldStart"), "package"], ROOT).ms;
  // plan keeps Pulumi's compiled code in Node's compile cache, under the temp folder: the
  // timed runs find it warm (paired() runs each side once first); a user's first run does not.
  const withCache = mkdtempSync(join(dir, "plan-cache-"));
  const result = paired(
    () => timeNode([CLI, "plan"], ROOT, { TMPDIR: withCache }).ms,
    requirePackage,
    PAIRS,
  );
  const firstRun = () => {
    const empty = mkdtempSync(join(dir, "plan-first-"));
    const ms = timeNode([CLI, "plan"], ROOT, { TMPDIR: empty }).ms;
    rmSync(empty, { recursive: true, force: true });
    return ms;
  };
  const first = paired(firstRun, requirePackage, Math.max(3, Math.ceil(PAIRS / 2)));
  return [
    `plan, whole process, against a process that requires the package (${PAIRS} pairs)`,
    targetLine("plan / require('azure-batch-network')", result.ratios, 1.3),
    figureLine("(a first run, its compile cache empty / the same)", first.ratios),
  ];
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
    `BatchEnvironment construction under mocks against a hand-written component with the same eight children, each size in fresh processes (${PAIRS} pairs)`,
  ];
  for (const [count, pairs] of [
    [1, PAIRS],
    [10, PAIRS],
    [50, PAIRS],
    [200, PAIRS],
  ] as const) {
    const run = (kind: string) => () =>
      (
        JSON.parse(
          timeNode(["--expose-gc", CHILD("construct"), kind, String(count)], ROOT).stdout,
        ) as {
          ms: number;
        }
      ).ms;
    const result = paired(run("component"), run("hand"), pairs);
    lines.push(
      targetLine(
        `${count} environment${count > 1 ? "s" : ""} (${formatMs(median(result.a))})`,
        result.ratios,
        1.05,
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

/**
 * The audit of generated fleets of 10,000 and 50,000 pools (NSGs of 100 rules; the 50,000-pool
 * NSG export is past 64 MiB, so it is streamed), as a user runs it (`audit <folder> --out`),
 * against Node reading and parsing the same files: time and peak memory, paired.
 */
function auditTargets(dir: string): string[] {
  const lines = [
    "audit of a generated fleet, whole process, against Node reading and JSON.parse-ing the same folder",
  ];
  const peak = (stderr: string) =>
    (JSON.parse(stderr.slice(stderr.lastIndexOf("{"))) as { maxRssBytes: number }).maxRssBytes;
  for (const [pools, subnets, pairs] of [
    [10_000, 2_000, PAIRS],
    [50_000, 10_000, Math.max(3, Math.ceil(PAIRS / 2))],
  ]) {
    const folder = join(dir, `fleet-${pools}`);
    mkdirSync(folder, { recursive: true });
    const fleet = generateFleet({ pools, subnets, nsgs: subnets, rulesPerNsg: 100, seed: 7 });
    let bytes = 0;
    for (const d of fleet.documents) {
      const text = JSON.stringify(d.json);
      bytes += text.length;
      writeFileSync(join(folder, d.source), text);
    }
    const memory = { audit: [] as number[], floor: [] as number[] };
    const result = paired(
      () => {
        const run = timeNode(
          [CHILD("cliPeak"), "audit", folder, "--out", join(dir, "report.txt")],
          ROOT,
        );
        memory.audit.push(peak(run.stderr));
        return run.ms;
      },
      () => {
        const run = timeNode([CHILD("readJson"), "--peak", folder], ROOT);
        memory.floor.push(peak(run.stderr));
        return run.ms;
      },
      pairs,
    );
    const n = Math.min(memory.audit.length, memory.floor.length);
    const memoryRatios = Array.from({ length: n }, (_, i) => memory.audit[i] / memory.floor[i]);
    lines.push(
      `  ${pools.toLocaleString("en")} pools (${formatMiB(bytes)} of exports; audit ${formatMs(median(result.a))}, floor ${formatMs(median(result.b))}; peak ${formatMiB(median(memory.audit))} against ${formatMiB(median(memory.floor))}; ${pairs} pairs)`,
      targetLine("    time / the read-and-parse floor", result.ratios, 3),
      targetLine("    peak memory / the floor's", memoryRatios, 2),
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
      planTargets,
      coldStartTargets,
      constructionTargets,
      analyzerFigures,
      auditTargets,
    ].filter((s) => !only || s.name === only);
    for (const section of sections) console.log(section(dir).join("\n"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
