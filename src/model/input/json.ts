/**
 * JSON text as untrusted input: parsed by the engine's own parser (which does not recurse), and
 * refused when nested deeper than {@link INPUT_LIMITS.maxDepth}, before anything walks it.
 * No Azure export is nested past a dozen levels; a value nested thousands deep only serves to
 * overflow the stack of whatever walks it next (a schema, a printer, Pulumi's serializer).
 */
import { InvalidInputError } from "../problems";
import { printable } from "../printable";
import { INPUT_LIMITS } from "./limits";

/** The character codes of JSON's structure, for the scans of JSON text and bytes (same in both). */
export const JSON_CODES = {
  QUOTE: 0x22,
  BACKSLASH: 0x5c,
  OPEN_LIST: 0x5b,
  CLOSE_LIST: 0x5d,
  OPEN_OBJECT: 0x7b,
  CLOSE_OBJECT: 0x7d,
  COMMA: 0x2c,
  COLON: 0x3a,
} as const;
const { QUOTE, BACKSLASH, OPEN_LIST, CLOSE_LIST, OPEN_OBJECT, CLOSE_OBJECT } = JSON_CODES;

/**
 * Where (the character offset) `text` first nests deeper than `max`, or -1. A scan of the text
 * rather than a walk of the parsed value: it needs no stack, and a few milliseconds a megabyte.
 * Brackets inside strings do not count. Run on text that parsed, so its strings are closed.
 */
export function tooDeepAt(text: string, max: number = INPUT_LIMITS.maxDepth): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string, to the next quote not escaped by a backslash, by the engine's own
      // search: most of an export's characters are inside strings.
      for (;;) {
        const end = text.indexOf('"', i + 1);
        if (end === -1) return -1;
        let backslashes = 0;
        for (let k = end - 1; k > i && text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
        i = end;
        if (backslashes % 2 === 0) break;
      }
    } else if (c === OPEN_LIST || c === OPEN_OBJECT) {
      if (++depth > max) return i;
    } else if (c === CLOSE_LIST || c === CLOSE_OBJECT) depth--;
  }
  return -1;
}

/**
 * Values {@link parseJson} made from text it scanned: already known to nest no deeper than the
 * limit, so a public entry point handed one (the CLI's own reads) need not walk it again.
 */
const SCANNED = new WeakSet<object>();

/** Whether any node of `value` sits `max` levels deep: a walk with its own stack, no strings. */
function nestsTooDeep(value: unknown, max: number): boolean {
  const nodes: unknown[] = [value];
  const depths: number[] = [0];
  const seen = new Set<object>();
  while (nodes.length > 0) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    if (typeof node !== "object" || node === null || seen.has(node)) continue;
    if (depth >= max) return true;
    if (depth === 0 && SCANNED.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const child of node)
        if (typeof child === "object" && child !== null) {
          nodes.push(child);
          depths.push(depth + 1);
        }
    } else
      for (const key of Object.keys(node)) {
        const child = (node as Record<string, unknown>)[key];
        if (typeof child === "object" && child !== null) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
  }
  return false;
}

/**
 * Where a value already parsed (a library caller's, the policy config) first nests deeper than
 * `max` (`$.network.extraRules[0].direction`), or undefined: a walk with its own stack, so that
 * the check itself cannot overflow. The common case (nothing too deep) is walked without
 * building a path; only a value that fails is walked again to name where.
 */
export function tooDeepPath(
  value: unknown,
  max: number = INPUT_LIMITS.maxDepth,
): string | undefined {
  if (!nestsTooDeep(value, max)) return undefined;
  const pending: Array<[unknown, number, string]> = [[value, 0, "$"]];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const [node, depth, path] = pending.pop()!;
    if (typeof node !== "object" || node === null || seen.has(node)) continue;
    if (depth >= max) return path;
    seen.add(node);
    if (Array.isArray(node))
      node.forEach((child, i) => pending.push([child, depth + 1, `${path}[${i}]`]));
    else
      for (const key of Object.keys(node))
        pending.push([(node as Record<string, unknown>)[key], depth + 1, `${path}.${key}`]);
  }
  return undefined;
}

/** Whether a value already parsed nests deeper than `max`. */
export function nestedTooDeep(value: unknown, max: number = INPUT_LIMITS.maxDepth): boolean {
  return tooDeepPath(value, max) !== undefined;
}

/**
 * Refuses a caller's value nested past the limit, naming where, before anything reads it: a
 * template string or a join of such a value recurses as deep as it goes.
 * @param field the argument's name, for the problem (`settings`, `options`).
 * @throws InvalidInputError
 */
export function refuseTooDeep(value: unknown, field: string): void {
  const path = tooDeepPath(value);
  if (path === undefined) return;
  const where = path === "$" ? field : `${field}${path.slice(1)}`;
  throw new InvalidInputError([{ field: where.slice(0, 200), message: tooDeepMessage() }]);
}

/** The problem of a value nested too deep, in the words every reader uses. */
export function tooDeepMessage(max: number = INPUT_LIMITS.maxDepth): string {
  return `is nested more than ${max} levels deep; no Azure export or setting is, so it is not read.`;
}

/**
 * Parses JSON text. `__proto__` keys stay data (JSON.parse makes them own properties).
 * @param source the file name (or `-`), for the problem's field.
 * @throws InvalidInputError when the text is not JSON or nests too deep.
 */
export function parseJson(text: string, source: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidInputError([
      { field: `${source} $`, message: `is not JSON: ${printable((error as Error).message)}` },
    ]);
  }
  const at = tooDeepAt(text);
  if (at >= 0)
    throw new InvalidInputError([
      { field: `${source} $`, message: `${tooDeepMessage()} (at character ${at})` },
    ]);
  if (typeof value === "object" && value !== null) SCANNED.add(value);
  return value;
}

/** {@link refuseTooDeep} for each of a function's arguments, by name. */
export function refuseTooDeepArguments(args: Readonly<Record<string, unknown>>): void {
  for (const [field, value] of Object.entries(args)) refuseTooDeep(value, field);
}
