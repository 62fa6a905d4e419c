import { expect } from "chai";
import fc from "fast-check";
import * as model from "../../src/model";

/**
 * The model's public entry points take untrusted JSON: for any value in any position (including
 * `__proto__` and `constructor` keys, deep nesting, long strings), each answers with a result or
 * its typed error, never another exception.
 */

// Arbitrary JSON-like values with the keys hostile input carries.
const hostileKey = fc.constantFrom(
  "__proto__",
  "constructor",
  "toString",
  "name",
  "rules",
  "securityRules",
  "routes",
  "modes",
  "region",
  "location",
  "network",
  "pool",
  "extraRules",
  "privateLinkServiceConnections",
  "groupIds",
  "customDnsConfigs",
  "ipAddresses",
);
const anyJson = fc.anything({
  key: fc.oneof(fc.string(), hostileKey),
  maxDepth: 4,
  withObjectString: true,
  withNullPrototype: true,
});
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
        { numRuns: 300 },
      );
    });
  }
});
