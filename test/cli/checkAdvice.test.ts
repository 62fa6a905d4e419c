import { expect } from "chai";
import { join } from "node:path";
import type { CheckReport } from "../../src/cli/check/report";
import { runCli } from "../../src/cli/program";

const f = (name: string) => join(__dirname, "../fixtures/network", name);

describe("azure-batch-network check: advice, private endpoints, Markdown", () => {
  it("--json carries each advised change as data with the az command that makes it", async () => {
    const result = await runCli([
      "check",
      "--nsg",
      f("multi-port-inbound.az.json"),
      "--mode",
      "simplified",
      "--json",
    ]);
    expect(result.status).to.equal(0);
    const advice = (JSON.parse(result.stdout) as CheckReport).reports[0].analysis.advice;
    expect(advice[0]).to.deep.include({
      kind: "not-needed",
      rule: "AllowBatchServiceInbound",
      flow: "classic-node-management-inbound",
      command:
        "az network nsg rule update -g batch-rg --subscription 00000000-0000-0000-0000-000000000000 --nsg-name batch-multiport-nsg -n AllowBatchServiceInbound --destination-port-ranges 80 443 3443",
    });
    expect(advice[0].change).to.deep.include({ action: "edit-rule", remove: ["29876-29877"] });
  });

  it("the text report names the rule and route per flow, and prints each change's command", async () => {
    const result = await runCli(
      ["check", "--nsg", f("no-public-ip-deny-internet.az.json"), "--mode", "simplified"],
      { width: 1000 },
    );
    expect(result.status).to.equal(1);
    expect(result.stdout).to.contain("deny-internet-outbound: DenyInternetOutbound (200)");
    expect(result.stdout).to.contain(
      "      az network nsg rule create -g batch-pe-rg --subscription 00000000-0000-0000-0000-000000000000 --nsg-name deny-internet-outbound -n AllowBatchSimplifiedNodeManagementOutbound --priority 199",
    );
    expect(result.stdout).to.contain("[private-endpoint]");
  });

  it("--private-endpoint judges the simplified flow to the endpoint's address and names DNS", async () => {
    const result = await runCli(
      [
        "check",
        "--nsg",
        f("no-public-ip-deny-internet.az.json"),
        "--mode",
        "simplified",
        "--private-endpoint",
        f("private-endpoint-node-management.az.json"),
        "--subnet",
        join(__dirname, "../fixtures/layers/subnet-no-public-ip-quickstart.az.json"),
        "--public-ip",
        "NoPublicIPAddresses",
      ],
      { width: 1000 },
    );
    expect(result.stderr).to.equal("");
    expect(result.status).to.equal(0);
    expect(result.stdout)
      .to.contain("Outbound Any 443 to 10.0.0.5")
      .and.contain("deny-internet-outbound: AllowVnetOutBound (65000)")
      .and.contain("system route -> VNet")
      .and.contain(
        "DNS: the nodes must resolve a1b2c3d4e5.westus2.service.batch.azure.com to 10.0.0.5: the private DNS zone privatelink.batch.azure.com",
      );
  });

  it("--node-management-private-ip and --node-management-subnet give the endpoint by address", async () => {
    for (const args of [
      ["--node-management-private-ip", "10.0.0.5"],
      ["--node-management-subnet", "10.0.0.0/24"],
    ]) {
      const result = await runCli([
        "check",
        "--nsg",
        f("no-public-ip-deny-internet.az.json"),
        "--mode",
        "simplified",
        ...args,
      ]);
      expect(result.status, args.join(" ")).to.equal(0);
      expect(result.stdout).to.contain(`Outbound Any 443 to ${args[1]}`);
    }
  });

  it("refuses a malformed endpoint address or file, and two nodeManagement endpoints", async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ["--node-management-private-ip", "10.0.0.0/24"],
        /^error: --node-management-private-ip: "10\.0\.0\.0\/24" is not an IPv4 address/,
      ],
      [
        ["--node-management-subnet", "banana"],
        /^error: --node-management-subnet: "banana" is not an IPv4 CIDR prefix/,
      ],
      [["--private-endpoint", f("union.az.json")], /privateLinkServiceConnections: is missing/],
      [
        [
          "--private-endpoint",
          f("private-endpoint-node-management.az.json"),
          "--node-management-private-ip",
          "10.0.0.6",
        ],
        /^error: --private-endpoint: nodeManagement is given twice/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(["check", "--nsg", f("union.az.json"), ...args]);
      expect(result.status, args.join(" ")).to.equal(2);
      expect(result.stderr, args.join(" ")).to.match(message);
    }
  });

  it("--markdown gives a section per NSG, a table per flow, and the changes with their commands", async () => {
    const result = await runCli([
      "check",
      "--nsg",
      f("multi-port-inbound.az.json"),
      "--mode",
      "simplified",
      "--markdown",
    ]);
    expect(result.status).to.equal(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).to.equal("# Batch network check: ALLOWED");
    expect(lines).to.include(
      "| Flow | Verdict | Admin rules | NSG rules | Route | Way out | Why |",
    );
    expect(lines).to.include("### Not judged");
    expect(lines).to.include("### Advice");
    expect(lines).to.include(
      "   az network nsg rule update -g batch-rg --subscription 00000000-0000-0000-0000-000000000000 --nsg-name batch-multiport-nsg -n AllowBatchServiceInbound --destination-port-ranges 80 443 3443",
    );
    const both = await runCli(["check", "--nsg", f("union.az.json"), "--json", "--markdown"]);
    expect(both.status).to.equal(2);
  });

  it("refuses a subnet prefix that is not a CIDR", async () => {
    for (const prefix of ["10.0.0.0/33", "10.0.0.4"]) {
      const result = await runCli([
        "check",
        "--nsg",
        f("union.az.json"),
        "--subnet-prefix",
        prefix,
      ]);
      expect(result.status, prefix).to.equal(2);
      expect(result.stderr).to.match(/^error: --subnet-prefix: .* is not a CIDR prefix/);
    }
  });
});
