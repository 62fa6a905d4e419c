/**
 * Remote access to the nodes through inbound NAT pools. Since API 2024-07-01, and for every pool
 * created after 30 November 2025, Batch no longer maps SSH or RDP to the nodes on its own: a
 * pool needs an inbound NAT pool in `networkConfiguration.endpointConfiguration`
 * (learn.microsoft.com/azure/batch/pool-endpoint-configuration). NSG rules for 22 or 3389 alone
 * give no access.
 *
 * So SSH and RDP source prefixes become a NAT pool each (a public port range mapped to 22 or
 * 3389 on every node, with Batch's own NSG rules admitting only those sources), and the subnet
 * NSG opens every NAT pool's backend port to the sources that NAT pool admits.
 */
import { isObject } from "./json";
import { addressKind, prefixContains } from "./addresses";
import type { Protocol } from "./enums";
import type { RemoteAccessOptions } from "./flows";
import type { SecurityRuleSpec } from "./securityRule";

/** One of a NAT pool's own NSG rules, as Batch's `NetworkSecurityGroupRule` takes it. */
export interface NatPoolRule {
  readonly priority: number;
  readonly access: "Allow" | "Deny";
  readonly sourceAddressPrefix: string;
  readonly sourcePortRanges?: readonly string[];
}

/** An inbound NAT pool, as Batch's `InboundNatPool` takes it. */
export interface NatPool {
  readonly name: string;
  readonly protocol: "TCP" | "UDP";
  readonly backendPort: number;
  readonly frontendPortRangeStart: number;
  readonly frontendPortRangeEnd: number;
  readonly networkSecurityGroupRules?: readonly NatPoolRule[];
}

/** What the subnet must let through for one of the pool's own inbound NAT pools. */
export interface NatPoolAccess {
  readonly protocol: "Tcp" | "Udp";
  readonly backendPort: number;
  /** What the NAT pool admits: IP addresses and CIDR prefixes, or one service tag or `*`. */
  readonly sources: readonly string[];
}

/** The NAT pools the package makes for SSH and RDP, one each, on fixed public port ranges. */
export const REMOTE_NAT_POOLS = {
  ssh: { name: "ssh", backendPort: 22, frontend: { from: 40000, to: 40499 }, firstPriority: 150 },
  rdp: { name: "rdp", backendPort: 3389, frontend: { from: 40500, to: 40999 }, firstPriority: 175 },
} as const;

/** Priority of the rule that denies every other source on a remote-access NAT pool. */
const REMOTE_DENY_PRIORITY = { ssh: 4000, rdp: 4001 } as const;

/**
 * The NAT pools SSH and RDP source prefixes give a pool: one Allow rule per prefix, then a Deny
 * of every other source (Microsoft's examples end NAT pool rules so, and a NAT pool without
 * rules admits everyone).
 */
export function remoteAccessNatPools(remote: RemoteAccessOptions | undefined): NatPool[] {
  const pools: NatPool[] = [];
  for (const kind of ["ssh", "rdp"] as const) {
    const sources = kind === "ssh" ? remote?.sshSourcePrefixes : remote?.rdpSourcePrefixes;
    if (!Array.isArray(sources) || sources.length === 0) continue;
    const layout = REMOTE_NAT_POOLS[kind];
    pools.push({
      name: layout.name,
      protocol: "TCP",
      backendPort: layout.backendPort,
      frontendPortRangeStart: layout.frontend.from,
      frontendPortRangeEnd: layout.frontend.to,
      networkSecurityGroupRules: [
        ...sources.map((source, i) => ({
          priority: layout.firstPriority + i,
          access: "Allow" as const,
          sourceAddressPrefix: source,
        })),
        { priority: REMOTE_DENY_PRIORITY[kind], access: "Deny" as const, sourceAddressPrefix: "*" },
      ],
    });
  }
  return pools;
}

/**
 * The sources a NAT pool's rules admit. Rules are evaluated by priority, lowest number first, as
 * an NSG's are: an Allow whose source an earlier Deny already covers admits no one (an Allow at
 * 4000 under a Deny of `*` at 200 admits nothing), and the subnet is not opened to it.
 */
function admittedSources(rules: readonly NatPoolRule[]): string[] {
  const byPriority = [...rules].sort((a, b) => a.priority - b.priority);
  const denied: string[] = [];
  const admitted: string[] = [];
  for (const rule of byPriority) {
    const source = rule.sourceAddressPrefix;
    if (rule.access === "Deny") denied.push(source);
    else if (!denied.some((d) => covers(d, source)) && !admitted.includes(source))
      admitted.push(source);
  }
  return admitted;
}

/** Whether a Deny of `deny` stops every address of `source`. */
function covers(deny: string, source: string): boolean {
  if (deny === "*" || deny.toLowerCase() === source.toLowerCase()) return true;
  const kinds = [addressKind(deny), addressKind(source)];
  if (!kinds.every((k) => k === "ip" || k === "cidr")) return false;
  return deny.includes(":") === source.includes(":") && prefixContains(deny, source);
}

/** What each of a pool's own NAT pools asks of the subnet: its port, from the sources it admits. */
export function natPoolAccessOf(pools: readonly NatPool[] | undefined): NatPoolAccess[] {
  return (Array.isArray(pools) ? pools : [])
    .filter((pool): pool is NatPool => isObject(pool))
    .map((pool) => ({
      protocol: pool.protocol === "UDP" ? "Udp" : "Tcp",
      backendPort: pool.backendPort,
      // Validation reports malformed rules; this reads only well-formed ones, so that it can
      // run on unchecked input too.
      sources: admittedSources(
        (Array.isArray(pool.networkSecurityGroupRules)
          ? (pool.networkSecurityGroupRules as ReadonlyArray<NatPoolRule | null>)
          : []
        ).filter(
          (r): r is NatPoolRule =>
            typeof r === "object" &&
            r !== null &&
            (r.access === "Allow" || r.access === "Deny") &&
            typeof r.priority === "number" &&
            typeof r.sourceAddressPrefix === "string",
        ),
      ),
    }));
}

/** Why a NAT pool's sources cannot become one subnet rule, if they cannot. */
export function natPoolSourcesProblem(sources: readonly string[]): string | undefined {
  if (sources.length === 0) {
    return "admits no source: give networkSecurityGroupRules with an Allow rule per source you want to reach the nodes (without rules Batch admits everyone, and the package does not open the subnet to everyone).";
  }
  const prefixes = sources.filter((s) => ["ip", "cidr"].includes(addressKind(s)));
  if (prefixes.length !== sources.length && sources.length > 1) {
    return `admits ${sources.join(", ")}: a subnet rule takes several IP addresses or CIDR prefixes, or one service tag or *; allow IP addresses and prefixes, or one tag.`;
  }
  return undefined;
}

/** Name and inbound offset of the subnet rule for the pool's `index`-th own NAT pool. */
export function natPoolRuleLayout(index: number): { name: string; offset: number } {
  return { name: `AllowBatchInboundNatPool${index}`, offset: 12 + index };
}

/** Most NAT pools a pool takes (Batch's limit). */
export const MAX_NAT_POOL_RULES = 5;

/** The subnet rules that open each of the pool's own NAT pools' backend ports. */
export function natPoolRules(
  access: readonly NatPoolAccess[] | undefined,
  base: number,
): SecurityRuleSpec[] {
  return (access ?? []).map((nat, i) => {
    const { name, offset } = natPoolRuleLayout(i);
    const single = nat.sources.length === 1;
    return {
      name,
      priority: base + offset,
      direction: "Inbound",
      access: "Allow",
      protocol: nat.protocol as Protocol,
      ...(single
        ? { sourceAddressPrefix: nat.sources[0] }
        : { sourceAddressPrefixes: [...nat.sources] }),
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRange: String(nat.backendPort),
      description: `The pool's inbound NAT pool: its backend port from the sources the NAT pool admits.`,
    };
  });
}
