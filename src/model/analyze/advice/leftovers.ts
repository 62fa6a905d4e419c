/**
 * Rules kept for a mode the pools no longer use: inbound 29876-29877 from BatchNodeManagement
 * and outbound 443 to Storage, once every pool runs simplified. Only a rule that names the
 * flow's own service tag is a leftover (a broad rule to `*` that happens to let the flow
 * through serves other traffic too), and the advice is the smallest change: the flow's ports
 * dropped from the rule, a range split around them, or the rule removed when nothing is left.
 */
import { addressKind } from "../../addresses";
import type { Flow } from "../../flows";
import { parsePortRange, PortInterval } from "../../ports";
import type { NetworkChange } from "../changes";
import { splitTag, TagParts } from "../coverage";
import { ruleMatches, rulesInOrder } from "../evaluate";
import { tcpProbes } from "../judge";
import type { NetworkSecurityGroup, NsgRule } from "../network";
import { Advice, AdviceContext, nsgsOf } from "./context";

/** Whether the rule's far-end field names nothing but the flow's service tag (or its global tag). */
function namesOnlyTheTag(rule: NsgRule, flow: Flow, tag: TagParts): boolean {
  const peers = flow.direction === "Inbound" ? rule.sourceAddresses : rule.destinationAddresses;
  return (
    peers.length > 0 &&
    peers.every((p) => {
      if (addressKind(p) !== "serviceTag") return false;
      const named = splitTag(p);
      return named.base === tag.base && (named.region === undefined || named.region === tag.region);
    })
  );
}

function formatPorts(from: number, to: number): string {
  return from === to ? String(from) : `${from}-${to}`;
}

/** The rule's destination ports without `drop`: entries removed, and entries added in their place. */
export function portsWithout(
  entries: readonly string[],
  drop: PortInterval,
): { remove: string[]; add: string[]; result: string[] } {
  const remove: string[] = [];
  const add: string[] = [];
  const result: string[] = [];
  for (const entry of entries) {
    const range = parsePortRange(entry)!;
    if (range.to < drop.from || range.from > drop.to) {
      result.push(entry);
      continue;
    }
    remove.push(entry);
    const pieces = [
      ...(range.from < drop.from ? [formatPorts(range.from, drop.from - 1)] : []),
      ...(range.to > drop.to ? [formatPorts(drop.to + 1, range.to)] : []),
    ];
    add.push(...pieces);
    result.push(...pieces);
  }
  return { remove, add, result };
}

function trim(nsg: NetworkSecurityGroup, rule: NsgRule, flow: Flow): NetworkChange {
  const { remove, add, result } = portsWithout(rule.destinationPorts, parsePortRange(flow.ports)!);
  if (result.length === 0) return { action: "remove-rule", nsg: nsg.name, rule: rule.name };
  return {
    action: "edit-rule",
    nsg: nsg.name,
    rule: rule.name,
    field: "destinationPortRanges",
    remove,
    add,
    result,
  };
}

function describe(change: NetworkChange): string {
  if (change.action !== "edit-rule") return "remove the rule";
  if (change.add.length > 0)
    return `narrow its destination ports ${change.remove.join(", ")} to ${change.result.join(", ")}`;
  return `drop ${change.remove.join(", ")} from its destination ports, keeping ${change.result.join(", ")}`;
}

function message(rule: NsgRule, flow: Flow, change: NetworkChange): string {
  const what = `${rule.name} (${rule.priority}) allows ${flow.direction.toLowerCase()} TCP ${flow.ports} ${flow.direction === "Inbound" ? "from" : "to"} ${flow.peer[0]}`;
  if (flow.id === "classic-node-management-inbound")
    return `${what}: only classic mode needs it, and no pool checked here runs classic; ${describe(change)}.`;
  return `${what}: simplified mode does not need it for Batch; keep it only for storage your tasks use (application packages, resource files), otherwise ${describe(change)}.`;
}

/** Advice on rules that serve only leftover flows, before the safety check. */
export function leftoverAdvice(ctx: AdviceContext): Advice[] {
  const advice: Advice[] = [];
  for (const flow of ctx.leftovers) {
    const probes = tcpProbes(flow);
    const tag = splitTag(flow.peer[0]);
    for (const nsg of nsgsOf(ctx.path)) {
      for (const rule of rulesInOrder(nsg, flow.direction)) {
        if (rule.isDefault || rule.access !== "Allow" || !namesOnlyTheTag(rule, flow, tag))
          continue;
        if (probes.every((p) => ruleMatches(rule, p, ctx.around).kind === "none")) continue;
        const change = trim(nsg, rule, flow);
        advice.push({
          kind: "not-needed",
          nsg: nsg.name,
          rule: rule.name,
          flow: flow.id,
          message: message(rule, flow, change),
          change,
        });
      }
    }
  }
  return advice;
}
