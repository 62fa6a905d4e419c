import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main";
import type { MigrationPlanReport, PlannedRun } from "../../src/simulate/plan";

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

  it("in-place, forward: every run with its command, resource changes, rule diff, pools and gate", async () => {
    const report = await plan();
    expect(report).to.deep.include({
      region: "westus2",
      strategy: "in-place",
      direction: "forward",
    });
    expect(steps(report)).to.deep.equal([
      "classic#1",
      "union#1",
      "simplified-pool#1",
      "simplified-pool#2",
      "simplified#1",
    ]);
    const [classic, union, drain, back, simplified] = report.runs;
    expect(classic.command).to.equal("pulumi config set stage classic && pulumi up");
    expect(classic.resources.create).to.include.members([
      "azure-native:batch:Pool batch-pool",
      "azure-native:network:NetworkSecurityGroup batch-nsg",
    ]);
    expect(rulesOf(classic)).to.equal(
      "+AllowBatchClassicNodeManagementInbound +AllowBatchClassicStorageOutbound +AllowBatchClassicJobManagerOutbound",
    );
    expect(union.resources).to.deep.equal({
      create: [],
      update: ["azure-native:network:NetworkSecurityGroup batch-nsg"],
      replace: [],
      delete: [],
    });
    expect(rulesOf(union)).to.equal("+AllowBatchSimplifiedNodeManagementOutbound");
    expect(union.gate).to.contain("rules only widen");
    expect(drain.resources.update).to.deep.equal(["azure-native:batch:Pool batch-pool"]);
    expect(drain.pools).to.deep.equal([
      { name: drain.pools[0].name, target: "Simplified", expectedLiveMode: "Classic", nodes: 0 },
    ]);
    expect(drain.summary).to.contain("resizes it to 0 nodes");
    expect(back.command).to.equal("pulumi up");
    expect(back.pools[0]).to.deep.include({ expectedLiveMode: "Simplified", nodes: 2 });
    expect(back.nextStageSafe).to.equal(true);
    expect(rulesOf(simplified)).to.equal(
      "-AllowBatchClassicNodeManagementInbound -AllowBatchClassicStorageOutbound -AllowBatchClassicJobManagerOutbound",
    );
    expect(simplified.gate)
      .to.contain("refuses while a pool it keeps runs other than Simplified")
      .and.contain("Simplified)");
    expect(simplified.ruleModes).to.deep.equal(["Simplified"]);
  });

  it("new-pool, forward: the replacement pool appears, the classic pool goes, then its rules", async () => {
    const report = await plan("--strategy", "new-pool");
    expect(steps(report)).to.deep.equal([
      "classic#1",
      "union#1",
      "simplified-pool#1",
      "simplified#1",
      "simplified#2",
    ]);
    expect(report.runs[2].resources.create).to.deep.equal([
      "azure-native:batch:Pool batch-replacement-pool",
    ]);
    expect(report.runs[3].resources.delete).to.deep.equal(["azure-native:batch:Pool batch-pool"]);
    expect(
      rulesOf(report.runs[3]),
      "the classic rules are held while the classic pool is deleted",
    ).to.equal("");
    expect(rulesOf(report.runs[4])).to.contain("-AllowBatchClassicNodeManagementInbound");
  });

  it("--rollback: the way back, widening first, the pool back to classic through zero, then narrowing", async () => {
    const report = await plan("--rollback");
    expect(report.direction).to.equal("rollback");
    expect(steps(report)).to.deep.equal(["simplified-pool#1", "union#1", "union#2", "classic#1"]);
    expect(rulesOf(report.runs[0])).to.contain("+AllowBatchClassicNodeManagementInbound");
    expect(report.runs[1].pools[0]).to.deep.include({ target: "Classic", nodes: 0 });
    expect(report.runs[2].pools[0]).to.deep.include({ expectedLiveMode: "Classic" });
    expect(rulesOf(report.runs[3])).to.equal("-AllowBatchSimplifiedNodeManagementOutbound");
    const newPool = await plan("--rollback", "--strategy", "new-pool");
    expect(steps(newPool)).to.deep.equal(["simplified-pool#1", "union#1", "classic#1"]);
    expect(newPool.runs[0].resources.create).to.deep.equal(["azure-native:batch:Pool batch-pool"]);
    expect(newPool.runs[1].resources.delete).to.deep.equal([
      "azure-native:batch:Pool batch-replacement-pool",
    ]);
  });

  it("--strategy both prints both plans; text and Markdown forms show every run", async () => {
    const both = await runCli(["plan", "--strategy", "both", "--json"]);
    expect((JSON.parse(both.stdout) as MigrationPlanReport[]).map((r) => r.strategy)).to.deep.equal(
      ["in-place", "new-pool"],
    );
    const text = await runCli(["plan"]);
    expect(text.status).to.equal(0);
    expect(text.stdout.split("\n").filter((l) => /^\d+\. stage /.test(l))).to.deep.equal([
      "1. stage classic, run 1: pulumi config set stage classic && pulumi up",
      "2. stage union, run 1: pulumi config set stage union && pulumi up",
      "3. stage simplified-pool, run 1: pulumi config set stage simplified-pool && pulumi up",
      "4. stage simplified-pool, run 2: pulumi up",
      "5. stage simplified, run 1: pulumi config set stage simplified && pulumi up",
    ]);
    const markdown = await runCli(["plan", "--markdown"]);
    expect(markdown.stdout.split("\n").filter((l) => /^\| \d/.test(l))).to.have.length(5);
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
    expect(rulesOf(report.runs[1])).to.equal("+AllowBatchSimplifiedNodeManagementOutbound");
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
      /--config \/nonexistent\/Pulumi\.dev\.yaml: cannot read it/,
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
    const file = join(tmpdir(), `Pulumi.bad-${process.pid}.yaml`);
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
