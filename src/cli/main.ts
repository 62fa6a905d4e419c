#!/usr/bin/env node
/**
 * The `azure-batch-network` command's entry point. It starts the command line from a bundle and
 * the code cache the build leaves beside it, when there is one.
 *
 * Which bundle: when the first argument names a command, that command's own (`bin/cli/rules/
 * program.js`, …), holding only its code; otherwise (`--help`, `help`, `-V`, a mistyped command)
 * the whole command line's (`bin/cli/program.js`). A short command's run is mostly Node loading
 * code: measured on `rules`, paired, the whole bundle took 1.2× as long as the command's own.
 *
 * Why a code cache: a short command (`rules`, `check` on one NSG) spends as long having V8 parse
 * and compile a bundle as it does on its work. The build runs each bundle's commands once and
 * saves what V8 compiled (`<bundle>.<V8 version>.cache`); started with it, V8 skips that work.
 * V8 checks that the cache matches the source and its own flags, and ignores one that does not
 * (a changed bundle), compiling as usual; a Node with another V8 finds no cache of its name and
 * compiles.
 *
 * Node's own `module.enableCompileCache()` does this too, but writes its cache on the user's
 * first runs and checks it on every one: measured against this cache on `rules`, paired, it took
 * 1.08× as long (median of 21 pairs). It is what `plan` uses for the code outside its bundle:
 * see {@link COMPILE_CACHED_COMMANDS}.
 */
import { readFileSync } from "node:fs";
import { createRequire, enableCompileCache } from "node:module";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import type { ProgramModule } from "./commandLine";

/** The commands with a bundle of their own; a test holds this to the whole program's commands. */
export const COMMAND_BUNDLES = ["rules", "check", "plan", "audit"] as const;

/**
 * The commands that load Pulumi and azure-native from node_modules (several MB of JavaScript,
 * and TypeScript's compiler, which Pulumi loads with it), which no bundle's cache covers. For
 * them the entry point turns on Node's compile cache, as npm's own command line does: V8's
 * compiled code for those modules is kept on disk (in `$TMPDIR/node-compile-cache`, or where
 * `NODE_COMPILE_CACHE` says; `NODE_DISABLE_COMPILE_CACHE=1` turns it off) and reused from the
 * next run. Measured on `plan`, 11 paired runs against the cache turned off: with the cache warm
 * the run took ~0.79× as long (median), a first run, writing it, ~1.08×.
 */
export const COMPILE_CACHED_COMMANDS: readonly string[] = ["plan"];

/** The bundle of the whole command line (bin/cli/program.js). */
export const BUNDLE = join(__dirname, "program.js");

/** The bundle that answers `argv` (without `node` and the script): see the top of this file. */
export function bundleFor(argv: readonly string[]): string {
  const first = argv[0];
  return (COMMAND_BUNDLES as readonly string[]).includes(first)
    ? join(__dirname, first, "program.js")
    : BUNDLE;
}

/** What this Node's V8 compiled of `bundle`, saved by a build on this Node. */
export function codeCacheOf(bundle: string): string {
  return `${bundle}.${process.versions.v8}.cache`;
}

/** The whole command line's code cache. */
export const CODE_CACHE = codeCacheOf(BUNDLE);

type Wrapped = (
  exports: object,
  require: NodeJS.Require,
  module: { exports: object },
  filename: string,
  dirname: string,
) => void;

/**
 * Loads `bundle` as Node loads a CommonJS module (the same wrapper and arguments), compiled with
 * `cachedData` when given. Returns its exports, and the script (the build asks it for the
 * cache to save).
 */
export function loadProgram(
  cachedData?: Buffer,
  bundle: string = BUNDLE,
): {
  program: ProgramModule;
  script: Script;
  cacheAccepted: boolean;
} {
  const source = readFileSync(bundle, "utf8");
  // A `#!` line is not JavaScript inside the wrapper; commented out, lines and columns stay.
  const body = source.startsWith("#!") ? `//${source}` : source;
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) { ${body}\n});`,
    { filename: bundle, ...(cachedData ? { cachedData } : {}) },
  );
  const loaded = { exports: {} };
  (script.runInThisContext() as Wrapped).call(
    loaded.exports,
    loaded.exports,
    createRequire(bundle),
    loaded,
    bundle,
    dirname(bundle),
  );
  return {
    program: loaded.exports as ProgramModule,
    script,
    cacheAccepted: cachedData !== undefined && !script.cachedDataRejected,
  };
}

function start(): void {
  const argv = process.argv.slice(2);
  // Node answers with a status and never throws: a cache it cannot write is no error.
  if (COMPILE_CACHED_COMMANDS.includes(argv[0])) enableCompileCache();
  const bundle = bundleFor(argv);
  let cache: Buffer | undefined;
  try {
    cache = readFileSync(codeCacheOf(bundle));
  } catch {
    // No cache: run from source, or from a tree built without one.
  }
  const program = cache
    ? loadProgram(cache, bundle).program
    : // Without its extension: from source (tsx), the module is program.ts.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require(bundle.replace(/\.js$/, "")) as ProgramModule);
  program.runAsCommand();
}

if (require.main === module) start();
