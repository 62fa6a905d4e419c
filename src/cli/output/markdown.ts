/**
 * The one way values reach Markdown (`check`, `plan` and `audit` with `--markdown`): a value is
 * text, escaped here, unless this module made it Markdown (a code span, a code block, cells
 * joined by line breaks). A rule named `x\n# Approved` or `<img src=x onerror=...>` then prints
 * as those characters, never as a heading or HTML, and a pipe never splits a table cell.
 * Control characters are escaped as the terminal's text is (./text.ts).
 */
import { escapeControls } from "./text";

/** Markdown this module made from values; anything else given to it is text. */
export interface Markdown {
  readonly md: string;
}

/** A value in a line or cell: text (escaped) or Markdown this module made. */
export type Inline = string | Markdown;

// Characters that start inline markup anywhere: emphasis, code, links and images, HTML and
// entities, table cells, strikethrough, and the escape itself.
const INLINE = /[\\`*_[\]<>&|~]/g;
// What starts a block when it opens a line, or a list item's content: a heading, a quote, a
// list item, a setext underline, a numbered item, a thematic break.
const BLOCK_START = /^(\s*)(?:([#>+\-=])|(\d+)([.)]))/;
const ENTITIES: Readonly<Record<string, string>> = { "<": "&lt;", ">": "&gt;", "&": "&amp;" };

/** The longest run of backticks in `text` (a fold: a hostile value may hold a million runs). */
function longestRun(text: string): number {
  return (text.match(/`+/g) ?? []).reduce((most, run) => Math.max(most, run.length), 0);
}

/** Text as Markdown that shows it as it is, on one line. */
export function markdownText(text: string): string {
  const oneLine = escapeControls(text.replace(/\r\n|\r|\n/g, " "));
  return (
    oneLine
      .replace(INLINE, (c) => ENTITIES[c] ?? `\\${c}`)
      // GitHub makes links of bare URLs and addresses: a value stays text.
      .replace(/:\/\//g, "\\://")
      .replace(/\b(www)\./gi, "$1\\.")
      .replace(/@/g, "\\@")
      .replace(BLOCK_START, (_, space: string, marker?: string, digits?: string, dot?: string) =>
        marker ? `${space}\\${marker}` : `${space}${digits}\\${dot}`,
      )
  );
}

function render(value: Inline): string {
  return typeof value === "string" ? markdownText(value) : value.md;
}

/** Values side by side on one line: text escaped, Markdown as made. */
export function markdownLine(...parts: readonly Inline[]): string {
  return parts.map(render).join("");
}

/** A code span holding `text` as it is: its fence longer than any run of backticks in it. */
export function markdownCode(text: string): Markdown {
  const oneLine = escapeControls(text.replace(/\r\n|\r|\n/g, " "));
  const longest = longestRun(oneLine);
  const fence = "`".repeat(longest + 1);
  const pad = /^`|`$|^ .* $/.test(oneLine) ? " " : "";
  return { md: `${fence}${pad}${oneLine}${pad}${fence}` };
}

/** Values joined with a line break inside one table cell. */
export function markdownBreaks(parts: readonly Inline[]): Markdown {
  return { md: parts.map(render).join("<br>") };
}

/** A fenced code block (a command to copy), indented to sit inside a list item. */
export function markdownCodeBlock(text: string, language = "sh", indent = ""): string[] {
  const body = escapeControls(text).split(/\r\n|\r|\n/);
  const longest = longestRun(text);
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${indent}${fence}${language}`, ...body.map((l) => `${indent}${l}`), `${indent}${fence}`];
}

/** A heading of `level` whose words are text. */
export function markdownHeading(level: number, ...parts: readonly Inline[]): string {
  return `${"#".repeat(level)} ${markdownLine(...parts)}`;
}

/** A table cell: its pipes escaped even inside code spans (GitHub splits cells on them). */
function cell(value: Inline): string {
  return typeof value === "string" ? markdownText(value) : value.md.replace(/(?<!\\)\|/g, "\\|");
}

/** A table: the header, the separator, a line per row; every cell a value. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly Inline[])[],
): string[] {
  return [
    `| ${header.map(cell).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
}
