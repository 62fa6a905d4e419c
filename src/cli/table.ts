/**
 * Plain-text tables for the terminal. Hand-rolled on purpose: a dozen lines of padding do the
 * job, and the table libraries on npm bring box drawing and colour the output does not want
 * (it is also pasted into tickets and diffs).
 */

/** Renders rows under a header, each column padded to its widest cell, two spaces apart. */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
