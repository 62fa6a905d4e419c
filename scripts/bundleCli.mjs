// Bundles the command line into one file per way in: the whole command line (bin/cli/program.js)
// and each command alone (bin/cli/<command>/program.js), each bundled over tsc's output in place.
// Then saves what V8 compiles of each while running its commands once
// (<bundle>.<V8>.cache), for the entry point (bin/cli/main.js) to start from.
//
// Why bundles: the offline commands' cost is mostly Node loading modules, not their work.
// Loaded file by file, commander alone is 7 modules and a command ~30 more, each resolved, read
// and compiled on every run; one file is read once. A command's own bundle holds only its code:
// `rules` reads a quarter of the whole command line's. Each command's report code still runs only
// when the command does (it is required lazily). Pulumi and the azure-native SDK stay outside
// (dependencies, loaded only by `plan`), as does yaml (only `plan --config`).
//
// Why the caches: see src/cli/main.ts. `--cache-only` adds this Node's caches to bundles built
// before (by another Node), changing nothing else: the package can carry them for each Node.
import { build } from "esbuild";
import { readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const lazyChildProcess = fileURLToPath(new URL("./lazyChildProcess.cjs", import.meta.url));

/** Each bundle, and the command lines that warm its cache (every branch a user's run takes). */
const BUNDLES = [
  {
    file: "bin/cli/program.js",
    warmUp: [
      ["--help"],
      ["rules", "--help"],
      ["check", "--help"],
      ["audit", "--help"],
      ["plan", "--help"],
    ],
  },
  {
    file: "bin/cli/rules/program.js",
    warmUp: [["rules"], ["rules", "--json"], ["rules", "--help"]],
  },
  {
    file: "bin/cli/check/program.js",
    warmUp: [
      ["check", "--nsg", "-"],
      ["check", "--nsg", "-", "--json"],
      ["check", "--nsg", "-", "--markdown"],
      ["check", "--help"],
    ],
  },
  { file: "bin/cli/plan/program.js", warmUp: [["plan", "--help"]] },
  { file: "bin/cli/audit/program.js", warmUp: [["audit", "--help"]] },
];

if (!process.argv.includes("--cache-only")) {
  await build({
    entryPoints: BUNDLES.map((b) => b.file),
    outdir: "bin/cli",
    outbase: "bin/cli",
    allowOverwrite: true,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    external: ["@pulumi/*", "yaml", "../simulate/plan"],
    logLevel: "warning",
    plugins: [
      {
        name: "lazy-child-process",
        setup(b) {
          // Only commander's own import: the stand-in itself requires the real module.
          b.onResolve({ filter: /^node:child_process$/ }, (args) =>
            args.importer.includes("commander") ? { path: lazyChildProcess } : undefined,
          );
        },
      },
    ],
  });

  // tsc's maps described the files the bundles replaced, and every saved cache compiled those.
  for (const { file } of BUNDLES) {
    rmSync(`${file}.map`, { force: true });
    const dir = file.slice(0, file.lastIndexOf("/"));
    for (const f of readdirSync(dir)) if (/^program\.js\..*cache$/.test(f)) rmSync(join(dir, f));
  }
}

// An NSG that blocks classic's inbound flow and has a rule no mode needs, so that judging it
// runs the analyzer, its advice and every renderer.
const nsg = JSON.stringify({
  name: "warm-up",
  location: "westus2",
  securityRules: [
    {
      name: "AllowBatchOutbound",
      priority: 1000,
      direction: "Outbound",
      access: "Allow",
      protocol: "*",
      sourceAddressPrefix: "*",
      sourcePortRange: "*",
      destinationAddressPrefix: "BatchNodeManagement.westus2",
      destinationPortRange: "443",
    },
    {
      name: "AllowSshFromAnywhere",
      priority: 1100,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "*",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRanges: ["22", "29876-29877"],
    },
  ],
});
const require = createRequire(import.meta.url);
const { loadProgram, codeCacheOf } = require("../bin/cli/main.js");
for (const { file, warmUp } of BUNDLES) {
  const bundle = join(process.cwd(), file);
  const { program, script } = loadProgram(undefined, bundle);
  for (const argv of warmUp) {
    const result = await program.runCli(argv, { stdin: () => nsg });
    if (result.status === 2) throw new Error(`warm-up ${argv.join(" ")}: ${result.stderr}`);
  }
  // Written beside, then renamed: a process starting meanwhile reads a whole cache or none.
  const cache = codeCacheOf(bundle);
  const partial = `${cache}.partial-${process.pid}`;
  writeFileSync(partial, script.createCachedData());
  renameSync(partial, cache);
}
