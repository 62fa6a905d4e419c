/**
 * Reading the files the commands take (`-` is standard input), as untrusted input: regular files
 * and pipes only (never a device such as /dev/zero), at most {@link MAX_INPUT_BYTES}, decoded as
 * UTF-8 with or without a byte-order mark or as UTF-16 with one (what `az` on Windows and
 * PowerShell 5's `>` write). Anything else is "not text", and no message echoes raw bytes.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, Stats, statSync } from "node:fs";
import { CliInputError } from "../exit";
import { printable } from "../../model/printable";

/** The largest input read: an NSG of Azure's 1,000 rules is about 300 KB as JSON. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

const CHUNK = 1024 * 1024;

// One read buffer for every file: a fresh megabyte per read made `check` on 1,000 small files
// allocate 2 GB and spend a quarter of its time collecting it. Each read's bytes are copied out
// at their own size.
let scratch: Buffer | undefined;

/** Reads the whole of an open descriptor, refusing more than the limit. */
function readAll(fd: number, what: string): Buffer {
  scratch ??= Buffer.allocUnsafe(CHUNK);
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    let read: number;
    try {
      read = readSync(fd, scratch, 0, CHUNK, null);
    } catch (error) {
      // A non-blocking standard input with nothing yet: wait by trying again.
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") continue;
      throw error;
    }
    if (read === 0) return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
    total += read;
    if (total > MAX_INPUT_BYTES) throw tooLarge(what);
    chunks.push(Buffer.from(scratch.subarray(0, read)));
  }
}

function kindOf(stats: Stats): string | undefined {
  if (stats.isFile() || stats.isFIFO() || stats.isSocket()) return undefined;
  if (stats.isDirectory()) return "a directory";
  return "a device, not a file";
}

function tooLarge(what: string): CliInputError {
  return new CliInputError(
    `error: ${what}: is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; that is no NSG, route table or stack file.`,
  );
}

/** What `path` is (`-`: standard input), refused unless a file, a pipe or a socket. */
function statOf(path: string, what: string): Stats {
  let stats: Stats;
  try {
    stats = path === "-" ? fstatSync(0) : statSync(path);
  } catch (error) {
    throw new CliInputError(`error: ${what}: cannot read it: ${(error as Error).message}`);
  }
  const kind = kindOf(stats);
  if (kind) throw new CliInputError(`error: ${what}: is ${kind}; give a JSON file.`);
  return stats;
}

/** The bytes of `path` (`-`: standard input). @throws CliInputError naming `flag` and the file. */
function readBytes(path: string, what: string): Buffer {
  let fd: number;
  try {
    fd = path === "-" ? 0 : openSync(path, "r");
  } catch (error) {
    throw new CliInputError(`error: ${what}: cannot read it: ${(error as Error).message}`);
  }
  try {
    return readAll(fd, what);
  } catch (error) {
    if (error instanceof CliInputError) throw error;
    throw new CliInputError(`error: ${what}: cannot read it: ${(error as Error).message}`);
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

/**
 * The text of a regular file when it is plain UTF-8 (with or without a byte-order mark), read by
 * Node's own UTF-8 reader, which is about twice as fast as reading bytes and decoding them in
 * JavaScript (`check` reads a thousand files). That reader replaces invalid bytes with U+FFFD
 * instead of failing, so any text holding U+FFFD (UTF-16, binary, or a file that really holds
 * one) is undefined here and goes the careful way, which tells them apart.
 */
function plainUtf8(path: string, what: string, stats: Stats): string | undefined {
  if (stats.size > MAX_INPUT_BYTES) throw tooLarge(what);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliInputError(`error: ${what}: cannot read it: ${(error as Error).message}`);
  }
  if (text.includes("\uFFFD") || text.length > MAX_INPUT_BYTES) return undefined;
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The text of some bytes, or undefined when they are not text in an encoding Azure tools write. */
function decodeText(bytes: Buffer): string | undefined {
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

// Text never holds NUL; binary files nearly always do.
function textOnly(text: string): string | undefined {
  return text.includes("\u0000") ? undefined : text;
}

/**
 * Reads a text file; `-` reads standard input (through `stdin` when given, for tests).
 * @throws CliInputError naming the option and the file.
 */
export function readTextFile(path: string, flag: string, stdin?: () => string): string {
  if (path === "-" && stdin) return stdin();
  const what = `${flag} ${printable(path)}`;
  const stats = statOf(path, what);
  const plain = path !== "-" && stats.isFile() ? plainUtf8(path, what, stats) : undefined;
  const text = plain !== undefined ? textOnly(plain) : decodeText(readBytes(path, what));
  if (text === undefined) {
    throw new CliInputError(
      `error: ${flag} ${printable(path)}: is not text (UTF-8, or UTF-16 with a byte-order mark).`,
    );
  }
  return text;
}

/** Reads and parses a JSON file; `-` reads standard input. */
export function readJsonFile(path: string, flag: string, stdin?: () => string): unknown {
  const text = readTextFile(path, flag, stdin);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliInputError(
      `error: ${path === "-" ? "standard input" : printable(path)} $: is not JSON: ${printable((error as Error).message)}`,
    );
  }
}
