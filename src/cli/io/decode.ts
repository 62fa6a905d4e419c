/**
 * Bytes as text, in the encodings Azure's tools write: UTF-8 with or without a byte-order mark,
 * and UTF-16 with one (what `az` on Windows and PowerShell 5's `>` write). Anything else is not
 * text, and is never echoed.
 */

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The text of some bytes, or undefined when they are not text in an encoding Azure tools write. */
export function decodeText(bytes: Buffer): string | undefined {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe)
      return textOnly(bytes.subarray(2).toString("utf16le"));
    if (bytes[0] === 0xfe && bytes[1] === 0xff) {
      const swapped = Buffer.from(bytes.subarray(2));
      swapped.swap16();
      return textOnly(swapped.toString("utf16le"));
    }
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return textOnly(UTF8.decode(bytes.subarray(start)));
  } catch {
    return undefined; // invalid UTF-8, or an odd number of UTF-16 bytes
  }
}

/**
 * Text Node's quick UTF-8 reader gave, when it is plainly UTF-8: that reader replaces invalid
 * bytes with U+FFFD instead of failing, so text holding U+FFFD (UTF-16, binary, or a file that
 * really holds one) is undefined here and goes the careful way ({@link decodeText}).
 */
export function plainUtf8(text: string): string | undefined {
  if (text.includes("\uFFFD")) return undefined;
  return textOnly(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}

// Text never holds NUL; binary files nearly always do.
function textOnly(text: string): string | undefined {
  return text.includes("\u0000") ? undefined : text;
}
