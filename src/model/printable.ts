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
 * Any value as a message may quote it: as JSON (a string in quotes), cut to `max` characters
 * and always printable. Bounded: the value is written only as far as the cut (a 50 MB string or
 * a list of a million items costs what 120 characters do) and only a few levels deep, and it
 * never throws: untrusted input may be nested thousands deep, hold a cycle or a BigInt, or have
 * no prototype.
 */
export function shown(value: unknown, max = MAX_ECHO): string {
  const out: string[] = [];
  let length = 0;
  const put = (text: string): boolean => {
    out.push(text);
    length += text.length;
    return length <= max;
  };
  const write = (node: unknown, depth: number): boolean => {
    switch (typeof node) {
      case "string":
        return put(JSON.stringify(node.length > max ? node.slice(0, max + 1) : node));
      case "number":
        // JSON has no NaN or Infinity (it would print null, and 1e400 is Infinity): name them.
        return put(String(node));
      case "boolean":
        return put(String(node));
      case "object": {
        if (node === null) return put("null");
        if (depth >= SHOWN_DEPTH) return put(Array.isArray(node) ? "[…]" : "{…}");
        if (Array.isArray(node)) {
          if (!put("[")) return false;
          for (let i = 0; i < node.length; i++)
            if ((i > 0 && !put(",")) || !write(node[i], depth + 1)) return false;
          return put("]");
        }
        if (!put("{")) return false;
        let first = true;
        for (const key of Object.keys(node)) {
          if (!first && !put(",")) return false;
          first = false;
          const field = (node as Record<string, unknown>)[key];
          if (!put(`${JSON.stringify(key.length > max ? key.slice(0, max + 1) : key)}:`))
            return false;
          if (!write(field, depth + 1)) return false;
        }
        return put("}");
      }
      default:
        return put(typeof node);
    }
  };
  write(value, 0);
  const text = out.join("");
  if (text.length <= max) return printable(text, max);
  const whole = typeof value === "string" ? ` (${value.length} characters)` : "";
  return `${printable(text.slice(0, max), max)}…${whole}`;
}

/** How deep {@link shown} writes a value before it writes `[…]` or `{…}`. */
const SHOWN_DEPTH = 4;

/** A value as text for comparing or naming: itself when a string, else as {@link shown}. */
export function asText(value: unknown): string {
  return typeof value === "string" ? value : shown(value);
}
