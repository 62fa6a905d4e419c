import { expect } from "chai";
import { join } from "node:path";
import type { CheckReport } from "../../src/cli/check/report";
import { runCli } from "../../src/cli/program";

const N = (name: string) => join(__dirname, "../fixtures/network", name);
const L = (name: string) => join(__dirname, "../fixtures/layers", name);
const tunnel = [
  "--nsg",
  N("union.az.json"),
  "--route-table",
  N("forced-tunnel-with-batch-route.arm.json"),
];

async function json(argv: string[]): Promise<{ status: number; report: CheckReport }> {
  const result = await runCli([...argv, "--json"]);
  expect(result.stderr).to.equal("");
  return { status: result.status, report: JSON.parse(result.stdout) as CheckReport };
}

describe("azure-batch-network check, every layer", () => {
  it("a private subnet with a BatchNodeManagement -> Internet route and no way out: blocked, with the reason", async () => {
    const argv = [
      "check",
      ...tunnel,
      "--subnet",
      L("subnet-private.az.json"),
      "--public-ip",
      "NoPublicIPAddresses",
      "--mode",
      "simplified",
    ];
    const text = await runCli(argv, { width: 1000 });
    expect(text.status).to.equal(1);
    expect(text.stdout)
      .to.contain("BLOCKED by the NSG, routes, outbound path given; not judged: admin rules")
      .and.contain("blocked: subnet pools (private)")
      .and.contain("is private (defaultOutboundAccess false) and has no NAT gateway");
    // The advice names the ways that work there, never the route that cannot.
    expect(text.stdout).to.contain("[outbound-path]").and.contain("az network nat gateway create");
    const { report } = await json(argv);
    expect(report.reports[0].analysis.advice.map((a) => a.kind)).to.not.include("add-route");
  });

  it("the same subnet with its NAT gateway, or with public IPs on the nodes: allowed", async () => {
    const nat = await json([
      "check",
      ...tunnel,
      "--subnet",
      L("subnet-private-nat.az.json"),
      "--nat-gateway",
      L("nat-gateway.az.json"),
      "--public-ip",
      "NoPublicIPAddresses",
      "--mode",
      "simplified",
    ]);
    expect(nat.status).to.equal(0);
    expect(nat.report.verdict).to.equal("allowed");
    const ips = await json([
      "check",
      ...tunnel,
      "--subnet",
      L("subnet-private.az.json"),
      "--public-ip",
      "BatchManaged",
      "--mode",
      "simplified",
    ]);
    expect(ips.status).to.equal(0);
  });

  it("admin rules: a Deny above everything blocks; AlwaysAllow allows past an NSG deny", async () => {
    const deny = await json([
      "check",
      "--nsg",
      N("union.az.json"),
      "--admin-rules",
      L("admin-rules-deny.json"),
      "--mode",
      "simplified",
    ]);
    expect(deny.status).to.equal(1);
    const flow = deny.report.reports[0].analysis.flows[0];
    expect(flow.layers[0]).to.deep.include({ layer: "admin-rules", outcome: "blocked" });
    const always = await json([
      "check",
      "--nsg",
      N("deny-internet-above-allow.az.json"),
      "--admin-rules",
      L("admin-rules-always-allow.az.json"),
      "--mode",
      "simplified",
    ]);
    expect(always.status).to.equal(0);
  });

  it("check --nsg alone keeps its exit status, and says what it did not judge, with the commands", async () => {
    const argv = ["check", "--nsg", N("simplified-only.arm.json"), "--mode", "simplified"];
    const { status, report } = await json(argv);
    expect(status).to.equal(0);
    expect(report.reports[0].analysis.layers.notJudged.map((m) => m.layer)).to.deep.equal([
      "admin-rules",
      "route",
      "outbound",
    ]);
    const text = await runCli(argv, { width: 1000 });
    expect(text.stdout.split("\n")[0]).to.match(
      /: ALLOWED by the NSG given; not judged: admin rules, routes, outbound path$/,
    );
    expect(text.stdout).to.contain(
      "az network vnet subnet show -g <rg> --vnet-name <vnet> -n <subnet> -o json",
    );
    // --all-layers counts them: undecided, exit 1.
    const strict = await json([...argv, "--all-layers"]);
    expect(strict.status).to.equal(1);
    expect(strict.report.verdict).to.equal("undecided");
  });

  it("a zone-grouped endpoint is read: its address from its NIC export, and without it the error says which export", async () => {
    const endpoint = [
      "check",
      "--nsg",
      N("no-public-ip-deny-internet.az.json"),
      "--mode",
      "simplified",
      "--private-endpoint",
      L("private-endpoint-zone-group.az.json"),
    ];
    const without = await runCli(endpoint);
    expect(without.status).to.equal(2);
    expect(without.stderr)
      .to.contain("az network nic show --ids")
      .and.contain("--private-endpoint-nic");
    const withNic = await json([
      ...endpoint,
      "--private-endpoint-nic",
      L("private-endpoint-nic.az.json"),
    ]);
    expect(withNic.status).to.equal(0);
    expect(withNic.report.reports[0].analysis.flows[0].flow.peer).to.deep.equal(["10.0.2.4"]);
    const rejected = await json([
      "check",
      "--nsg",
      N("no-public-ip-deny-internet.az.json"),
      "--mode",
      "simplified",
      "--private-endpoint",
      L("private-endpoint-rejected.az.json"),
    ]);
    expect(rejected.status).to.equal(1);
  });

  it("refuses what cannot be right, naming the option", async () => {
    for (const [argv, message] of [
      [["--public-ip", "Sometimes"], /--public-ip: "Sometimes" is not a public IP provisioning/],
      [["--nat-gateway", L("nat-gateway.az.json")], /--nat-gateway: give the subnet too/],
      [
        ["--subnet", L("subnet-private.az.json"), "--nat-gateway", L("nat-gateway.az.json")],
        /batch-nat is not the NAT gateway of subnet pools \(it has none\)/,
      ],
      [
        ["--node-management-private-ip", "169.254.169.254"],
        /--node-management-private-ip: "169\.254\.169\.254" is an address no VNet gives/,
      ],
    ] as const) {
      const result = await runCli(["check", "--nsg", N("union.az.json"), ...argv]);
      expect(result.status, argv.join(" ")).to.equal(2);
      expect(result.stderr).to.match(message);
    }
  });
});
