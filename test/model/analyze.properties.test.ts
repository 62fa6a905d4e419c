import { expect } from "chai";
import fc from "fast-check";
import {
  analyzeNetwork,
  CommunicationMode,
  NetworkSecurityGroup,
  OutboundPath,
  parseAdminRules,
  parseNetworkSecurityGroup,
  parseRouteTable,
  PrivateEndpointPath,
} from "../../src/model";
import { bruteForce, packetsOf, SUBNET } from "../support/packets";
import { fateOf } from "../support/layeredPackets";

/**
 * Differential test: the analyzer against a brute-force evaluator that walks concrete packets
 * through the rules (test/support/packets.ts). Wherever the analyzer decides, every packet must
 * agree.
 */

const prefixes = fc.constantFrom(
  "*",
  "Internet",
  "INTERNET",
  "VirtualNetwork",
  "AzureCloud",
  "AzureCloud.westus2",
  "AzureCloud.eastus",
  "BatchNodeManagement",
  "BatchNodeManagement.westus2",
  "batchnodemanagement.WestUS2",
  "BatchNodeManagement.eastus",
  "Storage",
  "Storage.westus2",
  "Storage.eastus",
  "AzureMonitor",
  "AzureLoadBalancer",
  "20.1.0.0/24",
  "20.1.0.1/32",
  "20.0.0.0/8",
  "8.0.0.0/8",
  "0.0.0.0/0",
  "10.0.0.0/16",
  "10.0.0.0/24",
  "10.0.1.0/24",
  "192.168.0.0/16",
);
const ports = fc.constantFrom("*", "443", "22", "29876", "29876-29877", "29877-30000", "400-500");

const rule = fc.record({
  direction: fc.constantFrom("Inbound" as const, "Outbound" as const),
  access: fc.constantFrom("Allow" as const, "Deny" as const),
  protocol: fc.constantFrom("Tcp", "Udp", "*"),
  sources: fc.array(prefixes, { minLength: 1, maxLength: 2 }),
  destinations: fc.array(prefixes, { minLength: 1, maxLength: 2 }),
  ports: fc.array(ports, { minLength: 1, maxLength: 2 }),
  sourcePorts: fc.constantFrom("*", "*", "*", "1024-65535"),
});

const nsgArb = (name: string) =>
  fc.uniqueArray(fc.integer({ min: 100, max: 4096 }), { maxLength: 12 }).chain((priorities) =>
    fc.tuple(...priorities.map(() => rule)).map((rules) =>
      parseNetworkSecurityGroup(
        {
          name,
          securityRules: rules.map((r, i) => ({
            name: `r${i}`,
            priority: priorities[i],
            direction: r.direction,
            access: r.access,
            protocol: r.protocol,
            sourceAddressPrefixes: r.sources,
            destinationAddressPrefixes: r.destinations,
            destinationPortRanges: r.ports,
            sourcePortRange: r.sourcePorts,
          })),
        },
        `${name}.json`,
      ),
    ),
  );

describe("analyzeNetwork agrees with a brute-force packet walk", () => {
  it("on random NSGs (subnet and NIC), for every flow of both modes", function () {
    this.timeout(120_000);
    let decided = 0;
    let total = 0;
    fc.assert(
      fc.property(
        nsgArb("subnet"),
        fc.option(nsgArb("nic"), { nil: undefined }),
        (subnetNsg, nicNsg) => {
          const analysis = analyzeNetwork({
            region: "westus2",
            modes: [CommunicationMode.Default],
            subnetNsg,
            ...(nicNsg ? { nicNsg } : {}),
            subnetPrefix: SUBNET,
          });
          for (const verdict of analysis.flows) {
            const { flow } = verdict;
            const chain = [subnetNsg, nicNsg].filter(
              (n): n is NetworkSecurityGroup => n !== undefined,
            );
            const outcomes = packetsOf(flow, ["Tcp"], [1024, 33000, 65000]).map((packet) =>
              chain.every((n) => bruteForce(n, packet) === "Allow") ? "Allow" : "Deny",
            );
            total++;
            if (verdict.verdict === "allowed") {
              decided++;
              expect(
                outcomes,
                `${flow.id} judged allowed by ${verdict.decidedBy.join(", ")}`,
              ).to.not.include("Deny");
            } else if (verdict.verdict === "blocked") {
              decided++;
              expect(
                outcomes,
                `${flow.id} judged blocked by ${verdict.decidedBy.join(", ")}`,
              ).to.include("Deny");
            }
          }
        },
      ),
      { numRuns: 400 },
    );
    // The comparison means something only if the analyzer usually decides.
    expect(decided / total).to.be.above(0.6);
  });
});

const adminRulesArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 4096 }), { maxLength: 3 })
  .chain((priorities) =>
    fc
      .tuple(
        ...priorities.map(() =>
          fc.record({
            action: fc.constantFrom("Allow", "Deny", "AlwaysAllow"),
            direction: fc.constantFrom("Inbound", "Outbound"),
            protocol: fc.constantFrom("Tcp", "Udp", "Any"),
            sources: fc.array(prefixes, { minLength: 1, maxLength: 2 }),
            destinations: fc.array(prefixes, { minLength: 1, maxLength: 2 }),
            ports: fc.array(ports, { minLength: 1, maxLength: 2 }),
          }),
        ),
      )
      .map((rules) =>
        parseAdminRules(
          {
            value: rules.map((r, i) => ({
              id: `/subscriptions/0/resourceGroups/hub/providers/Microsoft.Network/networkManagers/m/securityAdminConfigurations/c/ruleCollections/rc/rules/a${i}`,
              properties: {
                access: r.action,
                direction: r.direction,
                priority: priorities[i],
                protocol: r.protocol,
                sources: r.sources.map((p) => ({
                  addressPrefix: p,
                  addressPrefixType: /^[A-Za-z]/.test(p) ? "ServiceTag" : "IPPrefix",
                })),
                destinations: r.destinations.map((p) => ({
                  addressPrefix: p,
                  addressPrefixType: /^[A-Za-z]/.test(p) ? "ServiceTag" : "IPPrefix",
                })),
                sourcePortRanges: ["*"],
                destinationPortRanges: r.ports,
              },
            })),
          },
          "admin.json",
        ),
      ),
  );

const ROUTE_CHOICES = [
  { addressPrefix: "0.0.0.0/0", hops: ["Internet", "VirtualAppliance", "None"] },
  { addressPrefix: "BatchNodeManagement.westus2", hops: ["Internet", "None", "VirtualAppliance"] },
  { addressPrefix: "BatchNodeManagement", hops: ["Internet", "None"] },
  { addressPrefix: "Storage.westus2", hops: ["Internet", "VirtualAppliance"] },
  { addressPrefix: "10.0.2.0/24", hops: ["VirtualAppliance", "VnetLocal"] },
];

const routeTableArb = fc.subarray(ROUTE_CHOICES, { minLength: 1 }).chain((chosen) =>
  fc.tuple(...chosen.map((c) => fc.constantFrom(...c.hops))).map((hops) =>
    parseRouteTable(
      {
        name: "rt",
        routes: chosen.map((c, i) => ({
          name: `route${i}`,
          addressPrefix: c.addressPrefix,
          nextHopType: hops[i],
          ...(hops[i] === "VirtualAppliance" ? { nextHopIpAddress: "10.0.1.4" } : {}),
        })),
      },
      "rt.json",
    ),
  ),
);

const outboundArb: fc.Arbitrary<OutboundPath> = fc
  .record({
    access: fc.constantFrom(false, null, undefined),
    nat: fc.constantFrom("none", "with-ip", "without-ip"),
    ips: fc.constantFrom(undefined, "BatchManaged", "UserManaged", "NoPublicIPAddresses"),
  })
  .map(({ access, nat, ips }) => ({
    subnet: {
      name: "pools",
      prefixes: [SUBNET],
      defaultOutboundAccess: access,
      ...(nat === "none" ? {} : { natGatewayId: "natGateways/nat" }),
    },
    ...(nat === "none"
      ? {}
      : { natGateway: { name: "nat", publicAddresses: nat === "with-ip" ? 1 : 0 } }),
    ...(ips ? { nodePublicIps: ips } : {}),
  }));

const endpointArb: fc.Arbitrary<PrivateEndpointPath> = fc
  .constantFrom(undefined, "Approved", "Pending", "Rejected")
  .map((status) => ({
    group: "nodeManagement" as const,
    address: "10.0.2.4",
    source: "pe",
    ...(status ? { status } : {}),
  }));

describe("the layered evaluator agrees with a brute-force packet walk through every layer", () => {
  it("on random networks with admin rules, NSGs, routes, a way out and a private endpoint", function () {
    this.timeout(120_000);
    let decided = 0;
    let total = 0;
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        fc.option(adminRulesArb, { nil: undefined }),
        nsgArb("subnet"),
        fc.option(routeTableArb, { nil: undefined }),
        fc.option(outboundArb, { nil: undefined }),
        fc.option(endpointArb, { nil: undefined }),
        fc.boolean(),
        (adminRules, subnetNsg, routeTable, outbound, endpoint, classic) => {
          const analysis = analyzeNetwork({
            region: "westus2",
            modes: classic ? [CommunicationMode.Classic] : [CommunicationMode.Simplified],
            subnetNsg,
            subnetPrefix: SUBNET,
            ...(adminRules ? { adminRules } : {}),
            ...(routeTable ? { routeTable } : {}),
            ...(outbound ? { outbound } : {}),
            ...(endpoint ? { privateEndpoints: [endpoint] } : {}),
          });
          for (const verdict of analysis.flows) {
            const fates = packetsOf(verdict.flow, ["Tcp"], [33000]).map((packet) =>
              fateOf({ adminRules, nsgs: [subnetNsg], routeTable, outbound, endpoint }, packet),
            );
            total++;
            const why = `${verdict.flow.id}: ${verdict.verdict} (${verdict.layers.map((l) => `${l.layer} ${l.outcome}`).join(", ")}): ${verdict.reason}`;
            if (verdict.verdict === "allowed") {
              decided++;
              expect(fates, why).to.satisfy((f: string[]) => f.every((x) => x === "delivered"));
            } else if (verdict.verdict === "blocked") {
              decided++;
              expect(fates, why).to.include("dropped");
            }
            for (const l of verdict.layers) seen.add(`${l.layer}:${l.outcome}`);
          }
        },
      ),
      { numRuns: 600 },
    );
    expect(decided / total).to.be.above(0.6);
    // Every layer decided flows both ways somewhere in the run: the walk covered them.
    for (const key of [
      "admin-rules:blocked",
      "admin-rules:allowed",
      "route:blocked",
      "outbound:blocked",
      "outbound:allowed",
      "private-endpoint:blocked",
    ])
      expect(seen, key).to.include(key);
  });
});
