import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  analyzeNetwork,
  AnalysisInput,
  CommunicationMode,
  endpointPath,
  FlowVerdict,
  InvalidInputError,
  parseAdminRules,
  parseNatGateway,
  parseNetworkInterface,
  parseNetworkSecurityGroup,
  parsePrivateEndpoint,
  parseRouteTable,
  parseSubnet,
} from "../../src/model";
import { idKey } from "../../src/model/ids";
import { fieldsOf, problemsOf } from "../support/errors";

const { Simplified, Classic } = CommunicationMode;
const read = (dir: string, name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, "../fixtures", dir, name), "utf8"));
const nsg = (name: string) => parseNetworkSecurityGroup(read("network", name), name);
const layer = (verdict: FlowVerdict, name: string) => verdict.layers.find((l) => l.layer === name)!;
const simplifiedFlow = (input: Omit<AnalysisInput, "region">) =>
  analyzeNetwork({ region: "westus2", modes: [Simplified], ...input }).flows[0];

// Azure/bacc's secured pools: forced tunnelling to a firewall, with a route that sends
// BatchNodeManagement straight to the Internet, in a subnet made private.
const forcedTunnel = {
  subnetNsg: nsg("union.az.json"),
  routeTable: parseRouteTable(
    read("network", "forced-tunnel-with-batch-route.arm.json"),
    "rt.json",
  ),
};
const privateSubnet = parseSubnet(read("layers", "subnet-private.az.json"), "subnet.json");

describe("the outbound path: a private subnet needs an explicit way out", () => {
  it("blocks a BatchNodeManagement -> Internet route from a private subnet whose nodes have no way out, saying why", () => {
    const flow = simplifiedFlow({
      ...forcedTunnel,
      outbound: { subnet: privateSubnet, nodePublicIps: "NoPublicIPAddresses" },
    });
    expect(flow.verdict).to.equal("blocked");
    expect(layer(flow, "route").outcome).to.equal("allowed");
    expect(layer(flow, "outbound")).to.deep.include({
      outcome: "blocked",
      by: "subnet pools (private)",
    });
    expect(flow.reason).to.match(/private \(defaultOutboundAccess false\) and has no NAT gateway/);
  });

  it("allows the same subnet with a NAT gateway, or with public IPs on the nodes", () => {
    const withNat = parseSubnet(read("layers", "subnet-private-nat.az.json"), "s.json");
    const natGateway = parseNatGateway(read("layers", "nat-gateway.az.json"), "nat.json");
    const nat = simplifiedFlow({
      ...forcedTunnel,
      outbound: { subnet: withNat, natGateway, nodePublicIps: "NoPublicIPAddresses" },
    });
    expect(nat.verdict).to.equal("allowed");
    expect(layer(nat, "outbound").by).to.equal("NAT gateway batch-nat on subnet pools");
    for (const ips of ["BatchManaged", "UserManaged"] as const) {
      const own = simplifiedFlow({
        ...forcedTunnel,
        outbound: { subnet: privateSubnet, nodePublicIps: ips },
      });
      expect(own.verdict, ips).to.equal("allowed");
      expect(layer(own, "outbound").by).to.equal(`the nodes' public IPs (${ips})`);
    }
  });

  it("a NAT gateway without public addresses carries nothing", () => {
    const withNat = parseSubnet(read("layers", "subnet-private-nat.az.json"), "s.json");
    const natGateway = parseNatGateway(read("layers", "nat-gateway-no-ip.az.json"), "nat.json");
    expect(natGateway.publicAddresses).to.equal(0);
    const flow = simplifiedFlow({
      ...forcedTunnel,
      outbound: { subnet: withNat, natGateway, nodePublicIps: "NoPublicIPAddresses" },
    });
    expect(flow.verdict).to.equal("blocked");
  });

  it("same-region Storage is reachable from a private subnet; the rest is not", () => {
    const analysis = analyzeNetwork({
      region: "westus2",
      modes: [Classic],
      subnetNsg: nsg("union.az.json"),
      outbound: { subnet: privateSubnet, nodePublicIps: "NoPublicIPAddresses" },
    });
    const storage = analysis.flows.find((f) => f.flow.id === "classic-storage-outbound")!;
    expect(storage.verdict).to.equal("allowed");
    expect(layer(storage, "outbound").reason).to.match(/same-region Storage/);
    const jobManager = analysis.flows.find((f) => f.flow.id === "classic-job-manager-outbound")!;
    expect(jobManager.verdict).to.equal("blocked");
    // Inbound needs no way out: its replies leave the way the connection came.
    const inbound = analysis.flows.find((f) => f.flow.direction === "Inbound")!;
    expect(layer(inbound, "outbound").outcome).to.equal("skipped");
  });

  it("a subnet export that does not say defaultOutboundAccess leaves the flow undecided, never allowed", () => {
    const unsaid = parseSubnet(read("layers", "subnet-unsaid.az.json"), "s.json");
    expect(unsaid.defaultOutboundAccess).to.equal(undefined);
    const flow = simplifiedFlow({
      subnetNsg: nsg("union.az.json"),
      outbound: { subnet: unsaid, nodePublicIps: "NoPublicIPAddresses" },
    });
    expect(flow.verdict).to.equal("undecided");
    // With public IPs on the nodes the subnet's default access does not matter.
    expect(
      simplifiedFlow({
        subnetNsg: nsg("union.az.json"),
        outbound: { subnet: unsaid, nodePublicIps: "BatchManaged" },
      }).verdict,
    ).to.equal("allowed");
    // Null, as older API versions leave it, is Azure's implicit default outbound access.
    const older = parseSubnet(read("layers", "subnet-default-access.arm.json"), "s.json");
    expect(older.defaultOutboundAccess).to.equal(null);
    expect(
      simplifiedFlow({
        subnetNsg: nsg("union.az.json"),
        outbound: { subnet: older, nodePublicIps: "NoPublicIPAddresses" },
      }).verdict,
    ).to.equal("allowed");
  });

  it("the pool's public IPs not given: a private subnet without a NAT gateway is undecided", () => {
    const flow = simplifiedFlow({
      subnetNsg: nsg("union.az.json"),
      outbound: { subnet: privateSubnet },
    });
    expect(flow.verdict).to.equal("undecided");
    expect(flow.reason).to.match(/public IP setting was not given/);
  });
});

describe("security admin rules come before the NSGs", () => {
  const misordered = nsg("deny-internet-above-allow.az.json");

  it("an admin Deny above everything blocks, whatever the NSGs allow, and only its owner can change it", () => {
    const adminRules = parseAdminRules(read("layers", "admin-rules-deny.json"), "admin.json");
    const analysis = analyzeNetwork({
      region: "westus2",
      modes: [Simplified],
      subnetNsg: nsg("union.az.json"),
      adminRules,
    });
    const [flow] = analysis.flows;
    expect(flow.verdict).to.equal("blocked");
    expect(layer(flow, "admin-rules").by).to.equal(
      "admin rule corp-avnm/corp-baseline: deny-internet-egress (Deny, 100) on admin.json",
    );
    expect(layer(flow, "nsg").outcome).to.equal("skipped");
    const advice = analysis.advice.filter((a) => a.flow === flow.flow.id);
    expect(advice.map((a) => a.kind)).to.deep.equal(["admin-rule"]);
    expect(advice[0].change).to.equal(undefined);
  });

  it("AlwaysAllow lets a flow through past an NSG deny; Allow passes it on to the NSGs", () => {
    const always = parseAdminRules(
      read("layers", "admin-rules-always-allow.az.json"),
      "always.json",
    );
    const passed = simplifiedFlow({ subnetNsg: misordered, adminRules: always });
    expect(passed.verdict).to.equal("allowed");
    expect(layer(passed, "admin-rules").outcome).to.equal("allowed");
    expect(layer(passed, "nsg").outcome).to.equal("skipped");
    const allowOnly = parseAdminRules(read("layers", "admin-rules-allow-only.json"), "allow.json");
    const stopped = simplifiedFlow({ subnetNsg: misordered, adminRules: allowOnly });
    expect(stopped.verdict).to.equal("blocked");
    expect(layer(stopped, "admin-rules").outcome).to.equal("passes");
    expect(layer(stopped, "nsg").outcome).to.equal("blocked");
  });

  it("reads the ARM and the az shapes, names a malformed field by its path, and an empty list means none", () => {
    expect(
      parseAdminRules(read("layers", "admin-rules-none.json"), "none.json").rules,
    ).to.deep.equal([]);
    const bad = {
      value: [
        { properties: { access: "Maybe", direction: "Outbound", priority: 0, protocol: "Tcp" } },
      ],
    };
    expect(() => parseAdminRules(bad, "bad.json")).to.throw(InvalidInputError);
    expect(fieldsOf(problemsOf(() => parseAdminRules(bad, "bad.json")))).to.deep.equal([
      "bad.json $.value[0].properties.access",
      "bad.json $.value[0].properties.priority",
    ]);
  });
});

describe("private endpoints carry traffic only when their connection is approved", () => {
  const denyInternet = nsg("no-public-ip-deny-internet.az.json");

  it("a Rejected or Pending endpoint does not carry; an Approved one does", () => {
    for (const [file, verdict] of [
      ["private-endpoint-rejected.az.json", "blocked"],
      ["private-endpoint-pending.az.json", "blocked"],
    ] as const) {
      const endpoint = endpointPath(parsePrivateEndpoint(read("layers", file), file))!;
      const analysis = analyzeNetwork({
        region: "westus2",
        modes: [Simplified],
        subnetNsg: denyInternet,
        privateEndpoints: [endpoint],
      });
      expect(analysis.flows[0].verdict, file).to.equal(verdict);
      expect(layer(analysis.flows[0], "private-endpoint").by).to.match(/\((Rejected|Pending)\)$/);
      expect(analysis.advice.map((a) => a.kind)).to.include("endpoint-connection");
    }
  });

  it("reads an endpoint with a private DNS zone group: its address from its NIC, else its subnet", () => {
    const exported = parsePrivateEndpoint(
      read("layers", "private-endpoint-zone-group.az.json"),
      "pe.json",
    );
    expect(exported.addresses).to.deep.equal([]);
    expect(endpointPath(exported)).to.equal(undefined);
    const nic = parseNetworkInterface(read("layers", "private-endpoint-nic.az.json"), "nic.json");
    const viaNic = endpointPath(exported, {
      nics: new Map([
        [
          idKey(nic.id!),
          {
            address: nic.ipConfigurations[0].privateIpAddress!,
            fqdns: nic.ipConfigurations[0].fqdns,
          },
        ],
      ]),
    })!;
    expect(viaNic).to.deep.include({
      address: "10.0.2.4",
      status: "Approved",
      fqdns: ["a1b2c3d4e5.westus2.service.batch.azure.com"],
    });
    const viaSubnet = endpointPath(exported, {
      subnetPrefixes: new Map([[idKey(exported.subnetId!), "10.0.2.0/24"]]),
    })!;
    expect(viaSubnet.address).to.equal("10.0.2.0/24");
    const analysis = analyzeNetwork({
      region: "westus2",
      modes: [Simplified],
      subnetNsg: denyInternet,
      privateEndpoints: [viaNic],
    });
    expect(analysis.verdict).to.equal("allowed");
  });

  it("refuses addresses no VNet can hold", () => {
    expect(() =>
      parsePrivateEndpoint(read("layers", "private-endpoint-loopback.az.json"), "pe.json"),
    ).to.throw(InvalidInputError, /127\.0\.0\.1" is an address no VNet gives/);
    for (const address of ["127.0.0.1", "169.254.169.254", "0.0.0.0", "224.0.0.1"]) {
      expect(
        () =>
          analyzeNetwork({
            region: "westus2",
            modes: [Simplified],
            subnetNsg: denyInternet,
            privateEndpoints: [{ group: "nodeManagement", address, source: "x" }],
          }),
        address,
      ).to.throw(InvalidInputError, /no VNet gives/);
    }
  });
});

describe("layers not given are named, never assumed", () => {
  it("names every layer not given with its export command; strict counts them as undecided", () => {
    const input = {
      region: "westus2",
      modes: [Simplified],
      subnetNsg: nsg("simplified-only.arm.json"),
      notGiven: ["route" as const],
    };
    const lenient = analyzeNetwork(input);
    expect(lenient.verdict).to.equal("allowed");
    expect(lenient.layers.judged).to.deep.equal(["nsg"]);
    expect(lenient.layers.notJudged.map((m) => m.layer)).to.deep.equal([
      "admin-rules",
      "route",
      "outbound",
    ]);
    expect(lenient.layers.notJudged[0].command).to.match(
      /^az network manager list-effective-security-admin-rule /,
    );
    const strict = analyzeNetwork({ ...input, strict: true });
    expect(strict.verdict).to.equal("undecided");
    expect(strict.flows[0].reason).to.match(/not judged, so undecided/);
  });
});

describe("advice for the outbound path", () => {
  it("never advises an Internet route where the nodes have no way out; names the ways that work, once", () => {
    // The forced tunnel without the BatchNodeManagement route: a route would be the usual fix.
    const table = parseRouteTable(read("network", "forced-tunnel.az.json"), "rt.json");
    const analysis = analyzeNetwork({
      region: "westus2",
      modes: [Classic],
      subnetNsg: nsg("union.az.json"),
      routeTable: table,
      outbound: { subnet: privateSubnet, nodePublicIps: "NoPublicIPAddresses" },
    });
    const routes = analysis.advice.filter((a) => a.kind === "add-route");
    expect(routes.map((a) => a.rule)).to.not.include("BatchNodeManagement.westus2-Internet");
    const ways = analysis.advice.filter((a) => a.kind === "outbound-path");
    expect(ways).to.have.length(1);
    expect(ways[0].message)
      .to.match(/NAT gateway/)
      .and.match(/firewall at 10\.0\.1\.4/);
    expect(ways[0].change).to.deep.include({ action: "attach-nat-gateway", subnet: "pools" });
  });

  it("with public IPs on the nodes, the route is advised, once for every flow that needs it", () => {
    const table = parseRouteTable(read("network", "forced-tunnel.az.json"), "rt.json");
    const analysis = analyzeNetwork({
      region: "westus2",
      modes: [Classic, Simplified],
      subnetNsg: nsg("union.az.json"),
      routeTable: table,
      outbound: { subnet: privateSubnet, nodePublicIps: "BatchManaged" },
    });
    const routes = analysis.advice.filter(
      (a) => a.kind === "add-route" && a.rule === "BatchNodeManagement.westus2-Internet",
    );
    expect(routes).to.have.length(1);
  });
});
