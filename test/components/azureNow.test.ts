import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import type * as EnvironmentModule from "../../src/components/batchEnvironment";
import { isPoolNotFound } from "../../src/components/azureErrors";
import {
  CommunicationMode,
  ID_EXAMPLES,
  OutboundEndpointCategory,
  SecurityRuleSpec,
} from "../../src/model";
import { RegisteredResource, runDeployment, SimulatedAzureMocks } from "../../src/simulate";
import { captureWarnings, drainRegistrations, freshMocks } from "../support/pulumi";

/**
 * BatchEnvironment against Azure as it is since 2025-2026: remote access through inbound NAT
 * pools, the account's real node management host, the API version without the mode property,
 * existing accounts and NSGs, and the regions Azure has and has not.
 */
describe("BatchEnvironment: Azure as it is now", function () {
  this.timeout(60_000);
  let BatchEnvironment: typeof EnvironmentModule.BatchEnvironment;
  let mocks: SimulatedAzureMocks;

  before(async () => {
    ({ BatchEnvironment } = await import("../../src/components/batchEnvironment"));
  });
  beforeEach(async () => {
    mocks = await freshMocks({
      existing: {
        networkSecurityGroups: ["corp-nsg"],
        batchAccounts: [{ name: "corpbatch", location: "westus2" }],
      },
    });
  });

  async function deploy(args: EnvironmentModule.BatchEnvironmentArgs) {
    const { result, warnings } = await captureWarnings(() =>
      runDeployment(mocks, () => {
        const env = new BatchEnvironment("env", args);
        return {
          rules: env.securityRules,
          nodeManagementEndpoint: env.nodeManagementEndpoint,
          dependencies: env.outboundDependencies,
          poolName: env.poolName,
        };
      }),
    );
    const { rules, dependencies, nodeManagementEndpoint } = result.outputs;
    // A deployment (not a preview): every output is known.
    return {
      ...result,
      warnings,
      outputs: {
        rules: rules as SecurityRuleSpec[],
        dependencies: dependencies as OutboundEndpointCategory[],
        nodeManagementEndpoint: nodeManagementEndpoint as string | undefined,
      },
    };
  }

  const byType = (registered: readonly RegisteredResource[], type: string) =>
    registered.filter((r) => r.type === type);

  it("SSH from given prefixes: an inbound NAT pool on the pool, and the subnet opens 22 to those prefixes only", async () => {
    const { registered, outputs } = await deploy({
      location: "westus2",
      network: { remoteAccess: { sshSourcePrefixes: ["203.0.113.0/24", "198.51.100.7"] } },
    });
    const [pool] = byType(registered, "azure-native:batch:Pool");
    const config = pool.inputs.networkConfiguration as {
      endpointConfiguration: { inboundNatPools: unknown[] };
    };
    expect(config.endpointConfiguration.inboundNatPools).to.deep.equal([
      {
        name: "ssh",
        protocol: "TCP",
        backendPort: 22,
        frontendPortRangeStart: 40000,
        frontendPortRangeEnd: 40499,
        networkSecurityGroupRules: [
          { priority: 150, access: "Allow", sourceAddressPrefix: "203.0.113.0/24" },
          { priority: 151, access: "Allow", sourceAddressPrefix: "198.51.100.7" },
          { priority: 4000, access: "Deny", sourceAddressPrefix: "*" },
        ],
      },
    ]);
    const ssh = outputs.rules.find((r) => r.name === "AllowBatchNodeSshInbound");
    expect(ssh).to.deep.include({
      destinationPortRange: "22",
      sourceAddressPrefixes: ["203.0.113.0/24", "198.51.100.7"],
    });
  });

  it("the pool's own NAT pool: the subnet opens its backend port to the sources it admits", async () => {
    const { outputs } = await deploy({
      location: "westus2",
      pool: {
        inboundNatPools: [
          {
            name: "app",
            protocol: "TCP",
            backendPort: 8443,
            frontendPortRangeStart: 41000,
            frontendPortRangeEnd: 41099,
            networkSecurityGroupRules: [
              { priority: 200, access: "Allow", sourceAddressPrefix: "10.20.0.0/16" },
            ],
          },
        ],
      },
    });
    expect(outputs.rules.find((r) => r.name === "AllowBatchInboundNatPool0")).to.deep.include({
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "10.20.0.0/16",
      destinationPortRange: "8443",
    });
  });

  it("reports the account's node management host as Azure gives it, never one built from the name", async () => {
    const { registered, outputs } = await deploy({ location: "westus2" });
    const [account] = byType(registered, "azure-native:batch:BatchAccount");
    expect(outputs.nodeManagementEndpoint).to.equal(account.state.nodeManagementEndpoint);
    expect(outputs.nodeManagementEndpoint).to.not.contain(String(account.inputs.accountName));
    const hosts = outputs.dependencies.flatMap((c) => c.endpoints.map((e) => e.domainName));
    expect(hosts).to.include(outputs.nodeManagementEndpoint!);
  });

  it("an existing account: its host read live, and private endpoints made against it", async () => {
    const { registered, outputs } = await deploy({
      location: "westus2",
      resourceGroupName: "corp-rg",
      account: { existingAccountName: "corpbatch" },
      privateEndpoints: { nodeManagement: true },
      pool: { publicIpProvisioning: "NoPublicIPAddresses" },
    });
    expect(outputs.nodeManagementEndpoint).to.match(/\.westus2\.service\.batch\.azure\.com$/);
    const [endpoint] = byType(registered, "azure-native:network:PrivateEndpoint");
    expect(endpoint.inputs.privateLinkServiceConnections).to.deep.equal([
      {
        name: "env-nodeManagement",
        privateLinkServiceId:
          "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/corp-rg/providers/Microsoft.Batch/batchAccounts/corpbatch",
        groupIds: ["nodeManagement"],
      },
    ]);
  });

  it("at API 2025-06-01: the pool and account at that version, without the mode property", async () => {
    const { registered } = await deploy({ location: "westus2", batchApiVersion: "2025-06-01" });
    const [pool] = byType(registered, "azure-native:batch/v20250601:Pool");
    expect(byType(registered, "azure-native:batch/v20250601:BatchAccount")).to.have.length(1);
    expect(byType(registered, "azure-native:batch:Pool")).to.deep.equal([]);
    expect(pool.inputs).to.not.have.property("targetNodeCommunicationMode");
  });

  async function refusal(args: EnvironmentModule.BatchEnvironmentArgs): Promise<string> {
    try {
      await deploy(args);
    } catch (error) {
      await drainRegistrations();
      return (error as Error).message;
    }
    return "";
  }

  it("refuses Classic at API 2025-06-01, a retired region, and an existing account without its group", async () => {
    expect(
      await refusal({
        location: "westus2",
        communicationMode: CommunicationMode.Classic,
        batchApiVersion: "2025-06-01",
      }),
    ).to.contain("cannot be declared at API 2025-06-01");
    expect(await refusal({ location: "usgoviowa" })).to.contain(
      "usgoviowa (USGov Iowa) is retired",
    );
    expect(await refusal({ location: "westus2", account: { existingAccountName: "corpbatch" } }))
      .to.contain("resourceGroupName")
      .and.contain("cannot hold an existing account");
  });

  it("warns, and still deploys, where Azure lists no Batch accounts", async () => {
    const { warnings, registered } = await deploy({ location: "germanynorth" });
    expect(warnings.join("\n")).to.contain("germanynorth (Germany North)");
    expect(byType(registered, "azure-native:batch:Pool")).to.have.length(1);
  });

  it("refuses two environments adding their rules to one existing NSG, naming both", async () => {
    const existing = {
      location: "westus2",
      resourceGroupName: "corp-rg",
      network: {
        existingSubnetId: ID_EXAMPLES.subnet,
        existingNetworkSecurityGroup: { name: "corp-nsg" },
      },
    };
    let thrown: unknown;
    try {
      await captureWarnings(() =>
        runDeployment(mocks, () => {
          const first = new BatchEnvironment("first", existing);
          const second = new BatchEnvironment("second", {
            ...existing,
            network: {
              ...existing.network,
              existingSubnetId: ID_EXAMPLES.subnet.replace(/[^/]+$/, "other"),
            },
          });
          return { a: first.poolName, b: second.poolName };
        }),
      );
    } catch (error) {
      thrown = error;
    }
    await drainRegistrations();
    expect(pulumi.InputPropertiesError.isInstance(thrown)).to.equal(true);
    expect((thrown as Error).message)
      .to.contain('"second"')
      .and.contain('"corp-nsg" already carries the rules of the environment "first"');
  });
});

describe("isPoolNotFound: Azure's answer read from status and code, never from free text", () => {
  const azcore = (status: number, code: string) =>
    `request failed: GET https://management.azure.com/x\n--------\nRESPONSE ${status}: ${status} Not Found\nERROR CODE: ${code}\n--------`;
  const autorest = (status: number, code: string) =>
    `autorest/azure: Service returned an error. Status=${status} Code="${code}" Message="..."`;

  it("a missing pool, in either form azure-native reports it", () => {
    for (const form of [azcore, autorest]) {
      expect(isPoolNotFound(new Error(form(404, "PoolNotFound")))).to.equal(true);
      expect(isPoolNotFound({ details: form(404, "ResourceNotFound") })).to.equal(true);
    }
  });

  it("not a missing pool: a missing group, subscription or account, a refusal, or text that only mentions 404", () => {
    for (const code of ["ResourceGroupNotFound", "SubscriptionNotFound", "ParentResourceNotFound"])
      expect(isPoolNotFound(new Error(azcore(404, code))), code).to.equal(false);
    expect(isPoolNotFound(new Error(autorest(403, "AuthorizationFailed")))).to.equal(false);
    expect(isPoolNotFound(new Error("PoolNotFound (404)"))).to.equal(false);
    expect(isPoolNotFound(undefined)).to.equal(false);
  });
});
