/**
 * JSON text as untrusted input: parsed by the engine's own parser (which does not recurse), and
 * refused when nested deeper than {@link INPUT_LIMITS.maxDepth}, before anything walks it.
 * No Azure export is nested past a dozen levels; a value nested thousands deep only serves to
 * overflow the stack of whatever walks it next (a schema, a printer, Pulumi's serializer).
 */
import { InvalidInputError } from "../problems";
import { printable } from "../printable";
import { INPUT_LIMITS } from "./schema";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_LIST = 0x5b;
const CLOSE_LIST = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

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
      // Skip the string: to the next quote not escaped by a backslash.
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
    } else if (c === OPEN_LIST || c === OPEN_OBJECT) {
      if (++depth > max) return i;
    } else if (c === CLOSE_LIST || c === CLOSE_OBJECT) depth--;
  }
  return -1;
}

/**
 * Whether a value already parsed (a library caller's, the policy config) nests deeper than
 * `max`: a walk with its own stack, so that the check itself cannot overflow.
 */
export function nestedTooDeep(value: unknown, max: number = INPUT_LIMITS.maxDepth): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (typeof node !== "object" || node === null || seen.has(node)) continue;
    if (depth >= max) return true;
    seen.add(node);
    for (const child of Array.isArray(node) ? node : Object.values(node))
      pending.push([child, depth + 1]);
  }
  return false;
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
  return value;
}
