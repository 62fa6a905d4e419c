import { expect } from "chai";
import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as {
  packages: Record<string, { version: string }>;
};
const locked = (name: string) => lock.packages[`node_modules/${name}`].version;

/** The newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile())
      .map((e) => statSync(join(e.parentPath, e.name)).mtimeMs),
  );
}

/**
 * Builds bin/ only when a source is newer than it: `npm ci` (and so CI) has just built it with
 * `prepare`, and packing below skips scripts instead of building a second time.
 */
function ensureBuild(): void {
  const sources = Math.max(newest(join(ROOT, "src")), newest(join(ROOT, "scripts")));
  if (newest(join(ROOT, "bin")) < sources)
    execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, encoding: "utf8" });
}

/**
 * The package as npm users get it: `npm pack`, installed into a fresh project with registry
 * packages only, then used from there (the components under mocks, the declarations, the bin).
 */
describe("the packed package, installed into a fresh consumer project", function () {
  this.timeout(600_000);
  let consumer: string;
  let tarball: string;

  before(() => {
    consumer = mkdtempSync(join(tmpdir(), "azure-batch-network-consumer-"));
    ensureBuild();
    const out = execFileSync(
      "npm",
      ["pack", "--ignore-scripts", "--pack-destination", consumer, "--silent"],
      { cwd: ROOT, encoding: "utf8" },
    );
    tarball = out.trim().split("\n").pop()!;
    writeFileSync(
      join(consumer, "package.json"),
      JSON.stringify({
        name: "consumer",
        private: true,
        dependencies: {
          "azure-batch-network": `file:./${tarball}`,
          // The versions this repository is tested with (the newest @pulumi/pulumi needs Node 22).
          "@pulumi/pulumi": locked("@pulumi/pulumi"),
        },
      }),
    );
    execFileSync(
      "npm",
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
      { cwd: consumer, encoding: "utf8" },
    );
    copyFileSync(join(__dirname, "consumer.js"), join(consumer, "consumer.js"));
    copyFileSync(join(__dirname, "consumer.ts"), join(consumer, "consumer.ts"));
  });

  after(() => {
    if (consumer) rmSync(consumer, { recursive: true, force: true });
  });

  it("ships the build, the README and the licence, and neither sources nor tests", () => {
    const listing = execFileSync("tar", ["-tzf", join(consumer, tarball)], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    expect(listing).to.include.members([
      "package/bin/index.js",
      "package/bin/index.d.ts",
      "package/bin/cli/main.js",
      "package/bin/cli/program.js",
      "package/bin/cli/program.js.cache",
      "package/README.md",
      "package/LICENSE",
      "package/package.json",
    ]);
    expect(
      listing.filter((f) => /^package\/(src|test|bench|examples|policy)\//.test(f)),
    ).to.deep.equal([]);
  });

  it("runs a consumer program with both components (main)", () => {
    const run = spawnSync(process.execPath, ["consumer.js"], { cwd: consumer, encoding: "utf8" });
    expect(run.status, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout)).to.deep.equal({
      envMode: "Simplified",
      envRules: ["AllowBatchSimplifiedNodeManagementOutbound"],
      migrationRuleModes: ["Classic", "Simplified"],
      // The consumer's mocks answer every live read with "not found": the pool is new, so not yet settled.
      migrationNext: "pulumi up",
      modelRules: ["AllowBatchSimplifiedNodeManagementOutbound"],
      simulation: "function",
      internalsHidden: true,
    });
  });

  it("type-checks a consumer against the declarations (types)", () => {
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    const run = spawnSync(
      process.execPath,
      [
        tsc,
        "--noEmit",
        "--strict",
        "--esModuleInterop",
        "--skipLibCheck",
        "--module",
        "commonjs",
        "--moduleResolution",
        "node",
        "--target",
        "es2022",
        "consumer.ts",
      ],
      { cwd: consumer, encoding: "utf8" },
    );
    expect(run.status, run.stdout + run.stderr).to.equal(0);
  });

  it("runs the azure-batch-network bin (bin): rules and the offline plan", () => {
    const bin = join(consumer, "node_modules/.bin/azure-batch-network");
    expect(readdirSync(join(consumer, "node_modules/.bin"))).to.include("azure-batch-network");
    const rules = spawnSync(bin, ["rules", "--set", "simplified", "--json"], {
      cwd: consumer,
      encoding: "utf8",
    });
    expect(rules.status, rules.stderr).to.equal(0);
    const report = JSON.parse(rules.stdout) as { sets: Array<{ rules: Array<{ name: string }> }> };
    expect(report.sets[0].rules[0].name).to.equal("AllowBatchSimplifiedNodeManagementOutbound");
    const plan = spawnSync(bin, ["plan", "--json"], { cwd: consumer, encoding: "utf8" });
    expect(plan.status, plan.stderr).to.equal(0);
    const planned = JSON.parse(plan.stdout) as { runs: Array<{ stage: string }> };
    expect(planned.runs.map((r) => r.stage)).to.deep.equal([
      "classic",
      "union",
      "simplified-pool",
      "simplified",
      "api-2025-06-01",
    ]);
  });

  it("starts the bin from its code cache, and without it when V8 refuses the cache", () => {
    const cli = join(consumer, "node_modules/azure-batch-network/bin/cli");
    // The Node that built the package takes the cache it saved.
    const accepted = spawnSync(
      process.execPath,
      [
        "-e",
        `const m = require(${JSON.stringify(join(cli, "main.js"))});
         const fs = require("node:fs");
         process.stdout.write(String(m.loadProgram(fs.readFileSync(m.CODE_CACHE)).cacheAccepted));`,
      ],
      { encoding: "utf8" },
    );
    expect(accepted.stdout, accepted.stderr).to.equal("true");
    // A cache that is not V8's (another Node's, a damaged file) is ignored: same answer.
    const before = spawnSync(process.execPath, [join(cli, "main.js"), "rules", "--json"], {
      encoding: "utf8",
    });
    writeFileSync(join(cli, "program.js.cache"), Buffer.from("not a code cache"));
    const after = spawnSync(process.execPath, [join(cli, "main.js"), "rules", "--json"], {
      encoding: "utf8",
    });
    expect(after.status, after.stderr).to.equal(0);
    expect(after.stdout).to.equal(before.stdout);
    expect(after.stderr).to.equal("");
  });
});
