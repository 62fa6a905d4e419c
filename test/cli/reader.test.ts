import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import type { AuditReport } from "../../src/cli/audit/report";
import { runCli } from "../../src/cli/program";
import { scratchDir } from "../support/scratch";

/**
 * The one reader of files, pipes and folders: what a folder of exports may hold besides exports
 * (links to nothing, link loops, named pipes, a link back up the tree), and the same file named
 * twice. Each is refused naming the path, or read once; never a crash or a hang.
 */
const EXAMPLES = join(__dirname, "../../examples/audit");
const root = scratchDir("reader");

/** A copy of the sample exports in a fresh folder, to add hostile entries to. */
function exportsFolder(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const file of ["accounts.json", "pools-batchprod.json", "vnets.json", "nsgs.json"])
    copyFileSync(join(EXAMPLES, file), join(dir, file));
  return dir;
}

function mkfifo(path: string): void {
  const made = spawnSync("mkfifo", [path]);
  expect(made.status, String(made.stderr)).to.equal(0);
}

async function audit(...args: string[]) {
  const result = await runCli(["audit", ...args, "--json"]);
  expect(result.stderr, "no stack trace").to.not.contain("    at ");
  return result;
}

describe("the one reader of files, pipes and folders", () => {
  const refused: Array<[string, (dir: string) => void, RegExp]> = [
    [
      "a link to nothing",
      (dir) => symlinkSync(join(dir, "gone.json"), join(dir, "dangling.json")),
      /dangling\.json: cannot be read: no such file or folder \(or a symbolic link to nothing\)/,
    ],
    [
      "a link loop",
      (dir) => {
        symlinkSync("loop-b.json", join(dir, "loop-a.json"));
        symlinkSync("loop-a.json", join(dir, "loop-b.json"));
      },
      /loop-a\.json: is a symbolic link in a loop/,
    ],
    [
      "a link back up the tree",
      (dir) => {
        mkdirSync(join(dir, "sub"));
        symlinkSync("..", join(dir, "sub", "up"));
      },
      /sub\/up: leads back to .* through a symbolic link \(a loop\)/,
    ],
    [
      "a named pipe, which would wait for a writer forever",
      (dir) => mkfifo(join(dir, "pipe.json")),
      /pipe\.json: is a named pipe \(FIFO\)/,
    ],
  ];
  for (const [what, add, message] of refused) {
    it(`refuses a folder holding ${what}, naming it`, async () => {
      const dir = exportsFolder(what.replace(/\W+/g, "-"));
      add(dir);
      const result = await audit(dir);
      expect(result.status, result.stderr).to.equal(2);
      expect(result.stderr).to.match(message);
    });
  }

  it("passes over links, pipes and devices that are not named .json, as it does other files", async () => {
    const dir = exportsFolder("not-json");
    symlinkSync(join(dir, "gone"), join(dir, "dangling-note"));
    mkfifo(join(dir, "a-pipe"));
    const result = await audit(dir);
    expect(result.status, result.stderr).to.be.oneOf([0, 1]);
    const report = JSON.parse(result.stdout) as AuditReport;
    expect(report.skipped.map((s) => [s.source.slice(dir.length + 1), s.why])).to.deep.equal([
      ["a-pipe", "not a .json file"],
      ["dangling-note", "not a .json file"],
    ]);
  });

  it("reads each real file once, whatever names it: a folder and a file in it, a link, another spelling", async () => {
    const dir = exportsFolder("twice");
    symlinkSync(join(dir, "pools-batchprod.json"), join(root, "linked-pools.json"));
    const once = JSON.parse((await audit(dir)).stdout) as AuditReport;
    const result = await audit(
      dir,
      join(dir, "pools-batchprod.json"),
      `${dir}/./pools-batchprod.json`,
      join(root, "linked-pools.json"),
    );
    const twice = JSON.parse(result.stdout) as AuditReport;
    expect(twice.pools.map((p) => p.poolId)).to.deep.equal(once.pools.map((p) => p.poolId));
    expect(twice.skipped.map((s) => s.why)).to.deep.equal([
      `the same file as ${join(dir, "pools-batchprod.json")}: read once`,
      `the same file as ${join(dir, "pools-batchprod.json")}: read once`,
      `the same file as ${join(dir, "pools-batchprod.json")}: read once`,
    ]);
  });

  it("reads a pipe the shell made (<(...)) and refuses a named one given directly", () => {
    const fifo = join(root, "given.fifo");
    mkfifo(fifo);
    const cli = join(__dirname, "../../src/cli/main.ts");
    const nsg = join(EXAMPLES, "../check/nsg.json");
    const run = (args: string) =>
      spawnSync("bash", ["-c", `"${process.execPath}" --require tsx/cjs "${cli}" ${args}`], {
        encoding: "utf8",
        timeout: 30_000,
      });
    const piped = run(`check --nsg <(cat "${nsg}") --json`);
    expect(piped.status, piped.stderr).to.be.oneOf([0, 1]);
    expect(piped.stdout).to.contain('"reports"');
    const named = run(`check --nsg "${fifo}"`);
    expect(named.status).to.equal(2);
    expect(named.stderr).to.match(/given\.fifo: is a named pipe \(FIFO\)/);
  });
});
