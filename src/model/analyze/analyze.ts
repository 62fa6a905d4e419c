/**
 * What an existing network does with the flows a mode needs: for each flow, allowed (by which
 * rules and route), blocked (by which), or undecided (and why), plus advice about rules a mode
 * no longer needs and rules that open more than any mode needs.
 */
import { CommunicationMode, NodeMode } from "../modes";
import { Flow, FlowOptions, flowsFor } from "../flows";
import { parsePortRange } from "../ports";
import { InvalidInputError, Problem } from "../problems";
import { findRegion, unknownRegionMessage } from "../regions";
import { checkScope } from "../scope";
import { MigrationStage, stageSettings } from "../migration/stages";
import { Surroundings } from "./coverage";
import { evaluateNsg, Outcome, Probe, ProbeVerdict, rulesInOrder } from "./evaluate";
import type { NetworkSecurityGroup, NsgRule, RouteTable } from "./network";
import { describeRoute, forcesDefaultRoute, routeFor } from "./routing";

export interface AnalysisInput {
  /** The subnet's NSG; absent: the subnet has none (everything passes that level). */
  readonly subnetNsg?: NetworkSecurityGroup;
  /** The NSG of the nodes' NICs, when there is one. */
  readonly nicNsg?: NetworkSecurityGroup;
  readonly routeTable?: RouteTable;
  /** Programmatic or display name. */
  readonly region: string;
  /** The modes the pools run or will run in (`Default` counts as both). */
  readonly modes?: readonly CommunicationMode[];
  /** A migration stage instead of modes: the flows its rules must serve. */
  readonly stage?: MigrationStage;
  /** The pool subnet's prefix: decides rules that name the nodes by CIDR. */
  readonly subnetPrefix?: string;
  /** Classic job-manager outbound (default on), as for the generated rules. */
  readonly flowOptions?: FlowOptions;
}

/** The verdict on one flow. */
export interface FlowVerdict {
  readonly flow: Flow;
  readonly verdict: Outcome;
  /** What decided: `<nsg>: <rule> (<priority>)` per NSG in the path, and the route. */
  readonly decidedBy: string[];
  /** Why, in one line. */
  readonly reason: string;
}

export type AdviceKind = "not-needed" | "too-open" | "udp-blocked";

export interface Advice {
  readonly kind: AdviceKind;
  readonly nsg: string;
  readonly rule: string;
  readonly message: string;
}

export interface Analysis {
  readonly region: string;
  readonly modes: NodeMode[];
  readonly flows: FlowVerdict[];
  readonly advice: Advice[];
  /** The worst verdict of any flow. */
  readonly verdict: Outcome;
}

const RANK: Record<Outcome, number> = { allowed: 0, undecided: 1, blocked: 2 };

export function worst(outcomes: readonly Outcome[]): Outcome {
  return outcomes.reduce<Outcome>((w, o) => (RANK[o] > RANK[w] ? o : w), "allowed");
}

function portsOf(flow: Flow): number[] {
  const range = parsePortRange(flow.ports)!;
  return Array.from({ length: range.to - range.from + 1 }, (_, i) => range.from + i);
}

function ruleLabel(nsg: NetworkSecurityGroup, rule: NsgRule | undefined): string {
  return rule ? `${nsg.name}: ${rule.name} (${rule.priority})` : `${nsg.name}: no rule`;
}

interface ChainVerdict {
  readonly outcome: Outcome;
  readonly decidedBy: string[];
  readonly reason: string;
  /** The NSG and rule that blocked, when one did. */
  readonly blocker?: { readonly nsg: string; readonly rule: string };
}

/** What the NSGs in the path do with a probe: inbound subnet then NIC, outbound NIC then subnet. */
function evaluateChain(input: AnalysisInput, probe: Probe, around: Surroundings): ChainVerdict {
  const chain =
    probe.direction === "Inbound"
      ? [input.subnetNsg, input.nicNsg]
      : [input.nicNsg, input.subnetNsg];
  const verdicts: Array<{ nsg: NetworkSecurityGroup; v: ProbeVerdict }> = chain
    .filter((n): n is NetworkSecurityGroup => n !== undefined)
    .map((nsg) => ({ nsg, v: evaluateNsg(nsg, probe, around) }));
  const describe = `${probe.protocol} ${probe.port} ${probe.direction === "Inbound" ? "from" : "to"} ${probe.peer}`;
  const blocked = verdicts.find((x) => x.v.outcome === "blocked");
  if (blocked) {
    return {
      outcome: "blocked",
      blocker: { nsg: blocked.nsg.name, rule: blocked.v.rule?.name ?? "" },
      decidedBy: [ruleLabel(blocked.nsg, blocked.v.rule)],
      reason: `${describe} is denied by ${ruleLabel(blocked.nsg, blocked.v.rule)}`,
    };
  }
  const undecided = verdicts.find((x) => x.v.outcome === "undecided");
  if (undecided) {
    return {
      outcome: "undecided",
      decidedBy: [ruleLabel(undecided.nsg, undecided.v.rule)],
      reason: `${describe}: ${ruleLabel(undecided.nsg, undecided.v.rule)} may match: ${undecided.v.reason}`,
    };
  }
  return {
    outcome: "allowed",
    decidedBy: verdicts.map((x) => ruleLabel(x.nsg, x.v.rule)),
    reason: `${describe} is allowed`,
  };
}

/** What the route table does with a flow (forced tunnelling). */
function evaluateRoute(input: AnalysisInput, flow: Flow, tag: string): ChainVerdict {
  const choice = routeFor(input.routeTable, tag);
  const label = describeRoute(choice.route);
  if (choice.undecided)
    return { outcome: "undecided", decidedBy: [label], reason: choice.undecided };
  const hop = choice.route?.nextHopType ?? "Internet";
  if (hop === "Internet") return { outcome: "allowed", decidedBy: [label], reason: "" };
  if (hop === "None" || hop === "VnetLocal") {
    return { outcome: "blocked", decidedBy: [label], reason: `${label} drops traffic to ${tag}` };
  }
  if (flow.direction === "Inbound") {
    return {
      outcome: "blocked",
      decidedBy: [label],
      reason: `replies to ${tag} would leave through ${label} (asymmetric routing drops them); add a route ${tag} -> Internet`,
    };
  }
  return {
    outcome: "undecided",
    decidedBy: [label],
    reason: `traffic to ${tag} goes through ${label}: it passes only if the appliance allows ${flow.protocol === "*" ? "TCP/UDP" : flow.protocol.toUpperCase()} ${flow.ports}; or add a route ${tag} -> Internet`,
  };
}

function judgeFlow(
  input: AnalysisInput,
  flow: Flow,
  around: Surroundings,
  advice: Advice[],
): FlowVerdict {
  const tag = flow.peer[0];
  // `*` flows are judged on TCP; UDP may be needed later (Microsoft's note), so it is advice.
  const probes = portsOf(flow).map((port): Probe => ({
    direction: flow.direction,
    protocol: "Tcp",
    port,
    peer: tag,
  }));
  const chains = probes.map((p) => evaluateChain(input, p, around));
  const route = evaluateRoute(input, flow, tag);
  if (flow.protocol === "*") {
    for (const port of portsOf(flow)) {
      const udp = evaluateChain(
        input,
        { direction: flow.direction, protocol: "Udp", port, peer: tag },
        around,
      );
      if (udp.blocker) {
        advice.push({
          kind: "udp-blocked",
          nsg: udp.blocker.nsg,
          rule: udp.blocker.rule,
          message: `UDP ${port} to ${tag} is denied by ${udp.decidedBy[0]}; simplified mode uses TCP today, and Microsoft notes it may use UDP later (the generated rule allows any protocol).`,
        });
      }
    }
  }
  const all = [...chains, route];
  const verdict = worst(all.map((c) => c.outcome));
  const deciding = all.filter((c) => c.outcome === verdict && c.reason);
  return {
    flow,
    verdict,
    decidedBy: [...new Set([...chains.flatMap((c) => c.decidedBy), ...route.decidedBy])],
    reason:
      verdict === "allowed" ? `allowed (${flow.reason})` : deciding.map((c) => c.reason).join("; "),
  };
}

const WIDE_OPEN = new Set(["*", "internet", "0.0.0.0/0", "::/0"]);

function tooOpen(nsg: NetworkSecurityGroup | undefined): Advice[] {
  if (!nsg) return [];
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

/** Rules that let through flows only a mode the pools no longer use needs. */
function notNeeded(
  input: AnalysisInput,
  region: string,
  modes: readonly NodeMode[],
  around: Surroundings,
): Advice[] {
  if (modes.includes(CommunicationMode.Classic)) return [];
  const leftovers = flowsFor(region, [CommunicationMode.Classic], {}).filter(
    (f) => f.id === "classic-node-management-inbound" || f.id === "classic-storage-outbound",
  );
  const advice: Advice[] = [];
  for (const flow of leftovers) {
    for (const nsg of [input.subnetNsg, input.nicNsg]) {
      if (!nsg) continue;
      const probe: Probe = {
        direction: flow.direction,
        protocol: "Tcp",
        port: parsePortRange(flow.ports)!.from,
        peer: flow.peer[0],
      };
      const v = evaluateNsg(nsg, probe, around);
      if (v.outcome !== "allowed" || !v.rule || v.rule.isDefault) continue;
      advice.push({
        kind: "not-needed",
        nsg: nsg.name,
        rule: v.rule.name,
        message:
          flow.id === "classic-node-management-inbound"
            ? `${v.rule.name} (${v.rule.priority}) allows inbound TCP ${flow.ports} from ${flow.peer[0]}: only classic mode needs it; remove it once every pool runs simplified.`
            : `${v.rule.name} (${v.rule.priority}) allows outbound TCP 443 to ${flow.peer[0]}: simplified mode does not need it; keep it only for storage your tasks use (application packages, resource files).`,
      });
    }
  }
  return advice;
}

/**
 * Judges every flow the modes (or the stage) need against an existing network.
 * @throws InvalidInputError for an unknown region, mode or stage.
 */
export function analyzeNetwork(input: AnalysisInput): Analysis {
  const problems: Problem[] = [];
  if (input.modes !== undefined && input.stage !== undefined) {
    problems.push({ field: "stage", message: "give modes or a stage, not both." });
  }
  const modes =
    input.stage !== undefined
      ? stageSettings(input.stage).ruleModes
      : (input.modes ?? [CommunicationMode.Default]);
  const scope = checkScope(input.region, modes);
  problems.push(...scope.problems);
  const region = findRegion(input.region);
  if (!region && !problems.some((p) => p.field === "region"))
    problems.push({ field: "region", message: unknownRegionMessage(input.region) });
  if (problems.length > 0 || !region) throw new InvalidInputError(problems);

  const around: Surroundings = {
    subnetPrefix: input.subnetPrefix,
    defaultRouteOverridden: forcesDefaultRoute(input.routeTable),
  };
  const advice: Advice[] = [];
  const flows = flowsFor(region.name, scope.modes, input.flowOptions ?? {}).map((f) =>
    judgeFlow(input, f, around, advice),
  );
  advice.push(
    ...notNeeded(input, region.name, scope.modes, around),
    ...tooOpen(input.subnetNsg),
    ...tooOpen(input.nicNsg),
  );
  return {
    region: region.name,
    modes: scope.modes,
    flows,
    advice,
    verdict: worst(flows.map((f) => f.verdict)),
  };
}
