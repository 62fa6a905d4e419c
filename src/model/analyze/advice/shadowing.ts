/**
 * Rules that never decide anything: a rule every packet of which a rule above it already
 * decides (shadowed), and a rule that names on the nodes' side an address no NIC in a VNet ever
 * has (a service tag such as BatchNodeManagement as the destination of an inbound rule: source
 * and destination swapped). Only rules the Batch flows touch are checked for shadowing, so the
 * work stays linear in the size of the NSG.
 */
import { addressKind, prefixContains } from "../../addresses";
import { parsePortRange, portsCover } from "../../ports";
import { specOf } from "../changes";
import { coversServiceTag, splitTag } from "../coverage";
import { firstCertainMatch, Probe, ruleMatches } from "../evaluate";
import { allProbes } from "../judge";
import type { NsgRule } from "../network";
import { Advice, AdviceContext, nsgsOf } from "./context";

const NOT_PUBLIC_TAGS = new Set(["virtualnetwork", "azureloadbalancer"]);

/** Whether address prefix `outer` holds every address `inner` may stand for. */
function prefixCovers(outer: string, inner: string): boolean {
  if (outer === "*") return true;
  if (inner === "*") return false;
  if (outer.toLowerCase() === inner.toLowerCase()) return true;
  const innerKind = addressKind(inner);
  const outerKind = addressKind(outer);
  if (innerKind === "serviceTag") {
    if (NOT_PUBLIC_TAGS.has(splitTag(inner).base)) return false;
    return coversServiceTag(outer, inner, { defaultRouteOverridden: false }).kind === "all";
  }
  if ((innerKind === "cidr" || innerKind === "ip") && (outerKind === "cidr" || outerKind === "ip"))
    return prefixContains(outer, inner);
  return false;
}

function addressesCover(
  outer: readonly string[],
  outerAsgs: boolean,
  inner: readonly string[],
  innerAsgs: boolean,
): boolean {
  if (outerAsgs) return false;
  if (innerAsgs && !outer.includes("*")) return false;
  return inner.every((i) => outer.some((o) => prefixCovers(o, i)));
}

function portsCoverAll(outer: readonly string[], inner: readonly string[]): boolean {
  const outerRanges = outer.map((p) => parsePortRange(p)!);
  return inner.every((p) => {
    const range = parsePortRange(p)!;
    return outerRanges.some((o) => portsCover(o, range));
  });
}

/** Whether `above` matches every packet `rule` matches. */
export function ruleCovers(above: NsgRule, rule: NsgRule): boolean {
  return (
    above.direction === rule.direction &&
    (above.protocol === "*" || above.protocol === rule.protocol) &&
    portsCoverAll(above.destinationPorts, rule.destinationPorts) &&
    portsCoverAll(above.sourcePorts, rule.sourcePorts) &&
    addressesCover(
      above.sourceAddresses,
      above.sourceAsgs,
      rule.sourceAddresses,
      rule.sourceAsgs,
    ) &&
    addressesCover(
      above.destinationAddresses,
      above.destinationAsgs,
      rule.destinationAddresses,
      rule.destinationAsgs,
    )
  );
}

/**
 * The rule above `rule` that decides every packet of it, among the rules that decide the Batch
 * packet shapes it matches: a rule reached by any of those shapes is not shadowed, and only a
 * rule that certainly matches a shape before it can be what shadows it. Comparing with those
 * few rules, not every rule above, keeps this linear in the size of the NSG.
 */
function shadowingRule(
  ctx: AdviceContext,
  rule: NsgRule,
  probes: readonly Probe[],
  deciders: readonly (NsgRule | undefined)[],
): NsgRule | undefined {
  // The analyzer's hot path on large NSGs: one pass over the probes, allocating only for the
  // rare rule every matching probe's decider comes before.
  let found: NsgRule[] | undefined;
  // Only a rule below some probe's decider can be shadowed; most rules are above them all.
  if (!deciders.some((d) => d !== undefined && d.priority < rule.priority)) return undefined;
  for (let i = 0; i < probes.length; i++) {
    if (ruleMatches(rule, probes[i], ctx.around).kind === "none") continue;
    const decider = deciders[i];
    if (!decider || decider.priority >= rule.priority) return undefined;
    (found ??= []).push(decider);
  }
  if (!found) return undefined;
  return found.sort((a, b) => a.priority - b.priority).find((above) => ruleCovers(above, rule));
}

/** Shadowed rules among those the Batch flows touch. */
export function shadowAdvice(ctx: AdviceContext): Advice[] {
  const probes = [...ctx.verdicts.map((v) => v.flow), ...ctx.leftovers].flatMap(allProbes);
  const advice: Advice[] = [];
  for (const nsg of nsgsOf(ctx.path)) {
    const deciders = probes.map((p) => firstCertainMatch(nsg, p, ctx.around));
    for (const rule of nsg.rules) {
      if (rule.isDefault) continue;
      const above = shadowingRule(ctx, rule, probes, deciders);
      if (!above) continue;
      const by = `${above.name} (${above.priority})`;
      const same = above.access === rule.access;
      advice.push({
        kind: "shadowed",
        nsg: nsg.name,
        rule: rule.name,
        message: same
          ? `${rule.name} (${rule.priority}) is never reached: ${by} above it matches every packet it matches and also ${above.access === "Allow" ? "allows" : "denies"} them; removing it changes nothing.`
          : `${rule.name} (${rule.priority}) never takes effect: ${by} above it matches every packet it matches and ${above.access === "Allow" ? "allows" : "denies"} them. If it is meant to ${rule.access === "Allow" ? "allow" : "deny"} them, give it a priority below ${above.priority} (a lower number).`,
        ...(same
          ? { change: { action: "remove-rule" as const, nsg: nsg.name, rule: rule.name } }
          : {}),
      });
    }
  }
  return advice;
}

/** Whether every address of a rule's nodes'-side field is one no NIC in a VNet has. */
function neverLocal(addresses: readonly string[], asgs: boolean): boolean {
  return (
    !asgs &&
    addresses.length > 0 &&
    addresses.every((a) => addressKind(a) === "serviceTag" && splitTag(a).base !== "virtualnetwork")
  );
}

function swapped(rule: NsgRule): NsgRule {
  return {
    ...rule,
    sourceAddresses: rule.destinationAddresses,
    destinationAddresses: rule.sourceAddresses,
    sourceAsgs: rule.destinationAsgs,
    destinationAsgs: rule.sourceAsgs,
  };
}

/** Rules that can never match the nodes' traffic, with the swap that would serve a needed flow. */
export function neverMatchingAdvice(ctx: AdviceContext): Advice[] {
  const probes = ctx.verdicts.flatMap((v) => allProbes(v.flow));
  const advice: Advice[] = [];
  for (const nsg of nsgsOf(ctx.path)) {
    for (const rule of nsg.rules) {
      if (rule.isDefault) continue;
      const inbound = rule.direction === "Inbound";
      const local = inbound ? rule.destinationAddresses : rule.sourceAddresses;
      if (!neverLocal(local, inbound ? rule.destinationAsgs : rule.sourceAsgs)) continue;
      const side = inbound ? "destination" : "source";
      const fix = swapped(rule);
      const useful =
        rule.access === "Allow" &&
        !fix.sourceAsgs &&
        !fix.destinationAsgs &&
        probes.some((p) => ruleMatches(fix, p, ctx.around).kind !== "none");
      advice.push({
        kind: "never-matches",
        nsg: nsg.name,
        rule: rule.name,
        message: `${rule.name} (${rule.priority}) is ${inbound ? "an inbound" : "an outbound"} rule whose ${side} is ${local.join(", ")}: ${inbound ? "inbound traffic's destination" : "outbound traffic's source"} is always an address in the VNet, so it never matches.${useful ? " Source and destination look swapped: swapped, it would serve a flow the pools need." : ""}`,
        ...(useful
          ? {
              change: {
                action: "replace-rule" as const,
                nsg: nsg.name,
                rule: rule.name,
                with: specOf(fix),
              },
            }
          : {}),
      });
    }
  }
  return advice;
}
