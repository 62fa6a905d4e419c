import { expect } from "chai";
import { CommunicationMode, requiredFlows } from "../../src/model";
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
