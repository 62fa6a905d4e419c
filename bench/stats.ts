/** Small statistics for the benchmarks: paired ratios, shown as min / median / max. */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** min / median / max of a list, each with `digits` decimals. */
export function spread(values: readonly number[], digits = 3): string {
  const f = (v: number) => v.toFixed(digits);
  return `${f(Math.min(...values))} / ${f(median(values))} / ${f(Math.max(...values))}`;
}

export function formatMs(ms: number): string {
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

export function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** A target line: what was measured, its paired ratios, the bound, and whether it holds. */
export function targetLine(what: string, ratios: readonly number[], bound: number): string {
  const holds = median(ratios) <= bound;
  return `  ${what}\n      ${spread(ratios)}  (target median <= ${bound.toFixed(2)}x: ${holds ? "holds" : "MISSED"})`;
}

/** A figure for scale, with no target. */
export function figureLine(what: string, ratios: readonly number[]): string {
  return `  ${what}\n      ${spread(ratios)}`;
}
