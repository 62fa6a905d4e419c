// Bundles the command line (bin/cli/main.js, as tsc wrote it) into that one file.
//
// Why: the offline commands' cost is mostly Node loading modules, not their work. Loaded file by
// file, commander alone is 7 modules and a command ~30 more, each resolved, read and compiled on
// every run; one file is read once, and each command's own code still runs only when that
// command does (its report module is imported lazily). Pulumi and the azure-native SDK stay
// outside (dependencies, loaded only by `plan`), as do yaml (only `plan --config`) and the
// offline plan's simulation (bin/simulate/plan.js, only `plan`).
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const lazyChildProcess = fileURLToPath(new URL("./lazyChildProcess.cjs", import.meta.url));

await build({
  entryPoints: ["bin/cli/main.js"],
  outfile: "bin/cli/main.js",
  allowOverwrite: true,
  bundle: true,
  platform: "node",
  target: "node20",
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

// tsc's map described the file this bundle replaced.
rmSync("bin/cli/main.js.map", { force: true });
