/**
 * What `azure-batch-network check` reports: will the NSGs and routes you have let a pool work in
 * a mode, or through a migration stage? Reads NSG and route table JSON as the Azure CLI or ARM
 * prints it and judges every flow with the model's analyzer.
 */
// Each from the module that owns it, not the model's barrel: `check` then loads the analyzer
// and what it needs, not the environment designer and the migration planner.
import { addressKind } from "../model/addresses";
import { CommunicationMode } from "../model/enums";
import {
  findModeSet,
  MODE_SET_NAMES,
  MODE_SETS,
  ModeSetName,
  modesForTargets,
} from "../model/modes";
import { findRegion, Region, unknownRegionMessage } from "../model/regions";
import { findStage, MigrationStage, STAGE_ORDER, stageSettings } from "../model/migration/stages";
import {
  Advice,
  analyzeNetwork,
  Analysis,
  azCommand,
  NetworkSecurityGroup,
  Outcome,
  parseNetworkSecurityGroup,
  parsePrivateEndpoint,
  parseRouteTable,
  PrivateEndpointPath,
  RouteTable,
  worst,
} from "../model/analyze";
import { printable } from "../model/printable";
import { CliInputError, withFlagNames } from "./exit";
import { readJsonFile } from "./input";

const { Classic, Simplified } = CommunicationMode;

/** A piece of advice as the report gives it: with the az command that makes its change. */
export type ReportedAdvice = Advice & { readonly command?: string };

/** One NSG's report. */
export interface NsgReport {
  readonly file: string;
  readonly nsg: string;
  readonly analysis: Omit<Analysis, "advice"> & { readonly advice: ReportedAdvice[] };
}

/** What `check` reports. */
export interface CheckReport {
  readonly verdict: Outcome;
  readonly reports: NsgReport[];
  /** Why the modes checked differ from the ones asked for, when they do. */
  readonly notes: string[];
}

/** Why `--mode classic` checks the Simplified flows too. */
const CLASSIC_TARGET_NOTE =
  "--mode classic checks the Simplified flows too: since 31 March 2026 Azure no longer honours a Classic target (Microsoft's migration guide), so a pool targeting Classic may get Simplified nodes.";

export interface CheckInput {
  readonly nsgFiles: readonly string[];
  readonly nicNsgFile?: string;
  readonly routeTableFile?: string;
  readonly region?: string;
  readonly mode?: string;
  readonly stage?: string;
  readonly subnetPrefix?: string;
  readonly privateEndpointFiles?: readonly string[];
  readonly nodeManagementPrivateIp?: string;
  readonly nodeManagementSubnet?: string;
}

const parseWith = <T>(parse: () => T): T =>
  withFlagNames({ subnetPrefix: "--subnet-prefix" }, parse);

function checkOptions(input: CheckInput): {
  modeSet?: ModeSetName;
  stage?: MigrationStage;
} {
  if (input.nsgFiles.length === 0 && !input.nicNsgFile) {
    throw new CliInputError(
      "error: --nsg: give at least one NSG file (az network nsg show -o json > nsg.json), or - for standard input.",
    );
  }
  if (input.mode !== undefined && input.stage !== undefined) {
    throw new CliInputError("error: --mode and --stage: give one of them, not both.");
  }
  const modeSet = input.mode === undefined ? undefined : findModeSet(input.mode);
  if (input.mode !== undefined && !modeSet) {
    throw new CliInputError(
      `error: --mode: ${printable(JSON.stringify(input.mode))} is not a mode; use one of ${MODE_SET_NAMES.join(", ")}.`,
    );
  }
  const stage = input.stage === undefined ? undefined : findStage(input.stage);
  if (input.stage !== undefined && !stage) {
    throw new CliInputError(
      `error: --stage: ${printable(JSON.stringify(input.stage))} is not a stage; use one of ${STAGE_ORDER.join(", ")}.`,
    );
  }
  const stdinFiles = [
    ...input.nsgFiles,
    input.nicNsgFile,
    input.routeTableFile,
    ...(input.privateEndpointFiles ?? []),
  ].filter((f) => f === "-");
  if (stdinFiles.length > 1)
    throw new CliInputError("error: -: standard input can stand for one file only.");
  return { modeSet, stage };
}

/** The private endpoints the options give, read and checked. */
function privateEndpointsOf(
  input: CheckInput,
  stdin?: () => string,
): PrivateEndpointPath[] | undefined {
  const endpoints = (input.privateEndpointFiles ?? []).map((file) =>
    parseWith(() => parsePrivateEndpoint(readJsonFile(file, "--private-endpoint", stdin), file)),
  );
  const given: Array<[string, string | undefined, "ip" | "cidr", string]> = [
    ["--node-management-private-ip", input.nodeManagementPrivateIp, "ip", "10.0.1.4"],
    ["--node-management-subnet", input.nodeManagementSubnet, "cidr", "10.0.1.0/24"],
  ];
  for (const [flag, value, kind, example] of given) {
    if (value === undefined) continue;
    if (addressKind(value) !== kind || value.includes(":"))
      throw new CliInputError(
        `error: ${flag}: ${printable(JSON.stringify(value))} is not an IPv4 ${kind === "ip" ? "address" : "CIDR prefix"} (${example}).`,
      );
    endpoints.push({ group: "nodeManagement", address: value, source: flag });
  }
  const groups = endpoints.map((e) => e.group);
  const twice = groups.find((g, i) => groups.indexOf(g) !== i);
  if (twice) {
    throw new CliInputError(
      `error: --private-endpoint: ${twice} is given twice (${endpoints
        .filter((e) => e.group === twice)
        .map((e) => e.source)
        .join(", ")}); give the one the pool's VNet resolves to.`,
    );
  }
  return endpoints.length > 0 ? endpoints : undefined;
}

/**
 * The modes to judge in a region: a mode set or stage the region does not offer is refused,
 * naming the region and what it offers; with neither given, the union of what it offers.
 */
function modesIn(
  region: Region,
  modeSet: ModeSetName | undefined,
  stage: MigrationStage | undefined,
  notes: Set<string>,
): { stage: MigrationStage } | { modes: CommunicationMode[] } {
  const offers = region.simplifiedAvailable ? "Classic and Simplified" : "Classic only";
  if (stage) {
    if (
      !region.simplifiedAvailable &&
      (stageSettings(stage).ruleModes as readonly string[]).includes(Simplified)
    )
      throw new CliInputError(
        `error: --stage: ${region.name} offers ${offers} (no simplified node communication), so its pools cannot be migrated; check them with --mode classic.`,
      );
    return { stage };
  }
  const asked = MODE_SETS[modeSet ?? "union"];
  if (!region.simplifiedAvailable && (asked as readonly string[]).includes(Simplified)) {
    if (modeSet !== undefined)
      throw new CliInputError(
        `error: --mode: ${region.name} offers ${offers} (no simplified node communication); use --mode classic (or default, which runs Classic there).`,
      );
    notes.add(`${region.name} offers ${offers}: its pools were checked for Classic's flows.`);
    return { modes: [Classic] };
  }
  return { modes: modesForTargets(asked, region) };
}

function reported(
  analysis: Analysis,
  groupOf: (a: Advice) => string | undefined,
): NsgReport["analysis"] {
  return {
    ...analysis,
    advice: analysis.advice.map((a) =>
      a.change ? { ...a, command: azCommand(a.change, groupOf(a)) } : a,
    ),
  };
}

/** What `check` found once every NSG is judged. */
export type CheckSummary = Omit<CheckReport, "reports">;

/**
 * Reads the files and judges each NSG in turn, handing each report to `each` as soon as it is
 * made and keeping none: on a thousand NSGs, the analyses no longer pile up in memory while the
 * rest are judged (the text report needs only their rendering).
 * @throws CliInputError on any bad input.
 */
export function checkEachNetwork(
  input: CheckInput,
  each: (report: NsgReport) => void,
  stdin?: () => string,
): CheckSummary {
  const { modeSet, stage } = checkOptions(input);
  const nicNsg: NetworkSecurityGroup | undefined = input.nicNsgFile
    ? parseWith(() =>
        parseNetworkSecurityGroup(
          readJsonFile(input.nicNsgFile!, "--nic-nsg", stdin),
          input.nicNsgFile!,
        ),
      )
    : undefined;
  const routeTable: RouteTable | undefined = input.routeTableFile
    ? parseWith(() =>
        parseRouteTable(
          readJsonFile(input.routeTableFile!, "--route-table", stdin),
          input.routeTableFile!,
        ),
      )
    : undefined;
  const privateEndpoints = privateEndpointsOf(input, stdin);
  if (input.subnetPrefix !== undefined && addressKind(input.subnetPrefix) !== "cidr")
    throw new CliInputError(
      `error: --subnet-prefix: ${printable(JSON.stringify(input.subnetPrefix))} is not a CIDR prefix; give the pool subnet's prefix (10.0.0.0/24).`,
    );

  const notes = new Set<string>();
  let verdict: Outcome = "allowed";
  let severalModes = false;
  // Each subnet NSG is read, judged and handed on before the next is read, so that nothing of it
  // outlives its turn (with no --nsg, the NIC NSG alone is judged, once).
  const nsgFiles = input.nsgFiles.length > 0 ? input.nsgFiles : [undefined];
  for (const nsgFile of nsgFiles) {
    const nsg =
      nsgFile === undefined
        ? undefined
        : parseWith(() =>
            parseNetworkSecurityGroup(readJsonFile(nsgFile, "--nsg", stdin), nsgFile),
          );
    const file = nsgFile ?? input.nicNsgFile!;
    const regionName = input.region ?? nsg?.location ?? nicNsg?.location ?? routeTable?.location;
    if (!regionName) {
      throw new CliInputError(
        `error: --region: ${printable(file)} has no location; give the region (--region westus2).`,
      );
    }
    const region = findRegion(regionName);
    if (!region) {
      const where = input.region ? "--region" : `${printable(file)} $.location`;
      throw new CliInputError(`error: ${where}: ${unknownRegionMessage(regionName)}`);
    }
    const analysis = parseWith(() =>
      analyzeNetwork({
        region: regionName,
        ...modesIn(region, modeSet, stage, notes),
        ...(nsg ? { subnetNsg: nsg } : {}),
        ...(nicNsg ? { nicNsg } : {}),
        ...(routeTable ? { routeTable } : {}),
        ...(input.subnetPrefix ? { subnetPrefix: input.subnetPrefix } : {}),
        ...(privateEndpoints ? { privateEndpoints } : {}),
      }),
    );
    const groupOf = (a: Advice) =>
      a.change?.action === "add-route"
        ? routeTable?.resourceGroup
        : a.nsg === nicNsg?.name
          ? nicNsg.resourceGroup
          : nsg?.resourceGroup;
    verdict = worst([verdict, analysis.verdict]);
    severalModes ||= analysis.modes.length > 1;
    each({ file, nsg: nsg?.name ?? "(no subnet NSG)", analysis: reported(analysis, groupOf) });
  }
  if (modeSet === "classic" && severalModes) notes.add(CLASSIC_TARGET_NOTE);
  return { verdict, notes: [...notes] };
}

/** Reads the files and judges each NSG: every report, kept. @throws CliInputError on any bad input. */
export function checkNetworks(input: CheckInput, stdin?: () => string): CheckReport {
  const reports: NsgReport[] = [];
  const { verdict, notes } = checkEachNetwork(input, (r) => reports.push(r), stdin);
  return { verdict, reports, notes };
}

export { renderCheck, renderCheckMarkdown, renderCheckText, renderNsgReport } from "./checkRender";
