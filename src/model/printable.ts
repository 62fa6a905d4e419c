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
