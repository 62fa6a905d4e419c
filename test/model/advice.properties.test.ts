import { expect } from "chai";
import fc from "fast-check";
import {
  analyzeNetwork,
  applyToNsg,
  CommunicationMode,
  Flow,
  NetworkChange,
  NetworkSecurityGroup,
  parseNetworkSecurityGroup,
} from "../../src/model";
import { bruteForce, packetsOf, SUBNET } from "../support/packets";

/**
 * Advice is safe to follow: on random NSGs, every change `check` advises, applied alone or
 * (for the removals) all together, leaves every needed flow the analyzer judged allowed still
 * allowed, for every concrete packet of the brute-force walk (test/support/packets.ts), which
 * does not share the analyzer's evaluator. Additions must let their flow through their NSG.
 */

const { Classic, Simplified } = CommunicationMode;
const PRIVATE_ENDPOINT = "10.0.1.4";

const prefixes = fc.constantFrom(
  "*",
  "Internet",
  "VirtualNetwork",
  "AzureCloud",
  "AzureCloud.westus2",
  "BatchNodeManagement",
  "BatchNodeManagement.westus2",
  "BatchNodeManagement.eastus",
  "Storage",
  "Storage.westus2",
  "AzureLoadBalancer",
  "20.1.0.0/24",
  "0.0.0.0/0",
  "10.0.0.0/16",
  "10.0.0.0/24",
  "10.0.1.0/24",
  "10.0.1.4",
);
const ports = fc.constantFrom(
  "*",
  "443",
  "80",
  "29876",
  "29876-29877",
  "29877-30000",
  "29000-30000",
  "400-500",
);

const rule = fc.record({
  direction: fc.constantFrom("Inbound" as const, "Outbound" as const),
  access: fc.constantFrom("Allow" as const, "Deny" as const),
  protocol: fc.constantFrom("Tcp", "Udp", "*"),
  sources: fc.array(prefixes, { minLength: 1, maxLength: 2 }),
  destinations: fc.array(prefixes, { minLength: 1, maxLength: 2 }),
  ports: fc.array(ports, { minLength: 1, maxLength: 3 }),
});

// Locked-down NSGs (a deny-all above Azure's defaults) are common, and are where a removal
// can cost a flow: Azure's own AllowInternetOutBound no longer catches it.
const denyAll = (direction: string) => ({
  name: `DenyAll${direction}`,
  priority: 4000,
  direction,
  access: "Deny",
  protocol: "*",
  sourceAddressPrefix: "*",
  destinationAddressPrefix: "*",
  sourcePortRange: "*",
  destinationPortRange: "*",
});

const nsgArb = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 100, max: 1200 }), { maxLength: 12 }),
    fc.subarray(["Inbound", "Outbound"]),
  )
  .chain(([priorities, lockedDown]) =>
    fc.tuple(...priorities.map(() => rule)).map((rules) =>
      parseNetworkSecurityGroup(
        {
          name: "subnet",
          securityRules: [
            ...lockedDown.map(denyAll),
            ...rules.map((r, i) => ({
              name: `r${i}`,
              priority: priorities[i],
              direction: r.direction,
              access: r.access,
              protocol: r.protocol,
              sourceAddressPrefixes: r.sources,
              destinationAddressPrefixes: r.destinations,
              destinationPortRanges: r.ports,
              sourcePortRange: "*",
            })),
          ],
        },
        "subnet.json",
      ),
    ),
  );

function allows(nsg: NetworkSecurityGroup, flow: Flow, protocols: Array<"Tcp" | "Udp">): boolean {
  // Only the protocols the flow uses: a TCP flow has no UDP packets.
  const used = protocols.filter((p) => flow.protocol === "*" || flow.protocol === p);
  return packetsOf(flow, used).every((p) => bruteForce(nsg, p) === "Allow");
}

const REMOVALS = new Set<NetworkChange["action"]>(["remove-rule", "edit-rule"]);

describe("check's advice is safe to follow", () => {
  it("no advised change, alone or with the other removals, costs an allowed needed flow", function () {
    this.timeout(120_000);
    let changes = 0;
    let additions = 0;
    fc.assert(
      fc.property(
        nsgArb,
        fc.constantFrom([Simplified], [Classic, Simplified], [Classic]),
        fc.boolean(),
        (nsg, modes, privateEndpoint) => {
          const analysis = analyzeNetwork({
            region: "westus2",
            modes,
            subnetNsg: nsg,
            subnetPrefix: SUBNET,
            ...(privateEndpoint
              ? {
                  privateEndpoints: [
                    { group: "nodeManagement" as const, address: PRIVATE_ENDPOINT, source: "pe" },
                  ],
                }
              : {}),
          });
          const allowed = analysis.flows.filter((f) => f.verdict === "allowed").map((f) => f.flow);
          for (const flow of allowed)
            expect(allows(nsg, flow, ["Tcp"]), `${flow.id} judged allowed`).to.equal(true);
          const advised = analysis.advice.flatMap((a) => (a.change ? [a.change] : []));
          const removals = advised.filter((c) => REMOVALS.has(c.action));
          const attempts = [...advised.map((c) => [c]), removals];
          for (const attempt of attempts) {
            const after = attempt.reduce(applyToNsg, nsg);
            for (const flow of allowed) {
              expect(
                allows(
                  after,
                  flow,
                  ["Tcp", "Udp"].filter((p) => allows(nsg, flow, [p as "Tcp"])) as Array<"Tcp">,
                ),
                `${flow.id} after ${JSON.stringify(attempt)}`,
              ).to.equal(true);
            }
            changes += attempt.length;
          }
          for (const advice of analysis.advice) {
            const change = advice.change;
            if (change?.action !== "add-rule") continue;
            const flow = analysis.flows.find((f) => f.flow.id === advice.flow)!.flow;
            expect(allows(applyToNsg(nsg, change), flow, ["Tcp"]), advice.message).to.equal(true);
            additions++;
          }
        },
      ),
      { numRuns: 500 },
    );
    // The property means something only if advice with changes is common.
    expect(changes).to.be.above(100);
    expect(additions).to.be.above(20);
  });

  it("an added Allow rule never makes a needed flow fare worse (advice and the merge add them unjudged)", () => {
    const RANK = { allowed: 0, undecided: 1, blocked: 2 } as const;
    let better = 0;
    fc.assert(
      fc.property(
        nsgArb,
        rule,
        fc.integer({ min: 100, max: 4096 }),
        fc.constantFrom([Simplified], [Classic, Simplified], [Classic]),
        (nsg, added, priority, modes) => {
          fc.pre(
            !nsg.rules.some((r) => r.direction === added.direction && r.priority === priority),
          );
          const judge = (n: NetworkSecurityGroup) =>
            analyzeNetwork({ region: "westus2", modes, subnetNsg: n, subnetPrefix: SUBNET }).flows;
          const after = applyToNsg(nsg, {
            action: "add-rule",
            nsg: nsg.name,
            with: {
              name: "added",
              priority,
              direction: added.direction,
              access: "Allow",
              protocol: added.protocol,
              sourceAddressPrefixes: added.sources,
              destinationAddressPrefixes: added.destinations,
              sourcePortRanges: ["*"],
              destinationPortRanges: added.ports,
              description: "",
            },
          });
          const before = judge(nsg);
          judge(after).forEach((f, i) => {
            expect(RANK[f.verdict], f.flow.id).to.be.at.most(RANK[before[i].verdict]);
            if (RANK[f.verdict] < RANK[before[i].verdict]) better++;
          });
        },
      ),
      { numRuns: 500 },
    );
    // Meaningful only if the added rules often change a verdict.
    expect(better).to.be.above(10);
  });
});
