import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli/program";
import type { MigrationPlanReport, PlannedRun } from "../../src/simulate/plan";
import { scratchDir } from "../support/scratch";

function steps(report: MigrationPlanReport): string[] {
  return report.runs.map((r) => `${r.stage}#${r.run}`);
}

function rulesOf(run: PlannedRun): string {
  return [...run.rules.added.map((r) => `+${r}`), ...run.rules.removed.map((r) => `-${r}`)].join(
    " ",
  );
}

async function plan(...args: string[]): Promise<MigrationPlanReport> {
  const result = await runCli(["plan", "--json", ...args]);
  expect(result.status, result.stderr).to.equal(0);
  return JSON.parse(result.stdout) as MigrationPlanReport;
}

describe("azure-batch-network plan", function () {
  this.timeout(60_000);
  const stackDir = scratchDir("plan");

  const CLASSIC_RULES = [
    "AllowBatchClassicNodeManagementInbound",
    "AllowBatchClassicStorageOutbound",
    "AllowBatchClassicJobManagerOutbound",
  ];
  const added = (names: string[]) => names.map((n) => `+${n}`).join(" ");
  const removed = (names: string[]) => names.map((n) => `-${n}`).join(" ");

  it("in-place, forward, Azure honouring Classic: every run with its command, resource changes, rule diff, pools and gate", async () => {
    const report = await plan("--classic-mode", "honoured");
    expect(report).to.deep.include({
      region: "westus2",
      strategy: "in-place",
      direction: "forward",
      classicMode: "honoured",
    });
    expect(steps(report)).to.deep.equal([
      "classic#1",
      "union#1",
      "simplified-pool#1",
      "simplified-pool#2",
      "simplified#1",
      "api-2025-06-01#1",
    ]);
    const [classic, union, drain, back, simplified, api] = report.runs;
    expect(classic.command).to.equal("pulumi config set stage classic && pulumi up");
    expect(classic.resources.create).to.include.members([
      "azure-native:batch:Pool batch-pool",
      "azure-native:network:NetworkSecurityGroup batch-nsg",
    ]);
    // A Classic target may get Simplified nodes: the classic stage serves both from the start.
    expect(rulesOf(classic)).to.equal(
      added([...CLASSIC_RULES, "AllowBatchSimplifiedNodeManagementOutbound"]),
    );
    expect(classic.pools[0]).to.deep.include({ target: "Classic", expectedLiveMode: "Classic" });
    expect(union.resources).to.deep.equal({ create: [], update: [], replace: [], delete: [] });
    expect(union.gate).to.contain("rules only widen");
    expect(drain.resources.update).to.deep.equal(["azure-native:batch:Pool batch-pool"]);
    expect(drain.pools).to.deep.equal([
      { name: drain.pools[0].name, target: "Simplified", expectedLiveMode: "Classic", nodes: 0 },
    ]);
    expect(drain.summary).to.contain("resizes it to 0 nodes");
    expect(back.command).to.equal("pulumi up");
    expect(back.pools[0]).to.deep.include({ expectedLiveMode: "Simplified", nodes: 2 });
    expect(back.nextStageSafe).to.equal(true);
    expect(rulesOf(simplified)).to.equal(removed(CLASSIC_RULES));
    expect(simplified.gate)
      .to.contain("refuses while a pool it keeps has nodes running other than Simplified")
      .and.contain("Simplified)");
    expect(simplified.ruleModes).to.deep.equal(["Simplified"]);
    // The last stage re-declares the account and pool at API 2025-06-01: updates, never replaces.
    expect(api.resources).to.deep.equal({
      create: [],
      update: [
        "azure-native:batch/v20250601:BatchAccount batch-account",
        "azure-native:batch/v20250601:Pool batch-pool",
      ],
      replace: [],
      delete: [],
    });
    expect(rulesOf(api)).to.equal("");
    expect(api.gate).to.contain("at API 2024-07-01").and.contain("confirmedLiveMode");
    expect(api.summary).to.contain("declares pool").and.contain("without the mode property");
  });

  it("in-place, forward, Azure no longer honouring Classic (the default): the pool runs Simplified from the start, and nothing drains", async () => {
    const report = await plan();
    expect(report.classicMode).to.equal("retired");
    expect(steps(report)).to.deep.equal([
      "classic#1",
      "union#1",
      "simplified-pool#1",
      "simplified#1",
      "api-2025-06-01#1",
    ]);
    for (const run of report.runs) expect(run.pools[0].expectedLiveMode).to.equal("Simplified");
    expect(report.runs.every((r) => r.pools[0].nodes === 2)).to.equal(true);
    expect(report.runs[1].summary).to.contain("Azure no longer honours Classic");
    expect(rulesOf(report.runs[3])).to.equal(removed(CLASSIC_RULES));
  });

  for (const classicMode of ["honoured", "retired"]) {
    it(`new-pool, forward (${classicMode}): the replacement pool appears, the classic pool goes, then its rules`, async () => {
      const report = await plan("--strategy", "new-pool", "--classic-mode", classicMode);
      // Honoured, the classic pool's nodes run Classic: its rules are held while it is deleted.
      const held = classicMode === "honoured";
      expect(steps(report)).to.deep.equal([
        "classic#1",
        "union#1",
        "simplified-pool#1",
        "simplified#1",
        ...(held ? ["simplified#2"] : []),
        "api-2025-06-01#1",
      ]);
      expect(report.runs[2].resources.create).to.deep.equal([
        "azure-native:batch:Pool batch-replacement-pool",
      ]);
      expect(report.runs[3].resources.delete).to.deep.equal(["azure-native:batch:Pool batch-pool"]);
      expect(rulesOf(report.runs[3])).to.equal(held ? "" : removed(CLASSIC_RULES));
      if (held) expect(rulesOf(report.runs[4])).to.equal(removed(CLASSIC_RULES));
      expect(report.runs.at(-1)!.resources.update).to.include(
        "azure-native:batch/v20250601:Pool batch-replacement-pool",
      );
    });

    it(`--rollback (${classicMode}): back from API 2025-06-01, widening first, the pool back to classic through zero`, async () => {
      const report = await plan("--rollback", "--classic-mode", classicMode);
      expect(report.direction).to.equal("rollback");
      expect(steps(report)).to.deep.equal([
        "simplified#1",
        "simplified-pool#1",
        "union#1",
        "union#2",
        "classic#1",
      ]);
      const [simplified, widen, drain, back, classic] = report.runs;
      // Back to API 2024-07-01: the same resources, updated through their aliases.
      expect(simplified.resources.update).to.deep.equal([
        "azure-native:batch:BatchAccount batch-account",
        "azure-native:batch:Pool batch-pool",
      ]);
      expect(rulesOf(widen)).to.equal(added(CLASSIC_RULES));
      expect(drain.pools[0]).to.deep.include({ target: "Classic", nodes: 0 });
      // Whatever Azure gives the Classic target, the rules serve it: nothing narrows.
      expect(back.pools[0]).to.deep.include({
        expectedLiveMode: classicMode === "honoured" ? "Classic" : "Simplified",
        nodes: 2,
      });
      expect(rulesOf(classic)).to.equal("");
      expect(classic.ruleModes).to.deep.equal(["Classic", "Simplified"]);
      const newPool = await plan(
        "--rollback",
        "--strategy",
        "new-pool",
        "--classic-mode",
        classicMode,
      );
      expect(steps(newPool)).to.deep.equal([
        "simplified#1",
        "simplified-pool#1",
        "union#1",
        "classic#1",
      ]);
      expect(newPool.runs[1].resources.create).to.deep.equal([
        "azure-native:batch:Pool batch-pool",
      ]);
      expect(newPool.runs[2].resources.delete).to.deep.equal([
        "azure-native:batch:Pool batch-replacement-pool",
      ]);
    });
  }

  it("--strategy both prints both plans; text and Markdown forms show every run and say which Azure they simulate", async () => {
    const both = await runCli(["plan", "--strategy", "both", "--json"]);
    expect((JSON.parse(both.stdout) as MigrationPlanReport[]).map((r) => r.strategy)).to.deep.equal(
      ["in-place", "new-pool"],
    );
    const text = await runCli(["plan"], { width: 1000 });
    expect(text.status).to.equal(0);
    expect(text.stdout.split("\n")[0]).to.match(/^Legend: each numbered run is one `pulumi up`/);
    expect(text.stdout.split("\n")[2]).to.match(
      /^Classic mode retired: simulated Azure as it is since 31 March 2026/,
    );
    expect(text.stdout.split("\n").filter((l) => /^\d+\. stage /.test(l))).to.deep.equal([
      "1. stage classic, run 1: pulumi config set stage classic && pulumi up",
      "2. stage union, run 1: pulumi config set stage union && pulumi up",
      "3. stage simplified-pool, run 1: pulumi config set stage simplified-pool && pulumi up",
      "4. stage simplified, run 1: pulumi config set stage simplified && pulumi up",
      "5. stage api-2025-06-01, run 1: pulumi config set stage api-2025-06-01 && pulumi up",
    ]);
    expect(text.stdout).to.contain("last stage of the migration");
    const markdown = await runCli(["plan", "--markdown", "--classic-mode", "honoured"]);
    expect(markdown.stdout).to.contain("Classic mode honoured: Azure before 31 March 2026");
    expect(markdown.stdout.split("\n").filter((l) => /^\| \d/.test(l))).to.have.length(6);
  });

  it("reads the settings from a Pulumi.<stack>.yaml; options override it", async () => {
    const report = await plan(
      "--config",
      join(__dirname, "../fixtures/stack/Pulumi.prod.yaml"),
      "--dedicated-nodes",
      "5",
    );
    expect(report).to.deep.include({ region: "westeurope", strategy: "new-pool" });
    expect(report.runs[0].pools[0].nodes).to.equal(5);
    expect(rulesOf(report.runs[0])).to.contain("+AllowBatchSimplifiedNodeManagementOutbound");
  });

  it("plans a pool configured with no nodes: every stage settles, as nothing runs to resize", async () => {
    const report = await plan("--dedicated-nodes", "0");
    expect(report.runs.map((r) => r.stage)).to.include.members(["classic", "simplified"]);
    expect(report.runs.every((r) => r.pools.every((p) => p.nodes === 0))).to.equal(true);
    const rollback = await plan("--dedicated-nodes", "0", "--rollback");
    expect(rollback.runs.at(-1)?.stage).to.equal("classic");
  });

  const badOptions: Array<[string, string[], RegExp]> = [
    [
      "an unknown strategy",
      ["--strategy", "blue-green"],
      /--strategy: "blue-green" is not a strategy/,
    ],
    [
      "a region without simplified mode",
      ["--region", "chinanorth"],
      /--region \(location\): stage simplified-pool needs simplified mode/,
    ],
    [
      "a Classic behaviour it does not know",
      ["--classic-mode", "ignored"],
      /--classic-mode: "ignored" is not how Azure treats a Classic target; use retired .* or honoured/,
    ],
    [
      "an unknown region",
      ["--region", "westus9"],
      /--region \(location\): "westus9" is not an Azure region/,
    ],
    [
      "node counts that are not numbers, and a subnet outside the VNet",
      ["--dedicated-nodes", "many", "--subnet-prefix", "10.9.0.0/24"],
      /--dedicated-nodes \(dedicatedNodes\): "many".*\n.*--subnet-prefix \(network\.subnetPrefix\)/,
    ],
    ["--json with --markdown", ["--json", "--markdown"], /--json and --markdown: choose one/],
    [
      "a missing config file",
      ["--config", "/nonexistent/Pulumi.dev.yaml"],
      /--config \/nonexistent\/Pulumi\.dev\.yaml: cannot be read/,
    ],
    ["an unknown flag", ["--nodes", "3"], /unknown option '--nodes'/],
  ];
  for (const [what, args, message] of badOptions) {
    it(`exit 2 for ${what}`, async () => {
      const result = await runCli(["plan", ...args]);
      expect(result.status).to.equal(2);
      expect(result.stderr).to.match(message);
      expect(result.stdout).to.equal("");
    });
  }

  it("exit 2 for a stack file with keys the stack does not have, or secrets", async () => {
    const file = join(stackDir, "Pulumi.bad.yaml");
    writeFileSync(
      file,
      "config:\n  azure-batch-network:nodes: 3\n  azure-batch-network:vmSize:\n    secure: AAABAM\n",
    );
    const result = await runCli(["plan", "--config", file]);
    expect(result.status).to.equal(2);
    expect(result.stderr)
      .to.contain("config.azure-batch-network:nodes: not a key")
      .and.contain("config.azure-batch-network:vmSize: must be a plain value");
  });
});
