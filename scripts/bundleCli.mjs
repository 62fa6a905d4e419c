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
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const lazyChildProcess = fileURLToPath(new URL("./lazyChildProcess.cjs", import.meta.url));

// The bundles are the entry point's (bin/cli/main.js, as tsc wrote it; it is not bundled): the
// whole command line's and one per command it names, so the two lists cannot drift apart.
const require = createRequire(import.meta.url);
const main = require("../bin/cli/main.js");

/** The command lines that warm each command's cache (every branch a user's run takes). */
const WARM_UP = {
  rules: [["rules"], ["rules", "--json"], ["rules", "--help"]],
  check: [
    ["check", "--nsg", "-"],
    ["check", "--nsg", "-", "--json"],
    ["check", "--nsg", "-", "--markdown"],
    ["check", "--help"],
  ],
  plan: [["plan", "--help"]],
  audit: [["audit", "--help"]],
};

/** Each bundle, and what warms its cache. */
const BUNDLES = [
  { file: main.BUNDLE, warmUp: [["--help"], ...main.COMMAND_BUNDLES.map((c) => [c, "--help"])] },
  ...main.COMMAND_BUNDLES.map((command) => {
    if (!WARM_UP[command]) throw new Error(`bundleCli.mjs: no warm-up for command ${command}`);
    return { file: main.bundleFor([command]), warmUp: WARM_UP[command] };
  }),
];
const CLI_DIR = dirname(main.BUNDLE);

if (!process.argv.includes("--cache-only")) {
  await build({
    entryPoints: BUNDLES.map((b) => b.file),
    outdir: CLI_DIR,
    outbase: CLI_DIR,
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
    const dir = dirname(file);
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
for (const { file: bundle, warmUp } of BUNDLES) {
  const { program, script } = main.loadProgram(undefined, bundle);
  for (const argv of warmUp) {
    const result = await program.runCli(argv, { stdin: () => nsg });
    if (result.status === 2) throw new Error(`warm-up ${argv.join(" ")}: ${result.stderr}`);
  }
  // Written beside, then renamed: a process starting meanwhile reads a whole cache or none.
  const cache = main.codeCacheOf(bundle);
  const partial = `${cache}.partial-${process.pid}`;
  writeFileSync(partial, script.createCachedData());
  renameSync(partial, cache);
}
