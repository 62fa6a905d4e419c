import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli/program";
import { CheckReport, renderCheck } from "../../src/cli/check/report";
import { spawnCli } from "../support/cli";

const DIR = join(__dirname, "../fixtures/network");
const f = (name: string) => join(DIR, name);

describe("azure-batch-network check", () => {
  it("exit 0 and a table when every flow is allowed", async () => {
    const result = await runCli(
      ["check", "--nsg", f("simplified-only.arm.json"), "--mode", "simplified"],
      { width: 1000 },
    );
    expect(result.status).to.equal(0);
    expect(result.stderr).to.equal("");
    const lines = result.stdout.split("\n");
    expect(lines[0]).to.match(
      /^batch-simplified-nsg \(.*simplified-only\.arm\.json\): region westus2, modes Simplified: ALLOWED by the NSG given; not judged: admin rules, routes, outbound path$/,
    );
    expect(lines[1].split(/\s{2,}/)).to.deep.equal([
      "FLOW",
      "VERDICT",
      "ADMIN RULES",
      "NSG RULES",
      "ROUTE",
      "WAY OUT",
      "WHY",
    ]);
    expect(lines[2])
      .to.contain("Outbound Any 443 to BatchNodeManagement.westus2")
      .and.contain("batch-simplified-nsg: AllowBatchNodeManagementOutbound (300)")
      .and.contain("not judged");
  });

  it("exit 1 when a flow is blocked, naming the deciding rule", async () => {
    const result = await runCli([
      "check",
      "--nsg",
      f("deny-internet-above-allow.az.json"),
      "--mode",
      "SIMPLIFIED",
    ]);
    expect(result.status).to.equal(1);
    expect(result.stdout)
      .to.contain("BLOCKED")
      .and.contain("misordered-nsg: DenyInternetOutbound (100)");
  });

  it("exit 1 when a flow is undecided (forced tunnelling), saying why", async () => {
    const result = await runCli([
      "check",
      "--nsg",
      f("simplified-only.arm.json"),
      "--route-table",
      f("forced-tunnel.az.json"),
      "--stage",
      "simplified",
    ]);
    expect(result.status).to.equal(1);
    expect(result.stdout)
      .to.contain("undecided")
      .and.contain("only if the appliance allows TCP/UDP 443");
  });

  it("--stage checks the stage's flows; the default mode needs both", async () => {
    const union = await runCli([
      "check",
      "--nsg",
      f("simplified-only.arm.json"),
      "--stage",
      "union",
      "--json",
    ]);
    expect((JSON.parse(union.stdout) as CheckReport).reports[0].analysis.modes).to.deep.equal([
      "Classic",
      "Simplified",
    ]);
    const dflt = await runCli(["check", "--nsg", f("union.az.json"), "--json"]);
    expect((JSON.parse(dflt.stdout) as CheckReport).reports[0].analysis.flows).to.have.length(4);
  });

  it("--mode classic checks the Simplified flows too, and says why", async () => {
    const result = await runCli([
      "check",
      "--nsg",
      f("deny-internet-above-allow.az.json"),
      "--mode",
      "classic",
    ]);
    expect(result.stdout)
      .to.contain("modes Classic + Simplified")
      .and.contain("note: --mode classic checks the Simplified flows too");
    expect(result.stdout).to.contain("misordered-nsg: DenyInternetOutbound (100)");
    expect(result.status).to.equal(1);
  });

  it("refuses a mode or stage the region does not offer, naming the region and what it offers", async () => {
    for (const args of [
      ["--mode", "simplified"],
      ["--mode", "union"],
      ["--stage", "simplified"],
      ["--stage", "union"],
    ]) {
      const result = await runCli([
        "check",
        "--nsg",
        f("simplified-only.arm.json"),
        "--region",
        "westindia",
        ...args,
      ]);
      expect(result.status, args.join(" ")).to.equal(2);
      expect(result.stderr).to.match(/^error: --(mode|stage): westindia offers Classic only/);
      expect(result.stdout).to.equal("");
    }
  });

  it("with no mode, checks what the region offers, and says so", async () => {
    const result = await runCli([
      "check",
      "--nsg",
      f("classic-only.az.json"),
      "--region",
      "westindia",
      "--json",
    ]);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(report.reports[0].analysis.modes).to.deep.equal(["Classic"]);
    expect(report.notes).to.deep.equal([
      "westindia offers Classic only: its pools were checked for Classic's flows.",
    ]);
  });

  it("--json prints the report as data; several --nsg give several reports; the worst sets the status", async () => {
    const result = await runCli([
      "check",
      "--nsg",
      f("union.az.json"),
      "--nsg",
      f("simplified-only.arm.json"),
      "--mode",
      "union",
      "--json",
    ]);
    expect(result.status).to.equal(1);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(report.verdict).to.equal("blocked");
    expect(report.reports.map((r) => [r.nsg, r.analysis.verdict])).to.deep.equal([
      ["batch-union-nsg", "allowed"],
      ["batch-simplified-nsg", "blocked"],
    ]);
    expect(report.reports[0].analysis.advice.map((a) => a.rule)).to.deep.equal([
      "AllowSshFromAnywhere",
    ]);
  });

  it("several --nsg as text: each NSG's part in order, the same report --json gives", async () => {
    const argv = ["check", "--nsg", f("union.az.json"), "--nsg", f("simplified-only.arm.json")];
    const text = await runCli(argv, { width: 1000 });
    const json = await runCli([...argv, "--json"]);
    expect(text.status).to.equal(json.status);
    expect(text.stdout).to.equal(`${renderCheck(JSON.parse(json.stdout) as CheckReport, 1000)}\n`);
    const parts = text.stdout.split("\n\n");
    expect(parts[0]).to.match(/^batch-union-nsg \(/);
    expect(parts[1]).to.match(/^batch-simplified-nsg \(/);
  });

  it("a bad file after good ones: only the error is printed, nothing of the good ones", async () => {
    const result = await runCli(
      ["check", "--nsg", f("union.az.json"), "--nsg", f("simplified-only.arm.json"), "--nsg", "-"],
      { stdin: () => "[]" },
    );
    expect(result.status).to.equal(2);
    expect(result.stdout).to.equal("");
    expect(result.stderr).to.contain("must be an NSG object");
  });

  it("a NIC NSG and a subnet prefix take part", async () => {
    const result = await runCli([
      "check",
      "--nsg",
      f("simplified-only.arm.json"),
      "--nic-nsg",
      f("nic-blocks-outbound.az.json"),
      "--mode",
      "simplified",
    ]);
    expect(result.status).to.equal(1);
    expect(result.stdout).to.contain("batch-nic-nsg: DenyAllOutboundOnNic (100)");
    const portal = await runCli([
      "check",
      "--nsg",
      f("portal-written.az.json"),
      "--mode",
      "simplified",
      "--subnet-prefix",
      "10.0.0.0/24",
    ]);
    expect(portal.status).to.equal(0);
  });

  it("reads standard input for -", async () => {
    const text = readFileSync(f("classic-only.az.json"), "utf8");
    const result = await runCli(["check", "--nsg", "-", "--mode", "classic"], {
      stdin: () => text,
    });
    expect(result.status).to.equal(0);
    expect(result.stdout).to.contain("batch-classic-nsg (-)");
  });

  it("as a process, from a pipe, with the exit status", () => {
    const blocked = spawnCli(
      ["check", "--nsg", "-", "--mode", "classic"],
      readFileSync(f("simplified-only.arm.json"), "utf8"),
    );
    expect(blocked.status).to.equal(1);
    expect(blocked.stdout).to.contain("DenyAllInBound (65500)");
    const bad = spawnCli(["check", "--nsg", "-"], "{ not json");
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.contain("standard input $: is not JSON");
  });

  const badInputs: Array<[string, string[], RegExp]> = [
    ["no NSG", ["check", "--mode", "simplified"], /--nsg: give at least one NSG file/],
    [
      "an unreadable file",
      ["check", "--nsg", f("missing.json")],
      /--nsg .*missing\.json: cannot be read: no such file/,
    ],
    [
      "a file that is not JSON",
      ["check", "--nsg", join(__dirname, "check.test.ts")],
      /check\.test\.ts \$: is not JSON/,
    ],
    [
      "a route table given as an NSG",
      ["check", "--nsg", f("forced-tunnel.az.json")],
      /forced-tunnel\.az\.json \$: has no securityRules/,
    ],
    [
      "an NSG given as a route table",
      ["check", "--nsg", f("union.az.json"), "--route-table", f("union.az.json")],
      /union\.az\.json \$\.routes: must be the table's list of routes/,
    ],
    [
      "an unknown region",
      ["check", "--nsg", f("union.az.json"), "--region", "westus9"],
      /--region: "westus9" is not an Azure region.*"westus2"/,
    ],
    [
      "an unknown mode",
      ["check", "--nsg", f("union.az.json"), "--mode", "hybrid"],
      /--mode: "hybrid" is not a mode; use one of classic, simplified, union, default/,
    ],
    [
      "an unknown stage",
      ["check", "--nsg", f("union.az.json"), "--stage", "halfway"],
      /--stage: "halfway" is not a stage/,
    ],
    [
      "a mode and a stage",
      ["check", "--nsg", f("union.az.json"), "--mode", "classic", "--stage", "union"],
      /--mode and --stage: give one of them/,
    ],
    [
      "two inputs from standard input",
      ["check", "--nsg", "-", "--route-table", "-"],
      /standard input can stand for one file only/,
    ],
  ];
  for (const [what, argv, message] of badInputs) {
    it(`exit 2 for ${what}`, async () => {
      const result = await runCli(argv, { stdin: () => "{}" });
      expect(result.status).to.equal(2);
      expect(result.stderr).to.match(message);
      expect(result.stdout).to.equal("");
    });
  }

  it("exit 2 for a malformed rule, naming the file and the JSON path", async () => {
    const nsg = JSON.stringify({
      name: "n",
      location: "westus2",
      securityRules: [
        {
          name: "r",
          priority: 99,
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          sourceAddressPrefix: "*",
          sourcePortRange: "*",
          destinationAddressPrefix: "*",
          destinationPortRange: "22-x",
        },
      ],
    });
    const result = await runCli(["check", "--nsg", "-"], { stdin: () => nsg });
    expect(result.status).to.equal(2);
    expect(result.stderr.trim().split("\n")).to.deep.equal([
      "error: - $.securityRules[0].priority: 99 is not a priority; Azure uses whole numbers from 100 to 4096.",
      'error: - $.securityRules[0].destinationPortRange: "22-x" is not *, a port or a range low-high.',
    ]);
  });

  it("exit 2 for an NSG without a location and no --region", async () => {
    const result = await runCli(["check", "--nsg", "-"], {
      stdin: () => JSON.stringify({ name: "n", securityRules: [] }),
    });
    expect(result.status).to.equal(2);
    expect(result.stderr).to.contain("--region: - has no location");
  });
});
