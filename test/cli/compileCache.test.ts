import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../support/scratch";

/**
 * The entry point turns Node's compile cache on for the commands that load Pulumi from
 * node_modules (`plan`), where it saves V8's work on the next run, and only for them: the other
 * commands start from their bundle's own cache, and writing a second one would only cost time.
 */
const CLI = join(__dirname, "../../src/cli/main.ts");

/**
 * Runs the command line as a user's shell does, with `tmpDir` as its temp folder, where Node
 * keeps the cache by default (NODE_COMPILE_CACHE would turn it on for every command).
 */
function runWithTmpDir(tmpDir: string, args: string[]) {
  mkdirSync(tmpDir, { recursive: true });
  return spawnSync(process.execPath, ["--import", "tsx", CLI, ...args], {
    encoding: "utf8",
    env: {
      ...process.env,
      NODE_DISABLE_COMPILE_CACHE: undefined,
      NODE_COMPILE_CACHE: undefined,
      TMPDIR: tmpDir,
    },
  });
}

/** The files Node's compile cache holds under the temp folder `tmpDir`. */
function cachedUnder(tmpDir: string): string[] {
  const dir = join(tmpDir, "node-compile-cache");
  return existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: "utf8" }) : [];
}

describe("the compile cache of commands that load Pulumi", () => {
  const scratch = scratchDir("compile-cache");

  it("is written by plan's first run, and its next run, from the cache, reports the same", function () {
    this.timeout(60_000);
    const tmp = join(scratch, "plan");
    const first = runWithTmpDir(tmp, ["plan", "--json"]);
    expect(first.status, first.stderr).to.equal(0);
    expect(cachedUnder(tmp)).to.not.be.empty;
    const warm = runWithTmpDir(tmp, ["plan", "--json"]);
    expect(warm.stdout).to.equal(first.stdout);
  });

  it("is not written by the commands that start from their bundle's cache", function () {
    this.timeout(30_000);
    const tmp = join(scratch, "rules");
    const run = runWithTmpDir(tmp, ["rules", "--json"]);
    expect(run.status, run.stderr).to.equal(0);
    expect(cachedUnder(tmp)).to.be.empty;
  });
});
