import { expect } from "chai";
import fc from "fast-check";
import * as model from "../../src/model";
import { anyJson, FULL_SETTINGS, pathsOf, replaced } from "../support/untrusted";

/**
 * The model's public entry points take untrusted JSON: for any value in any position (including
 * `__proto__` and `constructor` keys, deep nesting, long strings), each answers with a result or
 * its typed error, never another exception.
 */

const region = fc.oneof(fc.constantFrom("westus2", "westindia", "usgoviowa", ""), anyJson);
const modes = fc.oneof(
  fc.constantFrom(["Simplified"], ["Classic", "Simplified"], ["Default"], "Simplified", []),
  anyJson,
);

function typedOrResult(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error, (error as Error)?.stack).to.be.instanceOf(model.InvalidInputError);
  }
}

const entryPoints: Array<[string, fc.Arbitrary<unknown[]>, (...args: never[]) => unknown]> = [
  ["requiredFlows", fc.tuple(region, modes, anyJson), model.requiredFlows],
  ["securityRules", fc.tuple(region, modes, anyJson), model.securityRules],
  ["outboundDependencies", fc.tuple(region, modes, anyJson), model.outboundDependencies],
  ["forcedTunnelRoutes", fc.tuple(region, modes, anyJson), model.forcedTunnelRoutes],
  [
    "parseNetworkSecurityGroup",
    fc.tuple(anyJson, fc.constant("x.json")),
    model.parseNetworkSecurityGroup,
  ],
  ["parseRouteTable", fc.tuple(anyJson, fc.constant("x.json")), model.parseRouteTable],
  ["parsePrivateEndpoint", fc.tuple(anyJson, fc.constant("x.json")), model.parsePrivateEndpoint],
  ["analyzeNetwork", fc.tuple(anyJson), model.analyzeNetwork],
  ["designEnvironment", fc.tuple(anyJson), model.designEnvironment],
  [
    "designEnvironment (fields)",
    fc.tuple(
      fc.record(
        {
          location: region,
          communicationMode: anyJson,
          network: anyJson,
          pool: anyJson,
          account: anyJson,
          privateEndpoints: anyJson,
        },
        { requiredKeys: ["location"] },
      ),
    ),
    model.designEnvironment,
  ],
  [
    "analyzeNetwork (fields)",
    fc.tuple(
      fc.record(
        { region, modes, subnetPrefix: anyJson, privateEndpoints: anyJson, stage: anyJson },
        { requiredKeys: ["region"] },
      ),
    ),
    model.analyzeNetwork,
  ],
];

describe("model entry points take untrusted JSON", () => {
  for (const [name, args, run] of entryPoints) {
    it(`${name}: a result or InvalidInputError, for any value`, () => {
      fc.assert(
        fc.property(args, (values) => typedOrResult(() => run(...(values as never[])))),
        { numRuns: Number(process.env.UNTRUSTED_RUNS ?? 300) },
      );
    });
  }
});

describe("model messages quote values as given", () => {
  const messageOf = (run: () => unknown): string => {
    try {
      run();
    } catch (error) {
      return (error as Error).message;
    }
    return "";
  };
  it("NaN and Infinity by name, long values cut, control characters escaped", () => {
    expect(
      messageOf(() =>
        model.securityRules("westus2", ["Simplified"] as never, { priorityBase: NaN }),
      ),
    ).to.contain("priorityBase: NaN is not allowed");
    expect(
      messageOf(() =>
        model.securityRules("westus2", ["Simplified"] as never, { priorityBase: Number("1e400") }),
      ),
    ).to.contain("priorityBase: Infinity is not allowed");
    const long = messageOf(() =>
      model.requiredFlows(`\u001b[2J${"x".repeat(1_000_000)}`, ["Simplified"] as never),
    );
    expect(long).to.contain("\\u001b[2J").and.contain("characters)").and.not.contain("\u001b");
    expect(long.length).to.be.below(1000);
  });
});

describe("designEnvironment takes any value at any place of full settings", () => {
  it("a result or InvalidInputError", () => {
    const paths = pathsOf(FULL_SETTINGS).filter((p) => p.length > 0);
    fc.assert(
      fc.property(fc.constantFrom(...paths), anyJson, (path, value) =>
        typedOrResult(() => model.designEnvironment(replaced(FULL_SETTINGS, path, value) as never)),
      ),
      { numRuns: Number(process.env.UNTRUSTED_RUNS ?? 300) },
    );
  });
});

describe("NSG fields that are missing are called missing", () => {
  it("direction, access, protocol and priority", () => {
    try {
      model.parseNetworkSecurityGroup({ securityRules: [{ name: "a" }] }, "nsg.json");
      expect.fail("accepted");
    } catch (error) {
      const messages = (error as model.InvalidInputError).problems.map(
        (p) => `${p.field}: ${p.message}`,
      );
      expect(messages).to.include.members([
        "nsg.json $.securityRules[0].priority: is missing; Azure uses whole numbers from 100 to 4096.",
        "nsg.json $.securityRules[0].direction: is missing; use Inbound or Outbound.",
        "nsg.json $.securityRules[0].access: is missing; use Allow or Deny.",
        "nsg.json $.securityRules[0].protocol: is missing; use one of Tcp, Udp, Icmp, Esp, Ah, *.",
      ]);
    }
  });
});
