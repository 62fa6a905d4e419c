import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type * as EnvironmentModule from "../../src/components/batchEnvironment";
import { BatchApiVersion, CommunicationMode, STAGE_ORDER } from "../../src/model";
import { runDeployment, SimulatedAzureMocks } from "../../src/simulate";
import { MigrationHarness } from "../support/migration";
import { judgeBatchBodies, judgeBody, requestBody } from "../support/openApiJudge";
import { captureWarnings, freshMocks } from "../support/pulumi";

/**
 * The Batch pool and account bodies, judged at the API version each is sent at (2024-07-01 for
 * azure-native's own classes, 2025-06-01 for the package's versioned ones) against Microsoft's
 * OpenAPI definitions for that version.
 */
describe("Batch request bodies against Azure's OpenAPI definitions, per API version", function () {
  this.timeout(120_000);
  let BatchEnvironment: typeof EnvironmentModule.BatchEnvironment;
  let mocks: SimulatedAzureMocks;

  before(async () => {
    ({ BatchEnvironment } = await import("../../src/components/batchEnvironment"));
  });
  beforeEach(async () => {
    mocks = await freshMocks({
      existing: { batchAccounts: [{ name: "corpbatch", location: "westus2" }] },
    });
  });

  async function registered(args: EnvironmentModule.BatchEnvironmentArgs) {
    const { result } = await captureWarnings(() =>
      runDeployment(mocks, () => ({ pool: new BatchEnvironment("env", args).poolName })),
    );
    return result.registered;
  }

  it("the fixtures name where they come from", () => {
    for (const version of ["2024-07-01", "2025-06-01"]) {
      const fixture = JSON.parse(
        readFileSync(join(__dirname, `../fixtures/openapi/batch-${version}.json`), "utf8"),
      ) as { "x-source": Record<string, string>; info: { version: string } };
      expect(fixture.info.version).to.equal(version);
      expect(fixture["x-source"]).to.include({
        repository: "Azure/azure-rest-api-specs",
        path: `specification/batch/resource-manager/Microsoft.Batch/stable/${version}/BatchManagement.json`,
      });
      expect(fixture["x-source"].commit).to.match(/^[0-9a-f]{40}$/);
    }
  });

  const SETTINGS: Array<[string, EnvironmentModule.BatchEnvironmentArgs]> = [
    ["defaults", { location: "westus2" }],
    ["Classic", { location: "westus2", communicationMode: CommunicationMode.Classic }],
    [
      "every pool option",
      {
        location: "westus2",
        account: { publicNetworkAccess: "Enabled", autoStorage: { create: true } },
        network: { remoteAccess: { sshSourcePrefixes: ["203.0.113.0/24"] } },
        pool: {
          displayName: "render farm",
          dedicatedNodes: 1,
          lowPriorityNodes: 2,
          resizeTimeout: "PT20M",
          taskSlotsPerNode: 2,
          interNodeCommunication: true,
          startTask: { commandLine: "/bin/sh -c true", environment: { A: "1" }, runElevated: true },
        },
      },
    ],
    [
      "autoscale, user-managed IPs",
      {
        location: "westus2",
        pool: {
          autoScaleFormula: "$TargetDedicatedNodes = 1;",
          publicIpProvisioning: "UserManaged",
          publicIpAddressIds: [
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/ip1",
          ],
        },
      },
    ],
  ];

  for (const version of Object.values(BatchApiVersion)) {
    for (const [what, settings] of SETTINGS) {
      if (version === BatchApiVersion.V2025_06_01 && settings.communicationMode === "Classic")
        continue; // refused at that version (tested with the component)
      it(`${what} at ${version}: accepted by that version's definitions`, async () => {
        const all = await registered({ ...settings, batchApiVersion: version });
        const { judged, problems } = judgeBatchBodies(all);
        expect(judged.map((j) => j.replace(/ env-\S+/, ""))).to.have.members([
          `azure-native:batch${version === "2025-06-01" ? "/v20250601" : ""}:BatchAccount at ${version}`,
          `azure-native:batch${version === "2025-06-01" ? "/v20250601" : ""}:Pool at ${version}`,
        ]);
        expect(problems).to.deep.equal([]);
      });
    }
  }

  it("every settled migration stage, both strategies, forward and back", async () => {
    for (const strategy of ["in-place", "new-pool"] as const) {
      const h = new MigrationHarness({ location: "westus2", strategy });
      for (const stage of [...STAGE_ORDER, ...[...STAGE_ORDER].reverse().slice(1)]) {
        const result = await h.settle(stage);
        const { judged, problems } = judgeBatchBodies(result.registered);
        expect(judged, `${strategy} ${stage}`).to.not.be.empty;
        expect(problems, `${strategy} ${stage}`).to.deep.equal([]);
        const at2025 = result.registered.filter((r) => r.type.includes("v20250601"));
        expect(at2025.length > 0, `${strategy} ${stage}`).to.equal(stage === "api-2025-06-01");
      }
    }
  });

  describe("the judge itself refuses what Azure would", () => {
    const pool = {
      accountName: "acct",
      resourceGroupName: "rg",
      poolName: "p",
      vmSize: "standard_d2s_v3",
      deploymentConfiguration: {
        virtualMachineConfiguration: {
          imageReference: {
            publisher: "canonical",
            offer: "ubuntu",
            sku: "22_04-lts",
            version: "latest",
          },
          nodeAgentSkuId: "batch.node.ubuntu 22.04",
        },
      },
      targetNodeCommunicationMode: "Simplified",
    };

    it("the mode property: known at 2024-07-01, not in 2025-06-01's model", () => {
      expect(judgeBody("2024-07-01", "Pool", requestBody("Pool", pool))).to.deep.equal([]);
      expect(judgeBody("2025-06-01", "Pool", requestBody("Pool", pool))).to.deep.equal([
        "/properties: targetNodeCommunicationMode is not in this version's model",
      ]);
    });

    it("read-only properties, enums outside the version's and missing required fields", () => {
      const bad = {
        ...pool,
        currentDedicatedNodes: 2,
        interNodeCommunication: "On",
        deploymentConfiguration: { virtualMachineConfiguration: { nodeAgentSkuId: "x" } },
      };
      expect(judgeBody("2024-07-01", "Pool", requestBody("Pool", bad))).to.have.members([
        "/properties/currentDedicatedNodes: is read-only (or not sent by the package) in this version's model",
        "/properties/interNodeCommunication: must be one of Enabled, Disabled",
        "/properties/deploymentConfiguration/virtualMachineConfiguration: must have required property 'imageReference'",
      ]);
      expect(
        judgeBody(
          "2024-07-01",
          "Pool",
          requestBody("Pool", { ...pool, taskSlotsPerNode: 2 ** 31 }),
        ),
      ).to.deep.equal(["/properties/taskSlotsPerNode: must be <= 2147483647"]);
    });

    it("the account: location required, properties nested", () => {
      expect(
        judgeBody("2025-06-01", "BatchAccount", requestBody("BatchAccount", { accountName: "a" })),
      ).to.deep.equal(["(body): must have required property 'location'"]);
      expect(
        judgeBody(
          "2025-06-01",
          "BatchAccount",
          requestBody("BatchAccount", {
            accountName: "a",
            resourceGroupName: "rg",
            location: "westus2",
            poolAllocationMode: "BatchService",
            publicNetworkAccess: "Enabled",
          }),
        ),
      ).to.deep.equal([]);
    });
  });
});
