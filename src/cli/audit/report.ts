/**
 * What `azure-batch-network audit` reports: reads export files and folders, judges the fleet
 * with the model's audit, and renders it for a terminal, a change request or a script.
 */
import {
  auditFleet,
  azCommand,
  describeModes,
  FleetAudit,
  MergedChanges,
  PoolAudit,
  InventoryBuilder,
} from "../../model";
import { subscriptionOfResourceId } from "../../model/ids";
import { withFlagNames } from "../exit";
import { readJsonInputs } from "../io/files";
import {
  markdownCode,
  markdownCodeBlock,
  markdownHeading,
  markdownLine,
  markdownTable,
  markdownText,
} from "../output/markdown";
import { paragraph, renderTable, shellCommand } from "../output/text";

/** The audit as the command reports it: the model's, with files it did not read. */
export interface AuditReport extends Omit<FleetAudit, "pools" | "changes"> {
  readonly pools: ReturnType<typeof poolView>[];
  readonly changes: ReturnType<typeof changesView>[];
}

/** A progress line on a terminal's stderr, once a run has taken more than a second. */
function progressLine(): (text: string) => void {
  const start = Date.now();
  const tty = process.stderr.isTTY === true;
  return (text) => {
    if (tty && Date.now() - start > 1000) process.stderr.write(`\r\u001b[K${text}`);
  };
}

function poolView(p: PoolAudit) {
  return {
    pool: p.pool,
    poolId: p.poolId,
    account: p.account,
    region: p.region,
    subnetId: p.subnetId,
    nsg: p.nsg,
    routeTable: p.routeTable,
    target: p.target,
    current: p.current,
    judgedModes: p.judgedModes,
    status: p.status,
    why: p.why,
    flows: (p.analysis?.flows ?? []).map((f) => ({
      flow: f.flow.id,
      peer: f.flow.peer[0],
      verdict: f.verdict,
      rules: f.rules,
      route: f.route,
      reason: f.reason,
    })),
    privateDns: p.analysis?.privateDns.map((d) => d.message) ?? [],
    missing: p.missing,
    sharesSubnetWith: p.sharesSubnetWith,
    sharesSubnetWithCount: p.sharesSubnetWithCount,
    ...(p.notes ? { notes: p.notes } : {}),
  };
}

function changesView(c: MergedChanges) {
  const command = (a: MergedChanges["advice"][number]) =>
    a.change
      ? {
          command: azCommand(a.change, {
            resourceGroup: c.resourceGroup,
            subscription: subscriptionOfResourceId(c.id),
          }),
        }
      : {};
  return {
    ...c,
    advice: c.advice.map((a) => ({ ...a, ...command(a) })),
  };
}

/** Reads the exports under `paths` and audits them. @throws CliInputError on bad input. */
export function auditExports(paths: readonly string[]): AuditReport {
  const progress = progressLine();
  // Each file goes into the inventory as it is read: a streamed export leaves only its
  // parsed facts in memory.
  const builder = new InventoryBuilder();
  const skipped = withFlagNames({}, () =>
    readJsonInputs(
      paths,
      "audit",
      {
        document: (source, json) => builder.addDocument(source, json),
        streamed: (source, stream) => {
          builder.beginDocument(source);
          stream({
            item: (node, at) => builder.addResource(node, at),
            field: (key, value) => builder.addField(key, value),
          });
          builder.endDocument();
        },
      },
      progress,
    ),
  );
  const inventory = withFlagNames({}, () => builder.build());
  const audit = auditFleet(inventory, (done, total) =>
    progress(`audit: judged ${done}/${total} pools`),
  );
  progress("");
  return {
    ...audit,
    skipped: [...skipped, ...audit.skipped],
    pools: audit.pools.map(poolView),
    changes: audit.changes.map(changesView),
  };
}

function summaryLine(report: AuditReport): string {
  const count = (s: string) => report.pools.filter((p) => p.status === s).length;
  const accounts = new Set(report.pools.map((p) => p.account)).size;
  return `Audit of ${report.pools.length} pools in ${accounts} accounts: ${count("ok")} ok, ${count("at-risk")} at risk, ${count("broken")} broken, ${count("no-vnet")} without a VNet (no network rules needed).`;
}

const SUMMARY_HEADER = ["REGION", "ACCOUNT", "OK", "AT RISK", "BROKEN", "NO VNET"];
const POOL_HEADER = [
  "POOL",
  "ACCOUNT",
  "REGION",
  "NSG",
  "TARGET",
  "CURRENT",
  "JUDGED AS",
  "STATUS",
  "WHY",
];

function summaryRows(report: AuditReport): string[][] {
  return report.summary.map((s) => [
    s.region,
    s.account,
    String(s.ok),
    String(s.atRisk),
    String(s.broken),
    String(s.noVnet),
  ]);
}

function poolRows(report: AuditReport): string[][] {
  return report.pools.map((p) => [
    p.pool,
    p.account,
    p.region ?? "?",
    p.nsg ?? (p.subnetId ? "(none)" : "-"),
    p.target,
    p.current ?? "-",
    describeModes(p.judgedModes),
    p.status,
    [p.why, ...(p.notes ?? [])].join("; "),
  ]);
}

function changeTitle(c: AuditReport["changes"][number]): string {
  return `${c.kind === "nsg" ? "NSG" : "route table"} ${c.name}${c.resourceGroup ? ` (${c.resourceGroup})` : ""}, serving ${c.pools.join(", ")}`;
}

/** The audit as the terminal shows it, laid out to `width` columns. */
export function renderAudit(report: AuditReport, width: number): string {
  const item = (text: string) => paragraph(text, width, "  - ", "    ");
  const out = [
    paragraph(summaryLine(report), width),
    "",
    renderTable(SUMMARY_HEADER, summaryRows(report), width),
    "",
  ];
  out.push(renderTable(POOL_HEADER, poolRows(report), width));
  if (report.changes.length > 0) {
    out.push(
      "",
      paragraph(
        "Changes, each kept only if every pool the NSG or route table serves keeps its flows:",
        width,
      ),
    );
    for (const c of report.changes) {
      out.push(paragraph(`${changeTitle(c)}:`, width));
      for (const a of c.advice) {
        out.push(item(`[${a.kind}] ${a.message}`));
        if (a.command) out.push(shellCommand(a.command, width, "      "));
      }
      for (const w of c.withheld)
        out.push(
          item(
            `withheld [${w.advice.kind}] ${w.advice.rule}: pool ${w.wouldBreak} still needs it.`,
          ),
        );
    }
  }
  const missing = report.pools.filter((p) => p.missing.length > 0);
  if (missing.length > 0) {
    out.push("", "Undecided until exported:");
    for (const p of missing)
      for (const m of p.missing) {
        out.push(
          item(`${p.pool}: its ${m.what} ${m.id}:`),
          shellCommand(m.command, width, "      "),
        );
      }
  }
  for (const s of report.skipped) out.push(paragraph(`skipped: ${s.source}: ${s.why}`, width));
  return out.join("\n");
}

/** The audit as Markdown: the summary, the pools, and the changes per NSG with commands. */
export function renderAuditMarkdown(report: AuditReport): string {
  const out = [
    markdownHeading(1, `Batch network audit: ${report.status.toUpperCase()}`),
    "",
    markdownText(summaryLine(report)),
    "",
  ];
  out.push(
    ...markdownTable(
      SUMMARY_HEADER.map((h) => h.toLowerCase()),
      summaryRows(report),
    ),
  );
  out.push(
    "",
    markdownHeading(2, "Pools"),
    "",
    ...markdownTable(
      POOL_HEADER.map((h) => h.toLowerCase()),
      poolRows(report),
    ),
  );
  if (report.changes.length > 0) {
    out.push("", markdownHeading(2, "Changes"), "");
    for (const c of report.changes) {
      out.push(markdownHeading(3, changeTitle(c)), "");
      c.advice.forEach((a, i) => {
        out.push(
          `${i + 1}. ${markdownLine({ md: `**${markdownText(a.kind)}**` }, `: ${a.message}`)}`,
        );
        if (a.command) out.push("", ...markdownCodeBlock(a.command, "sh", "   "));
      });
      for (const w of c.withheld)
        out.push(
          `- ${markdownLine(
            { md: `withheld **${markdownText(w.advice.kind)}** ` },
            markdownCode(w.advice.rule ?? ""),
            `: pool ${w.wouldBreak} still needs it.`,
          )}`,
        );
      out.push("");
    }
  }
  const missing = report.pools.filter((p) => p.missing.length > 0);
  if (missing.length > 0) {
    out.push(markdownHeading(2, "Undecided until exported"), "");
    for (const p of missing)
      for (const m of p.missing)
        out.push(`- ${markdownLine(`${p.pool}: its ${m.what}: `, markdownCode(m.command))}`);
  }
  return out.join("\n");
}
