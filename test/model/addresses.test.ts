import { expect } from "chai";
import fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import { addressKind, parsePrefix } from "../../src/model/addresses";

/**
 * addressKind decides with cheap shape tests before asking ipaddr.js, and remembers each string.
 * The oracle below is the plain definition (ipaddr.js alone, no shortcuts): both must agree on
 * every string.
 */
function oracle(text: string): string {
  if (text === "*") return "any";
  if (ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv6.isValid(text)) return "ip";
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(text) || ipaddr.IPv6.isValidCIDR(text)) return "cidr";
  if (/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)?$/.test(text)) return "serviceTag";
  return "invalid";
}

const octet = fc.oneof(
  fc.integer({ min: 0, max: 300 }).map(String),
  fc.constantFrom("01", "0x1", ""),
);
const ipv4ish = fc.array(octet, { minLength: 1, maxLength: 5 }).map((p) => p.join("."));
const ipv6ish = fc
  .array(fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{0,5}$/), fc.constant("")), {
    minLength: 1,
    maxLength: 9,
  })
  .map((p) => p.join(":"));
const tagish = fc.stringMatching(/^[A-Za-z][A-Za-z0-9.]{0,20}$/);
const withLength = (base: fc.Arbitrary<string>) =>
  fc
    .tuple(base, fc.option(fc.integer({ min: -1, max: 140 })))
    .map(([b, l]) => (l === null ? b : `${b}/${l}`));
const anything = fc.oneof(
  withLength(ipv4ish),
  withLength(ipv6ish),
  withLength(tagish),
  fc.constantFrom("*", "::", "::/0", "0.0.0.0/0", "1.2.3.4", "fe80::1%eth0", "Internet", "10"),
  fc.string({ maxLength: 30 }),
);

describe("addressKind", () => {
  it("agrees with ipaddr.js's own checks on every string, first sight and cached", () => {
    fc.assert(
      fc.property(anything, (text) => {
        expect(addressKind(text), JSON.stringify(text)).to.equal(oracle(text));
        expect(addressKind(text), `${JSON.stringify(text)} again`).to.equal(oracle(text));
        // The prefix kept for parsePrefix is ipaddr.js's own parse of it.
        if (addressKind(text) === "ip" || addressKind(text) === "cidr") {
          const [address, length] = parsePrefix(text);
          const expected = text.includes("/")
            ? ipaddr.parseCIDR(text)
            : [ipaddr.parse(text), ipaddr.parse(text).kind() === "ipv4" ? 32 : 128];
          expect([address.toString(), length], text).to.deep.equal([
            expected[0].toString(),
            expected[1],
          ]);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("parses each prefix to the same network, again and again", () => {
    expect(parsePrefix("10.1.0.0/16")[0].toString()).to.equal("10.1.0.0");
    expect(parsePrefix("10.1.0.0/16")[1]).to.equal(16);
    expect(parsePrefix("2001:db8::1")[1]).to.equal(128);
    expect(() => parsePrefix("Storage")).to.throw();
  });
});
