/**
 * `check`'s report for people: a table per NSG with one row per flow (the rules and the route
 * that decided it), where DNS must point for private endpoints, and the advice with the command
 * that makes each change; as terminal text or as Markdown for a pull request.
 */
import type { FlowVerdict, LayerName, LayerVerdict } from "../../model/analyze";
import type { Flow } from "../../model/flows";
import { describeModes } from "../../model/modes";
import type { CheckReport, NsgReport, ReportedAdvice } from "./report";
import {
  markdownCode,
  markdownCodeBlock,
  markdownHeading,
  markdownLine,
  markdownTable,
  markdownText,
} from "../output/markdown";
import { paragraph, renderTable, shellCommand } from "../output/text";

const HEADER = ["FLOW", "VERDICT", "ADMIN RULES", "NSG RULES", "ROUTE", "WAY OUT", "WHY"];
const MARKDOWN_HEADER = ["Flow", "Verdict", "Admin rules", "NSG rules", "Route", "Way out", "Why"];

const LAYER_WORDS: Readonly<Record<LayerName, string>> = {
  "admin-rules": "admin rules",
  nsg: "NSG",
  route: "routes",
  outbound: "outbound path",
  "private-endpoint": "private endpoint",
};

/** A layer's cell: its outcome and what decided it. */
function layerCell(layer: LayerVerdict | undefined): string {
  if (!layer) return "";
  if (layer.outcome === "not-judged") return "not judged";
  if (layer.outcome === "skipped") return layer.reason ? `skipped: ${layer.reason}` : "skipped";
  return layer.by ? `${layer.outcome}: ${layer.by}` : layer.outcome;
}

/** The layer after the route: the way out (outbound method) or the private endpoint. */
function wayOut(verdict: FlowVerdict): LayerVerdict | undefined {
  return verdict.layers.find((l) => l.layer === "outbound" || l.layer === "private-endpoint");
}

function flowName(flow: Flow): string {
  const protocol = flow.protocol === "*" ? "Any" : flow.protocol.toUpperCase();
  const toward = flow.direction === "Inbound" ? "from" : "to";
  return `${flow.direction} ${protocol} ${flow.ports} ${toward} ${flow.peer.join(",")}`;
}

function rows(report: NsgReport): string[][] {
  return report.analysis.flows.map((f) => [
    flowName(f.flow),
    f.verdict,
    layerCell(f.layers.find((l) => l.layer === "admin-rules")),
    f.rules.join("; ") || layerCell(f.layers.find((l) => l.layer === "nsg")),
    f.route,
    layerCell(wayOut(f)),
    f.verdict === "allowed" ? f.flow.reason : f.reason,
  ]);
}

/**
 * What the verdict is about: "ALLOWED by the NSG and routes given; not judged: admin rules,
 * outbound path".
 */
export function verdictLine(analysis: NsgReport["analysis"]): string {
  const { judged, notJudged } = analysis.layers;
  const words = (layers: readonly LayerName[]) => layers.map((l) => LAYER_WORDS[l]).join(", ");
  const by = judged.length > 0 ? ` by the ${words(judged)} given` : "";
  const rest = notJudged.length > 0 ? `; not judged: ${words(notJudged.map((m) => m.layer))}` : "";
  return `${analysis.verdict.toUpperCase()}${by}${rest}`;
}

function heading(report: NsgReport): string {
  const { analysis } = report;
  return `${report.nsg} (${report.file}): region ${analysis.region}, modes ${describeModes(analysis.modes)}: ${verdictLine(analysis)}`;
}

/** Each layer not given, with the command that exports it. */
function notJudgedLines(report: NsgReport, width: number): string[] {
  const missing = report.analysis.layers.notJudged;
  if (missing.length === 0) return [];
  return [
    paragraph(
      "Not judged (the exit status is about the layers given; --all-layers counts these as undecided):",
      width,
    ),
    ...missing.flatMap((m) => [
      paragraph(`- ${m.what}:`, width, "  ", "    "),
      shellCommand(m.command, width, "      "),
    ]),
  ];
}

function adviceLines(advice: ReportedAdvice, width: number): string[] {
  return [
    paragraph(`[${advice.kind}] ${advice.nsg}: ${advice.message}`, width, "  - ", "    "),
    ...(advice.command ? [shellCommand(advice.command, width, "      ")] : []),
  ];
}

/** One NSG's part of the terminal report, laid out to `width` columns. */
export function renderNsgReport(nsgReport: NsgReport, width: number): string {
  const out = [
    paragraph(heading(nsgReport), width, "", "  "),
    renderTable(HEADER, rows(nsgReport), width),
    ...notJudgedLines(nsgReport, width),
  ];
  for (const dns of nsgReport.analysis.privateDns)
    out.push(paragraph(`DNS: ${dns.message}`, width, "", "     "));
  if (nsgReport.analysis.advice.length > 0) {
    out.push("Advice:");
    out.push(...nsgReport.analysis.advice.flatMap((a) => adviceLines(a, width)));
  }
  return out.join("\n");
}

/** The terminal report from each NSG's part (as {@link renderNsgReport} made it) and the notes. */
export function renderCheckText(
  parts: readonly string[],
  notes: readonly string[],
  width: number,
): string {
  return [
    parts.join("\n\n"),
    ...notes.map((n) => paragraph(`note: ${n}`, width, "", "      ")),
  ].join("\n");
}

/** The report as the terminal shows it. */
export function renderCheck(report: CheckReport, width: number): string {
  return renderCheckText(
    report.reports.map((r) => renderNsgReport(r, width)),
    report.notes,
    width,
  );
}

/** The report as Markdown: a section per NSG, the changes as a numbered list with commands. */
export function renderCheckMarkdown(report: CheckReport): string {
  const out: string[] = [
    markdownHeading(1, `Batch network check: ${report.verdict.toUpperCase()}`),
  ];
  for (const nsgReport of report.reports) {
    const { analysis } = nsgReport;
    out.push(
      "",
      markdownHeading(
        2,
        markdownCode(nsgReport.nsg),
        " (",
        markdownCode(nsgReport.file),
        `): ${analysis.verdict.toUpperCase()}`,
      ),
      "",
      markdownText(
        `Region ${analysis.region}, modes ${describeModes(analysis.modes)}: ${verdictLine(analysis)}.`,
      ),
      "",
      ...markdownTable(MARKDOWN_HEADER, rows(nsgReport)),
    );
    if (analysis.layers.notJudged.length > 0) {
      out.push("", markdownHeading(3, "Not judged"), "");
      for (const m of analysis.layers.notJudged)
        out.push(
          `- ${markdownText(`${m.what}:`)}`,
          "",
          ...markdownCodeBlock(m.command, "sh", "  "),
        );
    }
    if (analysis.privateDns.length > 0) {
      out.push(
        "",
        markdownHeading(3, "DNS"),
        "",
        ...analysis.privateDns.map((d) => `- ${markdownText(d.message)}`),
      );
    }
    if (analysis.advice.length > 0) {
      out.push("", markdownHeading(3, "Advice"), "");
      analysis.advice.forEach((a, i) => {
        out.push(
          `${i + 1}. ${markdownLine(
            { md: `**${markdownText(a.kind)}**` },
            " ",
            markdownCode(a.nsg),
            ...(a.rule ? [" / ", markdownCode(a.rule)] : []),
            `: ${a.message}`,
          )}`,
        );
        if (a.command) out.push("", ...markdownCodeBlock(a.command, "sh", "   "));
      });
    }
  }
  if (report.notes.length > 0)
    out.push(
      "",
      markdownHeading(2, "Notes"),
      "",
      ...report.notes.map((n) => `- ${markdownText(n)}`),
    );
  return out.join("\n");
}
