import { expect } from "chai";
import { judgeRequestBody } from "../support/azureSdkJudge";

// The judge is what proves request bodies valid; these prove the judge can say no.
describe("the Azure SDK judge of request bodies", () => {
  const pool = {
    type: "azure-native:batch:Pool",
    name: "p",
    id: "",
    state: {},
    inputs: {
      accountName: "acct",
      resourceGroupName: "rg",
      vmSize: "standard_d2s_v3",
      targetNodeCommunicationMode: "Simplified",
      scaleSettings: { fixedScale: { targetDedicatedNodes: 2 } },
    },
  };

  it("accepts a valid pool body", async () => {
    const judgement = await judgeRequestBody(pool);
    expect(judgement.serializerError).to.equal(undefined);
    expect(judgement.unknownProperties).to.deep.equal([]);
  });

  it("rejects an enum value Azure does not define", async () => {
    const judgement = await judgeRequestBody({
      ...pool,
      inputs: { ...pool.inputs, targetNodeCommunicationMode: "Hybrid" },
    });
    expect(judgement.serializerError).to.match(/Hybrid/);
  });

  it("rejects a value of the wrong type", async () => {
    const judgement = await judgeRequestBody({
      ...pool,
      inputs: { ...pool.inputs, scaleSettings: { fixedScale: { targetDedicatedNodes: "two" } } },
    });
    expect(judgement.serializerError).to.match(/targetDedicatedNodes|number/i);
  });

  it("lists properties the model does not know, nested ones included", async () => {
    const judgement = await judgeRequestBody({
      ...pool,
      inputs: {
        ...pool.inputs,
        nodeMode: "Simplified",
        scaleSettings: { fixedScale: { targetNodes: 2 } },
      },
    });
    expect([...judgement.unknownProperties].sort()).to.deep.equal([
      "nodeMode",
      "scaleSettings.fixedScale.targetNodes",
    ]);
  });

  it("judges NSG rules against the network model", async () => {
    const judgement = await judgeRequestBody({
      type: "azure-native:network:NetworkSecurityGroup",
      name: "nsg",
      id: "",
      state: {},
      inputs: {
        resourceGroupName: "rg",
        location: "westus2",
        securityRules: [
          {
            name: "r",
            priority: 100,
            direction: "Inbound",
            access: "Allow",
            protocol: "Tcp",
            sourcePort: "*",
          },
        ],
      },
    });
    expect(judgement.unknownProperties).to.deep.equal(["securityRules[0].sourcePort"]);
  });
});
