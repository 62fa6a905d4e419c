import { expect } from "chai";
import { CommunicationMode, securityRules, SecurityRuleSpec } from "../../src/model";
import { fieldsOf, problemsOf } from "../support/errors";

const { Classic, Simplified, Default } = CommunicationMode;

/** The product page's rules, as (direction, protocol, ports, source, destination, access). */
function essentials(rules: readonly SecurityRuleSpec[]): string[] {
  return rules.map((r) =>
    [
      r.direction,
      r.access,
      r.protocol,
      r.sourceAddressPrefix,
      r.sourcePortRange,
      r.destinationAddressPrefix,
      r.destinationPortRange,
    ].join(" "),
  );
}

function classicRules(region: string): string[] {
  return [
    `Inbound Allow Tcp BatchNodeManagement.${region} * * 29876-29877`,
    `Outbound Allow Tcp * * Storage.${region} 443`,
    `Outbound Allow Tcp * * BatchNodeManagement.${region} 443`,
  ];
}

function simplifiedRules(region: string): string[] {
  return [`Outbound Allow * * * BatchNodeManagement.${region} 443`];
}

describe("securityRules: the product page's rules per mode and cloud", () => {
  const regions = [
    { input: "West US 2", name: "westus2" },
    { input: "USGov Virginia", name: "usgovvirginia" },
    { input: "chinaeast2", name: "chinaeast2" },
  ];
  for (const region of regions) {
    it(`classic in ${region.name}: inbound 29876-29877 from BNM, outbound 443 to Storage and BNM, nothing else`, () => {
      const set = securityRules(region.input, [Classic]);
      expect(set.region).to.equal(region.name);
      expect(essentials(set.rules)).to.deep.equal(classicRules(region.name));
    });

    it(`simplified in ${region.name}: only outbound 443 Any to BNM`, () => {
      const set = securityRules(region.input, [Simplified]);
      expect(essentials(set.rules)).to.deep.equal(simplifiedRules(region.name));
    });

    it(`union in ${region.name}: the classic rules plus the simplified rule; Default: simplified`, () => {
      const union = securityRules(region.input, [Classic, Simplified]);
      expect(essentials(union.rules).sort()).to.deep.equal(
        [...classicRules(region.name), ...simplifiedRules(region.name)].sort(),
      );
      expect(securityRules(region.input, [Default])).to.deep.equal(
        securityRules(region.input, [Simplified]),
      );
      expect(securityRules(region.input, [Simplified, Classic, Simplified])).to.deep.equal(union);
    });
  }

  it("gives every generated rule a stable name, a priority from the base and a short reason", () => {
    const set = securityRules("westus2", [Classic, Simplified], { priorityBase: 300 });
    expect(set.rules.map((r) => [r.name, r.priority, r.direction])).to.deep.equal([
      ["AllowBatchClassicNodeManagementInbound", 300, "Inbound"],
      ["AllowBatchClassicStorageOutbound", 300, "Outbound"],
      ["AllowBatchClassicJobManagerOutbound", 301, "Outbound"],
      ["AllowBatchSimplifiedNodeManagementOutbound", 302, "Outbound"],
    ]);
    for (const rule of set.rules) {
      expect(rule.description).to.be.a("string").and.not.be.empty;
      expect(rule.description!.length).to.be.at.most(140);
    }
  });

  it("leaves out the classic job-manager rule when asked, keeping the other priorities", () => {
    const set = securityRules("westus2", [Classic, Simplified], {
      classicJobManagerOutbound: false,
    });
    expect(set.rules.map((r) => `${r.name}@${r.priority}`)).to.deep.equal([
      "AllowBatchClassicNodeManagementInbound@1000",
      "AllowBatchClassicStorageOutbound@1000",
      "AllowBatchSimplifiedNodeManagementOutbound@1002",
    ]);
  });

  it("adds SSH and RDP only from the given prefixes", () => {
    const set = securityRules("westus2", [Simplified], {
      remoteAccess: {
        sshSourcePrefixes: ["203.0.113.0/24"],
        rdpSourcePrefixes: ["198.51.100.7", "192.0.2.0/28"],
      },
    });
    const ssh = set.rules.find((r) => r.name === "AllowBatchNodeSshInbound")!;
    expect(ssh).to.include({
      direction: "Inbound",
      protocol: "Tcp",
      destinationPortRange: "22",
      sourceAddressPrefix: "203.0.113.0/24",
      priority: 1010,
    });
    const rdp = set.rules.find((r) => r.name === "AllowBatchNodeRdpInbound")!;
    expect(rdp.sourceAddressPrefixes).to.deep.equal(["198.51.100.7", "192.0.2.0/28"]);
    expect(rdp).to.not.have.property("sourceAddressPrefix");
    expect(rdp.destinationPortRange).to.equal("3389");
  });
});

describe("securityRules: outbound lockdown", () => {
  it("denies Internet below the mode's allow rules and allows the region's Storage by default", () => {
    const set = securityRules("westus2", [Simplified], { outboundLockdown: {} });
    expect(
      set.rules.map((r) => [r.name, r.priority, r.access, r.destinationAddressPrefix]),
    ).to.deep.equal([
      ["AllowBatchSimplifiedNodeManagementOutbound", 1002, "Allow", "BatchNodeManagement.westus2"],
      ["AllowBatchTaskStorageOutbound-Storage.westus2", 1010, "Allow", "Storage.westus2"],
      ["DenyBatchInternetOutbound", 1020, "Deny", "Internet"],
    ]);
  });

  it("allow-lists given storage tags and prefixes, or none", () => {
    const set = securityRules("westus2", [Simplified], {
      outboundLockdown: { storageDestinations: ["Storage.eastus", "10.20.0.0/16", "52.1.2.3"] },
    });
    const names = set.rules.map((r) => r.name);
    expect(names).to.deep.equal([
      "AllowBatchSimplifiedNodeManagementOutbound",
      "AllowBatchTaskStorageOutbound-Storage.eastus",
      "AllowBatchTaskStoragePrefixesOutbound",
      "DenyBatchInternetOutbound",
    ]);
    expect(set.rules[2].destinationAddressPrefixes).to.deep.equal(["10.20.0.0/16", "52.1.2.3"]);
    const none = securityRules("westus2", [Simplified], {
      outboundLockdown: { storageDestinations: [] },
    });
    expect(none.rules.map((r) => r.name)).to.deep.equal([
      "AllowBatchSimplifiedNodeManagementOutbound",
      "DenyBatchInternetOutbound",
    ]);
  });

  it("keeps every classic flow above the deny", () => {
    const set = securityRules("westus2", [Classic], {
      outboundLockdown: { storageDestinations: [] },
    });
    const deny = set.rules.find((r) => r.access === "Deny")!;
    for (const rule of set.rules.filter(
      (r) => r.direction === "Outbound" && r.access === "Allow",
    )) {
      expect(rule.priority).to.be.below(deny.priority);
    }
  });

  it("warns when an extra outbound Allow sits below the deny", () => {
    const set = securityRules("westus2", [Simplified], {
      outboundLockdown: {},
      extraRules: [
        rule({
          name: "AllowAcr",
          priority: 2000,
          destinationAddressPrefix: "AzureContainerRegistry",
        }),
      ],
    });
    expect(set.warnings).to.have.length(1);
    expect(set.warnings[0]).to.contain("AllowAcr").and.contain("1020");
  });
});

function rule(overrides: Partial<SecurityRuleSpec>): SecurityRuleSpec {
  return {
    name: "Extra",
    priority: 500,
    direction: "Outbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "443",
    ...overrides,
  };
}

describe("securityRules: extra rules", () => {
  it("merges valid extra rules in priority order", () => {
    const set = securityRules("westus2", [Simplified], {
      extraRules: [
        rule({
          name: "AllowAcr",
          priority: 900,
          destinationAddressPrefix: "AzureContainerRegistry",
        }),
        rule({
          name: "DenyTelnet",
          priority: 200,
          direction: "Inbound",
          access: "Deny",
          destinationPortRanges: ["23", "2323"],
          destinationPortRange: undefined,
        }),
      ],
    });
    expect(set.rules.map((r) => r.name)).to.deep.equal([
      "DenyTelnet",
      "AllowAcr",
      "AllowBatchSimplifiedNodeManagementOutbound",
    ]);
    expect(set.rules[0]).to.not.have.property("destinationPortRange");
  });

  it("rejects a clash of name or of priority within a direction, naming both rules", () => {
    const problems = problemsOf(() =>
      securityRules("westus2", [Classic], {
        extraRules: [
          rule({ name: "allowbatchclassicstorageoutbound", priority: 700 }),
          rule({ name: "Mine", priority: 1001 }),
          rule({ name: "Mine2", priority: 700 }),
        ],
      }),
    );
    expect(fieldsOf(problems)).to.deep.equal([
      "extraRules[0].name",
      "extraRules[1].priority",
      "extraRules[2].priority",
    ]);
    expect(problems[0].message).to.contain('"AllowBatchClassicStorageOutbound"');
    expect(problems[1].message).to.contain(
      '"AllowBatchClassicJobManagerOutbound" (Outbound, priority 1001)',
    );
    expect(problems[2].message).to.contain('extraRules[0] "allowbatchclassicstorageoutbound"');
  });

  it("reserves the package's priority block in every mode, so a later stage cannot clash", () => {
    // 1002 is free in classic, but the union's simplified rule takes it.
    const problems = problemsOf(() =>
      securityRules("westus2", [Classic], { extraRules: [rule({ priority: 1002 })] }),
    );
    expect(fieldsOf(problems)).to.deep.equal(["extraRules[0].priority"]);
    expect(problems[0].message).to.contain("1000-1020");
    // The same priority in the other direction is fine.
    expect(() =>
      securityRules("westus2", [Classic], {
        extraRules: [rule({ priority: 999, direction: "Inbound" })],
      }),
    ).to.not.throw();
  });
});

describe("securityRules: bad input is rejected with the field and the allowed values", () => {
  it("reports every problem at once", () => {
    const problems = problemsOf(() =>
      securityRules("West Moon", [], {
        priorityBase: 4090,
        extraRules: [
          rule({
            name: "x".repeat(81),
            priority: 50,
            protocol: "Http" as never,
            destinationPortRange: "70000",
            sourcePortRange: "20-10",
            destinationAddressPrefix: undefined,
            destinationAddressPrefixes: ["Storage.westus2"],
            description: "d".repeat(141),
          }),
        ],
      }),
    );
    const byField = new Map(problems.map((p) => [p.field, p.message]));
    expect([...byField.keys()].sort()).to.deep.equal(
      [
        "region",
        "modes",
        "priorityBase",
        "extraRules[0].name",
        "extraRules[0].priority",
        "extraRules[0].protocol",
        "extraRules[0].sourcePortRange",
        "extraRules[0].destinationPortRange",
        "extraRules[0].destinationAddressPrefixes[0]",
        "extraRules[0].description",
      ].sort(),
    );
    expect(byField.get("priorityBase")).to.contain("100 to 4076");
    expect(byField.get("extraRules[0].name")).to.contain("at most 80");
    expect(byField.get("extraRules[0].priority")).to.contain("100 to 4096");
    expect(byField.get("extraRules[0].protocol")).to.contain(
      '"Tcp", "Udp", "Icmp", "Esp", "Ah", "*"',
    );
    expect(byField.get("extraRules[0].destinationPortRange")).to.contain("0 to 65535");
    expect(byField.get("extraRules[0].sourcePortRange")).to.contain("low-high");
    expect(byField.get("extraRules[0].destinationAddressPrefixes[0]")).to.contain(
      "single-value field extraRules[0].destinationAddressPrefix",
    );
    expect(byField.get("extraRules[0].description")).to.contain("140");
  });

  it("accepts the highest base whose block fits, and rejects one past it", () => {
    const set = securityRules("westus2", [Classic, Simplified], {
      priorityBase: 4076,
      outboundLockdown: {},
    });
    expect(Math.max(...set.rules.map((r) => r.priority))).to.equal(4096);
    expect(
      fieldsOf(
        problemsOf(() => securityRules("westus2", [Classic, Simplified], { priorityBase: 4077 })),
      ),
    ).to.deep.equal(["priorityBase"]);
    expect(
      fieldsOf(
        problemsOf(() => securityRules("westus2", [Classic, Simplified], { priorityBase: 99 })),
      ),
    ).to.deep.equal(["priorityBase"]);
    expect(
      fieldsOf(
        problemsOf(() => securityRules("westus2", [Classic, Simplified], { priorityBase: 150.5 })),
      ),
    ).to.deep.equal(["priorityBase"]);
  });

  it("rejects both single and plural forms, or neither", () => {
    const problems = problemsOf(() =>
      securityRules("westus2", [Classic], {
        extraRules: [
          rule({ destinationPortRanges: ["80"] }),
          rule({ name: "B", priority: 501, sourceAddressPrefix: undefined }),
        ],
      }),
    );
    expect(fieldsOf(problems)).to.deep.equal([
      "extraRules[0].destinationPortRanges",
      "extraRules[1].sourceAddressPrefix",
    ]);
    expect(problems[0].message).to.contain("not both");
    expect(problems[1].message).to.contain("is required");
  });

  it("rejects malformed names, directions, accesses and addresses", () => {
    const problems = problemsOf(() =>
      securityRules("westus2", [Classic], {
        extraRules: [
          rule({
            name: "-bad name",
            direction: "Sideways" as never,
            access: "Maybe" as never,
            sourceAddressPrefix: "10.0.0.0/33",
          }),
        ],
      }),
    );
    expect(fieldsOf(problems)).to.deep.equal([
      "extraRules[0].name",
      "extraRules[0].direction",
      "extraRules[0].access",
      "extraRules[0].sourceAddressPrefix",
    ]);
    expect(problems[1].message).to.contain('"Inbound", "Outbound"');
    expect(problems[2].message).to.contain('"Allow", "Deny"');
  });

  it("refuses remote access open to the internet and prefixes that are not addresses", () => {
    const problems = problemsOf(() =>
      securityRules("westus2", [Classic], {
        remoteAccess: { sshSourcePrefixes: ["*", "Internet"], rdpSourcePrefixes: ["corp-net"] },
      }),
    );
    expect(fieldsOf(problems)).to.deep.equal([
      "remoteAccess.sshSourcePrefixes[0]",
      "remoteAccess.sshSourcePrefixes[1]",
      "remoteAccess.rdpSourcePrefixes[0]",
    ]);
    expect(problems[0].message).to.contain("whole internet");
  });

  it("rejects lockdown destinations that are not storage", () => {
    const problems = problemsOf(() =>
      securityRules("westus2", [Simplified], {
        outboundLockdown: {
          storageDestinations: ["AzureCloud", "Storage.westus2", "storage.westus2"],
        },
      }),
    );
    expect(fieldsOf(problems)).to.deep.equal([
      "outboundLockdown.storageDestinations[0]",
      "outboundLockdown.storageDestinations",
    ]);
    expect(problems[1].message).to.contain("twice");
  });
});

describe("securityRules: the modes a region has", () => {
  it("refuses simplified where the region does not offer it, naming the region and what it runs", () => {
    const problems = problemsOf(() => securityRules("westindia", [Simplified]));
    expect(fieldsOf(problems)).to.deep.equal(["modes[0]"]);
    expect(problems[0].message).to.contain("westindia does not offer simplified");
    // Default there is what the region runs: Classic.
    expect(securityRules("westindia", [Default])).to.deep.equal(
      securityRules("westindia", [Classic]),
    );
  });

  it("refuses a retired region, naming live ones", () => {
    const problems = problemsOf(() => securityRules("usgoviowa", [Simplified]));
    expect(fieldsOf(problems)).to.deep.equal(["region"]);
    expect(problems[0].message).to.match(/usgoviowa .* is retired.*usgovvirginia/);
  });
});

describe("securityRules: untrusted input", () => {
  const extra = {
    name: "AllowHttps",
    priority: 300,
    direction: "Outbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "443",
  };

  it("refuses a __proto__ key from JSON, so a smuggled port range never passes as the port it names", () => {
    const smuggled = JSON.parse(
      JSON.stringify(extra).replace("}", ',"__proto__":{"destinationPortRanges":["0-65535"]}}'),
    ) as never;
    const problems = problemsOf(() =>
      securityRules("westus2", [Simplified], { extraRules: [smuggled] }),
    );
    expect(fieldsOf(problems)).to.deep.equal(["extraRules[0].__proto__"]);
  });

  it("refuses a misspelt field, naming the one meant, and copies only known fields", () => {
    const problems = problemsOf(() =>
      securityRules("westus2", [Simplified], {
        extraRules: [{ ...extra, destinationPortRangez: "1" } as never],
      }),
    );
    expect(problems[0]).to.deep.equal({
      field: "extraRules[0].destinationPortRangez",
      message: "is not a field of a security rule; did you mean destinationPortRange?",
    });
    const set = securityRules("westus2", [Simplified], { extraRules: [extra as never] });
    expect(Object.keys(set.rules.find((r) => r.name === "AllowHttps")!).sort()).to.deep.equal(
      Object.keys(extra).sort(),
    );
  });

  it("answers null where an object belongs with its typed error", () => {
    expect(
      fieldsOf(
        problemsOf(() => securityRules("westus2", [Simplified], { extraRules: [null as never] })),
      ),
    ).to.deep.equal(["extraRules[0]"]);
    expect(
      fieldsOf(problemsOf(() => securityRules("westus2", [Simplified], null as never))),
    ).to.deep.equal(["options"]);
  });
});
