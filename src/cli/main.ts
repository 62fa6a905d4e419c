#!/usr/bin/env node
/**
 * The `azure-batch-network` command's entry point. It starts the command line (program.ts) from
 * the code cache the build leaves beside its bundle, when there is one.
 *
 * Why: a short command (`rules`, `check` on one NSG) spends as long having V8 parse and compile
 * the bundle as it does on its work. The build runs the commands once and saves what V8
 * compiled (`program.js.<V8 version>.cache`); started with it, V8 skips that work. V8 checks
 * that the cache matches the source and its own flags, and ignores one that does not (a changed
 * bundle), compiling as usual; a Node with another V8 finds no cache of its name and compiles.
 *
 * Node's own `module.enableCompileCache()` does this too, but writes its cache on the user's
 * first runs and checks it on every one: measured against this cache on `rules`, paired, it took
 * 1.08× as long (median of 21 pairs).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Script } from "node:vm";
import type * as Program from "./program";

/** The bundled command line the build makes (bin/cli/program.js). */
export const BUNDLE = join(__dirname, "program.js");
/** What this Node's V8 compiled of it, saved by a build on this Node. */
export const CODE_CACHE = `${BUNDLE}.${process.versions.v8}.cache`;

type Wrapped = (
  exports: object,
  require: NodeJS.Require,
  module: { exports: object },
  filename: string,
  dirname: string,
) => void;

/**
 * Loads the bundle as Node loads a CommonJS module (the same wrapper and arguments), compiled
 * with `cachedData` when given. Returns its exports, and the script (the build asks it for the
 * cache to save).
 */
export function loadProgram(cachedData?: Buffer): {
  program: typeof Program;
  script: Script;
  cacheAccepted: boolean;
} {
  const source = readFileSync(BUNDLE, "utf8");
  // A `#!` line is not JavaScript inside the wrapper; commented out, lines and columns stay.
  const body = source.startsWith("#!") ? `//${source}` : source;
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) { ${body}\n});`,
    { filename: BUNDLE, ...(cachedData ? { cachedData } : {}) },
  );
  const loaded = { exports: {} };
  (script.runInThisContext() as Wrapped).call(
    loaded.exports,
    loaded.exports,
    createRequire(BUNDLE),
    loaded,
    BUNDLE,
    __dirname,
  );
  return {
    program: loaded.exports as typeof Program,
    script,
    cacheAccepted: cachedData !== undefined && !script.cachedDataRejected,
  };
}

function start(): void {
  let cache: Buffer | undefined;
  try {
    cache = readFileSync(CODE_CACHE);
  } catch {
    // No cache: run from source, or from a tree built without one.
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = cache ? loadProgram(cache).program : (require("./program") as typeof Program);
  program.runAsCommand();
}

if (require.main === module) start();
