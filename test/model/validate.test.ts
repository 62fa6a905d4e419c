import { expect } from "chai";
import {
  appliedNetwork,
  CommunicationMode,
  BatchEnvironmentSettings,
  ID_EXAMPLES,
  designEnvironment,
  InvalidInputError,
  validateEnvironment,
} from "../../src/model";
import { problemsOf } from "../support/errors";

const { Classic, Simplified, Default } = CommunicationMode;
const AFTER_RETIREMENT = { now: new Date("2026-11-28T00:00:00Z") };
const BEFORE_RETIREMENT = { now: new Date("2026-01-01T00:00:00Z") };

const ADMIN_ONLY = [
  { priority: 150, access: "Allow" as const, sourceAddressPrefix: "203.0.113.0/24" },
];
function spec(overrides: Partial<BatchEnvironmentSettings> = {}): BatchEnvironmentSettings {
  return { location: "westus2", communicationMode: Simplified, ...overrides };
}

/** Each cross-field rule: the settings, the fields its errors name, a phrase of the message. */
const REFUSED: Array<[string, BatchEnvironmentSettings, string[], string]> = [
  [
    "NoPublicIPAddresses with Classic",
    spec({ communicationMode: Classic, pool: { publicIpProvisioning: "NoPublicIPAddresses" } }),
    ["pool.publicIpProvisioning"],
    "requires communicationMode Simplified",
  ],
  [
    "NoPublicIPAddresses with Default",
    spec({ communicationMode: Default, pool: { publicIpProvisioning: "NoPublicIPAddresses" } }),
    ["pool.publicIpProvisioning"],
    "(is Default)",
  ],
  [
    "Simplified, public access Disabled, no nodeManagement endpoint",
    spec({ account: { publicNetworkAccess: "Disabled" } }),
    ["privateEndpoints.nodeManagement"],
    "every node is unusable",
  ],
  [
    "Default, public access Disabled, only a batchAccount endpoint",
    spec({
      communicationMode: Default,
      account: { publicNetworkAccess: "Disabled" },
      privateEndpoints: { batchAccount: true },
    }),
    ["privateEndpoints.nodeManagement"],
    "Default nodes reach Batch",
  ],
  [
    "Simplified, node management Deny without IP rules",
    spec({ account: { nodeManagementAccess: { defaultAction: "Deny" } } }),
    ["privateEndpoints.nodeManagement"],
    "denies by default",
  ],
  [
    "Simplified in westindia",
    spec({ location: "West India" }),
    ["communicationMode"],
    "does not offer in westindia",
  ],
  [
    "Simplified in chinanorth",
    spec({ location: "chinanorth", communicationMode: Simplified }),
    ["communicationMode"],
    "Azure does not offer in chinanorth",
  ],
  [
    "the retired USGov Iowa",
    spec({ location: "usgoviowa" }),
    ["location"],
    "usgoviowa (USGov Iowa) is retired",
  ],
  [
    "subnet outside the address space",
    spec({ network: { addressSpace: ["10.0.0.0/16"], subnetPrefix: "10.1.0.0/24" } }),
    ["network.subnetPrefix"],
    "outside the VNet's address space",
  ],
  [
    "subnet too small for the nodes",
    spec({
      network: { subnetPrefix: "10.0.0.0/29" },
      pool: { dedicatedNodes: 3, lowPriorityNodes: 1 },
    }),
    ["network.subnetPrefix"],
    "3 usable addresses",
  ],
  [
    "NAT pools without public IPs",
    spec({
      pool: {
        publicIpProvisioning: "NoPublicIPAddresses",
        inboundNatPools: [
          {
            name: "ssh",
            protocol: "TCP",
            backendPort: 22,
            frontendPortRangeStart: 40000,
            frontendPortRangeEnd: 40099,
            networkSecurityGroupRules: ADMIN_ONLY,
          },
        ],
      },
    }),
    ["pool.inboundNatPools"],
    "without public IPs",
  ],
  [
    "NAT backend port 29876",
    spec({
      pool: {
        inboundNatPools: [
          {
            name: "x",
            protocol: "TCP",
            backendPort: 29876,
            frontendPortRangeStart: 40000,
            frontendPortRangeEnd: 40099,
            networkSecurityGroupRules: ADMIN_ONLY,
          },
        ],
      },
    }),
    ["pool.inboundNatPools[0].backendPort"],
    "reserved by Batch",
  ],
  [
    "NAT frontend in 50000-55000",
    spec({
      pool: {
        inboundNatPools: [
          {
            name: "x",
            protocol: "TCP",
            backendPort: 22,
            frontendPortRangeStart: 49990,
            frontendPortRangeEnd: 50040,
            networkSecurityGroupRules: ADMIN_ONLY,
          },
        ],
      },
    }),
    ["pool.inboundNatPools[0].frontendPortRangeStart"],
    "50000-55000",
  ],
  [
    "a NAT frontend range of fewer than 40 ports",
    spec({
      pool: {
        inboundNatPools: [
          {
            name: "x",
            protocol: "TCP",
            backendPort: 22,
            frontendPortRangeStart: 40000,
            frontendPortRangeEnd: 40038,
            networkSecurityGroupRules: ADMIN_ONLY,
          },
        ],
      },
    }),
    ["pool.inboundNatPools[0].frontendPortRangeEnd"],
    "holds 39 ports; Batch needs at least 40",
  ],
  [
    "a NAT frontend range ending at 65535",
    spec({
      pool: {
        inboundNatPools: [
          {
            name: "x",
            protocol: "TCP",
            backendPort: 22,
            frontendPortRangeStart: 65000,
            frontendPortRangeEnd: 65535,
            networkSecurityGroupRules: ADMIN_ONLY,
          },
        ],
      },
    }),
    ["pool.inboundNatPools[0].frontendPortRangeStart"],
    "Batch takes ports from 1 to 65534",
  ],
  [
    "more than 5 NAT pools",
    spec({
      pool: {
        inboundNatPools: [1, 2, 3, 4, 5, 6].map((i) => ({
          name: `p${i}`,
          protocol: "TCP" as const,
          backendPort: 1000 + i,
          frontendPortRangeStart: 1000 * i,
          frontendPortRangeEnd: 1000 * i + 99,
          networkSecurityGroupRules: [{ ...ADMIN_ONLY[0], priority: 150 + i }],
        })),
      },
    }),
    ["pool.inboundNatPools"],
    "at most 5",
  ],
  [
    "more than 25 NAT rules",
    spec({
      pool: {
        inboundNatPools: [
          {
            name: "x",
            protocol: "TCP",
            backendPort: 22,
            frontendPortRangeStart: 40000,
            frontendPortRangeEnd: 40099,
            networkSecurityGroupRules: Array.from({ length: 26 }, (_, i) => ({
              priority: 200 + i,
              access: "Allow" as const,
              sourceAddressPrefix: "*",
            })),
          },
        ],
      },
    }),
    ["pool.inboundNatPools"],
    "at most 25",
  ],
  [
    "a NAT pool that admits no source",
    spec({
      pool: {
        inboundNatPools: [
          {
            name: "ssh",
            protocol: "TCP",
            backendPort: 22,
            frontendPortRangeStart: 40000,
            frontendPortRangeEnd: 40099,
          },
        ],
      },
    }),
    ["pool.inboundNatPools[0].networkSecurityGroupRules"],
    "admits no source",
  ],
  [
    "NAT rule priority outside 150-4096 and repeated",
    spec({
      pool: {
        inboundNatPools: [
          {
            name: "x",
            protocol: "TCP",
            backendPort: 22,
            frontendPortRangeStart: 40000,
            frontendPortRangeEnd: 40099,
            networkSecurityGroupRules: [
              { priority: 100, access: "Allow", sourceAddressPrefix: "*" },
              { priority: 300, access: "Allow", sourceAddressPrefix: "*" },
              { priority: 300, access: "Deny", sourceAddressPrefix: "*" },
            ],
          },
        ],
      },
    }),
    [
      "pool.inboundNatPools[0].networkSecurityGroupRules[0].priority",
      "pool.inboundNatPools[0].networkSecurityGroupRules[2].priority",
    ],
    "150 to 4096",
  ],
  [
    "UserManaged without IP ids",
    spec({ pool: { publicIpProvisioning: "UserManaged" } }),
    ["pool.publicIpAddressIds"],
    "is required with publicIpProvisioning UserManaged",
  ],
  [
    "IP ids without UserManaged",
    spec({ pool: { publicIpAddressIds: [ID_EXAMPLES.publicIp] } }),
    ["pool.publicIpAddressIds"],
    "applies only with publicIpProvisioning UserManaged",
  ],
  [
    "malformed existing subnet ID",
    spec({
      network: {
        existingSubnetId: "/subscriptions/x/vnet/subnet",
        existingNetworkSecurityGroup: { name: "nsg" },
      },
    }),
    ["network.existingSubnetId"],
    "is not a subnet resource ID",
  ],
  [
    "malformed account names",
    spec({ resourceGroupName: "batch-rg", account: { existingAccountName: "My_Account" } }),
    ["account.existingAccountName"],
    "3-24 lowercase letters and digits",
  ],
  [
    "existing subnet without its NSG",
    spec({ network: { existingSubnetId: ID_EXAMPLES.subnet } }),
    ["network.existingNetworkSecurityGroup"],
    "cannot attach an NSG",
  ],
  [
    "rule modes that miss the pool's mode",
    spec({ ruleModes: [Classic] }),
    ["ruleModes"],
    "add Simplified",
  ],
  [
    "auto-storage that is not settings",
    spec({ account: { autoStorage: true as never } }),
    ["account.autoStorage"],
    "give { create: true }",
  ],
  [
    "an existing account without its resource group",
    spec({ account: { existingAccountName: "acct1" } }),
    ["resourceGroupName"],
    "cannot hold an existing account",
  ],
  [
    "existing account with create-only settings",
    spec({
      resourceGroupName: "batch-rg",
      account: { existingAccountName: "acct1", publicNetworkAccess: "Enabled" },
    }),
    ["account.publicNetworkAccess"],
    "applies only to an account the component creates",
  ],
  [
    "autoscale with fixed node counts",
    spec({ pool: { autoScaleFormula: "$TargetDedicatedNodes = 1;", dedicatedNodes: 2 } }),
    ["pool.dedicatedNodes"],
    "fixed-scale setting",
  ],
  [
    "resize timeout under five minutes",
    spec({ pool: { resizeTimeout: "PT1M" } }),
    ["pool.resizeTimeout"],
    "at least PT5M",
  ],
  [
    "routes created without a default route",
    spec({ network: { routes: { classicStorageBypass: true } } }),
    ["network.routes.defaultRoute"],
    "is required when the component creates the route table",
  ],
  [
    "an unknown mode and region",
    spec({ location: "mars", communicationMode: "hybrid" as never }),
    ["location", "communicationMode"],
    "is not",
  ],
];

describe("validateEnvironment: cross-field rules", () => {
  for (const [what, input, fields, phrase] of REFUSED) {
    it(`refuses ${what}`, () => {
      const { problems } = validateEnvironment(input, AFTER_RETIREMENT);
      expect(problems.map((p) => p.field)).to.deep.equal(fields);
      expect(problems.map((p) => p.message).join(" ")).to.contain(phrase);
      expect(() => designEnvironment(input, AFTER_RETIREMENT)).to.throw(/./);
    });
  }

  it("accepts the product page's pool and the no-public-IP pattern", () => {
    expect(validateEnvironment(spec(), AFTER_RETIREMENT).problems).to.deep.equal([]);
    const noPublicIp = spec({
      account: { publicNetworkAccess: "Disabled", nodeManagementAccess: { defaultAction: "Deny" } },
      privateEndpoints: { nodeManagement: true },
      pool: { publicIpProvisioning: "NoPublicIPAddresses" },
      network: { outboundLockdown: {} },
    });
    expect(validateEnvironment(noPublicIp, AFTER_RETIREMENT).problems).to.deep.equal([]);
  });

  it("accepts config strings for the mode in any case", () => {
    const result = validateEnvironment(
      spec({
        communicationMode: "simplified" as never,
        ruleModes: ["CLASSIC" as never, "simplified" as never],
      }),
    );
    expect(result.problems).to.deep.equal([]);
    expect(result.poolTargets).to.deep.equal([Simplified]);
    expect(result.ruleModes).to.deep.equal([Classic, Simplified]);
  });

  it("reports problems of several fields in one go, nested rule problems under network", () => {
    const { problems } = validateEnvironment(
      spec({
        network: {
          priorityBase: 5000,
          extraRules: [
            {
              name: "x",
              priority: 1,
              direction: "Inbound",
              access: "Allow",
              protocol: "Tcp",
              sourceAddressPrefix: "*",
              sourcePortRange: "*",
              destinationAddressPrefix: "*",
              destinationPortRange: "22",
            },
          ],
        },
        pool: { taskSlotsPerNode: 0 },
      }),
    );
    expect(problems.map((p) => p.field)).to.deep.equal([
      "network.priorityBase",
      "network.extraRules[0].priority",
      "pool.taskSlotsPerNode",
    ]);
  });
});

describe("validateEnvironment: warnings", () => {
  it("warns that Classic is no longer honoured after 31 March 2026, and only then", () => {
    const after = validateEnvironment(
      spec({ communicationMode: Classic }),
      AFTER_RETIREMENT,
    ).warnings;
    expect(after.join())
      .to.contain(
        "After March 31, 2026, the option to use classic compute node communication mode will no longer be honored",
      )
      .and.contain("the subnet carries the Simplified rules too");
    const before = validateEnvironment(
      spec({ communicationMode: Classic }),
      BEFORE_RETIREMENT,
    ).warnings;
    expect(before.join()).to.not.contain("no longer be honored");
  });

  it("warns that Default runs Simplified on VNet pools since 30 September 2024, and how to keep both", () => {
    const [warning] = validateEnvironment(
      spec({ communicationMode: Default }),
      AFTER_RETIREMENT,
    ).warnings;
    expect(warning)
      .to.contain("since 30 September 2024")
      .and.contain("outbound 443 to BatchNodeManagement.westus2")
      .and.contain("ruleModes [Classic, Simplified]");
  });

  it("warns, without refusing, where Azure lists no Batch accounts", () => {
    const { warnings, problems } = validateEnvironment(
      spec({ location: "germanynorth" }),
      AFTER_RETIREMENT,
    );
    expect(problems).to.deep.equal([]);
    expect(warnings.join()).to.contain("germanynorth");
  });

  it("warns about the Ubuntu 22.04 node agent with its end date, before and after it, and not about 24.04", () => {
    const jammy = spec({
      pool: {
        image: { publisher: "Canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts" },
        nodeAgentSkuId: "batch.node.ubuntu 22.04",
      },
    });
    const before = validateEnvironment(jammy, AFTER_RETIREMENT);
    expect(before.problems).to.deep.equal([]);
    expect(before.warnings.join()).to.contain("ends on 30 June 2027");
    const after = validateEnvironment(jammy, { now: new Date("2027-07-01T00:00:00Z") });
    expect(after.warnings.join()).to.contain("ended on 30 June 2027");
    expect(validateEnvironment(spec(), AFTER_RETIREMENT).warnings.join()).not.to.contain("22.04");
  });

  it("warns when the subnet overlaps Docker's bridge", () => {
    const { warnings, problems } = validateEnvironment(
      spec({ network: { addressSpace: ["172.16.0.0/12"], subnetPrefix: "172.17.0.0/24" } }),
      AFTER_RETIREMENT,
    );
    expect(problems).to.deep.equal([]);
    expect(warnings.join()).to.contain("172.17.0.0/16");
  });
});

describe("designEnvironment: a private subnet and its way out", () => {
  const noPublicIps = { pool: { publicIpProvisioning: "NoPublicIPAddresses" as const } };
  const simplified = { communicationMode: Simplified };

  it("makes the subnet it creates private; nodes with public IPs need nothing more", () => {
    const design = designEnvironment(spec(simplified), AFTER_RETIREMENT);
    expect(design.network.privateSubnet).to.equal(true);
    expect(design.network.natGateway).to.deep.equal({ kind: "none" });
  });

  it("gives a pool without public IPs a NAT gateway, unless the nodeManagement private endpoint reaches Batch", () => {
    const nat = designEnvironment(spec({ ...simplified, ...noPublicIps }), AFTER_RETIREMENT);
    expect(nat.network.natGateway).to.deep.equal({ kind: "create" });
    const endpoint = designEnvironment(
      spec({ ...simplified, ...noPublicIps, privateEndpoints: { nodeManagement: true } }),
      AFTER_RETIREMENT,
    );
    expect(endpoint.network.natGateway).to.deep.equal({ kind: "none" });
    // The needs left without a way out are named.
    expect(endpoint.warnings.join()).to.contain("container registries");
    const yours = designEnvironment(
      spec({
        ...simplified,
        ...noPublicIps,
        network: { natGateway: { existingNatGatewayId: ID_EXAMPLES.natGateway } },
      }),
      AFTER_RETIREMENT,
    );
    expect(yours.network.natGateway).to.deep.equal({
      kind: "existing",
      id: ID_EXAMPLES.natGateway,
    });
  });

  it("refuses a setting that leaves the nodes no way to reach Batch, before anything is made", () => {
    const problems = problemsOf(() =>
      designEnvironment(
        spec({ ...simplified, ...noPublicIps, network: { natGateway: { create: false } } }),
        AFTER_RETIREMENT,
      ),
    );
    expect(problems.map((p) => p.field)).to.deep.equal(["network.natGateway"]);
    expect(problems[0].message).to.match(/leaves the nodes no way to reach Batch/);
  });

  it("behind a firewall without a NAT gateway: no Internet route that would carry nothing; the appliance must allow Batch", () => {
    const design = designEnvironment(
      spec({
        ...simplified,
        ...noPublicIps,
        network: {
          natGateway: { create: false },
          routes: {
            defaultRoute: { nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" },
          },
        },
      }),
      AFTER_RETIREMENT,
    );
    const routes = appliedNetwork(design, design.ruleModes).routes.map((r) => r.addressPrefix);
    expect(routes).to.deep.equal(["0.0.0.0/0"]);
    expect(design.warnings.join()).to.contain("the appliance must allow outbound 443");
  });

  it("refuses a NAT gateway for a subnet it does not create, and both create and an existing one", () => {
    const existing = problemsOf(() =>
      validateEnvironmentOrThrow(
        spec({
          network: {
            existingSubnetId: ID_EXAMPLES.subnet,
            existingNetworkSecurityGroup: { name: "corp-nsg" },
            natGateway: { create: true },
          },
        }),
      ),
    );
    expect(existing.map((p) => p.field)).to.include("network.natGateway");
    const both = problemsOf(() =>
      validateEnvironmentOrThrow(
        spec({
          network: { natGateway: { create: true, existingNatGatewayId: ID_EXAMPLES.natGateway } },
        }),
      ),
    );
    expect(both.map((p) => p.field)).to.deep.equal(["network.natGateway.create"]);
  });
});

function validateEnvironmentOrThrow(settings: Parameters<typeof validateEnvironment>[0]) {
  const { problems } = validateEnvironment(settings, AFTER_RETIREMENT);
  if (problems.length > 0) throw new InvalidInputError(problems);
}

describe("designEnvironment", () => {
  it("applies the product page's pool defaults, on Ubuntu 24.04", () => {
    const plan = designEnvironment(spec(), AFTER_RETIREMENT);
    expect(plan.pool).to.deep.include({
      vmSize: "standard_d2s_v3",
      nodeAgentSkuId: "batch.node.ubuntu 24.04",
      taskSlotsPerNode: 1,
      nodeFillType: "Spread",
      interNodeCommunication: false,
      publicIpProvisioning: "BatchManaged",
    });
    expect(plan.pool.image).to.deep.equal({
      publisher: "Canonical",
      offer: "ubuntu-24_04-lts",
      sku: "server",
      version: "latest",
    });
    expect(plan.pool.scale).to.deep.equal({
      kind: "fixed",
      dedicatedNodes: 2,
      lowPriorityNodes: 0,
      resizeTimeout: "PT15M",
      nodeDeallocationOption: undefined,
    });
  });

  it("serves what the pool's target runs in today: Simplified for Default, both for Classic", () => {
    expect(designEnvironment(spec(), AFTER_RETIREMENT).ruleModes).to.deep.equal([Simplified]);
    expect(
      designEnvironment(spec({ communicationMode: Default }), AFTER_RETIREMENT).ruleModes,
    ).to.deep.equal([Simplified]);
    expect(
      designEnvironment(spec({ communicationMode: Classic }), AFTER_RETIREMENT).ruleModes,
    ).to.deep.equal([Classic, Simplified]);
    expect(
      designEnvironment(
        spec({ location: "westindia", communicationMode: Default }),
        AFTER_RETIREMENT,
      ).ruleModes,
    ).to.deep.equal([Classic]);
    expect(designEnvironment({ location: "westus2" }, AFTER_RETIREMENT).ruleModes).to.deep.equal([
      Simplified,
    ]);
    const union = designEnvironment(spec({ ruleModes: [Classic, Simplified] }), AFTER_RETIREMENT);
    expect(appliedNetwork(union, union.ruleModes).rules).to.have.length(4);
  });

  it("uses each cloud's private DNS zone", () => {
    const pe = { privateEndpoints: { nodeManagement: true } };
    expect(designEnvironment(spec(pe), AFTER_RETIREMENT).privateEndpoints?.dnsZoneName).to.equal(
      "privatelink.batch.azure.com",
    );
    expect(
      designEnvironment(spec({ ...pe, location: "usgovvirginia" }), AFTER_RETIREMENT)
        .privateEndpoints?.dnsZoneName,
    ).to.equal("privatelink.batch.usgovcloudapi.net");
  });

  it("does not change its input", () => {
    const input = spec({ network: { extraRules: [] }, pool: { dedicatedNodes: 1 } });
    const copy = structuredClone(input);
    designEnvironment(input, AFTER_RETIREMENT);
    expect(input).to.deep.equal(copy);
  });
});

describe("validateEnvironment: the shape of the settings", () => {
  const problemsOf = (settings: unknown): string[] => {
    try {
      designEnvironment(settings as BatchEnvironmentSettings, AFTER_RETIREMENT);
      return [];
    } catch (error) {
      return (error as InvalidInputError).problems.map((p) => `${p.field}: ${p.message}`);
    }
  };

  it("names a misspelt setting with the nearest known one, with every other problem", () => {
    expect(problemsOf({ ...spec(), netwrok: {}, location: "bogus" })).to.include.members([
      "netwrok: is not a setting; did you mean network?",
    ]);
    expect(problemsOf({ ...spec(), location: "bogus", netwrok: {} }).length).to.be.above(1);
    expect(problemsOf(spec({ pool: { vmsize: "x" } as never }))).to.deep.equal([
      "pool.vmsize: is not a setting of pool; did you mean vmSize?",
    ]);
    expect(problemsOf({ ...spec(), stagee: "union" })).to.deep.equal([
      "stagee: is not a setting; did you mean stage?",
    ]);
  });

  it("refuses text where true or false belongs, and a group or list of the wrong kind", () => {
    expect(
      problemsOf(spec({ privateEndpoints: { nodeManagement: "yes" as never } })),
    ).to.deep.equal(['privateEndpoints.nodeManagement: must be true or false, not "yes".']);
    expect(problemsOf(spec({ network: false as never }))).to.deep.equal([
      "network: must be an object of network settings, not boolean.",
    ]);
    expect(problemsOf(spec({ network: { routes: null as never } }))).to.deep.equal([
      "network.routes: must be an object of routes settings, not null.",
    ]);
    expect(problemsOf(spec({ pool: { inboundNatPools: 0 as never } }))).to.deep.equal([
      "pool.inboundNatPools: must be a list, not 0.",
    ]);
    expect(problemsOf(null)).to.deep.equal([
      "settings: must be an object of environment settings, not null.",
    ]);
  });
});
