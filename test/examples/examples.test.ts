import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { STACK_CONFIG_DEFAULTS } from "../../src/stackConfig";
import { ID_EXAMPLES, securityRules, STAGE_ORDER } from "../../src/model";
import { RegisteredResource, SimulatedAzureMocks } from "../../src/simulate";
import { judgeRequestBody, JUDGED_TYPES } from "../support/azureSdkJudge";
import { runProgramFile } from "../support/programs";
import { captureWarnings, freshMocks } from "../support/pulumi";

function inventory(registered: readonly RegisteredResource[]): string[] {
  return registered.map((r) => `${r.type} ${r.name}`).sort();
}

function only(registered: readonly RegisteredResource[], type: string): RegisteredResource {
  const found = registered.filter((r) => r.type === type);
  expect(found, type).to.have.length(1);
  return found[0];
}

async function expectAzureAccepts(registered: readonly RegisteredResource[]): Promise<void> {
  for (const resource of registered.filter((r) => JUDGED_TYPES.includes(r.type))) {
    const judgement = await judgeRequestBody(resource);
    expect(judgement.serializerError, resource.name).to.equal(undefined);
    expect(judgement.unknownProperties, resource.name).to.deep.equal([]);
  }
}

describe("examples, run under the mocks", () => {
  let mocks: SimulatedAzureMocks;
  beforeEach(async () => {
    mocks = await freshMocks();
  });

  it("simplified-pool: the product page's pool in a new VNet with the simplified rule only", async () => {
    const { registered, outputs } = await runProgramFile(
      mocks,
      "examples/simplified-pool/index.ts",
      "batch-simplified-pool",
    );
    expect(inventory(registered)).to.deep.equal([
      "azure-native:batch:BatchAccount render-account",
      "azure-native:batch:Pool render-pool",
      "azure-native:network:NetworkSecurityGroup render-nsg",
      "azure-native:network:Subnet render-subnet",
      "azure-native:network:VirtualNetwork render-vnet",
      "azure-native:resources:ResourceGroup render-rg",
      "random:index/randomString:RandomString render-name-suffix",
      "random:index/randomString:RandomString render-pool-name",
    ]);
    const pool = only(registered, "azure-native:batch:Pool").inputs;
    expect(pool).to.deep.include({
      vmSize: "standard_d2s_v3",
      targetNodeCommunicationMode: "Simplified",
      taskSlotsPerNode: 1,
    });
    expect(
      only(registered, "azure-native:network:NetworkSecurityGroup").inputs.securityRules,
    ).to.deep.equal(securityRules("westus2", ["Simplified"]).rules);
    expect(outputs.currentNodeCommunicationMode).to.equal("Simplified");
    await expectAzureAccepts(registered);
  });

  it("no-public-ip: private endpoint with DNS, no public IPs, lockdown", async () => {
    const { result } = await captureWarnings(() =>
      runProgramFile(mocks, "examples/no-public-ip/index.ts", "batch-no-public-ip"),
    );
    const { registered } = result;
    expect(inventory(registered)).to.deep.equal([
      "azure-native:batch:BatchAccount secure-account",
      "azure-native:batch:Pool secure-pool",
      "azure-native:network:NetworkSecurityGroup secure-nsg",
      "azure-native:network:PrivateDnsZoneGroup secure-pe-nodeManagement-dns",
      "azure-native:network:PrivateEndpoint secure-pe-nodeManagement",
      "azure-native:network:Subnet secure-subnet",
      "azure-native:network:VirtualNetwork secure-vnet",
      "azure-native:privatedns:PrivateZone secure-dns",
      "azure-native:privatedns:VirtualNetworkLink secure-dns-link",
      "azure-native:resources:ResourceGroup secure-rg",
      "random:index/randomString:RandomString secure-name-suffix",
      "random:index/randomString:RandomString secure-pool-name",
    ]);
    expect(only(registered, "azure-native:privatedns:PrivateZone").inputs.privateZoneName).to.equal(
      "privatelink.batch.azure.com",
    );
    const connection = (
      only(registered, "azure-native:network:PrivateEndpoint").inputs
        .privateLinkServiceConnections as Array<{ groupIds: string[] }>
    )[0];
    expect(connection.groupIds).to.deep.equal(["nodeManagement"]);
    const rules = only(registered, "azure-native:network:NetworkSecurityGroup").inputs
      .securityRules as Array<{ name: string; access: string; destinationAddressPrefix?: string }>;
    expect(rules.map((r) => `${r.access} ${r.destinationAddressPrefix}`)).to.deep.equal([
      "Allow BatchNodeManagement.westus2",
      "Allow Storage.westus2",
      "Deny Internet",
    ]);
    const network = only(registered, "azure-native:batch:Pool").inputs.networkConfiguration as {
      publicIPAddressConfiguration: unknown;
    };
    expect(network.publicIPAddressConfiguration).to.deep.equal({
      provision: "NoPublicIPAddresses",
    });
    await expectAzureAccepts(registered);
  });

  it("existing-network: standalone rules at priority 3000 on the existing NSG, the given subnet", async () => {
    const { registered } = await runProgramFile(
      mocks,
      "examples/existing-network/index.ts",
      "batch-existing-network",
    );
    expect(inventory(registered)).to.deep.equal([
      "azure-native:batch:BatchAccount shared-net-account",
      "azure-native:batch:Pool shared-net-pool",
      "azure-native:network:SecurityRule shared-net-rule-AllowBatchSimplifiedNodeManagementOutbound",
      "azure-native:resources:ResourceGroup shared-net-rg",
      "random:index/randomString:RandomString shared-net-name-suffix",
      "random:index/randomString:RandomString shared-net-pool-name",
    ]);
    expect(only(registered, "azure-native:network:SecurityRule").inputs).to.deep.include({
      networkSecurityGroupName: "batch-subnet-nsg",
      resourceGroupName: "platform-network",
      priority: 3002,
    });
    const subnetId = (
      only(registered, "azure-native:batch:Pool").inputs.networkConfiguration as {
        subnetId: string;
      }
    ).subnetId;
    expect(subnetId).to.match(/\/virtualNetworks\/hub\/subnets\/batch$/);
    expect(ID_EXAMPLES.subnet).to.not.equal(subnetId);
    await expectAzureAccepts(registered);
  });
});

describe("the root stack (Pulumi.yaml), run under the mocks", () => {
  const project = parse(readFileSync(join(__dirname, "../../Pulumi.yaml"), "utf8")) as {
    name: string;
    main: string;
    config: Record<string, { type: string; default?: unknown; description?: string }>;
  };

  it("declares a typed config schema: every key typed, described and defaulted (Pulumi requires a value otherwise)", () => {
    expect(project.name).to.equal("azure-batch-network");
    expect(project.main).to.equal("stack/");
    for (const [key, schema] of Object.entries(project.config)) {
      expect(["string", "integer", "boolean", "array"], key).to.include(schema.type);
      expect(schema.description, key).to.be.a("string").and.not.be.empty;
      expect(schema, key).to.have.property("default");
    }
    // The stack reads its config through STACK_CONFIG_DEFAULTS: same keys, same defaults.
    expect(Object.keys(STACK_CONFIG_DEFAULTS).sort()).to.deep.equal(
      Object.keys(project.config).sort(),
    );
    for (const [key, value] of Object.entries(STACK_CONFIG_DEFAULTS))
      expect(project.config[key].default, key).to.equal(value);
    // The stage's description names every stage a user can set.
    for (const stage of STAGE_ORDER) expect(project.config.stage.description).to.contain(stage);
  });

  it("config stage api-2025-06-01 declares the pool at that API version", async () => {
    const mocks = await freshMocks();
    await captureWarnings(() =>
      runProgramFile(mocks, "stack/index.ts", "azure-batch-network", { stage: "simplified" }),
    );
    mocks.azure.advance(5);
    const { result } = await captureWarnings(() =>
      runProgramFile(mocks, "stack/index.ts", "azure-batch-network", { stage: "api-2025-06-01" }),
    );
    expect(result.outputs.stage).to.equal("api-2025-06-01");
    const pool = only(result.registered, "azure-native:batch/v20250601:Pool").inputs;
    expect(pool).to.not.have.property("targetNodeCommunicationMode");
  });

  it("config stage and strategy (any case) drive the migration; the defaults deploy a simplified pool", async () => {
    const mocks = await freshMocks();
    const { result } = await captureWarnings(() =>
      runProgramFile(mocks, "stack/index.ts", "azure-batch-network", {
        dedicatedNodes: "3",
        location: "West Europe",
      }),
    );
    const pool = only(result.registered, "azure-native:batch:Pool").inputs;
    expect(pool.targetNodeCommunicationMode).to.equal("Simplified");
    expect(
      (pool.scaleSettings as { fixedScale: { targetDedicatedNodes: number } }).fixedScale
        .targetDedicatedNodes,
    ).to.equal(3);
    const rules = only(result.registered, "azure-native:network:NetworkSecurityGroup").inputs
      .securityRules as Array<{ name: string }>;
    expect(rules.map((r) => r.name)).to.deep.equal(["AllowBatchSimplifiedNodeManagementOutbound"]);
    expect(JSON.stringify(rules)).to.contain("BatchNodeManagement.westeurope");
    expect(result.outputs.stage).to.equal("simplified");

    const classic = await captureWarnings(() =>
      runProgramFile(mocks, "stack/index.ts", "azure-batch-network", {
        stage: "UNION",
        strategy: "New-Pool",
        location: "westeurope",
      }),
    );
    expect(classic.result.outputs.strategy).to.equal("new-pool");
    expect(classic.result.outputs.stage).to.equal("union");
  });
});
