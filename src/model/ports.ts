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

/** The ports a range string covers, or `undefined` when Azure would reject it. */
export function parsePortRange(text: string): PortInterval | undefined {
  if (typeof text !== "string" && typeof text !== "number") return undefined;
  const trimmed = String(text).trim();
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
