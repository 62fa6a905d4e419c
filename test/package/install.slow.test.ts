import { expect } from "chai";
import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

const ROOT = join(__dirname, "../..");

/**
 * Builds bin/ only when a source changed since the last build (`npm ci`, and so CI, has just
 * built it with `prepare`), and adds this Node's code cache when the build has none for it: the
 * package is tested on each supported Node, and each takes only a cache its own V8 saved.
 */
function ensureBuild(): void {
  execFileSync(process.execPath, [join(ROOT, "scripts/build.mjs"), "--if-stale"], {
    cwd: ROOT,
    encoding: "utf8",
  });
}

/** The name of the code cache this Node's V8 takes, beside each bundle. */
function codeCacheName(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const main = require(join(ROOT, "bin/cli/main.js")) as { CODE_CACHE: string };
  return basename(main.CODE_CACHE);
}

const COMMANDS = ["rules", "check", "plan", "audit"];

/**
 * The package as npm users get it: `npm pack`, installed into a fresh project with registry
 * packages only and no lock file, so with the newest versions its ranges allow (as a consumer
 * installing today gets them), then used from there: a stack built under mocks, the
 * declarations, the bin. Run on each Node `npm test` runs on.
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
        dependencies: { "azure-batch-network": `file:./${tarball}` },
      }),
    );
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: consumer,
      encoding: "utf8",
    });
    copyFileSync(join(__dirname, "consumer.js"), join(consumer, "consumer.js"));
    copyFileSync(join(__dirname, "consumer.ts"), join(consumer, "consumer.ts"));
  });

  after(() => {
    if (consumer) rmSync(consumer, { recursive: true, force: true });
  });

  it("ships the build, the README and docs, the licence, and neither sources nor tests", () => {
    const listing = execFileSync("tar", ["-tzf", join(consumer, tarball)], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    expect(listing).to.include.members([
      "package/bin/index.js",
      "package/bin/index.d.ts",
      "package/bin/cli/main.js",
      "package/bin/cli/program.js",
      `package/bin/cli/${codeCacheName()}`,
      ...COMMANDS.flatMap((c) => [
        `package/bin/cli/${c}/program.js`,
        `package/bin/cli/${c}/${codeCacheName()}`,
      ]),
      "package/README.md",
      "package/docs/components.md",
      "package/LICENSE",
      "package/package.json",
    ]);
    expect(
      listing.filter((f) => /^package\/(src|test|bench|examples|policy)\//.test(f)),
    ).to.deep.equal([]);
  });

  it("builds a stack with both components, under mocks, on the newest dependencies (main)", () => {
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

  it("got the newest @pulumi/pulumi its range allows, as a consumer installing today does", () => {
    const range = (
      JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      }
    ).dependencies["@pulumi/pulumi"];
    const versions = JSON.parse(
      execFileSync("npm", ["view", `@pulumi/pulumi@${range}`, "version", "--json"], {
        encoding: "utf8",
      }),
    ) as string | string[];
    const newest = [versions].flat().at(-1);
    const installed = (
      JSON.parse(
        readFileSync(join(consumer, "node_modules/@pulumi/pulumi/package.json"), "utf8"),
      ) as { version: string }
    ).version;
    expect(installed).to.equal(newest);
  });

  it("checks an NSG with the bin, from a file and from a pipe", () => {
    const bin = join(consumer, "node_modules/.bin/azure-batch-network");
    const nsg = join(ROOT, "test/fixtures/network/union.az.json");
    const fromFile = spawnSync(bin, ["check", "--nsg", nsg, "--json"], { encoding: "utf8" });
    expect(fromFile.status, fromFile.stderr).to.equal(0);
    const fromPipe = spawnSync(bin, ["check", "--nsg", "-", "--json"], {
      encoding: "utf8",
      input: readFileSync(nsg),
    });
    expect(fromPipe.status, fromPipe.stderr).to.equal(0);
    expect(fromPipe.stdout).to.equal(fromFile.stdout.replace(JSON.stringify(nsg), '"-"'));
  });

  it("starts the bin from its code caches, and without one when V8 refuses it", () => {
    const cli = join(consumer, "node_modules/azure-batch-network/bin/cli");
    // This Node takes the caches its own V8 saved, the whole command line's and each command's.
    const accepted = spawnSync(
      process.execPath,
      [
        "-e",
        `const m = require(${JSON.stringify(join(cli, "main.js"))});
         const fs = require("node:fs");
         const bundles = [m.BUNDLE, ...m.COMMAND_BUNDLES.map((c) => m.bundleFor([c]))];
         process.stdout.write(bundles.map((b) => m.loadProgram(fs.readFileSync(m.codeCacheOf(b)), b).cacheAccepted).join());`,
      ],
      { encoding: "utf8" },
    );
    expect(accepted.stdout, accepted.stderr).to.equal("true,true,true,true,true");
    // A cache that is not V8's (another Node's, a damaged file) is ignored: same answer.
    const before = spawnSync(process.execPath, [join(cli, "main.js"), "rules", "--json"], {
      encoding: "utf8",
    });
    writeFileSync(join(cli, "rules", codeCacheName()), Buffer.from("not a code cache"));
    const after = spawnSync(process.execPath, [join(cli, "main.js"), "rules", "--json"], {
      encoding: "utf8",
    });
    expect(after.status, after.stderr).to.equal(0);
    expect(after.stdout).to.equal(before.stdout);
    expect(after.stderr).to.equal("");
  });
});
