/**
 * The security rule's fast path is held to its schema: for any input, the schema with the fast
 * path gives what the schema alone gives (the same rule, or the same problems), and the fast
 * path answers only for rules the schema takes, with the very value the schema gives.
 */
import { expect } from "chai";
import fc from "fast-check";
import * as v from "valibot";
import {
  fastSecurityRule,
  SecurityRuleFieldsSchema,
  SecurityRuleSchema,
} from "../../src/model/input/azure";
import { PARSE_CONFIG, validated } from "../../src/model/input/schema";

const RUNS = Number(process.env.FAST_PATH_RUNS ?? 3000);

const ADDRESSES = ["*", "10.0.0.0/24", "10.0.0.1", "VirtualNetwork", "Storage.westus2", "::/0"];
const BAD_ADDRESSES = ["10.0.0.0/33", "no such thing!", "010.0.0.1"];
const PORTS = ["*", "443", "29876-29877", "0-65535"];
const BAD_PORTS = ["70000", "a", "5-1"];
const ODD = [null, "", 7, true, {}, [], ["x"], [3], undefined];

/** A field's value: mostly one the schema takes, often one it does not. */
const mostly = (good: unknown[], bad: unknown[]) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...good) },
    { weight: 1, arbitrary: fc.constantFrom(...bad) },
  );
const list = (good: string[], bad: unknown[]) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.array(fc.constantFrom(...good), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...good, ...bad), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(...ODD) },
  );
const field: Record<string, fc.Arbitrary<unknown>> = {
  name: mostly(["rule-a", "Allow Batch"], ["", 5, null]),
  priority: mostly([100, 4096, 2000], [99, 4097, 150.5, "200", Number.NaN, 65000]),
  direction: mostly(["Inbound", "Outbound", "outbound", " Inbound "], ["In", 3]),
  access: mostly(["Allow", "Deny", "deny", "ALLOW"], ["x", null]),
  protocol: mostly(["Tcp", "udp", "*", "any", "Icmp", "Esp", "Ah", " TCP"], ["bogus", 6]),
  sourceAddressPrefix: mostly([...ADDRESSES, "", null], [...BAD_ADDRESSES, ...ODD]),
  destinationAddressPrefix: mostly([...ADDRESSES, "", null], [...BAD_ADDRESSES, ...ODD]),
  sourceAddressPrefixes: list(ADDRESSES, [...BAD_ADDRESSES, 4]),
  destinationAddressPrefixes: list(ADDRESSES, [...BAD_ADDRESSES, null]),
  sourcePortRange: mostly([...PORTS, "", null], [...BAD_PORTS, ...ODD]),
  destinationPortRange: mostly([...PORTS, "", null], [...BAD_PORTS, ...ODD]),
  sourcePortRanges: list(PORTS, [...BAD_PORTS, 443]),
  destinationPortRanges: list(PORTS, BAD_PORTS),
  sourceApplicationSecurityGroups: mostly([[], [{ id: "x" }], null, [1, 2]], ["x", {}]),
  destinationApplicationSecurityGroups: mostly([[], [{ id: "y" }], null], [3]),
  description: fc.constantFrom("kept out", 3),
};

/** Where a field goes: flattened (az), under `properties` (ARM), both (two values), or nowhere. */
const placement = fc.constantFrom("flat", "flat", "flat", "nested", "nested", "both", "absent");

const ruleInput = fc
  .record({
    values: fc.record(field),
    others: fc.record(field, { requiredKeys: [] }),
    places: fc.dictionary(fc.constantFrom(...Object.keys(field)), placement),
    properties: fc.constantFrom("object", "object", "none", "string", "list"),
  })
  .map(({ values, others, places, properties }) => {
    const flat: Record<string, unknown> = {};
    const nested: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) {
      const place = properties === "object" ? (places[key] ?? "flat") : "flat";
      if (place === "flat" || place === "both") flat[key] = value;
      if (place === "nested") nested[key] = value;
      if (place === "both") nested[key] = key in others ? others[key] : "other";
    }
    if (properties === "object") flat.properties = nested;
    if (properties === "string") flat.properties = "x";
    if (properties === "list") flat.properties = [nested];
    return flat;
  });

/** What `validated` answers: the value, or the problems' text. */
function answer(schema: v.GenericSchema, input: unknown): unknown {
  try {
    return { value: validated(schema, input, "nsg.json") };
  } catch (error) {
    return { problems: (error as Error).message };
  }
}

describe("the security rule's fast path", () => {
  it("answers only for rules the schema takes, with the very value it gives", () => {
    let fast = 0;
    fc.assert(
      fc.property(ruleInput, (input) => {
        const quick = fastSecurityRule(input, 100, 4096);
        const slow = v.safeParse(SecurityRuleFieldsSchema, input, PARSE_CONFIG);
        if (quick === undefined) return;
        fast++;
        expect(slow.success, JSON.stringify(input)).to.equal(true);
        expect(quick).to.deep.equal(slow.output);
        expect(Object.keys(quick)).to.deep.equal(Object.keys(slow.output as object));
      }),
      { numRuns: RUNS },
    );
    // The generator reaches the fast path often enough for the comparison to mean something.
    expect(fast).to.be.above(RUNS / 20);
  });

  it("leaves the schema's answer unchanged for any input, problems included", () => {
    fc.assert(
      fc.property(ruleInput, (input) => {
        expect(answer(SecurityRuleSchema, input)).to.deep.equal(
          answer(SecurityRuleFieldsSchema, input),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("takes a rule as az and ARM print it", () => {
    const az = {
      name: "allow-batch",
      priority: 150,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "BatchNodeManagement.westus2",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRange: "29876-29877",
      sourceAddressPrefixes: [],
      provisioningState: "Succeeded",
    };
    const { name, ...properties } = az;
    expect(fastSecurityRule(az, 100, 4096)).to.include({ name: "allow-batch", priority: 150 });
    expect(fastSecurityRule({ name, properties }, 100, 4096)).to.deep.equal(
      fastSecurityRule(az, 100, 4096),
    );
  });
});
