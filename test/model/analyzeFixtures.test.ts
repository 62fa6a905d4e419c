import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  analyzeNetwork,
  CommunicationMode,
  parseNetworkSecurityGroup,
  parseRouteTable,
} from "../../src/model";
import { fieldsOf, problemsOf } from "../support/errors";

const { Classic, Simplified } = CommunicationMode;
const DIR = join(__dirname, "../fixtures/network");
const read = (file: string) => JSON.parse(readFileSync(join(DIR, file), "utf8")) as unknown;
const nsgFile = (file: string) => parseNetworkSecurityGroup(read(file), file);
const tableFile = (file: string) => parseRouteTable(read(file), file);

function summary(
  file: string,
  modes: CommunicationMode[],
  extra: { nic?: string; routes?: string; subnetPrefix?: string } = {},
) {
  const analysis = analyzeNetwork({
    region: "westus2",
    modes,
    subnetNsg: nsgFile(file),
    ...(extra.nic ? { nicNsg: nsgFile(extra.nic) } : {}),
    ...(extra.routes ? { routeTable: tableFile(extra.routes) } : {}),
    ...(extra.subnetPrefix ? { subnetPrefix: extra.subnetPrefix } : {}),
  });
  return {
    verdict: analysis.verdict,
    flows: analysis.flows.map((f) => `${f.flow.id}: ${f.verdict} by ${f.decidedBy[0]}`),
    advice: analysis.advice.map((a) => `${a.kind} ${a.rule}`),
  };
}

describe("analyzeNetwork on realistic NSGs (test/fixtures/network)", () => {
  it("classic-only: classic passes; simplified passes too (TCP 443 to BNM), UDP and leftovers are advised", () => {
    expect(summary("classic-only.az.json", [Classic])).to.deep.equal({
      verdict: "allowed",
      flows: [
        "classic-node-management-inbound: allowed by batch-classic-nsg: AllowBatchNodeManagementInbound (200)",
        "classic-storage-outbound: allowed by batch-classic-nsg: AllowStorageOutbound (210)",
        "classic-job-manager-outbound: allowed by batch-classic-nsg: AllowBatchServiceOutbound (220)",
      ],
      advice: [],
    });
    const simplified = summary("classic-only.az.json", [Simplified]);
    expect(simplified.flows).to.deep.equal([
      "simplified-node-management-outbound: allowed by batch-classic-nsg: AllowBatchServiceOutbound (220)",
    ]);
    expect(simplified.advice).to.deep.equal([
      "not-needed AllowBatchNodeManagementInbound",
      "not-needed AllowStorageOutbound",
      "udp-blocked DenyInternetOutbound",
    ]);
  });

  it("simplified-only (ARM shape): simplified passes, classic is blocked inbound by the default DenyAllInBound", () => {
    expect(summary("simplified-only.arm.json", [Simplified]).verdict).to.equal("allowed");
    const classic = summary("simplified-only.arm.json", [Classic]);
    expect(classic.verdict).to.equal("blocked");
    expect(classic.flows[0]).to.equal(
      "classic-node-management-inbound: blocked by batch-simplified-nsg: DenyAllInBound (65500)",
    );
    expect(classic.flows[1]).to.equal(
      "classic-storage-outbound: blocked by batch-simplified-nsg: DenyInternetOutbound (4000)",
    );
  });

  it("union: both modes pass; SSH from anywhere is advised against", () => {
    const union = summary("union.az.json", [Classic, Simplified]);
    expect(union.verdict).to.equal("allowed");
    expect(union.advice).to.deep.equal(["too-open AllowSshFromAnywhere"]);
  });

  it("deny-all outbound with exceptions: the global BatchNodeManagement tag lets simplified through", () => {
    const result = summary("deny-all-outbound-with-exceptions.az.json", [Simplified]);
    expect(result.flows).to.deep.equal([
      "simplified-node-management-outbound: allowed by locked-nsg: AllowBatchOutbound (100)",
    ]);
    expect(summary("deny-all-outbound-with-exceptions.az.json", [Classic]).flows[1]).to.equal(
      "classic-storage-outbound: blocked by locked-nsg: DenyAllOutbound (4096)",
    );
  });

  it("a Deny Internet above an Allow to BatchNodeManagement blocks simplified", () => {
    expect(summary("deny-internet-above-allow.az.json", [Simplified]).flows).to.deep.equal([
      "simplified-node-management-outbound: blocked by misordered-nsg: DenyInternetOutbound (100)",
    ]);
  });

  it("a NIC NSG that denies what the subnet's allows blocks the flow", () => {
    expect(
      summary("simplified-only.arm.json", [Simplified], { nic: "nic-blocks-outbound.az.json" })
        .flows,
    ).to.deep.equal([
      "simplified-node-management-outbound: blocked by batch-nic-nsg: DenyAllOutboundOnNic (100)",
    ]);
  });

  it("forced tunnelling: undecided without the service-tag route, allowed with it", () => {
    expect(
      summary("simplified-only.arm.json", [Simplified], { routes: "forced-tunnel.az.json" })
        .verdict,
    ).to.equal("undecided");
    const fixed = analyzeNetwork({
      region: "westus2",
      modes: [Simplified],
      subnetNsg: nsgFile("simplified-only.arm.json"),
      routeTable: tableFile("forced-tunnel-with-batch-route.arm.json"),
    });
    expect(fixed.verdict).to.equal("allowed");
    expect(fixed.flows[0].decidedBy).to.include(
      "route batch-node-management (BatchNodeManagement.westus2 -> Internet)",
    );
  });

  it("rules written by the portal: plural fields, mixed casing, sources by subnet CIDR", () => {
    const withPrefix = summary("portal-written.az.json", [Classic, Simplified], {
      subnetPrefix: "10.0.0.0/24",
    });
    expect(withPrefix.flows).to.deep.equal([
      "classic-node-management-inbound: allowed by portal-nsg: Port_29876-29877 (320)",
      "classic-storage-outbound: blocked by portal-nsg: DenyAnyCustomAnyOutbound (4000)",
      "classic-job-manager-outbound: allowed by portal-nsg: Port_443 (310)",
      "simplified-node-management-outbound: allowed by portal-nsg: Port_443 (310)",
    ]);
    expect(
      summary("portal-written.az.json", [Simplified]).verdict,
      "without the subnet prefix the CIDR sources are undecided",
    ).to.equal("undecided");
  });
});

describe("parseNetworkSecurityGroup and parseRouteTable", () => {
  it("read the az (flattened) and ARM (properties) shapes alike", () => {
    const az = nsgFile("union.az.json");
    const arm = parseNetworkSecurityGroup(
      {
        name: "n",
        properties: {
          securityRules: [
            {
              name: "r",
              properties: {
                priority: 200,
                direction: "inbound",
                access: "allow",
                protocol: "tcp",
                sourceAddressPrefix: "BatchNodeManagement.westus2",
                sourcePortRange: "*",
                destinationAddressPrefix: "*",
                destinationPortRange: "29876-29877",
              },
            },
          ],
        },
      },
      "arm.json",
    );
    expect(arm.rules[0]).to.deep.include({
      priority: 200,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
    });
    expect(arm.rules.filter((r) => r.isDefault)).to.have.length(6);
    expect(az.rules.filter((r) => r.isDefault).map((r) => r.name)).to.include(
      "AllowInternetOutBound",
    );
  });

  it("report every malformed field with the file and its JSON path", () => {
    const problems = problemsOf(() =>
      parseNetworkSecurityGroup(
        {
          properties: {
            securityRules: [
              {
                name: "bad",
                properties: {
                  priority: 5000,
                  direction: "Sideways",
                  access: "Allow",
                  protocol: "Http",
                  sourceAddressPrefix: "*",
                  sourcePortRange: "*",
                  destinationAddressPrefix: "not a prefix!",
                  destinationPortRange: "70000",
                },
              },
            ],
          },
        },
        "nsg.json",
      ),
    );
    expect(fieldsOf(problems)).to.deep.equal([
      "nsg.json $.properties.securityRules[0].properties.priority",
      "nsg.json $.properties.securityRules[0].properties.direction",
      "nsg.json $.properties.securityRules[0].properties.protocol",
      "nsg.json $.properties.securityRules[0].properties.destinationAddressPrefix",
      "nsg.json $.properties.securityRules[0].properties.destinationPortRange",
    ]);
  });

  it("refuse documents that are not NSGs or route tables", () => {
    expect(
      fieldsOf(
        problemsOf(() => parseNetworkSecurityGroup(read("forced-tunnel.az.json"), "rt.json")),
      ),
    ).to.deep.equal(["rt.json $"]);
    expect(
      fieldsOf(problemsOf(() => parseRouteTable(read("union.az.json"), "nsg.json"))),
    ).to.deep.equal(["nsg.json $.routes"]);
    expect(
      fieldsOf(
        problemsOf(() =>
          parseRouteTable(
            { routes: [{ name: "x", addressPrefix: "0.0.0.0/0", nextHopType: "Teleport" }] },
            "rt.json",
          ),
        ),
      ),
    ).to.deep.equal(["rt.json $.routes[0].nextHopType"]);
  });
});
