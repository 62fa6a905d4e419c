import { expect } from "chai";
import fc from "fast-check";
import { CommunicationMode, requiredFlows, securityRules } from "../../src/model";
import { regionName, ruleOptions } from "../support/arbitraries";

const { Classic, Simplified, Default } = CommunicationMode;
const modeSets = fc.constantFrom(
  [Classic],
  [Simplified],
  [Classic, Simplified],
  [Default],
  [Simplified, Classic],
);

describe("securityRules: properties over valid options", () => {
  it("priorities are unique per direction and within 100-4096; names and descriptions fit Azure", () => {
    fc.assert(
      fc.property(regionName, modeSets, ruleOptions, (region, modes, options) => {
        const { rules } = securityRules(region, modes, options);
        for (const direction of ["Inbound", "Outbound"]) {
          const priorities = rules.filter((r) => r.direction === direction).map((r) => r.priority);
          expect(new Set(priorities).size).to.equal(priorities.length);
        }
        const names = rules.map((r) => r.name.toLowerCase());
        expect(new Set(names).size).to.equal(names.length);
        for (const rule of rules) {
          expect(rule.priority).to.be.within(100, 4096);
          expect(rule.name.length).to.be.at.most(80);
          expect((rule.description ?? "").length).to.be.at.most(140);
        }
      }),
    );
  });

  it("the union's flows are the classic flows plus the simplified flows", () => {
    fc.assert(
      fc.property(regionName, ruleOptions, (region, options) => {
        const ids = (modes: CommunicationMode[]) =>
          requiredFlows(region, modes, options).map((f) => f.id);
        const union = ids([Classic, Simplified]);
        expect([...union].sort()).to.deep.equal(
          [...new Set([...ids([Classic]), ...ids([Simplified])])].sort(),
        );
        expect(ids([Default])).to.deep.equal(ids([Simplified]));
      }),
    );
  });

  it("simplified opens no inbound port beyond the remote access the user asked for", () => {
    fc.assert(
      fc.property(regionName, ruleOptions, (region, options) => {
        const generated = securityRules(region, [Simplified], { ...options, extraRules: [] }).rules;
        const inboundAllows = generated.filter(
          (r) => r.direction === "Inbound" && r.access === "Allow",
        );
        expect(inboundAllows.map((r) => r.destinationPortRange).sort()).to.deep.equal(
          [
            ...(options.remoteAccess?.sshSourcePrefixes ? ["22"] : []),
            ...(options.remoteAccess?.rdpSourcePrefixes ? ["3389"] : []),
          ].sort(),
        );
        const withoutRemote = securityRules(region, [Simplified], {
          ...options,
          remoteAccess: undefined,
          extraRules: [],
        });
        expect(withoutRemote.rules.filter((r) => r.direction === "Inbound" && r.access === "Allow"))
          .to.be.empty;
      }),
    );
  });

  it("classic -> union only adds rules; union -> simplified only removes them", () => {
    fc.assert(
      fc.property(regionName, ruleOptions, (region, options) => {
        const classic = securityRules(region, [Classic], options).rules;
        const union = securityRules(region, [Classic, Simplified], options).rules;
        const simplified = securityRules(region, [Simplified], options).rules;
        for (const rule of classic) expect(union).to.deep.include(rule);
        for (const rule of simplified) expect(union).to.deep.include(rule);
        expect(union.length).to.be.above(classic.length);
      }),
    );
  });

  it("is deterministic: the same input always yields the same rules", () => {
    fc.assert(
      fc.property(regionName, modeSets, ruleOptions, (region, modes, options) => {
        const first = securityRules(region, modes, options);
        const again = securityRules(region, [...modes].reverse(), structuredClone(options));
        expect(again).to.deep.equal(first);
      }),
    );
  });
});
