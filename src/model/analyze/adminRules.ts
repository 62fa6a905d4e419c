/**
 * How Azure Virtual Network Manager's security admin rules judge a packet shape, before any NSG
 * sees it (learn.microsoft.com, "Security admin rules in Azure Virtual Network Manager"): the
 * rules of the packet's direction by ascending priority, the first that matches decides:
 * `Deny` stops the traffic, `AlwaysAllow` lets it through and the NSGs are skipped, `Allow`
 * passes it on to the NSGs. No match passes it on too. A rule that may or may not match (a
 * CIDR against a service tag, a network group) adds its effect to what may happen.
 */
import type { Surroundings } from "./coverage";
import { ruleMatches, type Probe } from "./evaluate";
import type { AdminRule, AdminRuleSet } from "./network";

/** What the admin rules may do with a packet: stop it, let it through, or leave it to the NSGs. */
export type AdminEffect = "deny" | "always-allow" | "pass";

export interface AdminVerdict {
  /** Every effect the rules may have on the packet; one when the rules decide for certain. */
  readonly effects: ReadonlySet<AdminEffect>;
  /** The rule that decided, or the first whose match could not be told. */
  readonly rule?: AdminRule;
  /** Why the match could not be told, when it could not. */
  readonly reason?: string;
}

const PASS: AdminVerdict = { effects: new Set<AdminEffect>(["pass"]) };

function effectOf(rule: AdminRule): AdminEffect {
  return rule.action === "Deny" ? "deny" : rule.action === "AlwaysAllow" ? "always-allow" : "pass";
}

/** Each set's rules of a direction by priority, sorted once. */
const SORTED = new WeakMap<AdminRuleSet, Record<"Inbound" | "Outbound", AdminRule[]>>();

function inOrder(set: AdminRuleSet, direction: "Inbound" | "Outbound"): readonly AdminRule[] {
  let sorted = SORTED.get(set);
  if (!sorted) {
    const by = (d: string) =>
      set.rules
        .filter((r) => r.match.direction === d)
        .sort((a, b) => a.match.priority - b.match.priority);
    sorted = { Inbound: by("Inbound"), Outbound: by("Outbound") };
    SORTED.set(set, sorted);
  }
  return sorted[direction];
}

/** What the admin rules of `set` do with `probe`. */
export function evaluateAdmin(
  set: AdminRuleSet | undefined,
  probe: Probe,
  around: Surroundings,
): AdminVerdict {
  if (!set) return PASS;
  const possible = new Set<AdminEffect>();
  let uncertain: { rule: AdminRule; reason: string } | undefined;
  for (const rule of inOrder(set, probe.direction)) {
    const match = ruleMatches(rule.match, probe, around);
    if (match.kind === "none") continue;
    possible.add(effectOf(rule));
    if (match.kind === "maybe") {
      uncertain ??= { rule, reason: match.reason };
      continue;
    }
    return possible.size === 1
      ? { effects: possible, rule }
      : { effects: possible, rule: uncertain!.rule, reason: uncertain!.reason };
  }
  possible.add("pass");
  return uncertain ? { effects: possible, ...uncertain } : PASS;
}

/** A rule as reports name it: where it comes from, its name and priority. */
export function adminRuleLabel(set: AdminRuleSet, rule: AdminRule): string {
  const origin = [rule.networkManager, rule.configuration].filter(Boolean).join("/");
  return `admin rule ${origin ? `${origin}: ` : ""}${rule.match.name} (${rule.action}, ${rule.match.priority}) on ${set.name}`;
}
