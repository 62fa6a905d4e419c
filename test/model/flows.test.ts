import { expect } from "chai";
import { CommunicationMode, InvalidInputError, requiredFlows } from "../../src/model";
import { NatPool, natPoolAccessOf } from "../../src/model/natPools";
import { fieldsOf, problemsOf } from "../support/errors";

const { Classic, Simplified, Default } = CommunicationMode;

describe("requiredFlows", () => {
  it("lists each mode's flows with a readable reason", () => {
    const classic = requiredFlows("westus2", [Classic]);
    expect(classic.map((f) => [f.direction, f.protocol, f.ports, f.peer.join()])).to.deep.equal([
      ["Inbound", "Tcp", "29876-29877", "BatchNodeManagement.westus2"],
      ["Outbound", "Tcp", "443", "Storage.westus2"],
      ["Outbound", "Tcp", "443", "BatchNodeManagement.westus2"],
    ]);
    const simplified = requiredFlows("westus2", [Simplified]);
    expect(simplified.map((f) => [f.direction, f.protocol, f.ports, f.peer.join()])).to.deep.equal([
      ["Outbound", "*", "443", "BatchNodeManagement.westus2"],
    ]);
    for (const flow of [...classic, ...simplified])
      expect(flow.reason).to.match(/^(Classic|Simplified): .+\.$/);
  });

  it("Default needs what Azure gives a Default VNet pool today: Simplified's flows", () => {
    expect(requiredFlows("westus2", [Default]).map((f) => f.id)).to.deep.equal([
      "simplified-node-management-outbound",
    ]);
    // Where the region offers no simplified mode, Default runs Classic.
    expect(requiredFlows("westindia", [Default]).map((f) => f.id)).to.deep.equal([
      "classic-node-management-inbound",
      "classic-storage-outbound",
      "classic-job-manager-outbound",
    ]);
  });

  it("the union needs both modes' flows", () => {
    expect(requiredFlows("westus2", [Classic, Simplified]).map((f) => f.id)).to.deep.equal([
      "classic-node-management-inbound",
      "classic-storage-outbound",
      "classic-job-manager-outbound",
      "simplified-node-management-outbound",
    ]);
  });

  it("adds remote access only when prefixes are given", () => {
    expect(
      requiredFlows("westus2", [Simplified], { remoteAccess: { sshSourcePrefixes: [] } }),
    ).to.have.length(1);
    const flows = requiredFlows("westus2", [Simplified], {
      remoteAccess: { sshSourcePrefixes: ["10.9.0.0/16"] },
    });
    expect(flows[1]).to.include({ id: "remote-ssh-inbound", ports: "22", direction: "Inbound" });
    expect(flows[1].modes).to.be.empty;
  });

  it("rejects an unknown region, an empty mode set and a non-boolean option together", () => {
    const problems = problemsOf(() =>
      requiredFlows("atlantis", [], { classicJobManagerOutbound: "yes" as never }),
    );
    expect(fieldsOf(problems)).to.deep.equal(["region", "modes", "classicJobManagerOutbound"]);
  });
});

describe("remote access sources: the whole Internet in any spelling, and sources no pool can use", () => {
  const refusal = (prefixes: string[]) => {
    try {
      requiredFlows("westus2", [CommunicationMode.Simplified], {
        remoteAccess: { sshSourcePrefixes: prefixes },
      });
    } catch (error) {
      expect(error).to.be.instanceOf(InvalidInputError);
      return (error as InvalidInputError).problems.map((p) => `${p.field}: ${p.message}`);
    }
    return [];
  };

  for (const spelling of [
    ["198.51.100.7/0"],
    ["0.0.0.0/00"],
    ["0:0:0:0:0:0:0:0/0"],
    ["::/0"],
    ["Internet"],
    ["*"],
  ])
    it(`refuses ${spelling.join(", ")} as the whole Internet`, () => {
      expect(refusal(spelling)).to.have.length(1);
      expect(refusal(spelling)[0]).to.match(
        /^remoteAccess\.sshSourcePrefixes\[0\]: .* would open remote access to the whole internet/,
      );
    });

  it("refuses prefixes that cover every IPv4 address together", () => {
    expect(refusal(["0.0.0.0/1", "128.0.0.0/1"])).to.deep.equal([
      "remoteAccess.sshSourcePrefixes: together cover every IPv4 address, which would open remote access to the whole internet; give the IP addresses or CIDR prefixes of your admin networks.",
    ]);
    expect(refusal(["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/1"])).to.have.length(1);
    expect(refusal(["0.0.0.0/2", "128.0.0.0/1"])).to.deep.equal([]);
  });

  it("refuses IPv6 sources, which no IPv4 pool node can be reached from, and a prefix given twice", () => {
    expect(refusal(["2001:db8::/48"])[0]).to.match(
      /is IPv6; Batch pool nodes take remote access over IPv4 only/,
    );
    expect(refusal(["203.0.113.0/24", "203.0.113.9/24"])).to.deep.equal([
      'remoteAccess.sshSourcePrefixes[1]: "203.0.113.9/24" is 203.0.113.0/24, also given at [0]; give each prefix once (Azure refuses a rule naming a prefix twice).',
    ]);
  });
});

describe("the sources a NAT pool admits, by priority", () => {
  const pool = (rules: Array<[number, "Allow" | "Deny", string]>): NatPool => ({
    name: "ssh",
    protocol: "TCP",
    backendPort: 22,
    frontendPortRangeStart: 40000,
    frontendPortRangeEnd: 40099,
    networkSecurityGroupRules: rules.map(([priority, access, sourceAddressPrefix]) => ({
      priority,
      access,
      sourceAddressPrefix,
    })),
  });

  it("an Allow below a Deny of * admits no one, so the subnet is not opened to it", () => {
    expect(
      natPoolAccessOf([
        pool([
          [200, "Deny", "*"],
          [300, "Allow", "203.0.113.0/24"],
        ]),
      ])[0].sources,
    ).to.deep.equal([]);
  });

  it("an Allow above the Deny admits its source; one inside a denied prefix does not", () => {
    const [access] = natPoolAccessOf([
      pool([
        [150, "Allow", "203.0.113.0/24"],
        [160, "Deny", "198.51.100.0/24"],
        [170, "Allow", "198.51.100.7"],
        [4000, "Deny", "*"],
      ]),
    ]);
    expect(access.sources).to.deep.equal(["203.0.113.0/24"]);
  });
});
