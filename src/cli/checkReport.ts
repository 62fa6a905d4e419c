/**
 * What `azure-batch-network check` reports: will the NSGs and routes you have let a pool work in
 * a mode, or through a migration stage? Reads NSG and route table JSON as the Azure CLI or ARM
 * prints it and judges every flow with the model's analyzer.
 */
import {
  analyzeNetwork,
  describeModes,
  Analysis,
  findModeSet,
  findRegion,
  findStage,
  MigrationStage,
  MODE_SET_NAMES,
  MODE_SETS,
  modesForTargets,
  NetworkSecurityGroup,
  Outcome,
  parseNetworkSecurityGroup,
  parseRouteTable,
  RouteTable,
  STAGE_ORDER,
  unknownRegionMessage,
  worst,
} from "../model";
import { CliInputError, withFlagNames } from "./exit";
import { readJsonFile } from "./input";
import { renderTable } from "./table";

/** One NSG's report. */
export interface NsgReport {
  readonly file: string;
  readonly nsg: string;
  readonly analysis: Analysis;
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
}

const parseWith = <T>(parse: () => T): T => withFlagNames({}, parse);

/** Reads the files and judges each NSG. @throws CliInputError on any bad input. */
export function checkNetworks(input: CheckInput, stdin?: () => string): CheckReport {
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
      `error: --mode: "${input.mode}" is not a mode; use one of ${MODE_SET_NAMES.join(", ")}.`,
    );
  }
  const stage: MigrationStage | undefined =
    input.stage === undefined ? undefined : findStage(input.stage);
  if (input.stage !== undefined && !stage) {
    throw new CliInputError(
      `error: --stage: "${input.stage}" is not a stage; use one of ${STAGE_ORDER.join(", ")}.`,
    );
  }
  const stdinFiles = [...input.nsgFiles, input.nicNsgFile, input.routeTableFile].filter(
    (f) => f === "-",
  );
  if (stdinFiles.length > 1)
    throw new CliInputError("error: -: standard input can stand for one file only.");

  const nsgs = input.nsgFiles.map((file) => ({
    file,
    nsg: parseWith(() => parseNetworkSecurityGroup(readJsonFile(file, "--nsg", stdin), file)),
  }));
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

  const subjects = nsgs.length > 0 ? nsgs : [{ file: input.nicNsgFile!, nsg: undefined }];
  const reports = subjects.map(({ file, nsg }): NsgReport => {
    const region = input.region ?? nsg?.location ?? nicNsg?.location ?? routeTable?.location;
    if (!region) {
      throw new CliInputError(
        `error: --region: ${file} has no location; give the region (--region westus2).`,
      );
    }
    if (!findRegion(region)) {
      const where = input.region ? "--region" : `${file} $.location`;
      throw new CliInputError(`error: ${where}: ${unknownRegionMessage(region)}`);
    }
    const analysis = parseWith(() =>
      analyzeNetwork({
        region,
        ...(stage
          ? { stage }
          : { modes: modesForTargets(MODE_SETS[modeSet ?? "union"], findRegion(region)) }),
        ...(nsg ? { subnetNsg: nsg } : {}),
        ...(nicNsg ? { nicNsg } : {}),
        ...(routeTable ? { routeTable } : {}),
        ...(input.subnetPrefix ? { subnetPrefix: input.subnetPrefix } : {}),
      }),
    );
    return { file, nsg: nsg?.name ?? "(no subnet NSG)", analysis };
  });
  const widened = modeSet === "classic" && reports.some((r) => r.analysis.modes.length > 1);
  return {
    verdict: worst(reports.map((r) => r.analysis.verdict)),
    reports,
    notes: widened ? [CLASSIC_TARGET_NOTE] : [],
  };
}

/** The report as the terminal shows it. */
export function renderCheck(report: CheckReport): string {
  const out: string[] = [];
  for (const { file, nsg, analysis } of report.reports) {
    if (out.length > 0) out.push("");
    out.push(
      `${nsg} (${file}): region ${analysis.region}, modes ${describeModes(analysis.modes)}: ${analysis.verdict.toUpperCase()}`,
    );
    out.push(
      renderTable(
        ["FLOW", "VERDICT", "DECIDED BY", "WHY"],
        analysis.flows.map((f) => [
          `${f.flow.direction} ${f.flow.protocol === "*" ? "Any" : f.flow.protocol.toUpperCase()} ${f.flow.ports} ${f.flow.direction === "Inbound" ? "from" : "to"} ${f.flow.peer.join(",")}`,
          f.verdict,
          f.decidedBy.join("; "),
          f.verdict === "allowed" ? f.flow.reason : f.reason,
        ]),
      ),
    );
    if (analysis.advice.length > 0) {
      out.push("Advice:");
      out.push(...analysis.advice.map((a) => `  - ${a.nsg}: ${a.message}`));
    }
  }
  out.push(...report.notes.map((n) => `note: ${n}`));
  return out.join("\n");
}
