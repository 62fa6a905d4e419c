/**
 * Rules that open more than any Batch mode needs (inbound from the whole Internet), and UDP
 * denied where simplified mode may one day use it. Findings, with no change to apply: which
 * sources to keep is the user's to say.
 */
import { rulesInOrder } from "../evaluate";
import { adminRuleLabel, evaluateAdmin } from "../adminRules";
import { chainOutcome, evaluateChain, udpProbes } from "../judge";
import type { NetworkSecurityGroup } from "../network";
import { Advice, AdviceContext, nsgsOf } from "./context";

const WIDE_OPEN = new Set(["*", "internet", "0.0.0.0/0", "::/0"]);

function tooOpen(nsg: NetworkSecurityGroup): Advice[] {
  return rulesInOrder(nsg, "Inbound")
    .filter(
      (r) =>
        !r.isDefault &&
        r.access === "Allow" &&
        r.sourceAddresses.some((a) => WIDE_OPEN.has(a.toLowerCase())),
    )
    .map((r) => ({
      kind: "too-open" as const,
      nsg: nsg.name,
      rule: r.name,
      message: `${r.name} (${r.priority}) allows inbound ${r.protocol} ${r.destinationPorts.join(",")} from ${r.sourceAddresses.join(",")}: no Batch mode needs inbound traffic from the whole Internet; narrow the source.`,
    }));
}

function udpBlocked(ctx: AdviceContext): Advice[] {
  const advice: Advice[] = [];
  for (const { flow } of ctx.verdicts) {
    for (const probe of udpProbes(flow)) {
      // Only what stops UDP for certain: an admin rule's AlwaysAllow lets it past the NSGs, and
      // an admin Deny is named as such.
      if (chainOutcome(ctx.path, probe, ctx.around) !== "blocked") continue;
      const admin = evaluateAdmin(ctx.path.adminRules, probe, ctx.around);
      if (admin.rule && admin.effects.size === 1 && admin.effects.has("deny")) {
        advice.push({
          kind: "udp-blocked",
          nsg: "",
          rule: admin.rule.match.name,
          message: `UDP ${probe.port} to ${probe.peer} is denied by ${adminRuleLabel(ctx.path.adminRules!, admin.rule)}; simplified mode uses TCP today, and Microsoft notes it may use UDP later.`,
        });
        continue;
      }
      const udp = evaluateChain(ctx.path, probe, ctx.around);
      if (!udp.blocker) continue;
      advice.push({
        kind: "udp-blocked",
        nsg: udp.blocker.nsg.name,
        rule: udp.blocker.rule?.name ?? "",
        message: `UDP ${probe.port} to ${probe.peer} is denied by ${udp.decidedBy[0]}; simplified mode uses TCP today, and Microsoft notes it may use UDP later (the generated rule allows any protocol).`,
      });
    }
  }
  return advice;
}

export function exposureAdvice(ctx: AdviceContext): Advice[] {
  return [...udpBlocked(ctx), ...nsgsOf(ctx.path).flatMap(tooOpen)];
}
