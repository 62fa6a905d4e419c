/**
 * The audit for people: the summary first (counts per subscription and region, the NSGs behind
 * the most broken pools, the changes that fix the most pools with their az lines, each missing
 * export once), then the details (every pool, every change per NSG and route table). As
 * terminal text, or as Markdown that fits a pull request comment.
 */
import { describeModes, poolLabel } from "../../model";
import {
  markdownCode,
  markdownCodeBlock,
  markdownHeading,
  markdownLine,
  markdownTable,
  markdownText,
} from "../output/markdown";
import { paragraph, renderTable, shellCommand } from "../output/text";
import type { AuditReport } from "./report";

/** Longest Markdown printed: a pull request comment takes 65,536 characters. */
export const MARKDOWN_LIMIT = 65_000;

/** Missing exports the summary lists; the rest are counted (every one is in the details). */
const UNDECIDED_SHOWN = 20;

const STATUS_WORDS: Readonly<Record<AuditReport["status"], string>> = {
  ok: "OK",
  "at-risk": "AT RISK",
  broken: "BROKEN",
};

/** `1 pool`, `2 pools`. */
const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

function headline(report: AuditReport): string {
  const { pools, accounts, subscriptions } = report.overview;
  return `Audit of ${counted(pools.total, "pool")} in ${counted(accounts, "account")} and ${counted(subscriptions, "subscription")}: ${STATUS_WORDS[report.status]}. ${pools.broken} broken, ${pools.atRisk} at risk, ${pools.ok} ok, ${pools.noVnet} without a VNet (no network rules needed).`;
}

const CELL_HEADER = ["SUBSCRIPTION", "REGION", "BROKEN", "AT RISK", "OK", "NO VNET"];
const NSG_HEADER = ["NSG", "SUBSCRIPTION", "BROKEN", "AT RISK", "POOLS"];
const POOL_HEADER = [
  "POOL",
  "SUBSCRIPTION",
  "REGION",
  "NSG",
  "TARGET",
  "CURRENT",
  "JUDGED AS",
  "STATUS",
  "WHY",
];

function cellRows(report: AuditReport): string[][] {
  return report.overview.bySubscriptionRegion.map((c) => [
    c.subscription,
    c.region,
    String(c.broken),
    String(c.atRisk),
    String(c.ok),
    String(c.noVnet),
  ]);
}

function nsgRows(report: AuditReport): string[][] {
  return report.overview.worstNsgs.map((n) => [
    n.nsg,
    n.subscription ?? "?",
    String(n.broken),
    String(n.atRisk),
    String(n.pools),
  ]);
}

function poolRows(report: AuditReport): string[][] {
  return report.pools.map((p) => [
    poolLabel(p),
    p.subscription ?? "?",
    p.region ?? "?",
    p.nsg ?? (p.subnetId ? "(none)" : "-"),
    p.target,
    p.current ?? "-",
    describeModes(p.judgedModes),
    p.status,
    [p.why, ...(p.notes ?? [])].join("; "),
  ]);
}

/** The az line of a top change, from the change as the report carries it. */
function commandOf(report: AuditReport, id: string, rule: string | undefined): string | undefined {
  const changes = report.changes.find((c) => c.id === id);
  return changes?.advice.find((a) => a.rule === rule && a.command)?.command;
}

function changeTitle(c: AuditReport["changes"][number]): string {
  return `${c.kind === "nsg" ? "NSG" : "route table"} ${c.name} (${c.resourceGroup ?? "?"}, subscription ${c.id.split("/")[2] ?? "?"}), serving ${counted(c.pools.length, "pool")}`;
}

/** The summary as the terminal shows it. */
export function renderAuditSummary(report: AuditReport, width: number): string {
  const item = (text: string) => paragraph(text, width, "  - ", "    ");
  const { overview } = report;
  const out = [paragraph(headline(report), width)];
  for (const page of report.incomplete)
    out.push(
      paragraph(
        `INCOMPLETE: ${page.source} ${page.at}: more of this listing follows, and no file holds it:`,
        width,
      ),
      shellCommand(page.command, width, "    "),
    );
  out.push("", renderTable(CELL_HEADER, cellRows(report), width));
  if (overview.worstNsgs.length > 0)
    out.push(
      "",
      "NSGs with the most broken pools:",
      renderTable(NSG_HEADER, nsgRows(report), width),
    );
  if (overview.topChanges.length > 0) {
    out.push(
      "",
      paragraph(
        "The changes that fix the most pools (each judged safe for every pool its NSG serves):",
        width,
      ),
    );
    overview.topChanges.forEach((c, i) => {
      out.push(
        paragraph(
          `${i + 1}. fixes ${counted(c.fixes, "pool")}: [${c.advice.kind}] ${c.advice.message}`,
          width,
          "",
          "   ",
        ),
      );
      const command = commandOf(report, c.id, c.advice.rule);
      if (command) out.push(shellCommand(command, width, "     "));
    });
  }
  if (overview.undecided.length > 0) {
    out.push("", "Undecided until exported:");
    for (const m of overview.undecided.slice(0, UNDECIDED_SHOWN))
      out.push(
        item(
          `${m.what} ${m.id}: ${counted(m.pools, "pool")} wait on it (${m.examples.join(", ")}${m.pools > m.examples.length ? ", ..." : ""}):`,
        ),
        shellCommand(m.command, width, "      "),
      );
    if (overview.undecided.length > UNDECIDED_SHOWN)
      out.push(
        item(
          `and ${overview.undecided.length - UNDECIDED_SHOWN} more exports (each pool's are in --json).`,
        ),
      );
  }
  if (report.accountsWithoutPools.length > 0) {
    out.push("", "Accounts no pool in the exports belongs to:");
    for (const a of report.accountsWithoutPools)
      out.push(item(`${a.what}:`), shellCommand(a.command, width, "      "));
  }
  return out.join("\n");
}

/** The details as the terminal shows them: every pool, then the changes per NSG. */
function renderAuditDetails(report: AuditReport, width: number): string {
  const item = (text: string) => paragraph(text, width, "  - ", "    ");
  const out = ["Pools:", renderTable(POOL_HEADER, poolRows(report), width)];
  if (report.changes.length > 0) {
    out.push(
      "",
      paragraph(
        "Changes per NSG and route table, each kept only if every pool it serves keeps its flows:",
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
  for (const s of report.skipped) out.push(paragraph(`skipped: ${s.source}: ${s.why}`, width));
  return out.join("\n");
}

/** The whole audit as the terminal shows it, laid out to `width` columns: summary, then details. */
export function renderAudit(report: AuditReport, width: number): string {
  return [renderAuditSummary(report, width), "", renderAuditDetails(report, width)].join("\n");
}

// ---- Markdown ---------------------------------------------------------------------------

function markdownSummary(report: AuditReport): string[] {
  const { overview } = report;
  const out = [
    markdownHeading(1, `Batch network audit: ${STATUS_WORDS[report.status]}`),
    "",
    markdownText(headline(report)),
    "",
  ];
  for (const page of report.incomplete)
    out.push(
      `- ${markdownLine({ md: "**INCOMPLETE**" }, ` ${page.source} ${page.at}: more of this listing follows: `, markdownCode(page.command))}`,
    );
  if (report.incomplete.length > 0) out.push("");
  out.push(
    ...markdownTable(
      CELL_HEADER.map((h) => h.toLowerCase()),
      cellRows(report),
    ),
  );
  if (overview.worstNsgs.length > 0)
    out.push(
      "",
      markdownHeading(2, "NSGs with the most broken pools"),
      "",
      ...markdownTable(
        NSG_HEADER.map((h) => h.toLowerCase()),
        nsgRows(report),
      ),
    );
  if (overview.topChanges.length > 0) {
    out.push("", markdownHeading(2, "The changes that fix the most pools"), "");
    overview.topChanges.forEach((c, i) => {
      out.push(
        `${i + 1}. ${markdownLine({ md: `**fixes ${counted(c.fixes, "pool")}**` }, `: [${c.advice.kind}] ${c.advice.message}`)}`,
      );
      const command = commandOf(report, c.id, c.advice.rule);
      if (command) out.push("", ...markdownCodeBlock(command, "sh", "   "));
    });
  }
  if (overview.undecided.length > 0) {
    out.push("", markdownHeading(2, "Undecided until exported"), "");
    for (const m of overview.undecided.slice(0, UNDECIDED_SHOWN))
      out.push(
        `- ${markdownLine(`${m.what} (${counted(m.pools, "pool")}: ${m.examples.join(", ")}${m.pools > m.examples.length ? ", ..." : ""}): `, markdownCode(m.command))}`,
      );
  }
  if (report.accountsWithoutPools.length > 0) {
    out.push("", markdownHeading(2, "Accounts no pool in the exports belongs to"), "");
    for (const a of report.accountsWithoutPools)
      out.push(`- ${markdownLine(`${a.what}: `, markdownCode(a.command))}`);
  }
  return out;
}

/** The details in Markdown, as blocks the length cap may stop between. */
function markdownDetails(report: AuditReport): string[][] {
  const blocks: string[][] = [
    [
      "",
      markdownHeading(2, "Pools"),
      "",
      ...markdownTable(
        POOL_HEADER.map((h) => h.toLowerCase()),
        poolRows(report),
      ),
    ],
  ];
  for (const c of report.changes) {
    const block = ["", markdownHeading(3, changeTitle(c)), ""];
    c.advice.forEach((a, i) => {
      block.push(
        `${i + 1}. ${markdownLine({ md: `**${markdownText(a.kind)}**` }, `: ${a.message}`)}`,
      );
      if (a.command) block.push("", ...markdownCodeBlock(a.command, "sh", "   "));
    });
    for (const w of c.withheld)
      block.push(
        `- ${markdownLine({ md: `withheld **${markdownText(w.advice.kind)}** ` }, markdownCode(w.advice.rule ?? ""), `: pool ${w.wouldBreak} still needs it.`)}`,
      );
    blocks.push(block);
  }
  return blocks;
}

/**
 * The audit as Markdown, at most `limit` characters: the summary, then as much of the details
 * as fits, whole sections at a time, then where the rest is.
 * @param rest where the whole report is (`--out`), for the note on what was left out.
 */
export function renderAuditMarkdown(
  report: AuditReport,
  limit = MARKDOWN_LIMIT,
  rest?: string,
): string {
  const out = markdownSummary(report);
  const note = (left: number) =>
    markdownText(
      `${left} more sections are left out to fit a pull request comment; ${rest ? `the whole report is in ${rest}` : "run again with --out FILE for the whole report"}.`,
    );
  let length = out.join("\n").length;
  const blocks = markdownDetails(report);
  for (let i = 0; i < blocks.length; i++) {
    const text = blocks[i].join("\n");
    if (length + text.length + 1 + 300 > limit) {
      out.push("", note(blocks.length - i));
      break;
    }
    out.push(text);
    length += text.length + 1;
  }
  const markdown = out.join("\n");
  if (markdown.length <= limit) return markdown;
  // The summary alone is past the cap (thousands of missing exports): cut it at a line.
  const cut = markdown.lastIndexOf("\n", limit - 300);
  return `${markdown.slice(0, cut)}\n\n${note(blocks.length)}`;
}
