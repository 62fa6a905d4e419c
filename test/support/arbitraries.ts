/** fast-check generators of valid model input, shared by the property tests. */
import fc from "fast-check";
import { REGIONS, RuleOptions, SecurityRuleSpec } from "../../src/model";
import { canonicalPrefix } from "../../src/model/addresses";

/** Regions Azure takes new Batch resources in and that offer both modes. */
export const regionName = fc.constantFrom(
  ...REGIONS.filter((r) => !r.retired && r.simplifiedAvailable).map((r) => r.name),
);

export const ipv4Cidr = fc
  .tuple(
    fc.integer({ min: 1, max: 223 }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: 8, max: 32 }),
  )
  .map(([a, b, len]) => `${a}.${b}.0.0/${len}`)
  .filter((cidr) => !["0.0.0.0/0"].includes(cidr));

/**
 * Remote access sources as a user gives them: IPv4 prefixes, each once in any spelling (Azure
 * refuses a rule naming a prefix twice, and the package refuses the list).
 */
const sourcePrefixes = fc.uniqueArray(ipv4Cidr, {
  minLength: 1,
  maxLength: 3,
  selector: (cidr) => canonicalPrefix(cidr),
});

const extraRule = (
  index: number,
  priority: number,
  direction: "Inbound" | "Outbound",
): fc.Arbitrary<SecurityRuleSpec> =>
  fc.record({
    name: fc.constant(`Extra${index}`),
    priority: fc.constant(priority),
    direction: fc.constant(direction),
    access: fc.constantFrom("Allow" as const, "Deny" as const),
    protocol: fc.constantFrom("Tcp" as const, "Udp" as const, "*" as const),
    sourceAddressPrefix: fc.constantFrom("*", "VirtualNetwork", "10.1.0.0/16"),
    sourcePortRange: fc.constant("*"),
    destinationAddressPrefix: fc.constantFrom("*", "AzureContainerRegistry", "10.2.0.0/16"),
    destinationPortRange: fc.constantFrom("443", "8000-8080", "*"),
  });

/** Valid rule options: any base that fits, optional remote access, lockdown and extras. */
export const ruleOptions: fc.Arbitrary<RuleOptions> = fc
  .record({
    priorityBase: fc.integer({ min: 100, max: 4076 }),
    classicJobManagerOutbound: fc.boolean(),
    ssh: fc.option(sourcePrefixes, { nil: undefined }),
    rdp: fc.option(sourcePrefixes, { nil: undefined }),
    lockdown: fc.option(
      fc.record({
        storageDestinations: fc.option(
          fc.uniqueArray(
            fc.oneof(fc.constantFrom("Storage", "Storage.eastus", "Storage.westeurope"), ipv4Cidr),
            {
              maxLength: 4,
            },
          ),
          { nil: undefined },
        ),
      }),
      { nil: undefined },
    ),
    extraSlots: fc.uniqueArray(
      fc.tuple(
        fc.integer({ min: 100, max: 4096 }),
        fc.constantFrom("Inbound" as const, "Outbound" as const),
      ),
      { maxLength: 5, selector: ([p, d]) => `${d}${p}` },
    ),
  })
  .chain((o) => {
    const slots = o.extraSlots.filter(([p]) => p < o.priorityBase || p > o.priorityBase + 20);
    return fc.tuple(
      fc.constant(o),
      slots.length
        ? fc.tuple(...slots.map(([p, d], i) => extraRule(i, p, d)))
        : fc.constant([] as SecurityRuleSpec[]),
    );
  })
  .map(([o, extras]): RuleOptions => ({
    priorityBase: o.priorityBase,
    classicJobManagerOutbound: o.classicJobManagerOutbound,
    remoteAccess: { sshSourcePrefixes: o.ssh, rdpSourcePrefixes: o.rdp },
    outboundLockdown: o.lockdown,
    extraRules: extras,
  }));
