import { expect } from "chai";
import {
  analyzeNetwork,
  AnalysisInput,
  CommunicationMode,
  parseNetworkSecurityGroup,
  parseRouteTable,
  NetworkSecurityGroup,
  RouteTable,
} from "../../src/model";
import { fieldsOf, problemsOf } from "../support/errors";

const { Classic, Simplified, Default } = CommunicationMode;

interface RuleJson {
  name?: string;
  priority: number;
  direction: "Inbound" | "Outbound";
  access?: "Allow" | "Deny";
  protocol?: string;
  source?: string | string[];
  destination?: string | string[];
  ports?: string | string[];
  sourcePorts?: string;
  sourceAsgs?: boolean;
  destinationAsgs?: boolean;
}

/** An NSG as `az network nsg show` prints it (defaults left for the parser to add). */
function nsg(rules: RuleJson[], name = "nsg"): NetworkSecurityGroup {
  return parseNetworkSecurityGroup(
    {
      name,
      location: "westus2",
      securityRules: rules.map((r, i) => ({
        name: r.name ?? `rule${i}`,
        priority: r.priority,
        direction: r.direction,
        access: r.access ?? "Allow",
        protocol: r.protocol ?? "*",
        sourcePortRange: r.sourcePorts ?? "*",
        ...(Array.isArray(r.source)
          ? { sourceAddressPrefixes: r.source }
          : { sourceAddressPrefix: r.source ?? "*" }),
        ...(Array.isArray(r.destination)
          ? { destinationAddressPrefixes: r.destination }
          : { destinationAddressPrefix: r.destination ?? "*" }),
        ...(Array.isArray(r.ports)
          ? { destinationPortRanges: r.ports }
          : { destinationPortRange: r.ports ?? "*" }),
        ...(r.sourceAsgs ? { sourceApplicationSecurityGroups: [{ id: "asg-a" }] } : {}),
        ...(r.destinationAsgs ? { destinationApplicationSecurityGroups: [{ id: "asg-b" }] } : {}),
      })),
    },
    "test.json",
  );
}

function routes(entries: Array<[string, string, string?]>): RouteTable {
  return parseRouteTable(
    {
      name: "rt",
      routes: entries.map(([addressPrefix, nextHopType, nextHopIpAddress], i) => ({
        name: `r${i}`,
        addressPrefix,
        nextHopType,
        nextHopIpAddress,
      })),
    },
    "rt.json",
  );
}

function verdicts(
  input: Partial<AnalysisInput> & { modes?: CommunicationMode[] },
): Record<string, string> {
  const analysis = analyzeNetwork({ region: "westus2", modes: [Simplified], ...input });
  return Object.fromEntries(analysis.flows.map((f) => [f.flow.id, f.verdict]));
}

const SIMPLIFIED_OUT = "simplified-node-management-outbound";
const CLASSIC_IN = "classic-node-management-inbound";

describe("analyzeNetwork: NSG semantics", () => {
  it("default rules: outbound to a service tag passes AllowInternetOutBound; inbound from it stops at DenyAllInBound", () => {
    const analysis = analyzeNetwork({
      region: "westus2",
      modes: [Classic, Simplified],
      subnetNsg: nsg([]),
    });
    const byId = Object.fromEntries(analysis.flows.map((f) => [f.flow.id, f]));
    expect(byId[SIMPLIFIED_OUT].verdict).to.equal("allowed");
    expect(byId[SIMPLIFIED_OUT].decidedBy).to.deep.equal([
      "nsg: AllowInternetOutBound (65001)",
      "system route -> Internet",
    ]);
    expect(byId[CLASSIC_IN].verdict).to.equal("blocked");
    expect(byId[CLASSIC_IN].decidedBy[0]).to.equal("nsg: DenyAllInBound (65500)");
  });

  it("no NSG at all lets everything through that level", () => {
    expect(verdicts({ modes: [Classic, Simplified] })).to.deep.include({
      [CLASSIC_IN]: "allowed",
      [SIMPLIFIED_OUT]: "allowed",
    });
  });

  it("ascending priority, first match decides: a Deny above an Allow wins, below it does not", () => {
    const denyFirst = nsg([
      { priority: 100, direction: "Outbound", access: "Deny", destination: "Internet" },
      {
        priority: 200,
        direction: "Outbound",
        destination: "BatchNodeManagement.westus2",
        ports: "443",
      },
    ]);
    const allowFirst = nsg([
      { priority: 300, direction: "Outbound", access: "Deny", destination: "Internet" },
      {
        priority: 200,
        direction: "Outbound",
        destination: "BatchNodeManagement.westus2",
        ports: "443",
      },
    ]);
    expect(verdicts({ subnetNsg: denyFirst })[SIMPLIFIED_OUT]).to.equal("blocked");
    expect(verdicts({ subnetNsg: allowFirst })[SIMPLIFIED_OUT]).to.equal("allowed");
  });

  it("protocol: * matches TCP; Udp or Icmp do not match a TCP flow", () => {
    const deny = (protocol: string) =>
      nsg([
        {
          priority: 100,
          direction: "Outbound",
          access: "Deny",
          protocol,
          destination: "*",
          ports: "443",
        },
      ]);
    expect(verdicts({ subnetNsg: deny("*") })[SIMPLIFIED_OUT]).to.equal("blocked");
    expect(verdicts({ subnetNsg: deny("Tcp") })[SIMPLIFIED_OUT]).to.equal("blocked");
    expect(verdicts({ subnetNsg: deny("Udp") })[SIMPLIFIED_OUT]).to.equal("allowed");
    expect(verdicts({ subnetNsg: deny("Icmp") })[SIMPLIFIED_OUT]).to.equal("allowed");
  });

  it("ports: single, list, range and *; a range must hold every port of the flow", () => {
    const denyPorts = (ports: string | string[]) =>
      verdicts({
        modes: [Classic],
        subnetNsg: nsg([
          {
            priority: 100,
            direction: "Inbound",
            access: "Allow",
            source: "BatchNodeManagement.westus2",
            ports,
          },
        ]),
      })[CLASSIC_IN];
    expect(denyPorts("29876-29877")).to.equal("allowed");
    expect(denyPorts(["29876", "29877"])).to.equal("allowed");
    expect(denyPorts("*")).to.equal("allowed");
    expect(denyPorts("29876"), "29877 falls to DenyAllInBound").to.equal("blocked");
    expect(denyPorts("29000-29876")).to.equal("blocked");
  });

  it("addresses: single and list prefixes; a list matches if any entry does", () => {
    const allow = (destination: string | string[]) =>
      nsg([
        { priority: 100, direction: "Outbound", destination, ports: "443" },
        { priority: 200, direction: "Outbound", access: "Deny", destination: "*" },
      ]);
    expect(verdicts({ subnetNsg: allow("BatchNodeManagement.westus2") })[SIMPLIFIED_OUT]).to.equal(
      "allowed",
    );
    expect(
      verdicts({ subnetNsg: allow(["10.1.0.0/16", "192.168.0.0/16"]) })[SIMPLIFIED_OUT],
      "private ranges never hold a service",
    ).to.equal("blocked");
  });

  it("service tags: regional inside global, Internet and AzureCloud hold public tags, other regions and services do not", () => {
    const deny = (destination: string) =>
      verdicts({
        subnetNsg: nsg([{ priority: 100, direction: "Outbound", access: "Deny", destination }]),
      })[SIMPLIFIED_OUT];
    expect(deny("BatchNodeManagement")).to.equal("blocked");
    expect(deny("BatchNodeManagement.WestUS2"), "tags are matched case-insensitively").to.equal(
      "blocked",
    );
    expect(deny("Internet")).to.equal("blocked");
    expect(deny("AzureCloud")).to.equal("blocked");
    expect(deny("AzureCloud.westus2")).to.equal("blocked");
    expect(deny("AzureCloud.eastus")).to.equal("allowed");
    expect(deny("BatchNodeManagement.eastus")).to.equal("allowed");
    expect(deny("Storage")).to.equal("allowed");
    expect(deny("VirtualNetwork")).to.equal("allowed");
  });

  it("a CIDR against a service tag cannot be decided offline, except 0.0.0.0/0 and non-public ranges", () => {
    const deny = (destination: string) =>
      analyzeNetwork({
        region: "westus2",
        modes: [Simplified],
        subnetNsg: nsg([{ priority: 100, direction: "Outbound", access: "Deny", destination }]),
      }).flows[0];
    const unsure = deny("20.0.0.0/8");
    expect(unsure.verdict).to.equal("undecided");
    expect(unsure.reason).to.contain("20.0.0.0/8").and.contain("cannot be told offline");
    expect(deny("0.0.0.0/0").verdict).to.equal("blocked");
    expect(deny("10.0.0.0/8").verdict).to.equal("allowed");
    expect(deny("100.64.0.0/10").verdict).to.equal("allowed");
  });

  it("an undecided rule is harmless when the rule that decides agrees with it", () => {
    const agree = nsg([
      { priority: 100, direction: "Outbound", access: "Allow", destination: "20.0.0.0/8" },
      { priority: 200, direction: "Outbound", access: "Allow", destination: "BatchNodeManagement" },
    ]);
    expect(verdicts({ subnetNsg: agree })[SIMPLIFIED_OUT]).to.equal("allowed");
  });

  it("application security groups on the nodes' side leave the rule undecided", () => {
    const analysis = analyzeNetwork({
      region: "westus2",
      modes: [Simplified],
      subnetNsg: nsg([
        {
          priority: 100,
          direction: "Outbound",
          access: "Deny",
          source: [],
          sourceAsgs: true,
          destination: "*",
        },
      ]),
    });
    expect(analysis.flows[0].verdict).to.equal("undecided");
    expect(analysis.flows[0].reason).to.contain("application security groups");
  });

  it("the nodes' side by CIDR is decided with the subnet prefix, undecided without it", () => {
    const rules = nsg([
      {
        priority: 100,
        direction: "Outbound",
        access: "Deny",
        source: "10.0.0.0/16",
        destination: "*",
      },
    ]);
    expect(verdicts({ subnetNsg: rules, subnetPrefix: "10.0.1.0/24" })[SIMPLIFIED_OUT]).to.equal(
      "blocked",
    );
    expect(verdicts({ subnetNsg: rules, subnetPrefix: "10.9.0.0/24" })[SIMPLIFIED_OUT]).to.equal(
      "allowed",
    );
    expect(verdicts({ subnetNsg: rules })[SIMPLIFIED_OUT]).to.equal("undecided");
  });

  it("a rule limited to some source ports cannot decide a flow whose source port is any", () => {
    const rules = nsg([
      {
        priority: 100,
        direction: "Outbound",
        access: "Deny",
        sourcePorts: "1024-2048",
        destination: "*",
      },
    ]);
    expect(verdicts({ subnetNsg: rules })[SIMPLIFIED_OUT]).to.equal("undecided");
  });

  it("subnet and NIC NSGs combine: outbound passes the NIC, then the subnet; both must allow", () => {
    const open = nsg([], "subnet-nsg");
    const nic = nsg(
      [{ priority: 100, direction: "Outbound", access: "Deny", destination: "*" }],
      "nic-nsg",
    );
    const analysis = analyzeNetwork({
      region: "westus2",
      modes: [Simplified],
      subnetNsg: open,
      nicNsg: nic,
    });
    expect(analysis.flows[0].verdict).to.equal("blocked");
    expect(analysis.flows[0].decidedBy).to.deep.equal([
      "nic-nsg: rule0 (100)",
      "system route -> Internet",
    ]);
    const both = analyzeNetwork({
      region: "westus2",
      modes: [Simplified],
      subnetNsg: open,
      nicNsg: nsg([], "nic-nsg"),
    });
    expect(both.flows[0].decidedBy.slice(0, 2)).to.deep.equal([
      "nic-nsg: AllowInternetOutBound (65001)",
      "subnet-nsg: AllowInternetOutBound (65001)",
    ]);
  });
});

describe("analyzeNetwork: routes", () => {
  it("forced tunnelling without a service-tag route: simplified is undecided (the appliance decides), classic inbound is blocked", () => {
    const table = routes([["0.0.0.0/0", "VirtualAppliance", "10.0.1.4"]]);
    const analysis = analyzeNetwork({
      region: "westus2",
      modes: [Classic, Simplified],
      routeTable: table,
    });
    const byId = Object.fromEntries(analysis.flows.map((f) => [f.flow.id, f]));
    expect(byId[SIMPLIFIED_OUT].verdict).to.equal("undecided");
    expect(byId[SIMPLIFIED_OUT].reason)
      .to.contain("only if the appliance allows TCP/UDP 443")
      .and.contain("BatchNodeManagement.westus2 -> Internet");
    expect(byId[CLASSIC_IN].verdict).to.equal("blocked");
    expect(byId[CLASSIC_IN].reason).to.contain("asymmetric");
  });

  it("a service-tag route beats 0.0.0.0/0 (longest prefix), and a regional tag beats its global tag", () => {
    const fixed = routes([
      ["0.0.0.0/0", "VirtualAppliance", "10.0.1.4"],
      ["BatchNodeManagement", "VirtualAppliance", "10.0.1.4"],
      ["BatchNodeManagement.westus2", "Internet"],
    ]);
    const analysis = analyzeNetwork({ region: "westus2", modes: [Simplified], routeTable: fixed });
    expect(analysis.flows[0].verdict).to.equal("allowed");
    expect(analysis.flows[0].decidedBy).to.include(
      "route r2 (BatchNodeManagement.westus2 -> Internet)",
    );
  });

  it("a public CIDR route may carry part of a tag: undecided; a private one never does", () => {
    expect(verdicts({ routeTable: routes([["20.0.0.0/8", "None"]]) })[SIMPLIFIED_OUT]).to.equal(
      "undecided",
    );
    expect(verdicts({ routeTable: routes([["10.0.0.0/8", "None"]]) })[SIMPLIFIED_OUT]).to.equal(
      "allowed",
    );
  });

  it("next hop None drops the flow", () => {
    expect(
      verdicts({ routeTable: routes([["BatchNodeManagement.westus2", "None"]]) })[SIMPLIFIED_OUT],
    ).to.equal("blocked");
  });

  it("VirtualNetwork under forced tunnelling may be every address: undecided", () => {
    const rules = nsg([
      { priority: 100, direction: "Outbound", access: "Deny", destination: "VirtualNetwork" },
    ]);
    expect(verdicts({ subnetNsg: rules })[SIMPLIFIED_OUT]).to.equal("allowed");
    const analysis = analyzeNetwork({
      region: "westus2",
      modes: [Simplified],
      subnetNsg: rules,
      routeTable: routes([
        ["0.0.0.0/0", "VirtualAppliance", "10.0.1.4"],
        ["BatchNodeManagement.westus2", "Internet"],
      ]),
    });
    expect(analysis.flows[0].verdict).to.equal("undecided");
    expect(analysis.flows[0].reason).to.contain("VirtualNetwork can include every address");
  });
});

describe("analyzeNetwork: advice and bad input", () => {
  it("names rules simplified no longer needs, and inbound rules open to the Internet", () => {
    const rules = nsg([
      {
        name: "AllowBatchIn",
        priority: 100,
        direction: "Inbound",
        source: "BatchNodeManagement.westus2",
        ports: "29876-29877",
        protocol: "Tcp",
      },
      {
        name: "AllowStorage",
        priority: 110,
        direction: "Outbound",
        destination: "Storage.westus2",
        ports: "443",
      },
      {
        name: "AllowRdpAnywhere",
        priority: 120,
        direction: "Inbound",
        source: "Internet",
        ports: "3389",
      },
    ]);
    const advice = analyzeNetwork({
      region: "westus2",
      modes: [Simplified],
      subnetNsg: rules,
    }).advice;
    expect(advice.map((a) => `${a.kind} ${a.rule}`)).to.deep.equal([
      "not-needed AllowBatchIn",
      "not-needed AllowStorage",
      "too-open AllowRdpAnywhere",
    ]);
    expect(advice[0].message).to.contain("only classic mode needs it");
    expect(
      analyzeNetwork({
        region: "westus2",
        modes: [Classic, Simplified],
        subnetNsg: rules,
      }).advice.map((a) => a.kind),
    ).to.deep.equal(["too-open"]);
    // Default is what Azure gives a Default VNet pool today: Simplified, so the same advice.
    expect(
      analyzeNetwork({ region: "westus2", modes: [Default], subnetNsg: rules }).advice.map(
        (a) => a.kind,
      ),
    ).to.deep.equal(["not-needed", "not-needed", "too-open"]);
  });

  it("warns when UDP 443 to BatchNodeManagement is denied (simplified may use it later)", () => {
    const rules = nsg([
      {
        priority: 100,
        direction: "Outbound",
        protocol: "Tcp",
        destination: "BatchNodeManagement.westus2",
        ports: "443",
      },
      { priority: 200, direction: "Outbound", access: "Deny", destination: "*" },
    ]);
    const analysis = analyzeNetwork({ region: "westus2", modes: [Simplified], subnetNsg: rules });
    expect(analysis.flows[0].verdict).to.equal("allowed");
    expect(analysis.advice.map((a) => a.kind)).to.deep.equal(["udp-blocked"]);
  });

  it("a stage checks the flows its rules serve", () => {
    const ids = (stage: "classic" | "union" | "simplified-pool" | "simplified") =>
      analyzeNetwork({ region: "westus2", stage }).flows.map((f) => f.flow.id);
    expect(ids("simplified")).to.deep.equal([SIMPLIFIED_OUT]);
    expect(ids("union")).to.have.length(4);
    // A Classic target may get Simplified nodes since 31 March 2026: the classic stage serves both.
    expect(ids("classic")).to.deep.equal(ids("union"));
  });

  it("rejects an unknown region, and modes with a stage", () => {
    expect(
      fieldsOf(
        problemsOf(() => analyzeNetwork({ region: "mars", modes: [Simplified], stage: "union" })),
      ),
    ).to.deep.equal(["stage", "region"]);
  });
});
