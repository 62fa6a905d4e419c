/**
 * Terminal text: every value a text report prints passes through here, escaped and laid out to
 * the width it is printed at (a terminal's columns; 80, or $COLUMNS, elsewhere).
 *
 * Hand-rolled on purpose: word wrapping and padding are a few dozen lines, and the table and
 * wrapping libraries on npm bring box drawing, colour and ANSI handling the output does not
 * want (it is also pasted into tickets and diffs).
 */

/** The width when the output is not a terminal and $COLUMNS says nothing. */
export const DEFAULT_WIDTH = 80;

/** The narrowest a wrapped table column may get before the table is laid out as records. */
const MIN_COLUMN = 12;
/** The narrowest a wrapped value may get, whatever the width asked for. */
const MIN_TEXT = 20;

// C0 controls but none of the printable ones, DEL, C1 controls, and the bidirectional
// overrides and isolates that reorder what follows them on a line (the "Trojan Source" class).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same characters, for a test (a global regular expression keeps state between tests). */
// eslint-disable-next-line no-control-regex
const ANY_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * `text` with every control character, and every character that reorders a line, written as an
 * escape (`\n`, `\u001b`): a name from an export can neither move the cursor, colour the
 * terminal, start a line of its own nor hide what follows it.
 */
export function escapeControls(text: string): string {
  if (!ANY_UNSAFE.test(text)) return text;
  return text.replace(UNSAFE, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    if (c === "\r") return "\\r";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/**
 * Splits `text` into lines of at most `width` characters at spaces, the first line after
 * `indent` and the rest after `hanging`; a word longer than a line is cut. Escapes it first.
 */
export function wrap(text: string, width: number, indent = "", hanging = indent): string[] {
  // Most values of a report (a name, a verdict) fit as they are: one line, nothing to split.
  if (
    indent.length + text.length <= width &&
    text !== "" &&
    !ANY_UNSAFE.test(text) &&
    !text.includes("  ") &&
    text[0] !== " " &&
    text[text.length - 1] !== " "
  )
    return [indent + text];
  return wrapWords(text, width, indent, hanging);
}

/** {@link wrap} word by word: what it does with any text (exported to test the short cut). */
export function wrapWords(text: string, width: number, indent = "", hanging = indent): string[] {
  const lines: string[] = [];
  let prefix = indent;
  let current = "";
  const limit = () => Math.max(1, width - prefix.length);
  const flush = () => {
    lines.push((prefix + current).trimEnd());
    prefix = hanging;
    current = "";
  };
  for (let word of escapeControls(text).split(" ")) {
    if (word === "") continue;
    if (current !== "" && current.length + 1 + word.length > limit()) flush();
    while (current === "" && word.length > limit()) {
      current = word.slice(0, limit());
      word = word.slice(current.length);
      flush();
    }
    if (word !== "") current = current === "" ? word : `${current} ${word}`;
  }
  if (current !== "" || lines.length === 0) flush();
  return lines;
}

/**
 * `text` as lines wrapped to `width` (see {@link wrap}), joined; never narrower than a readable
 * line after its indent.
 */
export function paragraph(text: string, width: number, indent = "", hanging = indent): string {
  const lineWidth = Math.max(width, Math.max(indent.length, hanging.length) + MIN_TEXT);
  return wrap(text, lineWidth, indent, hanging).join("\n");
}

/**
 * The words of a POSIX shell command line (split at spaces outside single quotes), an option
 * kept with its value (`--priority 1000`) so that a break never falls between them.
 */
function shellWords(command: string): string[] {
  // A word is runs of plain characters, backslash escapes (`\'` in `'it'\''s'`) and quoted parts.
  const words = command.match(/(?:[^\s'\\]+|\\.|'[^']*')+/g) ?? [];
  const units: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const takesValue = words[i].startsWith("-") && i + 1 < words.length;
    if (takesValue && !words[i + 1].startsWith("-")) units.push(`${words[i]} ${words[++i]}`);
    else units.push(words[i]);
  }
  return units;
}

/**
 * A shell command to copy and paste, laid out to `width` columns: broken only between words,
 * each broken line ending in ` \\` so that the shell reads the lines as the one command; a chain
 * of commands (`a && b`) that does not fit on one line puts each command on its own.
 */
export function shellCommand(command: string, width: number, indent = ""): string {
  const safe = escapeControls(command);
  if (indent.length + safe.length <= width) return indent + safe;
  const parts = safe.split(" && ");
  return parts
    .map((part, i) => layOut(part, width - (i < parts.length - 1 ? 3 : 0), indent))
    .join(" && \\\n");
}

function layOut(command: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = indent;
  for (const word of shellWords(command)) {
    if (line.trim() !== "" && line.length + 1 + word.length + 2 > width) {
      lines.push(`${line} \\`);
      line = `${indent}  ${word}`;
    } else {
      line = line.trim() === "" ? line + word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join("\n");
}

/** Each column's width when the table is wrapped into `width`, or undefined if it cannot be. */
function wrappedWidths(natural: readonly number[], width: number): number[] | undefined {
  const widths = [...natural];
  let free = width - 2 * (natural.length - 1);
  let open = natural.map((_, i) => i);
  // Columns narrower than an even share keep their width; the rest share what is left in
  // proportion to their own width, so a long explanation gets more room than a short name.
  for (;;) {
    const share = Math.floor(free / open.length);
    const fits = open.filter((i) => natural[i] <= share);
    if (fits.length === 0) break;
    for (const i of fits) free -= natural[i];
    open = open.filter((i) => natural[i] > share);
    if (open.length === 0) return widths;
  }
  const wanted = open.reduce((sum, i) => sum + natural[i], 0);
  for (const i of open) widths[i] = Math.floor((free * natural[i]) / wanted);
  return open.some((i) => widths[i] < MIN_COLUMN) ? undefined : widths;
}

function padRow(cells: readonly string[][], widths: readonly number[]): string[] {
  const height = Math.max(...cells.map((c) => c.length));
  const lines: string[] = [];
  for (let l = 0; l < height; l++) {
    lines.push(
      cells
        .map((c, i) => (i === cells.length - 1 ? (c[l] ?? "") : (c[l] ?? "").padEnd(widths[i])))
        .join("  ")
        .trimEnd(),
    );
  }
  return lines;
}

/** Each row as a record: one `HEADER  value` line per column, values wrapped, records apart. */
function renderRecords(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  width: number,
): string {
  const label = Math.max(...header.map((h) => h.length));
  const lineWidth = Math.max(width, label + 2 + MIN_TEXT);
  return rows
    .map((row) =>
      header
        .flatMap((h, i) =>
          wrap(row[i] ?? "", lineWidth, `${h.padEnd(label)}  `, " ".repeat(label + 2)),
        )
        .join("\n"),
    )
    .join("\n\n");
}

/**
 * Rows under a header, each column padded to its widest cell, two spaces apart, as long as that
 * fits in `width`. Wider, the widest columns wrap at spaces (rows then stand a blank line apart);
 * where that would leave a column too narrow to read or cut a word, each row is printed as a
 * record instead.
 * Every cell is escaped.
 */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  width = Infinity,
): string {
  const safe = rows.map((r) => header.map((_, i) => escapeControls(r[i] ?? "")));
  const natural = header.map((h, i) =>
    safe.reduce((most, r) => Math.max(most, r[i].length), h.length),
  );
  const total = natural.reduce((a, b) => a + b, 0) + 2 * (header.length - 1);
  if (total <= width) {
    return [header, ...safe]
      .map(
        (r) =>
          padRow(
            r.map((c) => [c]),
            natural,
          )[0],
      )
      .join("\n");
  }
  const widths = wrappedWidths(natural, width);
  // A column narrower than a word in it would cut the word: records read better then.
  // Folds, not Math.max(...values): spreading the cells of 50,000 rows overflows the stack.
  const longestWord = header.map((h, i) =>
    [h, ...safe.map((r) => r[i])].reduce(
      (most, c) => c.split(" ").reduce((m, w) => Math.max(m, w.length), most),
      0,
    ),
  );
  if (!widths || widths.some((w, i) => w < longestWord[i])) {
    return renderRecords(header, rows, width);
  }
  const wrapped = (cells: readonly string[]) => cells.map((c, i) => wrap(c, widths[i]));
  return [
    padRow(wrapped(header), widths).join("\n"),
    ...safe.map((r) => padRow(wrapped(r), widths).join("\n")),
  ].join("\n\n");
}
