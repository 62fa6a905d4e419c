// Bundles the command line (bin/cli/program.js, as tsc wrote it) into that one file, then saves
// what V8 compiles of it while running each command once (bin/cli/program.js.<V8>.cache), for the
// entry point (bin/cli/main.js) to start from.
//
// Why one file: the offline commands' cost is mostly Node loading modules, not their work.
// Loaded file by file, commander alone is 7 modules and a command ~30 more, each resolved, read
// and compiled on every run; one file is read once, and each command's own code still runs only
// when that command does (its report module is imported lazily). Pulumi and the azure-native
// SDK stay outside (dependencies, loaded only by `plan`), as do yaml (only `plan --config`) and
// the offline plan's simulation (bin/simulate/plan.js, only `plan`).
//
// Why the cache: see src/cli/main.ts. `--cache-only` adds this Node's cache to a bundle built
// before (by another Node), changing nothing else: the package can carry one for each Node.
import { build } from "esbuild";
import { readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const lazyChildProcess = fileURLToPath(new URL("./lazyChildProcess.cjs", import.meta.url));

if (!process.argv.includes("--cache-only")) {
  await build({
    entryPoints: ["bin/cli/program.js"],
    outfile: "bin/cli/program.js",
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

  // tsc's map described the file this bundle replaced, and every saved cache compiled that file.
  rmSync("bin/cli/program.js.map", { force: true });
  for (const file of readdirSync("bin/cli")) {
    if (/^program\.js\..*cache$/.test(file)) rmSync(`bin/cli/${file}`);
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
const { loadProgram, CODE_CACHE } = require("../bin/cli/main.js");
const { program, script } = loadProgram();
for (const argv of [
  ["--help"],
  ["rules"],
  ["rules", "--json"],
  ["check", "--nsg", "-"],
  ["check", "--nsg", "-", "--json"],
  ["check", "--nsg", "-", "--markdown"],
  ["check", "--help"],
  ["audit", "--help"],
  ["plan", "--help"],
]) {
  const result = await program.runCli(argv, { stdin: () => nsg });
  if (result.status === 2) throw new Error(`warm-up ${argv.join(" ")}: ${result.stderr}`);
}
// Written beside, then renamed: a process starting meanwhile reads a whole cache or none.
const partial = `${CODE_CACHE}.partial-${process.pid}`;
writeFileSync(partial, script.createCachedData());
renameSync(partial, CODE_CACHE);
