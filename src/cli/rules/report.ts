/**
 * What `azure-batch-network rules` prints: the flows and NSG rules of classic, simplified and
 * the union for a region, and the hosts nodes reach, as tables or JSON. Everything shown comes
 * from the rules model.
 */
import { describeModes, modesOfSet, NodeMode } from "../../model/modes";
import {
  dependenciesFor,
  OutboundEndpointCategory,
  validateDependencyOptions,
} from "../../model/dependencies";
import { InvalidInputError } from "../../model/problems";
import { Flow } from "../../model/flows";
import { findRegion, resolveRegion, Region } from "../../model/regions";
import { forcedTunnelRoutes, RouteSet } from "../../model/routes";
import { RuleOptions, securityRules } from "../../model/rules";
import { SecurityRuleSpec } from "../../model/securityRule";
import { withFlagNames } from "../exit";
import { RULE_SET_LABELS, RuleSetLabel } from "./options";
import { paragraph, renderTable } from "../output/text";

export type { RuleSetLabel };

/** What the command reports for one set of modes. */
export interface RuleSetReport {
  readonly label: RuleSetLabel;
  readonly modes: readonly NodeMode[];
  readonly flows: readonly Flow[];
  readonly rules: readonly SecurityRuleSpec[];
  readonly warnings: readonly string[];
  /** Only when a default route to an appliance was given. */
  readonly routes?: RouteSet;
  /** The hosts the nodes reach (as Azure's outboundNetworkDependenciesEndpoints lists them). */
  readonly outboundDependencies: readonly OutboundEndpointCategory[];
}

/** What the command reports. */
export interface RulesReport {
  readonly region: Region;
  readonly sets: readonly RuleSetReport[];
}

export interface RulesReportInput {
  readonly region: string;
  readonly sets: readonly RuleSetLabel[];
  readonly ruleOptions: RuleOptions;
  /** Private IP of the appliance the subnet's default route goes to (forced tunnelling). */
  readonly applianceIp?: string;
  /** The Batch account, for the endpoints in the outbound dependencies. */
  readonly accountName?: string;
  /** The account's nodeManagementEndpoint (`az batch account show`), when known. */
  readonly nodeManagementEndpoint?: string;
}

// Model field -> the flag that sets it, so errors name what the user typed.
const FLAGS: Readonly<Record<string, string>> = {
  region: "--region",
  modes: "--set",
  priorityBase: "--priority-base",
  classicJobManagerOutbound: "--no-job-manager-outbound",
  "remoteAccess.sshSourcePrefixes": "--ssh-from",
  "remoteAccess.rdpSourcePrefixes": "--rdp-from",
  "outboundLockdown.storageDestinations": "--storage",
  "defaultRoute.nextHopIpAddress": "--forced-tunnel",
  accountName: "--account",
  nodeManagementEndpoint: "--node-management-endpoint",
};

/** The rule sets a region has: all three where it offers simplified mode, else classic. */
export function ruleSetsOf(region: string): RuleSetLabel[] {
  // An unknown region gets every set: rulesReport then reports it with its flag.
  return findRegion(region)?.simplifiedAvailable === false ? ["classic"] : [...RULE_SET_LABELS];
}

/** Why the classic rule set alone no longer keeps a Classic-target pool working. */
const CLASSIC_SET_WARNING =
  "since 31 March 2026 Azure no longer honours a Classic target (Microsoft's migration guide): a pool targeting Classic may get Simplified nodes, so give its subnet the union rules; the classic set alone serves only nodes that run Classic.";

/** Builds the report from the model. @throws CliInputError naming the flags at fault. */
export function rulesReport(input: RulesReportInput): RulesReport {
  return withFlagNames(FLAGS, () => {
    const dependencyOptions = {
      accountName: input.accountName,
      nodeManagementEndpoint: input.nodeManagementEndpoint,
    };
    const dependencyProblems = validateDependencyOptions(dependencyOptions);
    if (dependencyProblems.length > 0) throw new InvalidInputError(dependencyProblems);
    const sets = input.sets.map((label): RuleSetReport => {
      // The model checks region and options together, so one run reports every problem.
      const ruleSet = securityRules(input.region, modesOfSet(label), input.ruleOptions);
      const routes =
        input.applianceIp === undefined
          ? undefined
          : forcedTunnelRoutes(ruleSet.region, modesOfSet(label), {
              defaultRoute: {
                nextHopType: "VirtualAppliance",
                nextHopIpAddress: input.applianceIp,
              },
            });
      const warnings =
        label === "classic" &&
        ruleSet.region !== undefined &&
        resolveRegion(ruleSet.region).simplifiedAvailable
          ? [CLASSIC_SET_WARNING, ...ruleSet.warnings]
          : ruleSet.warnings;
      return {
        label,
        ...ruleSet,
        warnings,
        ...(routes ? { routes } : {}),
        outboundDependencies: dependenciesFor(
          resolveRegion(ruleSet.region),
          ruleSet.modes,
          dependencyOptions,
        ),
      };
    });
    return { region: resolveRegion(input.region), sets };
  });
}

function addresses(single: string | undefined, plural: readonly string[] | undefined): string {
  return single ?? (plural ?? []).join(",");
}

/** Renders the report as the tables the terminal shows, laid out to `width` columns. */
export function renderRulesReport(report: RulesReport, width: number): string {
  const { region } = report;
  const out: string[] = [
    paragraph(
      `Region ${region.name} (${region.displayName}, ${region.cloud}); simplified mode ${region.simplifiedAvailable ? "available" : "NOT available"}.`,
      width,
    ),
  ];
  for (const set of report.sets) {
    out.push(
      "",
      `== ${set.label} (${describeModes(set.modes)}) ==`,
      "",
      "Flows the subnet must allow:",
    );
    out.push(
      renderTable(
        ["DIRECTION", "PROTOCOL", "PORTS", "PEER", "WHY"],
        set.flows.map((f) => [f.direction, f.protocol, f.ports, f.peer.join(","), f.reason]),
        width,
      ),
    );
    out.push("", "NSG security rules:");
    out.push(
      renderTable(
        ["PRIORITY", "DIRECTION", "ACCESS", "PROTOCOL", "SOURCE", "DESTINATION", "PORTS", "NAME"],
        set.rules.map((r) => [
          String(r.priority),
          r.direction,
          r.access,
          r.protocol,
          addresses(r.sourceAddressPrefix, r.sourceAddressPrefixes),
          addresses(r.destinationAddressPrefix, r.destinationAddressPrefixes),
          addresses(r.destinationPortRange, r.destinationPortRanges),
          r.name,
        ]),
        width,
      ),
    );
    out.push("", "Hosts the nodes reach (outbound, 443):");
    out.push(
      renderTable(
        ["CATEGORY", "HOST"],
        set.outboundDependencies.flatMap((c) => c.endpoints.map((e) => [c.category, e.domainName])),
        width,
      ),
    );
    if (
      set.outboundDependencies.some((c) =>
        c.endpoints.some((e) => e.domainName.startsWith("<unique-id>")),
      )
    )
      out.push(
        paragraph(
          "note: <unique-id>...: the node management host is the account's nodeManagementEndpoint, built from its unique ID (not its name): az batch account show --query nodeManagementEndpoint; give it with --node-management-endpoint.",
          width,
          "",
          "      ",
        ),
      );
    if (set.routes) {
      out.push("", "Routes (forced tunnelling):");
      out.push(
        renderTable(
          ["NAME", "ADDRESS PREFIX", "NEXT HOP"],
          set.routes.routes.map((r) => [
            r.name,
            r.addressPrefix,
            r.nextHopIpAddress ? `${r.nextHopType} ${r.nextHopIpAddress}` : r.nextHopType,
          ]),
          width,
        ),
      );
      out.push(...set.routes.notes.map((n) => paragraph(`note: ${n}`, width, "", "      ")));
    }
    out.push(...set.warnings.map((w) => paragraph(`warning: ${w}`, width, "", "         ")));
  }
  return out.join("\n");
}
