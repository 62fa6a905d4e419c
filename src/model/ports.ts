/** NSG port ranges: `*`, a single port `443`, or an inclusive range `29876-29877`. */

export const MIN_PORT = 0;
export const MAX_PORT = 65535;

/** An inclusive range of ports. */
export interface PortInterval {
  readonly from: number;
  readonly to: number;
}

const SINGLE = /^\d{1,5}$/;
const RANGE = /^(\d{1,5})-(\d{1,5})$/;

/** Most distinct strings remembered; past it, the table starts again. */
const CACHE_LIMIT = 10_000;
const PARSED = new Map<string, PortInterval | null>();

/**
 * The ports a range string covers, or `undefined` when Azure would reject it. NSGs repeat a few
 * port strings across thousands of rules, and reading and judging both ask: each distinct
 * string is parsed once (the intervals are frozen, so sharing them is safe).
 */
export function parsePortRange(text: string): PortInterval | undefined {
  if (typeof text !== "string")
    return typeof text === "number" ? parseText(String(text)) : undefined;
  const known = PARSED.get(text);
  if (known !== undefined) return known ?? undefined;
  const parsed = parseText(text);
  if (PARSED.size >= CACHE_LIMIT) PARSED.clear();
  PARSED.set(text, parsed ? Object.freeze(parsed) : null);
  return parsed;
}

function parseText(text: string): PortInterval | undefined {
  const trimmed = text.trim();
  if (trimmed === "*") return { from: MIN_PORT, to: MAX_PORT };
  if (SINGLE.test(trimmed)) {
    const port = Number(trimmed);
    return port <= MAX_PORT ? { from: port, to: port } : undefined;
  }
  const range = RANGE.exec(trimmed);
  if (!range) return undefined;
  const from = Number(range[1]);
  const to = Number(range[2]);
  return from <= to && to <= MAX_PORT ? { from, to } : undefined;
}

/** Whether `outer` covers every port of `inner`. */
export function portsCover(outer: PortInterval, inner: PortInterval): boolean {
  return outer.from <= inner.from && inner.to <= outer.to;
}

/** Whether two intervals share a port. */
export function portsOverlap(a: PortInterval, b: PortInterval): boolean {
  return a.from <= b.to && b.from <= a.to;
}
