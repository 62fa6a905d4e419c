import { expect } from "chai";
import { runCli } from "../../src/cli/program";
import { RulesReport } from "../../src/cli/rules/report";
import { CommunicationMode, securityRules } from "../../src/model";
import { spawnCli } from "../support/cli";

describe("azure-batch-network rules", () => {
  it("prints the classic, simplified and union sets for westus2 by default", async () => {
    const result = await runCli(["rules"], { width: 1000 });
    expect(result.status).to.equal(0);
    expect(result.stderr).to.equal("");
    expect(result.stdout).to.contain("Region westus2 (West US 2, AzureCloud)");
    const headings = result.stdout.split("\n").filter((l) => l.startsWith("== "));
    expect(headings).to.deep.equal([
      "== classic (Classic) ==",
      "== simplified (Simplified) ==",
      "== union (Classic + Simplified) ==",
    ]);
    // Every rule of the model appears as a row with its priority and name.
    const union = securityRules("westus2", [CommunicationMode.Default]).rules;
    const lines = result.stdout.split("\n");
    for (const rule of union) {
      const row = lines.find((l) => l.endsWith(` ${rule.name}`));
      expect(row, rule.name).to.be.a("string");
      expect(row!.split(/\s+/).slice(0, 4)).to.deep.equal([
        String(rule.priority),
        rule.direction,
        rule.access,
        rule.protocol,
      ]);
    }
  });

  it("--json prints the same data the model returns", async () => {
    const result = await runCli(["rules", "--region", "USGov Virginia", "--json"]);
    expect(result.status).to.equal(0);
    const report = JSON.parse(result.stdout) as RulesReport;
    expect(report.region.name).to.equal("usgovvirginia");
    expect(report.sets.map((s) => s.label)).to.deep.equal(["classic", "simplified", "union"]);
    expect(report.sets[2].rules).to.deep.equal(
      securityRules("usgovvirginia", [CommunicationMode.Classic, CommunicationMode.Simplified])
        .rules,
    );
    expect(report.sets[1].flows.map((f) => f.id)).to.deep.equal([
      "simplified-node-management-outbound",
    ]);
  });

  it("passes options through: one set, base, lockdown, remote access and forced tunnelling", async () => {
    const result = await runCli([
      "rules",
      "--set",
      "simplified",
      "--priority-base",
      "200",
      "--lockdown",
      "--storage",
      "10.5.0.0/16",
      "--ssh-from",
      "203.0.113.0/24",
      "--forced-tunnel",
      "10.0.1.4",
      "--json",
    ]);
    expect(result.status, result.stderr).to.equal(0);
    const [set] = (JSON.parse(result.stdout) as RulesReport).sets;
    expect(set.rules.map((r) => `${r.priority} ${r.name}`)).to.deep.equal([
      "210 AllowBatchNodeSshInbound",
      "202 AllowBatchSimplifiedNodeManagementOutbound",
      "215 AllowBatchTaskStoragePrefixesOutbound",
      "220 DenyBatchInternetOutbound",
    ]);
    expect(set.routes?.routes.map((r) => r.name)).to.deep.equal([
      "BatchNodeManagementToInternet",
      "DefaultToAppliance",
    ]);
  });

  it("prints only classic where the region has no simplified mode, and refuses simplified there", async () => {
    const plain = await runCli(["rules", "--region", "westindia"]);
    expect(plain.status).to.equal(0);
    expect(plain.stdout.split("\n").filter((l) => l.startsWith("== "))).to.deep.equal([
      "== classic (Classic) ==",
    ]);
    expect(plain.stdout).to.not.contain("no longer honours");
    const refused = await runCli(["rules", "--region", "westindia", "--set", "simplified"]);
    expect(refused.status).to.equal(2);
    expect(refused.stderr).to.contain(
      "--set (modes[0]): westindia does not offer simplified node communication",
    );
  });

  it("says the classic set alone no longer keeps a Classic-target pool working", async () => {
    const result = await runCli(["rules", "--set", "classic"]);
    expect(result.stdout).to.contain(
      "warning: since 31 March 2026 Azure no longer honours a Classic target",
    );
  });

  it("lists the hosts the nodes reach: the node management host is the account's, never built from its name", async () => {
    const offline = await runCli([
      "rules",
      "--set",
      "simplified",
      "--account",
      "mybatch",
      "--json",
    ]);
    const [set] = (JSON.parse(offline.stdout) as RulesReport).sets;
    const hosts = set.outboundDependencies.flatMap((c) => c.endpoints.map((e) => e.domainName));
    expect(hosts).to.deep.equal([
      "mybatch.westus2.batch.azure.com",
      "<unique-id>.westus2.service.batch.azure.com",
    ]);
    expect(hosts.join()).to.not.contain("mybatch.westus2.service");
    const text = await runCli(["rules", "--set", "simplified"], { width: 1000 });
    expect(text.stdout).to.contain("az batch account show --query nodeManagementEndpoint");
    const known = await runCli([
      "rules",
      "--set",
      "simplified",
      "--node-management-endpoint",
      "4f1d0c2b-9a8e-4b7c-a6d5-e4f3a2b1c0d9.westus2.service.batch.azure.com",
      "--json",
    ]);
    const [knownSet] = (JSON.parse(known.stdout) as RulesReport).sets;
    expect(knownSet.outboundDependencies[0].endpoints[1].domainName).to.equal(
      "4f1d0c2b-9a8e-4b7c-a6d5-e4f3a2b1c0d9.westus2.service.batch.azure.com",
    );
    const bad = await runCli(["rules", "--node-management-endpoint", "not a host"]);
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.contain("--node-management-endpoint (nodeManagementEndpoint)");
  });

  it("--help explains every flag", async () => {
    const result = await runCli(["rules", "--help"]);
    expect(result.status).to.equal(0);
    for (const flag of [
      "--region",
      "--set",
      "--json",
      "--priority-base",
      "--no-job-manager-outbound",
      "--ssh-from",
      "--rdp-from",
      "--lockdown",
      "--storage",
      "--forced-tunnel",
    ]) {
      expect(result.stdout).to.contain(flag);
    }
  });

  const badInputs: Array<[string, string[], RegExp]> = [
    [
      "unknown region",
      ["rules", "--region", "westus9"],
      /--region \(region\): "westus9" is not an Azure region.*"westus2"/,
    ],
    [
      "unknown rule set",
      ["rules", "--set", "hybrid"],
      /--set: "hybrid" is not a rule set; use one of classic, simplified, union/,
    ],
    [
      "base past 4096",
      ["rules", "--priority-base", "4090"],
      /--priority-base \(priorityBase\): 4090 is not allowed; use a whole number from 100 to 4076/,
    ],
    [
      "base not a number",
      ["rules", "--priority-base", "lots"],
      /--priority-base: "lots" is not a whole number/,
    ],
    [
      "open SSH",
      ["rules", "--ssh-from", "0.0.0.0/0"],
      /--ssh-from \(remoteAccess.sshSourcePrefixes\[0\]\): .*whole internet/,
    ],
    [
      "storage without lockdown",
      ["rules", "--storage", "Storage"],
      /--storage: only applies with --lockdown/,
    ],
    [
      "bad appliance IP",
      ["rules", "--forced-tunnel", "fw01"],
      /--forced-tunnel \(defaultRoute.nextHopIpAddress\)/,
    ],
    ["unknown flag", ["rules", "--colour"], /unknown option '--colour'/],
    ["unknown command", ["deploy"], /unknown command 'deploy'/],
  ];
  for (const [what, argv, message] of badInputs) {
    it(`exits 2 with a message naming the flag: ${what}`, async () => {
      const result = await runCli(argv);
      expect(result.status).to.equal(2);
      expect(result.stderr).to.match(message);
      expect(result.stdout).to.equal("");
    });
  }

  it("as a process: prints to stdout, errors to stderr, and sets the exit status", () => {
    const ok = spawnCli(["rules", "--set", "classic"]);
    expect(ok.status).to.equal(0);
    expect(ok.stdout).to.contain("AllowBatchClassicNodeManagementInbound");
    const bad = spawnCli(["rules", "--region", "nowhere"]);
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.contain("--region");
  });
});
