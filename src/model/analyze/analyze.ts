/**
 * What an existing network does with the flows a mode needs: for each flow, allowed (by which
 * rules and route), blocked (by which), or undecided (and why), plus advice about rules a mode
 * no longer needs and rules that open more than any mode needs.
 */
import { addressKind } from "../addresses";
import { isObject } from "../json";
import { shown } from "../printable";
import { CommunicationMode, NodeMode } from "../modes";
import { Flow, FlowOptions, flowsFor } from "../flows";
import { InvalidInputError, objectProblem, Problem } from "../problems";
import { CLOUD_ENDPOINTS, findRegion, Region, unknownRegionMessage } from "../regions";
import { checkScope } from "../scope";
import { findStage, MigrationStage, STAGE_ORDER, stageSettings } from "../migration/stages";
import { Advice, adviseNetwork } from "./advice";
import type { Surroundings } from "./coverage";
import type { Outcome } from "./evaluate";
import { FlowVerdict, judgeFlow, NetworkPath, pathOutcomes, worst } from "./judge";
import {
  PrivateEndpointGroup,
  PrivateEndpointPath,
  throughPrivateEndpoints,
  validatePrivateEndpoints,
} from "./privateEndpoints";
import { forcesDefaultRoute } from "./routing";
import { LAYER_EXPORTS, LAYERS, LayerName, MissingLayer } from "./layers";
import { refuseTooDeep } from "../input/json";

export interface AnalysisInput extends NetworkPath {
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
  /**
   * The account's private endpoints the pools reach Batch through: the flows they carry are
   * judged against the endpoint's VNet address instead of the service tag.
   */
  readonly privateEndpoints?: readonly PrivateEndpointPath[];
  /**
   * The region offers simplified node communication whatever the package's table says: an
   * export shows a pool there targeting or running Simplified (tables of Azure's facts lag).
   */
  readonly simplifiedObserved?: boolean;
}

/** Where the nodes must resolve an endpoint's host names for a private endpoint to be used. */
export interface PrivateDns {
  readonly group: PrivateEndpointGroup;
  readonly address: string;
  /** The private DNS zone that must be linked to the pool's VNet. */
  readonly zone: string;
  /** The names that must resolve to `address`, when the endpoint's DNS configs name them. */
  readonly fqdns: readonly string[];
  readonly message: string;
}

export interface Analysis {
  readonly region: string;
  readonly modes: NodeMode[];
  readonly flows: FlowVerdict[];
  /** The layers judged, and those not given (with the command that exports each). */
  readonly layers: { readonly judged: LayerName[]; readonly notJudged: MissingLayer[] };
  readonly advice: Advice[];
  /** For each private endpoint the flows go through, where DNS must send the nodes. */
  readonly privateDns: PrivateDns[];
  /** The worst verdict of any flow. */
  readonly verdict: Outcome;
}

/** Flows only modes the pools no longer use need: classic's, when no pool runs classic. */
function leftoverFlows(region: string, modes: readonly NodeMode[]): Flow[] {
  if (modes.includes(CommunicationMode.Classic)) return [];
  return flowsFor(region, [CommunicationMode.Classic], {}).filter(
    (f) => f.id === "classic-node-management-inbound" || f.id === "classic-storage-outbound",
  );
}

function privateDns(region: Region, endpoints: readonly PrivateEndpointPath[]): PrivateDns[] {
  const zone = CLOUD_ENDPOINTS[region.cloud].batchPrivateDnsZone;
  return endpoints.map((e) => {
    const names = e.fqdns?.length
      ? e.fqdns.join(", ")
      : e.group === "nodeManagement"
        ? `the account's node management host (<unique-id>.${region.name}.service.batch.azure.com)`
        : `the account's host (<account>.${region.name}.batch.azure.com)`;
    return {
      group: e.group,
      address: e.address,
      zone,
      fqdns: e.fqdns ?? [],
      message: `the nodes must resolve ${names} to ${e.address}: the private DNS zone ${zone} must be linked to the pool's VNet (or your DNS must forward to it); otherwise they go to the public endpoint, which these rules were not judged for.`,
    };
  });
}

/** The NSGs and route table must be what the parsers read, not raw JSON. */
function readNetworkProblems(input: AnalysisInput): Problem[] {
  const problems: Problem[] = [];
  const read = "read it with parseNetworkSecurityGroup (or parseRouteTable) first";
  for (const field of ["subnetNsg", "nicNsg"] as const) {
    const nsg: unknown = input[field];
    if (
      nsg !== undefined &&
      !(isObject(nsg) && Array.isArray(nsg.rules) && typeof nsg.name === "string")
    )
      problems.push({ field, message: `is not an NSG as the analyzer reads it; ${read}.` });
  }
  const table: unknown = input.routeTable;
  if (
    table !== undefined &&
    !(isObject(table) && Array.isArray(table.routes) && typeof table.name === "string")
  )
    problems.push({
      field: "routeTable",
      message: `is not a route table as the analyzer reads it; ${read}.`,
    });
  return problems;
}

/** What judging a network starts from, once its input is checked. */
interface Prepared {
  readonly region: Region;
  readonly modes: NodeMode[];
  readonly path: NetworkPath;
  readonly around: Surroundings;
  /** The flows the modes or stage need, through the private endpoints given. */
  readonly needed: Flow[];
  readonly endpoints: readonly PrivateEndpointPath[];
}

/**
 * Checks the input and works out the path, the surroundings and the flows needed.
 * @param withinLimits the caller already knows the input nests within the limits (it came out
 * of the package's own schemas), so it is not walked again for that.
 */
function prepare(input: AnalysisInput, withinLimits = false): Prepared {
  if (!withinLimits) refuseTooDeep(input, "input");
  const shape = objectProblem(input, "input", "analysis input");
  if (shape.length > 0) throw new InvalidInputError(shape);
  const problems: Problem[] = [...readNetworkProblems(input)];
  if (input.modes !== undefined && input.stage !== undefined) {
    problems.push({ field: "stage", message: "give modes or a stage, not both." });
  }
  const stage = input.stage === undefined ? undefined : findStage(input.stage);
  if (input.stage !== undefined && !stage)
    problems.push({
      field: "stage",
      message: `${shown(input.stage)} is not a migration stage; use one of ${STAGE_ORDER.join(", ")}.`,
    });
  const modes = stage
    ? stageSettings(stage).ruleModes
    : (input.modes ?? [CommunicationMode.Default]);
  const scope = checkScope(input.region, modes, undefined, input.simplifiedObserved === true);
  problems.push(...scope.problems);
  const region = scope.region ?? findRegion(input.region);
  if (!region && !problems.some((p) => p.field === "region"))
    problems.push({ field: "region", message: unknownRegionMessage(input.region) });
  if (
    input.subnetPrefix !== undefined &&
    (typeof input.subnetPrefix !== "string" || addressKind(input.subnetPrefix) !== "cidr")
  ) {
    problems.push({
      field: "subnetPrefix",
      message: `${shown(input.subnetPrefix)} is not a CIDR prefix; give the pool subnet's prefix (10.0.0.0/24).`,
    });
  }
  const given: unknown = input.privateEndpoints;
  const endpoints: readonly PrivateEndpointPath[] = Array.isArray(given)
    ? (given as PrivateEndpointPath[])
    : [];
  if (given !== undefined && !Array.isArray(given))
    problems.push({
      field: "privateEndpoints",
      message: "must be a list of private endpoint paths.",
    });
  problems.push(...validatePrivateEndpoints(endpoints, (i) => `privateEndpoints[${i}]`));
  if (problems.length > 0 || !region) throw new InvalidInputError(problems);

  return {
    region,
    modes: scope.modes,
    around: {
      subnetPrefix: input.subnetPrefix,
      defaultRouteOverridden: forcesDefaultRoute(input.routeTable),
    },
    path: {
      ...(input.adminRules ? { adminRules: input.adminRules } : {}),
      ...(input.subnetNsg ? { subnetNsg: input.subnetNsg } : {}),
      ...(input.nicNsg ? { nicNsg: input.nicNsg } : {}),
      ...(input.routeTable ? { routeTable: input.routeTable } : {}),
      ...(input.outbound ? { outbound: input.outbound } : {}),
      ...(endpoints.length > 0 ? { endpoints } : {}),
      ...(input.notGiven?.length ? { notGiven: [...input.notGiven] } : {}),
      ...(input.strict ? { strict: true } : {}),
    },
    needed: throughPrivateEndpoints(
      flowsFor(region.name, scope.modes, input.flowOptions ?? {}),
      endpoints,
    ),
    endpoints,
  };
}

/**
 * The layers the analysis was given, and those it was not: a layer not given is named with the
 * command that exports it. A route table or NSG the caller knows the subnet lacks is given (as
 * Azure's system routes, or no NSG); admin rules, the outbound path and an endpoint's connection
 * state are given only by their exports.
 */
function layersOf(path: NetworkPath, flows: readonly FlowVerdict[]): Analysis["layers"] {
  const given: Record<LayerName, boolean> = {
    "admin-rules": path.adminRules !== undefined,
    nsg: !!(path.subnetNsg || path.nicNsg) || !path.notGiven?.includes("nsg"),
    route: path.routeTable !== undefined || !path.notGiven?.includes("route"),
    outbound: path.outbound !== undefined,
    "private-endpoint": (path.endpoints ?? []).every((e) => e.status !== undefined),
  };
  // The endpoint layer is about flows through an endpoint only; without one it is not a layer.
  const relevant = (layer: LayerName) =>
    layer !== "private-endpoint" || flows.some((f) => f.layers.some((l) => l.layer === layer));
  return {
    judged: LAYERS.filter((l) => given[l] && relevant(l)),
    notJudged: LAYERS.filter((l) => !given[l] && relevant(l)).map((layer) => ({
      layer,
      ...LAYER_EXPORTS[layer],
    })),
  };
}

/**
 * Judges every flow the modes (or the stage) need against an existing network.
 * @throws InvalidInputError for an unknown region, mode or stage.
 */
export function analyzeNetwork(input: AnalysisInput): Analysis {
  return analyzeWithinLimits(input, false);
}

/**
 * {@link analyzeNetwork} for the package's own callers: with `withinLimits`, an input made of
 * values its schemas produced is not walked for depth again (the audit judges thousands of
 * pools over the same NSGs; each walk would cost as much as the judging).
 */
export function analyzeWithinLimits(input: AnalysisInput, withinLimits: boolean): Analysis {
  const { region, modes, path, around, needed, endpoints } = prepare(input, withinLimits);
  const flows = needed.map((f) => judgeFlow(path, f, around));
  const advice = adviseNetwork({
    path,
    region: region.name,
    modes,
    verdicts: flows,
    leftovers: leftoverFlows(region.name, modes),
    around,
    privateEndpointsKnown: input.privateEndpoints !== undefined,
  });
  return {
    region: region.name,
    modes,
    flows,
    layers: layersOf(path, flows),
    advice,
    privateDns: privateDns(
      region,
      endpoints.filter((e) => needed.some((f) => f.peer[0] === e.address)),
    ),
    verdict: worst(flows.map((f) => f.verdict)),
  };
}

/**
 * Only what the flows' outcomes are, shape by shape: each TCP and UDP packet shape of each
 * needed flow through the NSGs, and each flow's route, in a fixed order. A change is safe for a
 * pool when no entry gets worse; this is the test advice passes, without the advice.
 * For the package's own callers, whose input the schemas bounded (see {@link analyzeWithinLimits}).
 * @throws InvalidInputError as {@link analyzeNetwork} does.
 */
export function networkOutcomes(input: AnalysisInput): Outcome[] {
  const { path, around, needed } = prepare(input, true);
  return pathOutcomes(path, needed, around);
}
