import { expect } from "chai";
import type { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateFleet } from "../../bench/fleet";
import { fleetAudit } from "../../policy/fleetAudit";
import { leftoverRules } from "../../policy/leftoverRules";
import { subnetAllowsModeFlows } from "../../policy/subnetAllowsModeFlows";
import { CommunicationMode, securityRules } from "../../src/model";
import { scratchDir } from "../support/scratch";

class NotApplicable extends Error {}

function resource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  propertyDependencies: Record<string, PolicyResource[]> = {},
): PolicyResource {
  return {
    type,
    name,
    urn: `urn:pulumi:dev::proj::${type}::${name}`,
    props,
    opts: {} as PolicyResource["opts"],
    dependencies: Object.values(propertyDependencies).flat(),
    propertyDependencies,
    isType: () => false,
  } as unknown as PolicyResource;
}

/** A stack as BatchEnvironment (or a hand-written program) declares it. */
function stack(options: {
  target?: string;
  nsgRules?: unknown[];
  standalone?: Array<Record<string, unknown>>;
  routes?: unknown[];
  linkById?: boolean;
  poolType?: string;
}) {
  const nsg = resource("azure-native:network:NetworkSecurityGroup", "env-nsg", {
    name: "env-nsg123",
    location: "westus2",
    securityRules: options.nsgRules ?? [],
    ...(options.linkById
      ? {
          id: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/env-nsg123",
        }
      : {}),
  });
  const table = options.routes
    ? resource("azure-native:network:RouteTable", "env-routes", {
        name: "env-routes1",
        routes: options.routes,
      })
    : undefined;
  const subnet = options.linkById
    ? resource("azure-native:network:Subnet", "env-subnet", {
        id: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
        networkSecurityGroup: { id: nsg.props.id as string },
      })
    : resource(
        "azure-native:network:Subnet",
        "env-subnet",
        {},
        { networkSecurityGroup: [nsg], ...(table ? { routeTable: [table] } : {}) },
      );
  const pool = options.linkById
    ? resource("azure-native:batch:Pool", "env-pool", {
        targetNodeCommunicationMode: options.target,
        networkConfiguration: { subnetId: subnet.props.id as string },
      })
    : resource(
        options.poolType ?? "azure-native:batch:Pool",
        "env-pool",
        { ...(options.target ? { targetNodeCommunicationMode: options.target } : {}) },
        { networkConfiguration: [subnet] },
      );
  const standalone = (options.standalone ?? []).map((r, i) =>
    resource("azure-native:network:SecurityRule", `env-rule-${i}`, r, {
      networkSecurityGroupName: [nsg],
    }),
  );
  return [nsg, subnet, pool, ...standalone, ...(table ? [table] : [])];
}

function run(policy: StackValidationPolicy, resources: PolicyResource[]): string[] {
  const violations: string[] = [];
  const args: StackValidationArgs = {
    resources,
    stackTags: new Map(),
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
  try {
    void policy.validateStack(args, (message) => violations.push(message));
  } catch (error) {
    if (error instanceof NotApplicable) return [`not applicable: ${error.message}`];
    throw error;
  }
  return violations;
}

const generated = (...modes: CommunicationMode[]) =>
  securityRules("westus2", modes).rules.map((r) => ({ ...r }));
const denyInternet = {
  name: "DenyInternetOutbound",
  priority: 100,
  direction: "Outbound",
  access: "Deny",
  protocol: "*",
  sourceAddressPrefix: "*",
  sourcePortRange: "*",
  destinationAddressPrefix: "Internet",
  destinationPortRange: "*",
};

describe("policy batch-pool-subnet-allows-mode-flows (mandatory)", () => {
  it("passes a subnet whose rules fit the pool's target mode (the package's own rules)", () => {
    expect(
      run(
        subnetAllowsModeFlows,
        stack({ target: "Simplified", nsgRules: generated(CommunicationMode.Simplified) }),
      ),
    ).to.deep.equal([]);
    expect(
      run(
        subnetAllowsModeFlows,
        stack({
          target: "Classic",
          nsgRules: generated(CommunicationMode.Classic, CommunicationMode.Simplified),
        }),
      ),
    ).to.deep.equal([]);
  });

  it("holds a Classic target to Simplified's flows too: Azure may give it Simplified nodes", () => {
    const violations = run(
      subnetAllowsModeFlows,
      stack({
        target: "Classic",
        nsgRules: [...generated(CommunicationMode.Classic), denyInternet],
      }),
    );
    expect(violations.join("\n"))
      .to.contain("(target Classic, runs in Classic or Simplified)")
      .and.contain("denied by env-nsg123: DenyInternetOutbound (100)");
  });

  it("judges a pool declared at API 2025-06-01 (no mode property) as Simplified", () => {
    const at2025 = (nsgRules: unknown[]) =>
      run(
        subnetAllowsModeFlows,
        stack({ poolType: "azure-native:batch/v20250601:Pool", nsgRules }),
      );
    expect(at2025(generated(CommunicationMode.Simplified))).to.deep.equal([]);
    expect(at2025([denyInternet]).join("\n")).to.contain("(target Default, runs in Simplified)");
  });

  it("reports a simplified pool whose subnet denies outbound Internet above any Batch rule", () => {
    const violations = run(
      subnetAllowsModeFlows,
      stack({ target: "Simplified", nsgRules: [denyInternet] }),
    );
    expect(violations).to.have.length(1);
    expect(violations[0])
      .to.contain("Pool env-pool (target Simplified)")
      .and.contain("denied by env-nsg123: DenyInternetOutbound (100)");
  });

  it("reports a classic pool on simplified-only rules: the inbound management flow is blocked", () => {
    const violations = run(
      subnetAllowsModeFlows,
      stack({ target: "Classic", nsgRules: generated(CommunicationMode.Simplified) }),
    );
    expect(violations.join("\n")).to.contain(
      "Tcp 29876 from BatchNodeManagement.westus2 is denied by env-nsg123: DenyAllInBound (65500)",
    );
  });

  it("treats a pool without a target as Default, which runs Simplified on VNet pools", () => {
    expect(
      run(subnetAllowsModeFlows, stack({ nsgRules: generated(CommunicationMode.Simplified) })),
    ).to.deep.equal([]);
    expect(run(subnetAllowsModeFlows, stack({ nsgRules: [denyInternet] })).join("\n")).to.contain(
      "(target Default, runs in Simplified)",
    );
  });

  it("sees standalone SecurityRule resources on the NSG, and route tables", () => {
    const rules = generated(CommunicationMode.Simplified).map((r) => ({
      ...r,
      securityRuleName: r.name,
    }));
    expect(
      run(subnetAllowsModeFlows, stack({ target: "Simplified", nsgRules: [], standalone: rules })),
    ).to.deep.equal([]);
    const dropped = run(
      subnetAllowsModeFlows,
      stack({
        target: "Simplified",
        nsgRules: generated(CommunicationMode.Simplified),
        routes: [
          { name: "blackhole", addressPrefix: "BatchNodeManagement.westus2", nextHopType: "None" },
        ],
      }),
    );
    expect(dropped.join("\n")).to.contain(
      "route blackhole (BatchNodeManagement.westus2 -> None) drops traffic",
    );
  });

  it("follows resource IDs when there are no property dependencies (raw azure-native programs)", () => {
    expect(
      run(
        subnetAllowsModeFlows,
        stack({ target: "Simplified", nsgRules: [denyInternet], linkById: true }),
      ),
    ).to.have.length(1);
  });

  it("is not applicable to a stack without pools in a declared subnet", () => {
    const lonePool = resource("azure-native:batch:Pool", "p", {
      networkConfiguration: {
        subnetId:
          "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/elsewhere",
      },
    });
    expect(run(subnetAllowsModeFlows, [lonePool])).to.deep.equal([
      "not applicable: no Batch pool in a subnet this stack declares",
    ]);
  });
});

describe("policies and the subnet's way out", () => {
  /** A pool without public IPs in a private subnet, with or without a NAT gateway. */
  function privateStack(nat?: { addresses: number }) {
    const nsg = resource("azure-native:network:NetworkSecurityGroup", "env-nsg", {
      name: "env-nsg123",
      location: "westus2",
      securityRules: generated(CommunicationMode.Simplified),
    });
    const gateway = nat
      ? resource("azure-native:network:NatGateway", "env-nat", {
          name: "env-nat1",
          publicIpAddresses: Array.from({ length: nat.addresses }, (_, i) => ({ id: `ip${i}` })),
        })
      : undefined;
    const subnet = resource(
      "azure-native:network:Subnet",
      "env-subnet",
      { addressPrefix: "10.0.0.0/24", defaultOutboundAccess: false },
      { networkSecurityGroup: [nsg], ...(gateway ? { natGateway: [gateway] } : {}) },
    );
    const pool = resource(
      "azure-native:batch:Pool",
      "env-pool",
      {
        targetNodeCommunicationMode: "Simplified",
        networkConfiguration: {
          publicIPAddressConfiguration: { provision: "NoPublicIPAddresses" },
        },
      },
      { networkConfiguration: [subnet] },
    );
    return [nsg, subnet, pool, ...(gateway ? [gateway] : [])];
  }

  it("reports a pool without public IPs in a private subnet with no NAT gateway: its nodes have no way out", () => {
    const violations = run(subnetAllowsModeFlows, privateStack());
    expect(violations).to.have.length(1);
    expect(violations[0]).to.contain(
      "is private (defaultOutboundAccess false) and has no NAT gateway",
    );
  });

  it("passes the same pool with a NAT gateway that has an address, not one without", () => {
    expect(run(subnetAllowsModeFlows, privateStack({ addresses: 1 }))).to.deep.equal([]);
    expect(run(subnetAllowsModeFlows, privateStack({ addresses: 0 })).join()).to.contain(
      "has no public IP address or prefix",
    );
  });

  it("the advisory offers the NAT gateway, never an Internet route that would carry nothing", () => {
    const advice = run(leftoverRules, privateStack()).join("\n");
    expect(advice)
      .to.contain("Ways that work")
      .and.not.contain("-> Internet, which is more specific");
  });
});

describe("policy batch-pool-subnet-leftover-rules (advisory)", () => {
  it("names classic rules left on a simplified pool's subnet", () => {
    const advice = run(
      leftoverRules,
      stack({
        target: "Simplified",
        nsgRules: generated(CommunicationMode.Classic, CommunicationMode.Simplified),
      }),
    );
    expect(advice).to.have.length(2);
    expect(advice[0])
      .to.contain("AllowBatchClassicNodeManagementInbound")
      .and.contain("only classic mode needs it");
    expect(advice[1]).to.contain("AllowBatchClassicStorageOutbound");
  });

  it("says nothing about a subnet that carries exactly its mode's rules", () => {
    expect(
      run(
        leftoverRules,
        stack({ target: "Simplified", nsgRules: generated(CommunicationMode.Simplified) }),
      ),
    ).to.deep.equal([]);
  });

  it("flags flows it cannot judge offline and rules that cannot be read", () => {
    const undecided = run(
      leftoverRules,
      stack({
        target: "Simplified",
        nsgRules: [{ ...denyInternet, destinationAddressPrefix: "20.0.0.0/8" }],
      }),
    );
    expect(undecided.join("\n")).to.contain("cannot tell offline").and.contain("20.0.0.0/8");
    const broken = run(
      leftoverRules,
      stack({ target: "Simplified", nsgRules: [{ ...denyInternet, priority: 7 }] }),
    );
    expect(broken[0]).to.contain("cannot be read").and.contain("priority");
  });
});

describe("policies and a nodeManagement private endpoint", () => {
  /** A pool without public IPs that reaches Batch through a private endpoint, Internet denied. */
  function privateStack(
    withEndpoint: boolean,
    rules: unknown[] = [{ ...denyInternet, priority: 200 }],
  ) {
    const nsg = resource("azure-native:network:NetworkSecurityGroup", "pe-nsg", {
      name: "pe-nsg",
      location: "westus2",
      securityRules: rules,
    });
    const subnet = resource(
      "azure-native:network:Subnet",
      "pe-subnet",
      { addressPrefix: "10.0.0.0/24" },
      { networkSecurityGroup: [nsg] },
    );
    const account = resource("azure-native:batch:BatchAccount", "pe-account", {
      location: "westus2",
    });
    const pool = resource(
      "azure-native:batch:Pool",
      "pe-pool",
      { targetNodeCommunicationMode: "Simplified" },
      { networkConfiguration: [subnet], accountName: [account] },
    );
    const endpoint = resource(
      "azure-native:network:PrivateEndpoint",
      "pe-node",
      { privateLinkServiceConnections: [{ groupIds: ["nodeManagement"] }] },
      { privateLinkServiceConnections: [account], subnet: [subnet] },
    );
    return [nsg, subnet, account, pool, ...(withEndpoint ? [endpoint] : [])];
  }

  it("judges the simplified flow to the endpoint's subnet: an Internet deny does not block it", () => {
    expect(run(subnetAllowsModeFlows, privateStack(true))).to.deep.equal([]);
    const without = run(subnetAllowsModeFlows, privateStack(false));
    expect(without).to.have.length(1);
    expect(without[0]).to.contain("DenyInternetOutbound");
  });

  it("the package's own rules with the lockdown pass through the endpoint too", () => {
    const rules = securityRules("westus2", [CommunicationMode.Simplified], {
      outboundLockdown: {},
    }).rules.map((r) => ({ ...r }));
    expect(run(subnetAllowsModeFlows, privateStack(true, rules))).to.deep.equal([]);
  });

  it("without the endpoint, the advisory names the private endpoint path and the rule to add", () => {
    const advice = run(leftoverRules, privateStack(false));
    expect(advice.some((a) => a.includes("nodeManagement private endpoint"))).to.equal(true);
    expect(
      advice.some((a) =>
        a.includes("add AllowBatchSimplifiedNodeManagementOutbound at priority 199"),
      ),
    ).to.equal(true);
  });
});

describe("policy batch-fleet-audit (advisory)", () => {
  const dir = scratchDir("policy");
  function runWith(exportsConfig: unknown): string[] {
    const violations: string[] = [];
    const args: StackValidationArgs = {
      resources: [],
      stackTags: new Map(),
      getConfig: <T extends object>() => ({ exports: exportsConfig }) as T,
      notApplicable: (reason?: string): never => {
        throw new NotApplicable(reason);
      },
    };
    try {
      void fleetAudit.validateStack(args, (message) => violations.push(message));
    } catch (error) {
      if (error instanceof NotApplicable) return [`not applicable: ${error.message}`];
      throw error;
    }
    return violations;
  }

  it("reports the pools at risk or broken in the exports it is pointed at, and the merged changes", () => {
    const fleet = generateFleet({ pools: 40, subnets: 12, nsgs: 8, rulesPerNsg: 10, seed: 5 });
    for (const d of fleet.documents) writeFileSync(join(dir, d.source), JSON.stringify(d.json));
    const violations = runWith([dir]);
    const flagged = [...fleet.expected.values()].filter((s) => s === "at-risk" || s === "broken");
    expect(violations.filter((v) => v.startsWith("Pool "))).to.have.length(flagged.length);
    expect(
      violations.some((v) => v.startsWith("NSG ") && v.includes("Run: az network nsg rule")),
    ).to.equal(true);
  });

  it("is not applicable without exports, and says why exports cannot be audited", () => {
    expect(runWith([])[0]).to.match(/^not applicable: no exports named/);
    expect(runWith([join(dir, "no-such-exports")])[0]).to.match(
      /^The exports cannot be audited: audit .*no-such-exports: cannot be read/,
    );
  });

  it("reads its config by its schema: a string for the list, or a list holding a number, is named", () => {
    expect(runWith("exports-folder")).to.deep.equal([
      'The policy config cannot be read: policy config $.exports: "exports-folder" must be a list of files or folders.',
    ]);
    expect(runWith(["a", 7])).to.deep.equal([
      "The policy config cannot be read: policy config $.exports[1]: 7 is not a file or folder name.",
    ]);
  });
});
