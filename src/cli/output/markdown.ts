/** Markdown for the reports that print it (`check`, `plan`, `audit`): tables a review can read. */

/** A table cell: a pipe would end the cell, a line break the row. */
export function markdownCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}

/** A table: the header, the separator, a line per row. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string[] {
  return [
    `| ${header.map(markdownCell).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(markdownCell).join(" | ")} |`),
  ];
}
