/**
 * What `azure-batch-network check` reports: will the network you have let a pool work in a mode,
 * or through a migration stage? Reads each layer's export as the Azure CLI or ARM prints it (the
 * VNet's security admin rules, the NSGs, the route table, the subnet with its NAT gateway, the
 * account's private endpoints) and judges every flow with the model's layered analyzer. A layer
 * not given is named, with the command that exports it, never assumed.
 */
// Each from the module that owns it, not the model's barrel: `check` then loads the analyzer
// and what it needs, not the environment designer and the migration planner.
import { CommunicationMode } from "../../model/enums";
import { MODE_SETS, ModeSetName, modesForTargets } from "../../model/modes";
import { findRegion, Region, unknownRegionMessage } from "../../model/regions";
import { MigrationStage, stageSettings } from "../../model/migration/stages";
import {
  Advice,
  AdminRuleSet,
  Analysis,
  analyzeWithinLimits,
  azCommand,
  AzTarget,
  endpointAddressHint,
  endpointPath,
  LayerName,
  NetworkSecurityGroup,
  NodePublicIps,
  OutboundPath,
  Outcome,
  parseAdminRules,
  parseNatGateway,
  parseNetworkInterface,
  parseNetworkSecurityGroup,
  parsePrivateEndpoint,
  parseRouteTable,
  parseSubnet,
  PrivateEndpointPath,
  RouteTable,
  SubnetFacts,
  worst,
} from "../../model/analyze";
import { idKey, nameOfResourceId } from "../../model/ids";
import { printable } from "../../model/printable";
import { CliInputError, withFlagNames } from "../exit";
import { validatedOptions } from "../validatedOptions";
import { CHECK_FLAG_NAMES, CheckValuesSchema } from "./options";
import { readJsonFile } from "../io/files";

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
  /** The pool's subnet (az network vnet subnet show): its outbound path, NSG and route table. */
  readonly subnetFile?: string;
  /** The subnet's NAT gateway (az network nat gateway show). */
  readonly natGatewayFile?: string;
  /** The VNet's effective security admin rules (az network manager list-effective-security-admin-rule). */
  readonly adminRulesFile?: string;
  /** The pool's publicIPAddressConfiguration.provision. */
  readonly publicIp?: string;
  /** Network interfaces of private endpoints whose own export holds no address. */
  readonly privateEndpointNicFiles?: readonly string[];
  /** Count a layer not given as undecided. */
  readonly allLayers?: boolean;
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
  /** `--public-ip` in Azure's spelling. */
  publicIp?: NodePublicIps;
} {
  if (input.nsgFiles.length === 0 && !input.nicNsgFile && !input.subnetFile) {
    throw new CliInputError(
      "error: --nsg: give at least one NSG file (az network nsg show -o json > nsg.json), or - for standard input; or the subnet (--subnet) when it has no NSG.",
    );
  }
  if (input.natGatewayFile && !input.subnetFile)
    throw new CliInputError(
      "error: --nat-gateway: give the subnet too (--subnet): the subnet says whether the NAT gateway is its own.",
    );
  if (input.mode !== undefined && input.stage !== undefined) {
    throw new CliInputError("error: --mode and --stage: give one of them, not both.");
  }
  const values = validatedOptions(CheckValuesSchema, input, CHECK_FLAG_NAMES);
  const stdinFiles = [
    ...input.nsgFiles,
    input.nicNsgFile,
    input.routeTableFile,
    input.subnetFile,
    input.natGatewayFile,
    input.adminRulesFile,
    ...(input.privateEndpointFiles ?? []),
    ...(input.privateEndpointNicFiles ?? []),
  ].filter((f) => f === "-");
  if (stdinFiles.length > 1)
    throw new CliInputError("error: -: standard input can stand for one file only.");
  return { modeSet: values.mode, stage: values.stage, publicIp: values.publicIp };
}

/** The private endpoints the options give, read and checked, each with the address its flow goes to. */
function privateEndpointsOf(
  input: CheckInput,
  subnet: SubnetFacts | undefined,
  stdin?: () => string,
): PrivateEndpointPath[] | undefined {
  const nics = new Map<string, { address: string; fqdns: readonly string[] }>();
  for (const file of input.privateEndpointNicFiles ?? []) {
    const nic = parseWith(() =>
      parseNetworkInterface(readJsonFile(file, "--private-endpoint-nic", stdin), file),
    );
    const config = nic.ipConfigurations.find((c) => c.privateIpAddress);
    if (!nic.id || !config?.privateIpAddress)
      throw new CliInputError(
        `error: --private-endpoint-nic ${printable(file)}: holds no id or no private IPv4 address.`,
      );
    nics.set(idKey(nic.id), { address: config.privateIpAddress, fqdns: config.fqdns });
  }
  const subnetPrefixes = new Map<string, string>();
  if (subnet?.id && subnet.prefixes[0]) subnetPrefixes.set(idKey(subnet.id), subnet.prefixes[0]);
  const endpoints: PrivateEndpointPath[] = (input.privateEndpointFiles ?? []).map((file) => {
    const endpoint = parseWith(() =>
      parsePrivateEndpoint(readJsonFile(file, "--private-endpoint", stdin), file),
    );
    const path = endpointPath(endpoint, { nics, subnetPrefixes });
    if (!path)
      throw new CliInputError(
        `error: --private-endpoint ${printable(file)}: ${endpointAddressHint(endpoint)}; give the NIC with --private-endpoint-nic, or the endpoint's subnet prefix with --node-management-subnet.`,
      );
    return path;
  });
  const given: Array<[string, string | undefined]> = [
    ["--node-management-private-ip", input.nodeManagementPrivateIp],
    ["--node-management-subnet", input.nodeManagementSubnet],
  ];
  // Their values passed the options' schema (an IPv4 address or prefix a VNet can give).
  for (const [flag, value] of given)
    if (value !== undefined)
      endpoints.push({ group: "nodeManagement", address: value, source: flag });
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

/** The layers around the NSGs, read from the options, and the layers not given. */
interface Layers {
  readonly nicNsg?: NetworkSecurityGroup;
  readonly routeTable?: RouteTable;
  readonly adminRules?: AdminRuleSet;
  readonly subnet?: SubnetFacts;
  readonly outbound?: OutboundPath;
  readonly privateEndpoints?: PrivateEndpointPath[];
  /** Layers the subnet has but the options did not give (or, without the subnet, may have). */
  readonly notGiven: LayerName[];
}

function readLayers(input: CheckInput, notes: Set<string>, stdin?: () => string): Layers {
  const read = <T>(
    file: string | undefined,
    flag: string,
    parse: (json: unknown, source: string) => T,
  ) =>
    file === undefined ? undefined : parseWith(() => parse(readJsonFile(file, flag, stdin), file));
  const nicNsg = read(input.nicNsgFile, "--nic-nsg", parseNetworkSecurityGroup);
  const routeTable = read(input.routeTableFile, "--route-table", parseRouteTable);
  const adminRules = read(input.adminRulesFile, "--admin-rules", parseAdminRules);
  const subnet = read(input.subnetFile, "--subnet", parseSubnet);
  const natGateway = read(input.natGatewayFile, "--nat-gateway", parseNatGateway);
  const notGiven: LayerName[] = [];
  if (subnet) {
    // The subnet says which layers it has: one it has and the options did not give is not judged.
    if (subnet.routeTableId && !routeTable) notGiven.push("route");
    if (subnet.networkSecurityGroupId && input.nsgFiles.length === 0) notGiven.push("nsg");
    if (routeTable && !subnet.routeTableId)
      notes.add(
        `--route-table ${routeTable.name}: the subnet ${subnet.name} has no route table; judged as if it had this one.`,
      );
    if (
      subnet.routeTableId &&
      routeTable &&
      nameOfResourceId(subnet.routeTableId).toLowerCase() !== routeTable.name.toLowerCase()
    )
      notes.add(
        `--route-table ${routeTable.name}: the subnet ${subnet.name} has route table ${nameOfResourceId(subnet.routeTableId)}; judged with the one given.`,
      );
    if (
      natGateway &&
      (!subnet.natGatewayId ||
        nameOfResourceId(subnet.natGatewayId).toLowerCase() !== natGateway.name.toLowerCase())
    )
      throw new CliInputError(
        `error: --nat-gateway: ${printable(natGateway.name)} is not the NAT gateway of subnet ${printable(subnet.name)} (${subnet.natGatewayId ? printable(nameOfResourceId(subnet.natGatewayId)) : "it has none"}).`,
      );
  } else if (!routeTable) notGiven.push("route");
  const privateEndpoints = privateEndpointsOf(input, subnet, stdin);
  return {
    ...(nicNsg ? { nicNsg } : {}),
    ...(routeTable ? { routeTable } : {}),
    ...(adminRules ? { adminRules } : {}),
    ...(subnet ? { subnet } : {}),
    ...(subnet
      ? {
          outbound: {
            subnet,
            ...(natGateway ? { natGateway } : {}),
            ...(input.publicIp ? { nodePublicIps: input.publicIp as NodePublicIps } : {}),
          },
        }
      : {}),
    ...(privateEndpoints ? { privateEndpoints } : {}),
    notGiven,
  };
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

function reported(analysis: Analysis, targetOf: (a: Advice) => AzTarget): NsgReport["analysis"] {
  return {
    ...analysis,
    advice: analysis.advice.map((a) =>
      a.change ? { ...a, command: azCommand(a.change, targetOf(a)) } : a,
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
  const { modeSet, stage, publicIp } = checkOptions(input);
  const notes = new Set<string>();
  const layers = readLayers({ ...input, publicIp }, notes, stdin);
  const { nicNsg, routeTable } = layers;

  const subnetPrefix = input.subnetPrefix ?? layers.subnet?.prefixes[0];

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
    const file = nsgFile ?? input.nicNsgFile ?? input.subnetFile!;
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
    // Every layer came out of the package's schemas, which bound its depth: not walked again.
    const analysis = parseWith(() =>
      analyzeWithinLimits(
        {
          region: regionName,
          ...modesIn(region, modeSet, stage, notes),
          ...(layers.adminRules ? { adminRules: layers.adminRules } : {}),
          ...(nsg ? { subnetNsg: nsg } : {}),
          ...(nicNsg ? { nicNsg } : {}),
          ...(routeTable ? { routeTable } : {}),
          ...(layers.outbound ? { outbound: layers.outbound } : {}),
          ...(subnetPrefix ? { subnetPrefix } : {}),
          ...(layers.privateEndpoints ? { privateEndpoints: layers.privateEndpoints } : {}),
          notGiven: layers.notGiven,
          ...(input.allLayers ? { strict: true } : {}),
        },
        true,
      ),
    );
    const targetOf = (a: Advice): AzTarget => {
      const resource =
        a.change?.action === "add-route" ? routeTable : a.nsg === nicNsg?.name ? nicNsg : nsg;
      return { resourceGroup: resource?.resourceGroup, subscription: resource?.subscription };
    };
    verdict = worst([verdict, analysis.verdict]);
    severalModes ||= analysis.modes.length > 1;
    each({
      file,
      nsg: nsg?.name ?? (layers.subnet ? `subnet ${layers.subnet.name}` : "(no subnet NSG)"),
      analysis: reported(analysis, targetOf),
    });
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

export { renderCheck, renderCheckMarkdown, renderCheckText, renderNsgReport } from "./render";
