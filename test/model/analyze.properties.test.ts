import { expect } from "chai";
import fc from "fast-check";
import {
  analyzeNetwork,
  CommunicationMode,
  NetworkSecurityGroup,
  parseNetworkSecurityGroup,
} from "../../src/model";
import { bruteForce, packetsOf, SUBNET } from "../support/packets";

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
