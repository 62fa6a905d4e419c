// Builds bin/: tsc over src/, then the command line's bundle and code cache (bundleCli.mjs).
// `--if-stale` (and `npm start`) build only when an input changed since the last build, so
// `npm start -- <flags>` costs the command, not a compile (tsc alone takes 10 s or more here).
//
// The inputs are hashed, not compared by modification time: a checkout, a copy or an unpacked
// archive gives files new times without changing them, and an edit can keep an old one.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const STAMP = join(ROOT, "bin", ".build-inputs");

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** One hash of every file the build reads. */
function inputsHash() {
  const files = [
    ...filesUnder(join(ROOT, "src")),
    ...["build.mjs", "bundleCli.mjs", "lazyChildProcess.cjs"].map((f) => join(ROOT, "scripts", f)),
    join(ROOT, "tsconfig.build.json"),
    join(ROOT, "package.json"),
  ].sort();
  const hash = createHash("sha256");
  for (const file of files)
    hash.update(relative(ROOT, file)).update("\0").update(readFileSync(file));
  return hash.digest("hex");
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/**
 * Builds bin/ on this Node; with `ifStale`, only when an input changed since the last build, and
 * then only this Node's code caches when the build has none for it.
 */
export function build({ ifStale = false } = {}) {
  const hash = inputsHash();
  const bundler = join(ROOT, "scripts/bundleCli.mjs");
  if (ifStale && existsSync(STAMP) && readFileSync(STAMP, "utf8") === hash) {
    const main = createRequire(import.meta.url)("../bin/cli/main.js");
    const bundles = [main.BUNDLE, ...main.COMMAND_BUNDLES.map((c) => main.bundleFor([c]))];
    if (!bundles.every((b) => existsSync(main.codeCacheOf(b))))
      run(process.execPath, [bundler, "--cache-only"]);
    return;
  }
  // From nothing: tsc never deletes, so a module renamed or moved would stay in bin/ (and in
  // the published package) under its old name.
  rmSync(join(ROOT, "bin"), { recursive: true, force: true });
  const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
  run(process.execPath, [tsc, "-p", "tsconfig.build.json"]);
  run(process.execPath, [bundler]);
  writeFileSync(STAMP, hash);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  build({ ifStale: process.argv.includes("--if-stale") });
}
