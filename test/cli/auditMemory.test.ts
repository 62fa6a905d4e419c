import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

/**
 * The audit's one full collection (src/cli/audit/memory.ts): it collects, and it leaves the
 * process's own globals as they were. Run in a child process started without --expose-gc, as
 * the command is.
 */
describe("collectGarbage", () => {
  it("frees what nothing holds, and puts no gc on the process's globals", () => {
    const memory = join(__dirname, "../../src/cli/audit/memory.ts");
    const script = `
      const { collectGarbage } = require(${JSON.stringify(memory)});
      const before = typeof globalThis.gc;
      let held = new WeakRef(Array.from({ length: 1e5 }, (_, i) => ({ i })));
      collectGarbage();
      setImmediate(() => {
        collectGarbage();
        process.stdout.write(JSON.stringify({ before, after: typeof globalThis.gc, freed: held.deref() === undefined }));
      });`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
      encoding: "utf8",
    });
    expect(run.status, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout)).to.deep.equal({
      before: "undefined",
      after: "undefined",
      freed: true,
    });
  });
});
