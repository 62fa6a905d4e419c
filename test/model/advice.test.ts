import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  Advice,
  analyzeNetwork,
  azCommand,
  CommunicationMode,
  InvalidInputError,
  parseNetworkSecurityGroup,
  endpointPath,
  parsePrivateEndpoint,
  parseRouteTable,
  PrivateEndpointPath,
} from "../../src/model";
import { fieldsOf } from "../support/errors";

const { Classic, Simplified } = CommunicationMode;
const DIR = join(__dirname, "../fixtures/network");
const read = (file: string) => JSON.parse(readFileSync(join(DIR, file), "utf8")) as unknown;
const nsgFile = (file: string) => parseNetworkSecurityGroup(read(file), file);

function analyze(
  file: string,
  modes: CommunicationMode[],
  privateEndpoints?: PrivateEndpointPath[],
) {
  return analyzeNetwork({
    region: "westus2",
    modes,
    subnetNsg: nsgFile(file),
    ...(privateEndpoints ? { privateEndpoints } : {}),
  });
}

const withChange = (advice: Advice[]) => advice.filter((a) => a.change);

describe("check's advice on networks shaped like real ones (test/fixtures/network)", () => {
  it("a broad HTTPS rule that serves the simplified flow is never called unneeded", () => {
    const simplified = analyze("broad-https-outbound.az.json", [Simplified]);
    expect(simplified.verdict).to.equal("allowed");
    expect(simplified.flows[0].rules).to.deep.equal([
      "batch-subnet-nsg: AllowAllHTTPSOutBound (102)",
    ]);
    expect(simplified.advice.map((a) => a.rule)).to.not.include("AllowAllHTTPSOutBound");
    expect(withChange(simplified.advice).map((a) => `${a.kind} ${a.rule}`)).to.deep.equal([
      "shadowed AllowStorageOutBound",
      "not-needed AllowBatchNodeManagementInbound",
    ]);
    // The same NSG for pools that still need classic: the classic rule stays.
    const union = analyze("broad-https-outbound.az.json", [Classic, Simplified]);
    expect(union.advice.map((a) => `${a.kind} ${a.rule}`)).to.deep.equal([
      "shadowed AllowStorageOutBound",
      "udp-blocked DenyAllOtherOutBound",
    ]);
  });

  it("a multi-port rule loses only the classic ports; a wide range is split around them", () => {
    const advice = withChange(analyze("multi-port-inbound.az.json", [Simplified]).advice);
    expect(advice.map((a) => a.change)).to.deep.equal([
      {
        action: "edit-rule",
        nsg: "batch-multiport-nsg",
        rule: "AllowBatchServiceInbound",
        field: "destinationPortRanges",
        remove: ["29876-29877"],
        add: [],
        result: ["80", "443", "3443"],
      },
      {
        action: "edit-rule",
        nsg: "batch-multiport-nsg",
        rule: "AllowWideRangeFromBatch",
        field: "destinationPortRanges",
        remove: ["29000-30000"],
        add: ["29000-29875", "29878-30000"],
        result: ["29000-29875", "29878-30000"],
      },
    ]);
    expect(azCommand(advice[0].change!, { resourceGroup: "batch-rg" })).to.equal(
      "az network nsg rule update -g batch-rg --nsg-name batch-multiport-nsg -n AllowBatchServiceInbound --destination-port-ranges 80 443 3443",
    );
  });

  it("names a classic rule shadowed by a broader one above it, even while classic is needed", () => {
    const analysis = analyze("shadowed-classic.az.json", [Classic, Simplified]);
    expect(analysis.flows[0].rules).to.deep.equal([
      "batch-shadowed-nsg: AllowAzureCloudInbound (120)",
    ]);
    const shadowed = analysis.advice.filter((a) => a.kind === "shadowed");
    expect(shadowed.map((a) => a.change)).to.deep.equal([
      {
        action: "remove-rule",
        nsg: "batch-shadowed-nsg",
        rule: "AllowBatchNodeManagementInbound",
      },
    ]);
    expect(shadowed[0].message).to.contain("AllowAzureCloudInbound (120)");
  });

  it("a rule with source and destination swapped never matches; the swap and the missing rule are advised", () => {
    const analysis = analyze("swapped-inbound.az.json", [Classic, Simplified]);
    expect(analysis.verdict).to.equal("blocked");
    const [swap, add] = analysis.advice;
    expect(swap.kind).to.equal("never-matches");
    expect(swap.change).to.deep.include({
      action: "replace-rule",
      rule: "AllowBatchManagementInbound",
    });
    expect(swap.change?.action === "replace-rule" && swap.change.with).to.deep.include({
      sourceAddressPrefix: "BatchNodeManagement.westus2",
      destinationAddressPrefix: "VirtualNetwork",
      destinationPortRange: "29876-29877",
    });
    expect(add.kind).to.equal("add-rule");
    expect(add.flow).to.equal("classic-node-management-inbound");
    expect(add.change?.action === "add-rule" && add.change.with).to.deep.include({
      name: "AllowBatchClassicNodeManagementInbound",
      priority: 1000,
      sourceAddressPrefix: "BatchNodeManagement.westus2",
    });
  });

  it("a rule to add goes at a free priority above the rule that stops the flow", () => {
    const analysis = analyze("no-public-ip-deny-internet.az.json", [Simplified]);
    expect(analysis.verdict).to.equal("blocked");
    const add = analysis.advice.find((a) => a.kind === "add-rule")!;
    expect(add.change?.action === "add-rule" && add.change.with.priority).to.equal(199);
    expect(azCommand(add.change!, { resourceGroup: "batch-pe-rg" })).to.equal(
      "az network nsg rule create -g batch-pe-rg --nsg-name deny-internet-outbound -n AllowBatchSimplifiedNodeManagementOutbound --priority 199 --direction Outbound --access Allow --protocol '*' --source-address-prefixes '*' --source-port-ranges '*' --destination-address-prefixes BatchNodeManagement.westus2 --destination-port-ranges 443 --description 'Simplified: nodes connect out to the Batch node management endpoint (any protocol).'",
    );
    // Without the endpoint given, the private path is named as the other way out.
    expect(analysis.advice.map((a) => a.kind)).to.include("private-endpoint");
  });

  it("through a nodeManagement private endpoint the Internet deny does not matter; DNS is named", () => {
    const endpoint = endpointPath(
      parsePrivateEndpoint(read("private-endpoint-node-management.az.json"), "pe.json"),
    )!;
    expect(endpoint).to.deep.equal({
      group: "nodeManagement",
      address: "10.0.0.5",
      fqdns: ["a1b2c3d4e5.westus2.service.batch.azure.com"],
      source: "batchpe-node-pe",
      status: "Approved",
      privateLinkServiceId:
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/batch-pe-rg/providers/Microsoft.Batch/batchAccounts/batchpe",
    });
    const analysis = analyze("no-public-ip-deny-internet.az.json", [Simplified], [endpoint]);
    expect(analysis.verdict).to.equal("allowed");
    expect(analysis.flows[0].flow.peer).to.deep.equal(["10.0.0.5"]);
    expect(analysis.flows[0].rules).to.deep.equal([
      "deny-internet-outbound: AllowVnetOutBound (65000)",
    ]);
    expect(analysis.flows[0].route).to.equal("system route -> VNet");
    expect(analysis.advice.map((a) => a.kind)).to.not.include("private-endpoint");
    expect(analysis.privateDns).to.have.length(1);
    expect(analysis.privateDns[0]).to.deep.include({
      zone: "privatelink.batch.azure.com",
      address: "10.0.0.5",
    });
    expect(analysis.privateDns[0].message).to.contain(
      "a1b2c3d4e5.westus2.service.batch.azure.com to 10.0.0.5",
    );
  });

  it("a route that holds the endpoint's address decides only with network policies on", () => {
    const nsg = nsgFile("no-public-ip-deny-internet.az.json");
    const routeTable = parseRouteTable(
      {
        name: "rt",
        routes: [
          {
            name: "to-fw",
            addressPrefix: "10.0.0.0/16",
            nextHopType: "VirtualAppliance",
            nextHopIpAddress: "10.1.0.4",
          },
        ],
      },
      "rt.json",
    );
    const analysis = analyzeNetwork({
      region: "westus2",
      modes: [Simplified],
      subnetNsg: nsg,
      routeTable,
      privateEndpoints: [{ group: "nodeManagement", address: "10.0.0.5", source: "ip" }],
    });
    expect(analysis.verdict).to.equal("undecided");
    expect(analysis.flows[0].reason).to.contain("private endpoint network policies");
  });

  it("refuses an endpoint that is not an IPv4 address or prefix, or two of one group", () => {
    try {
      analyzeNetwork({
        region: "westus2",
        modes: [Simplified],
        privateEndpoints: [
          { group: "nodeManagement", address: "banana", source: "x" },
          { group: "nodeManagement", address: "10.0.0.5", source: "y" },
        ],
      });
      expect.fail("accepted");
    } catch (e) {
      expect(e).to.be.instanceOf(InvalidInputError);
      expect(fieldsOf((e as InvalidInputError).problems)).to.deep.equal([
        "privateEndpoints[0]",
        "privateEndpoints[1]",
      ]);
    }
  });
});

describe("advice when nothing can be placed", () => {
  it("says so when no free priority lies above the rule that stops a flow", () => {
    const nsg = parseNetworkSecurityGroup(
      {
        name: "tight",
        securityRules: [
          {
            name: "DenyInternetOutbound",
            priority: 100,
            direction: "Outbound",
            access: "Deny",
            protocol: "*",
            sourceAddressPrefix: "*",
            sourcePortRange: "*",
            destinationAddressPrefix: "Internet",
            destinationPortRange: "*",
          },
        ],
      },
      "tight.json",
    );
    const analysis = analyzeNetwork({ region: "westus2", modes: [Simplified], subnetNsg: nsg });
    const add = analysis.advice.find((a) => a.kind === "add-rule")!;
    expect(add.change).to.equal(undefined);
    expect(add.message).to.contain("no free priority above the rules that stop it");
  });
});
