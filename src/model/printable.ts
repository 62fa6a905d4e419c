/**
 * A value as a message may echo it: control characters escaped (an `ESC[2J` from a binary file
 * must not clear the user's screen) and cut to a readable length.
 */

/** Longest echo of a value in a message. */
export const MAX_ECHO = 120;

// C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function printable(text: string, max = MAX_ECHO): string {
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
  return cut.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Any value as a message may quote it: JSON where it has one (a string in quotes), its type
 * otherwise (a cycle, a BigInt, a function), and always printable. Never throws: untrusted input
 * may be an object without a prototype, or one whose `toString` is not a function.
 */
export function shown(value: unknown, max = MAX_ECHO): string {
  // JSON has no NaN or Infinity (it would print null, and 1e400 is Infinity): name them.
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  return printable(text ?? typeof value, max);
}

/** A value as text for comparing or naming: itself when a string, else as {@link shown}. */
export function asText(value: unknown): string {
  return typeof value === "string" ? value : shown(value);
}
