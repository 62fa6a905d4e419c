import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import type * as EnvironmentModule from "../../src/components/batchEnvironment";
import { CommunicationMode, ID_EXAMPLES, modesForTarget, securityRules } from "../../src/model";
import {
  RegisteredResource,
  runDeployment,
  SimulatedAzureMocks,
  withCapturedLog,
} from "../../src/simulate";
import { peekOutput } from "../../src/components/outputs";
import { judgeRequestBody, JUDGED_TYPES } from "../support/azureSdkJudge";
import { captureWarnings, drainRegistrations, freshMocks, optionRecorder } from "../support/pulumi";

const { Classic, Simplified, Default } = CommunicationMode;

let BatchEnvironment: typeof EnvironmentModule.BatchEnvironment;
let mocks: SimulatedAzureMocks;

describe("BatchEnvironment", () => {
  before(async () => {
    ({ BatchEnvironment } = await import("../../src/components/batchEnvironment"));
  });

  // A fresh Azure per test: a pool left by one test would otherwise keep its mode in the next.
  beforeEach(async () => {
    mocks = await freshMocks({
      existing: {
        networkSecurityGroups: ["corp-nsg"],
        batchAccounts: [{ name: "corpbatch", location: "westus2" }],
      },
    });
  });

  function deploy(
    args: EnvironmentModule.BatchEnvironmentArgs,
    opts: pulumi.ComponentResourceOptions = {},
    name = "batch-env",
  ) {
    return runDeployment(mocks, () => {
      const env = new BatchEnvironment(name, args, opts);
      return {
        accountName: env.accountName,
        accountEndpoint: env.accountEndpoint,
        poolName: env.poolName,
        poolId: env.poolId,
        targetMode: env.targetNodeCommunicationMode,
        currentMode: env.currentNodeCommunicationMode,
        subnetId: env.subnetId,
        nsgId: env.networkSecurityGroupId,
        rules: env.securityRules,
        routeTableId: env.routeTableId,
        dependencies: env.outboundDependencies,
      };
    });
  }

  function only(
    registered: readonly RegisteredResource[],
    type: string,
    name?: string,
  ): RegisteredResource {
    const matches = registered.filter(
      (r) => r.type === type && (name === undefined || r.name === name),
    );
    expect(matches, type).to.have.length(1);
    return matches[0];
  }

  function types(registered: readonly RegisteredResource[]): string[] {
    return registered.map((r) => `${r.type} ${r.name}`).sort();
  }

  async function expectAzureAccepts(registered: readonly RegisteredResource[]): Promise<void> {
    const judged = registered.filter((r) => JUDGED_TYPES.includes(r.type));
    expect(judged).to.not.be.empty;
    for (const resource of judged) {
      const judgement = await judgeRequestBody(resource);
      expect(judgement.serializerError, `${resource.type} ${resource.name}`).to.equal(undefined);
      expect(judgement.unknownProperties, `${resource.type} ${resource.name}`).to.deep.equal([]);
    }
  }

  const NEW_VNET_CHILDREN = [
    "azure-native:batch:BatchAccount batch-env-account",
    "azure-native:batch:Pool batch-env-pool",
    "azure-native:network:NetworkSecurityGroup batch-env-nsg",
    "azure-native:network:Subnet batch-env-subnet",
    "azure-native:network:VirtualNetwork batch-env-vnet",
    "azure-native:resources:ResourceGroup batch-env-rg",
    "random:index/randomString:RandomString batch-env-name-suffix",
    "random:index/randomString:RandomString batch-env-pool-name",
  ];

  describe("BatchEnvironment: a new VNet per mode", () => {
    for (const mode of [Classic, Simplified, Default]) {
      it(`${mode}: creates exactly the account, network, NSG with the model's rules, and the pool`, async () => {
        const { result } = await captureWarnings(() =>
          deploy({ location: "West US 2", communicationMode: mode }),
        );
        const { registered, outputs } = result;
        expect(types(registered)).to.deep.equal(NEW_VNET_CHILDREN);

        const nsg = only(registered, "azure-native:network:NetworkSecurityGroup");
        // What the target runs in today: a Classic target may get Simplified nodes too.
        const expectedRules = securityRules("westus2", modesForTarget(mode)).rules;
        expect(nsg.inputs.securityRules).to.deep.equal(expectedRules);
        expect(outputs.rules).to.deep.equal(expectedRules);

        const subnet = only(registered, "azure-native:network:Subnet");
        expect(subnet.inputs.networkSecurityGroup).to.deep.equal({ id: nsg.id });
        expect(subnet.inputs.addressPrefix).to.equal("10.0.0.0/24");
        // Private, as Azure makes new subnets: the nodes' public IPs are their way out.
        expect(subnet.inputs.defaultOutboundAccess).to.equal(false);
        expect(subnet.inputs.natGateway).to.equal(undefined);
        expect(subnet.inputs.virtualNetworkName).to.equal(
          only(registered, "azure-native:network:VirtualNetwork").state.name,
        );

        const pool = only(registered, "azure-native:batch:Pool");
        expect(pool.inputs.targetNodeCommunicationMode).to.equal(mode);
        expect(pool.inputs.networkConfiguration).to.deep.include({
          subnetId: subnet.id,
          publicIPAddressConfiguration: { provision: "BatchManaged" },
        });
        expect(pool.inputs.poolName).to.match(/^batch-env-[a-z0-9]{6}$/);
        expect(pool.inputs.vmSize).to.equal("standard_d2s_v3");
        expect(pool.inputs.scaleSettings).to.deep.equal({
          fixedScale: {
            targetDedicatedNodes: 2,
            targetLowPriorityNodes: 0,
            resizeTimeout: "PT15M",
          },
        });

        const account = only(registered, "azure-native:batch:BatchAccount");
        expect(account.inputs.poolAllocationMode).to.equal("BatchService");
        expect(account.inputs.accountName).to.match(/^batchenv[a-z0-9]{6}$/);
        expect(outputs.accountName).to.equal(account.inputs.accountName);
        expect(outputs.accountEndpoint).to.equal(
          `${String(account.inputs.accountName)}.westus2.batch.azure.com`,
        );
        expect(outputs.targetMode).to.equal(mode);
        // The simulated Azure no longer honours Classic (as Azure since 31 March 2026).
        expect(outputs.currentMode).to.equal(Simplified);
        expect(outputs.subnetId).to.equal(subnet.id);
        expect(outputs.nsgId).to.equal(nsg.id);
        expect(outputs.routeTableId).to.equal(undefined);
        await expectAzureAccepts(registered);
      });
    }

    it("tags every child that takes tags", async () => {
      const { registered } = await deploy({
        location: "westus2",
        communicationMode: Simplified,
        tags: { team: "hpc" },
      });
      const taggable = registered.filter(
        (r) =>
          !["azure-native:network:Subnet", "azure-native:batch:Pool"].includes(r.type) &&
          r.type.startsWith("azure-native:"),
      );
      for (const resource of taggable)
        expect(resource.inputs.tags, resource.name).to.deep.equal({ team: "hpc" });
    });

    it("takes its children's names from the component's name, so two environments do not collide", async () => {
      const { registered } = await runDeployment(mocks, () => {
        const a = new BatchEnvironment("team-a", {
          location: "westus2",
          communicationMode: Simplified,
        });
        const b = new BatchEnvironment("team-b", {
          location: "westus2",
          communicationMode: Simplified,
        });
        return { a: a.poolName, b: b.poolName };
      });
      const names = registered.map((r) => `${r.type} ${r.name}`);
      expect(new Set(names).size).to.equal(names.length);
      expect(
        registered.every((r) => r.name.startsWith("team-a-") || r.name.startsWith("team-b-")),
      ).to.equal(true);
      const accounts = registered
        .filter((r) => r.type === "azure-native:batch:BatchAccount")
        .map((r) => r.inputs.accountName);
      expect(accounts[0]).to.not.equal(accounts[1]);
    });

    it("gives the pool parent, ordering and replacement options: create-before-delete on network changes", async () => {
      const recorder = optionRecorder();
      await deploy(
        { location: "westus2", communicationMode: Simplified },
        { transformations: [recorder.transformation] },
      );
      const pool = recorder.recorded.find((r) => r.type === "azure-native:batch:Pool")!;
      expect(pool.opts.replaceOnChanges).to.deep.equal(["networkConfiguration"]);
      expect(pool.opts.deleteBeforeReplace).to.equal(false);
      // A plain list when everything it names is known as the program runs.
      const dependsOn = await peekOutput(
        pulumi.output(pool.opts.dependsOn as pulumi.Input<pulumi.Resource[]>),
      );
      expect(dependsOn).to.be.an("array");
      const nsg = (dependsOn as pulumi.Resource[]).find(
        (r) => r instanceof network.NetworkSecurityGroup,
      );
      expect(nsg, "pool depends on the NSG").to.not.equal(undefined);
      const children = recorder.recorded.filter(
        (r) => r.type !== "azure-batch-network:index:BatchEnvironment",
      );
      expect(children).to.have.length(8);
      for (const child of children)
        expect(child.opts.parent, child.name).to.be.instanceOf(BatchEnvironment);
    });

    it("deletes a fixed-name pool before replacing it (two pools cannot share a name)", async () => {
      const recorder = optionRecorder();
      await deploy(
        { location: "westus2", communicationMode: Simplified, pool: { name: "render" } },
        { transformations: [recorder.transformation] },
      );
      expect(
        recorder.recorded.find((r) => r.type === "azure-native:batch:Pool")!.opts
          .deleteBeforeReplace,
      ).to.equal(true);
    });

    it("changing the mode updates the pool in place: same name, only the mode differs", async () => {
      const classic = await captureWarnings(() =>
        deploy({
          location: "westus2",
          communicationMode: Classic,
          ruleModes: [Classic, Simplified],
        }),
      );
      const simplified = await deploy({
        location: "westus2",
        communicationMode: Simplified,
        ruleModes: [Classic, Simplified],
      });
      const before = only(classic.result.registered, "azure-native:batch:Pool");
      const after = only(simplified.registered, "azure-native:batch:Pool");
      expect(after.name).to.equal(before.name);
      expect(after.state.name).to.equal(before.state.name);
      const changed = Object.keys(after.inputs).filter(
        (k) => JSON.stringify(after.inputs[k]) !== JSON.stringify(before.inputs[k]),
      );
      expect(changed).to.deep.equal(["targetNodeCommunicationMode"]);
    });
  });

  describe("BatchEnvironment: the subnet's way out", () => {
    const noPublicIps = {
      location: "westus2",
      communicationMode: Simplified,
      pool: { publicIpProvisioning: "NoPublicIPAddresses" as const },
    };

    it("a pool without public IPs and without the private endpoint: a private subnet with a NAT gateway, made before the pool", async () => {
      const { result } = await captureWarnings(() => deploy(noPublicIps));
      const { registered } = result;
      const ip = only(registered, "azure-native:network:PublicIPAddress");
      expect(ip.inputs).to.deep.include({
        sku: { name: "Standard" },
        publicIPAllocationMethod: "Static",
      });
      const nat = only(registered, "azure-native:network:NatGateway");
      expect(nat.inputs.publicIpAddresses).to.deep.equal([{ id: ip.id }]);
      const subnet = only(registered, "azure-native:network:Subnet");
      expect(subnet.inputs).to.deep.include({
        defaultOutboundAccess: false,
        natGateway: { id: nat.id },
      });
      // The pool comes after its way out.
      expect(registered.findIndex((r) => r.type === "azure-native:batch:Pool")).to.be.above(
        registered.indexOf(nat),
      );
      await expectAzureAccepts(registered);
    });

    it("with the nodeManagement private endpoint no NAT gateway is made, and what still needs one is said", async () => {
      const { result, warnings } = await captureWarnings(() =>
        deploy({ ...noPublicIps, privateEndpoints: { nodeManagement: true } }),
      );
      expect(result.registered.map((r) => r.type)).to.not.include(
        "azure-native:network:NatGateway",
      );
      expect(warnings.join()).to.contain("container registries");
    });

    it("attaches a NAT gateway given by ID instead of making one", async () => {
      const { result } = await captureWarnings(() =>
        deploy({
          ...noPublicIps,
          network: { natGateway: { existingNatGatewayId: ID_EXAMPLES.natGateway } },
        }),
      );
      expect(result.registered.map((r) => r.type)).to.not.include(
        "azure-native:network:NatGateway",
      );
      expect(
        only(result.registered, "azure-native:network:Subnet").inputs.natGateway,
      ).to.deep.equal({ id: ID_EXAMPLES.natGateway });
    });

    it("refuses a given subnet with no way out for the nodes, before the pool, naming the setting", async () => {
      const lockedMocks = await freshMocks({
        existing: {
          networkSecurityGroups: ["corp-nsg"],
          subnets: [{ name: "pool", defaultOutboundAccess: false }],
        },
      });
      let thrown: unknown;
      await captureWarnings(async () => {
        try {
          await runDeployment(lockedMocks, () => {
            const env = new BatchEnvironment("locked", {
              ...noPublicIps,
              network: {
                existingSubnetId: ID_EXAMPLES.subnet,
                existingNetworkSecurityGroup: { name: "corp-nsg" },
              },
            });
            return { pool: env.poolName };
          });
        } catch (error) {
          thrown = error;
        }
      });
      expect(pulumi.InputPropertyError.isInstance(thrown), String(thrown)).to.equal(true);
      expect((thrown as pulumi.InputPropertyError).propertyPath).to.equal(
        "network.existingSubnetId",
      );
      expect((thrown as pulumi.InputPropertyError).reason).to.match(
        /subnet pool leaves the nodes no way to reach Batch: .*private/,
      );
      expect(lockedMocks.registered.map((r) => r.type)).to.not.include("azure-native:batch:Pool");
      expect(lockedMocks.calls.map((c) => c.token)).to.include("azure-native:network:getSubnet");
      // The same subnet with a NAT gateway is judged fine.
      const natMocks = await freshMocks({
        existing: {
          networkSecurityGroups: ["corp-nsg"],
          subnets: [
            { name: "pool", defaultOutboundAccess: false, natGatewayId: ID_EXAMPLES.natGateway },
          ],
        },
      });
      const { result } = await captureWarnings(() =>
        runDeployment(natMocks, () => {
          const env = new BatchEnvironment("nat", {
            ...noPublicIps,
            network: {
              existingSubnetId: ID_EXAMPLES.subnet,
              existingNetworkSecurityGroup: { name: "corp-nsg" },
            },
          });
          return { pool: env.poolName };
        }),
      );
      expect(result.registered.map((r) => r.type)).to.include("azure-native:batch:Pool");
    });
  });

  describe("BatchEnvironment: the pool's name", () => {
    it("is drawn again when the network changes (create-before-delete), never when the mode changes", async () => {
      const keepers = async (args: EnvironmentModule.BatchEnvironmentArgs) => {
        const { result } = await captureWarnings(() => deploy(args));
        return only(
          result.registered,
          "random:index/randomString:RandomString",
          "batch-env-pool-name",
        ).inputs.keepers;
      };
      const base = await keepers({ location: "westus2", communicationMode: Simplified });
      expect(
        await keepers({
          location: "westus2",
          communicationMode: Classic,
          ruleModes: [Classic, Simplified],
        }),
      ).to.deep.equal(base);
      expect(
        await keepers({
          location: "westus2",
          communicationMode: Simplified,
          network: { subnetPrefix: "10.0.4.0/24" },
        }),
      ).to.not.deep.equal(base);
      expect(
        await keepers({
          location: "westus2",
          communicationMode: Simplified,
          pool: { publicIpProvisioning: "UserManaged", publicIpAddressIds: [ID_EXAMPLES.publicIp] },
        }),
      ).to.not.deep.equal(base);
    });
  });

  describe("BatchEnvironment: settings", () => {
    it("no public IPs: nodeManagement and batchAccount endpoints with the privatelink zone, its link and zone groups", async () => {
      const {
        result: { registered },
        warnings,
      } = await captureWarnings(() =>
        deploy({
          location: "westus2",
          communicationMode: Simplified,
          account: {
            publicNetworkAccess: "Disabled",
            nodeManagementAccess: { defaultAction: "Deny" },
          },
          privateEndpoints: { nodeManagement: true, batchAccount: true },
          pool: { publicIpProvisioning: "NoPublicIPAddresses" },
          network: { outboundLockdown: {} },
        }),
      );
      // Batch is reached through the endpoint; what tasks fetch from the Internet is not.
      expect(warnings.join("\n")).to.match(
        /NoPublicIPAddresses in a private subnet without a NAT gateway: the nodes reach Batch through the nodeManagement private endpoint/,
      );
      const account = only(registered, "azure-native:batch:BatchAccount");
      expect(account.inputs.publicNetworkAccess).to.equal("Disabled");
      expect(account.inputs.networkProfile).to.deep.equal({
        nodeManagementAccess: { defaultAction: "Deny", ipRules: [] },
      });
      const endpoints = registered.filter((r) => r.type === "azure-native:network:PrivateEndpoint");
      expect(
        endpoints.map(
          (e) =>
            (e.inputs.privateLinkServiceConnections as Array<{ groupIds: string[] }>)[0].groupIds,
        ),
      ).to.deep.equal([["nodeManagement"], ["batchAccount"]]);
      for (const endpoint of endpoints) {
        expect(
          (
            endpoint.inputs.privateLinkServiceConnections as Array<{ privateLinkServiceId: string }>
          )[0].privateLinkServiceId,
        ).to.equal(account.id);
        expect(endpoint.inputs.subnet).to.deep.include({
          id: only(registered, "azure-native:network:Subnet").id,
        });
      }
      const zone = only(registered, "azure-native:privatedns:PrivateZone");
      expect(zone.inputs.privateZoneName).to.equal("privatelink.batch.azure.com");
      const link = only(registered, "azure-native:privatedns:VirtualNetworkLink");
      expect(link.inputs.virtualNetwork).to.deep.equal({
        id: only(registered, "azure-native:network:VirtualNetwork").id,
      });
      expect(link.inputs.registrationEnabled).to.equal(false);
      const groups = registered.filter(
        (r) => r.type === "azure-native:network:PrivateDnsZoneGroup",
      );
      expect(groups.map((g) => g.inputs.privateEndpointName)).to.deep.equal(
        endpoints.map((e) => e.state.name),
      );
      for (const group of groups)
        expect(
          (group.inputs.privateDnsZoneConfigs as Array<{ privateDnsZoneId: string }>)[0]
            .privateDnsZoneId,
        ).to.equal(zone.id);
      const pool = only(registered, "azure-native:batch:Pool");
      expect(
        (pool.inputs.networkConfiguration as { publicIPAddressConfiguration: unknown })
          .publicIPAddressConfiguration,
      ).to.deep.equal({ provision: "NoPublicIPAddresses" });
      const rules = only(registered, "azure-native:network:NetworkSecurityGroup").inputs
        .securityRules as Array<{ name: string }>;
      expect(rules.map((r) => r.name)).to.include("DenyBatchInternetOutbound");
      await expectAzureAccepts(registered);
    });

    it("existing network: standalone rules on the existing NSG, the existing subnet, no VNet or NSG created", async () => {
      const { registered, outputs } = await deploy({
        location: "westus2",
        communicationMode: Simplified,
        resourceGroupName: "corp-rg",
        account: { existingAccountName: "corpbatch" },
        network: {
          existingSubnetId: ID_EXAMPLES.subnet,
          existingNetworkSecurityGroup: { name: "corp-nsg", resourceGroupName: "net-rg" },
        },
      });
      expect(types(registered)).to.deep.equal([
        "azure-native:batch:Pool batch-env-pool",
        "azure-native:network:SecurityRule batch-env-rule-AllowBatchSimplifiedNodeManagementOutbound",
        "random:index/randomString:RandomString batch-env-pool-name",
      ]);
      const rule = only(registered, "azure-native:network:SecurityRule");
      expect(rule.inputs).to.deep.include({
        networkSecurityGroupName: "corp-nsg",
        resourceGroupName: "net-rg",
        securityRuleName: "AllowBatchSimplifiedNodeManagementOutbound",
        priority: 1002,
        protocol: "*",
        destinationAddressPrefix: "BatchNodeManagement.westus2",
      });
      const pool = only(registered, "azure-native:batch:Pool");
      expect(pool.inputs.accountName).to.equal("corpbatch");
      expect(pool.inputs.resourceGroupName).to.equal("corp-rg");
      expect((pool.inputs.networkConfiguration as { subnetId: string }).subnetId).to.equal(
        ID_EXAMPLES.subnet,
      );
      expect(outputs.nsgId).to.match(/\/networkSecurityGroups\/corp-nsg$/);
      expect(outputs.accountEndpoint).to.equal("corpbatch.westus2.batch.azure.com");
      await expectAzureAccepts(registered);
    });

    it("forced tunnelling: a route table with the mode's routes and the default route, on the subnet", async () => {
      const { registered, outputs } = await deploy({
        location: "westus2",
        communicationMode: Simplified,
        network: {
          routes: {
            defaultRoute: { nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" },
          },
        },
      });
      const table = only(registered, "azure-native:network:RouteTable");
      expect(table.inputs.routes).to.deep.equal([
        {
          name: "BatchNodeManagementToInternet",
          addressPrefix: "BatchNodeManagement.westus2",
          nextHopType: "Internet",
        },
        {
          name: "DefaultToAppliance",
          addressPrefix: "0.0.0.0/0",
          nextHopType: "VirtualAppliance",
          nextHopIpAddress: "10.0.1.4",
        },
      ]);
      expect(only(registered, "azure-native:network:Subnet").inputs.routeTable).to.deep.equal({
        id: table.id,
      });
      expect(outputs.routeTableId).to.equal(table.id);
      await expectAzureAccepts(registered);
    });

    it("pool settings: autoscale, start task, NAT pools, user-managed IPs, fill type", async () => {
      const { registered } = await deploy({
        location: "westus2",
        communicationMode: Simplified,
        pool: {
          vmSize: "standard_d4s_v5",
          autoScaleFormula: "$TargetDedicatedNodes = 1;",
          taskSlotsPerNode: 4,
          nodeFillType: "Pack",
          interNodeCommunication: true,
          startTask: {
            commandLine: "/bin/sh -c 'echo ready'",
            runElevated: true,
            environment: { STAGE: "prod" },
          },
          publicIpProvisioning: "UserManaged",
          publicIpAddressIds: [ID_EXAMPLES.publicIp],
          inboundNatPools: [
            {
              name: "ssh",
              protocol: "TCP",
              backendPort: 22,
              frontendPortRangeStart: 40000,
              frontendPortRangeEnd: 40099,
              networkSecurityGroupRules: [
                { priority: 200, access: "Allow", sourceAddressPrefix: "203.0.113.0/24" },
              ],
            },
          ],
        },
      });
      const pool = only(registered, "azure-native:batch:Pool").inputs;
      expect(pool.scaleSettings).to.deep.equal({
        autoScale: { formula: "$TargetDedicatedNodes = 1;", evaluationInterval: "PT15M" },
      });
      expect(pool.taskSchedulingPolicy).to.deep.equal({ nodeFillType: "Pack" });
      expect(pool.interNodeCommunication).to.equal("Enabled");
      expect(pool.startTask).to.deep.equal({
        commandLine: "/bin/sh -c 'echo ready'",
        waitForSuccess: true,
        maxTaskRetryCount: 0,
        userIdentity: { autoUser: { scope: "Pool", elevationLevel: "Admin" } },
        environmentSettings: [{ name: "STAGE", value: "prod" }],
      });
      expect(pool.networkConfiguration).to.deep.include({
        publicIPAddressConfiguration: {
          provision: "UserManaged",
          ipAddressIds: [ID_EXAMPLES.publicIp],
        },
      });
      await expectAzureAccepts(registered);
    });

    it("creates an auto-storage account with a valid name and lists it among the dependencies", async () => {
      const { registered, outputs } = await deploy(
        {
          location: "westus2",
          communicationMode: Simplified,
          account: { autoStorage: { create: true } },
        },
        {},
        "hpc-prod",
      );
      const storage = only(registered, "azure-native:storage:StorageAccount");
      expect(storage.inputs.accountName).to.match(/^[a-z0-9]{3,24}$/);
      expect(
        only(registered, "azure-native:batch:BatchAccount").inputs.autoStorage,
      ).to.deep.include({
        storageAccountId: storage.id,
      });
      const domains = (
        outputs.dependencies as Array<{ endpoints: Array<{ domainName: string }> }>
      ).flatMap((c) => c.endpoints.map((e) => e.domainName));
      expect(domains).to.include(`${String(storage.inputs.accountName)}.blob.core.windows.net`);
    });

    it("prints the model's warnings against the component", async () => {
      const { warnings } = await captureWarnings(() =>
        deploy({ location: "westus2", communicationMode: Default }),
      );
      expect(warnings.join("\n")).to.contain(
        "communicationMode Default: since 30 September 2024 Azure runs new VNet pools with Default in Simplified mode",
      );
    });
  });

  describe("BatchEnvironment: bad input", () => {
    const cases: Array<[string, EnvironmentModule.BatchEnvironmentArgs, string[]]> = [
      [
        "NoPublicIPAddresses with Classic",
        {
          location: "westus2",
          communicationMode: Classic,
          pool: { publicIpProvisioning: "NoPublicIPAddresses" },
        },
        ["pool.publicIpProvisioning"],
      ],
      [
        "public access Disabled without a nodeManagement endpoint",
        {
          location: "westus2",
          communicationMode: Simplified,
          account: { publicNetworkAccess: "Disabled" },
        },
        ["privateEndpoints.nodeManagement"],
      ],
      [
        "simplified where it is unavailable, and a bad subnet",
        {
          location: "westindia",
          communicationMode: Simplified,
          network: { subnetPrefix: "192.168.0.0/24" },
        },
        ["communicationMode", "network.subnetPrefix"],
      ],
      [
        "an unknown mode from config",
        { location: "westus2", communicationMode: "auto" as never },
        ["communicationMode"],
      ],
    ];
    for (const [what, args, fields] of cases) {
      it(`${what}: one InputPropertiesError naming the fields, and no resource registered`, async () => {
        const before = mocks.registered.length;
        let thrown: unknown;
        try {
          new BatchEnvironment("bad-env", args);
        } catch (error) {
          thrown = error;
        }
        expect(pulumi.InputPropertiesError.isInstance(thrown)).to.equal(true);
        const error = thrown as pulumi.InputPropertiesError;
        expect(error.errors.map((e) => e.propertyPath)).to.deep.equal(fields);
        expect(error.message)
          .to.contain('BatchEnvironment "bad-env"')
          .and.contain("nothing was created");
        await drainRegistrations();
        expect(mocks.registered.length).to.equal(before);
      });
    }

    it("checks an ID that arrives as an output once it resolves", async () => {
      const run = deploy({
        location: "westus2",
        communicationMode: Simplified,
        network: {
          existingSubnetId: pulumi.output("not-a-subnet-id"),
          existingNetworkSecurityGroup: { name: "corp-nsg" },
        },
      });
      let thrown: unknown;
      try {
        await run;
      } catch (error) {
        thrown = error;
      }
      expect(pulumi.InputPropertyError.isInstance(thrown)).to.equal(true);
      expect((thrown as pulumi.InputPropertyError).propertyPath).to.equal(
        "network.existingSubnetId",
      );
    });
  });
});

/** A provider a user passes explicitly (`new azure.Provider(...)` in a real program). */
class ExplicitProvider extends pulumi.ProviderResource {
  constructor(name: string) {
    super("azure-native", name, {});
  }
}

describe("BatchEnvironment and NodeCommunicationMigration: providers and references", () => {
  const EXISTING = {
    location: "westus2",
    communicationMode: CommunicationMode.Simplified,
    resourceGroupName: "corp-rg",
    account: { existingAccountName: "corpbatch" },
    network: {
      existingSubnetId: ID_EXAMPLES.subnet,
      existingNetworkSecurityGroup: { name: "corp-nsg" },
      routes: { existingRouteTable: { name: "corp-rt" } },
    },
  } as const;

  it("an explicit azure-native provider reaches every azure-native child and every invoke", async () => {
    const { BatchEnvironment } = await import("../../src/components/batchEnvironment");
    const { NodeCommunicationMigration } =
      await import("../../src/components/nodeCommunicationMigration");
    const mocks = await freshMocks({
      existing: { batchAccounts: [{ name: "corpbatch", location: "westus2" }] },
    });
    const { result } = await captureWarnings(() =>
      runDeployment(mocks, () => {
        const provider = new ExplicitProvider("explicit");
        const env = new BatchEnvironment("env", EXISTING, {
          providers: { "azure-native": provider },
        });
        const { communicationMode: _mode, ...settings } = EXISTING;
        // Its own subnet and NSG: two environments adding rules to one NSG are refused.
        const migration = new NodeCommunicationMigration(
          "mig",
          {
            ...settings,
            network: {
              ...settings.network,
              existingSubnetId: ID_EXAMPLES.subnet.replace(/subnets\/[^/]+$/, "subnets/mig"),
              existingNetworkSecurityGroup: { name: "mig-nsg" },
            },
            stage: "simplified",
          },
          { providers: { "azure-native": provider } },
        );
        return { env: env.poolName, mig: migration.nextCommand };
      }),
    );
    const azure = result.registered.filter((r) => r.type.startsWith("azure-native:"));
    expect(azure.map((r) => r.type)).to.include.members([
      "azure-native:batch:Pool",
      "azure-native:network:SecurityRule",
    ]);
    for (const resource of azure)
      expect(resource.provider, `${resource.type} ${resource.name}`).to.match(/::explicit::/);
    const tokens = result.calls.map((c) => c.token);
    expect(tokens).to.include.members([
      "azure-native:batch:getBatchAccount",
      "azure-native:network:getNetworkSecurityGroup",
      "azure-native:network:getRouteTable",
      "azure-native:batch:getPool",
    ]);
    for (const call of result.calls) expect(call.provider, call.token).to.match(/::explicit::/);
  });

  it("takes references to existing resources as outputs of the user's program, checked when they resolve", async () => {
    const { BatchEnvironment } = await import("../../src/components/batchEnvironment");
    const mocks = await freshMocks({
      existing: { batchAccounts: [{ name: "corpbatch", location: "westus2" }] },
    });
    const { registered } = await runDeployment(mocks, () => {
      const env = new BatchEnvironment("env", {
        ...EXISTING,
        resourceGroupName: pulumi.output("corp-rg"),
        account: { existingAccountName: pulumi.output("corpbatch") },
        network: {
          existingSubnetId: pulumi.output(ID_EXAMPLES.subnet),
          existingNetworkSecurityGroup: { name: pulumi.output("corp-nsg") },
        },
      });
      return { pool: env.poolName };
    });
    const rule = registered.find((r) => r.type === "azure-native:network:SecurityRule")!;
    expect(rule.inputs).to.deep.include({
      networkSecurityGroupName: "corp-nsg",
      resourceGroupName: "corp-rg",
    });
    const pool = registered.find((r) => r.type === "azure-native:batch:Pool")!;
    expect(pool.inputs.accountName).to.equal("corpbatch");

    let thrown: unknown;
    const bad = await freshMocks();
    // Pulumi's runtime also logs the refused invoke as an error: it is the run's, not noise.
    const { log } = await withCapturedLog(async () => {
      try {
        await runDeployment(bad, () => {
          const env = new BatchEnvironment("bad", {
            ...EXISTING,
            network: {
              existingSubnetId: ID_EXAMPLES.subnet,
              existingNetworkSecurityGroup: { name: pulumi.output("no spaces allowed") },
            },
          });
          return { nsg: env.networkSecurityGroupId };
        });
      } catch (error) {
        thrown = error;
      }
    });
    expect(log.error.join()).to.contain('"no spaces allowed" is not a valid resource name');
    expect(pulumi.InputPropertyError.isInstance(thrown), String(thrown)).to.equal(true);
    expect((thrown as pulumi.InputPropertyError).propertyPath).to.equal(
      "network.existingNetworkSecurityGroup.name",
    );
  });
});
