/**
 * The one way the command line reads what it is given: files, pipes and folders, as untrusted
 * input. Every path is opened without blocking and judged by what the open descriptor is (no
 * race between looking and reading): a regular file, or a pipe the user made one (`-` for
 * standard input, `<(az ...)` in a shell); never a device such as /dev/zero, and never a named
 * pipe (FIFO) found on disk, which would wait for a writer that may never come. Symbolic links
 * are followed once by the system (a loop is refused), each real file is read once whatever
 * path named it, and nothing larger than {@link MAX_INPUT_BYTES} is read.
 */
import {
  closeSync,
  constants,
  Dirent,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  Stats,
  statSync,
} from "node:fs";
import { join } from "node:path";
import { CliInputError, withFlagNames } from "../exit";
import { printable } from "../../model/printable";
import { INPUT_LIMITS } from "../../model/input/limits";
import { parseJson } from "../../model/input/json";
import { decodeText, plainUtf8 } from "./decode";
import { ItemSink, streamJsonItems } from "./jsonItems";

/** The largest input read: an NSG of Azure's 1,000 rules is about 300 KB as JSON. */
export const MAX_INPUT_BYTES = INPUT_LIMITS.maxFileBytes;

const CHUNK = 1024 * 1024;

// One read buffer for every file: a fresh megabyte per read made `check` on 1,000 small files
// allocate 2 GB and spend a quarter of its time collecting it. Each read's bytes are copied out
// at their own size.
let scratch: Buffer | undefined;

/**
 * Reads the whole of an open descriptor, refusing more than the limit: a file from its start
 * (whatever read it before), a pipe from where it is.
 */
function readAll(fd: number, what: string, isFile: boolean): Buffer {
  scratch ??= Buffer.allocUnsafe(CHUNK);
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    let read: number;
    try {
      read = readSync(fd, scratch, 0, CHUNK, isFile ? total : null);
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

function tooLarge(what: string): CliInputError {
  return new CliInputError(
    `error: ${what}: is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; that is no Azure export or stack file.`,
  );
}

function cannotRead(what: string, error: unknown): CliInputError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === "ELOOP"
      ? "is a symbolic link in a loop (it leads back to itself)"
      : code === "ENOENT"
        ? "cannot be read: no such file or folder (or a symbolic link to nothing)"
        : code === "EACCES"
          ? "cannot be read: permission denied"
          : `cannot be read: ${printable((error as Error).message)}`;
  return new CliInputError(`error: ${what}: ${why}.`);
}

/** A pipe the user's shell made for this run: `<(az ...)` names one as /dev/fd/N. */
const SHELL_PIPE = /^\/(dev|proc\/self)\/fd\/\d+$/;

/** What an open path is, as the reader treats it. */
type Kind = "file" | "pipe" | "folder";

function kindOf(stats: Stats, path: string, what: string): Kind {
  if (stats.isFile()) return "file";
  if (stats.isDirectory()) return "folder";
  if ((stats.isFIFO() || stats.isSocket()) && (path === "-" || SHELL_PIPE.test(path)))
    return "pipe";
  if (stats.isFIFO())
    throw new CliInputError(
      `error: ${what}: is a named pipe (FIFO), which may never be written to; pipe the export to standard input (-) instead.`,
    );
  throw new CliInputError(`error: ${what}: is a device or socket, not a file; give a JSON file.`);
}

/** An open path: its descriptor, what it is and which real file it is (device and inode). */
interface Opened {
  readonly fd: number;
  readonly kind: Kind;
  readonly stats: Stats;
}

function open(path: string, what: string): Opened {
  if (path === "-") {
    const stats = fstatSync(0);
    return { fd: 0, kind: kindOf(stats, path, what), stats };
  }
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO returns at once; a shell's own pipe is opened as is.
    fd = openSync(
      path,
      SHELL_PIPE.test(path) ? constants.O_RDONLY : constants.O_RDONLY | constants.O_NONBLOCK,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EISDIR")
      return { fd: -1, kind: "folder", stats: statSync(path) };
    throw cannotRead(what, error);
  }
  try {
    const stats = fstatSync(fd);
    return { fd, kind: kindOf(stats, path, what), stats };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** The text of an open file or pipe. */
function textOf(opened: Opened, what: string): string {
  if (opened.kind === "file" && opened.stats.size > MAX_INPUT_BYTES) throw tooLarge(what);
  let text: string | undefined;
  try {
    // A regular file is read by Node's own UTF-8 reader, about twice as fast as reading bytes
    // and decoding them in JavaScript (`check` reads a thousand files); anything it had to
    // repair is read again the careful way.
    if (opened.kind === "file") text = plainUtf8(readFileSync(opened.fd, "utf8"));
    if (text === undefined) text = decodeText(readAll(opened.fd, what, opened.kind === "file"));
  } catch (error) {
    if (error instanceof CliInputError) throw error;
    throw cannotRead(what, error);
  }
  if (text === undefined)
    throw new CliInputError(
      `error: ${what}: is not text (UTF-8, or UTF-16 with a byte-order mark).`,
    );
  if (text.length > MAX_INPUT_BYTES) throw tooLarge(what);
  return text;
}

function described(path: string, flag: string): string {
  return `${flag} ${printable(path)}`;
}

/**
 * Reads a text file; `-` reads standard input (through `stdin` when given, for tests).
 * @throws CliInputError naming the option and the file.
 */
export function readTextFile(path: string, flag: string, stdin?: () => string): string {
  if (path === "-" && stdin) return stdin();
  const what = described(path, flag);
  const opened = open(path, what);
  try {
    if (opened.kind === "folder")
      throw new CliInputError(`error: ${what}: is a directory; give a JSON file.`);
    return textOf(opened, what);
  } finally {
    if (opened.fd > 0) closeSync(opened.fd);
  }
}

/** Reads and parses a JSON file; `-` reads standard input. */
export function readJsonFile(path: string, flag: string, stdin?: () => string): unknown {
  return jsonOf(readTextFile(path, flag, stdin), path);
}

function jsonOf(text: string, path: string): unknown {
  return withFlagNames({}, () => parseJson(text, path === "-" ? "standard input" : path));
}

// ---- Folders ------------------------------------------------------------------------------

/** Where {@link readJsonInputs} hands each file it reads. */
export interface JsonInputSink {
  /** A file read whole (at most 64 MiB), parsed. */
  document(source: string, json: unknown): void;
  /** A larger file, streamed: `stream` hands its items (and top-level fields) to `items`. */
  streamed(source: string, stream: (items: ItemSink) => void): void;
}

/** What {@link readJsonInputs} passed over, and why. */
export type Skipped = { readonly source: string; readonly why: string }[];

/** The identity of a real file, whatever path names it. */
const identity = (stats: Stats) => `${stats.dev}:${stats.ino}`;

/**
 * Reads every JSON file the paths stand for: a file (or `-`) itself, a folder every `.json`
 * file under it, in name order. A file named twice (`a.json` and `./a.json`, a folder and a
 * file in it, a link and its target) is read once, and the others are listed as skipped; a
 * folder reached again through a link is a loop, and refused. Inside folders, anything that is
 * not a regular file or folder is refused, naming it: a link to nothing, a link loop, a FIFO.
 * A file larger than 64 MiB is streamed a resource at a time (./jsonItems.ts), at any size.
 * @throws CliInputError naming the path.
 */
export function readJsonInputs(
  paths: readonly string[],
  flag: string,
  sink: JsonInputSink,
  progress?: (text: string) => void,
): Skipped {
  const skipped: { source: string; why: string }[] = [];
  const read = new Map<string, string>();
  const folders = new Map<string, string>();

  const readFile = (path: string, opened: Opened, what: string) => {
    const key = opened.kind === "pipe" ? `pipe:${path}` : identity(opened.stats);
    const first = read.get(key);
    if (first !== undefined) {
      skipped.push({ source: path, why: `the same file as ${first}: read once` });
      return;
    }
    read.set(key, path);
    progress?.(`${flag}: reading ${read.size} files`);
    if (opened.kind === "file" && opened.stats.size > MAX_INPUT_BYTES)
      sink.streamed(path, (items) => streamJsonItems(opened.fd, what, items));
    else sink.document(path, jsonOf(textOf(opened, what), path));
  };

  const walk = (folder: string, stats: Stats) => {
    const seen = folders.get(identity(stats));
    if (seen !== undefined) {
      if (seen === folder) return;
      throw new CliInputError(
        `error: ${described(folder, flag)}: leads back to ${printable(seen)} through a symbolic link (a loop); remove the link or give the folders apart.`,
      );
    }
    folders.set(identity(stats), folder);
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      throw cannotRead(described(folder, flag), error);
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(folder, entry.name);
      const isJson = entry.name.toLowerCase().endsWith(".json");
      if (!isJson && !entry.isDirectory() && !entry.isSymbolicLink()) {
        skipped.push({ source: path, why: "not a .json file" });
        continue;
      }
      const what = described(path, flag);
      let opened: Opened;
      try {
        opened = open(path, what);
      } catch (error) {
        // A link to nothing, a FIFO or a device is refused when it would be read as an export;
        // under another name it is passed over like any file that is not one.
        if (isJson || !(error instanceof CliInputError)) throw error;
        skipped.push({ source: path, why: "not a .json file" });
        continue;
      }
      try {
        if (opened.kind === "folder") walk(path, opened.stats);
        else if (!isJson) skipped.push({ source: path, why: "not a .json file" });
        else if (opened.kind === "pipe")
          throw new CliInputError(`error: ${what}: is a pipe; a folder's exports are files.`);
        else readFile(path, opened, what);
      } finally {
        if (opened.fd > 0) closeSync(opened.fd);
      }
    }
  };

  for (const path of paths) {
    const what = described(path, flag);
    const opened = open(path, what);
    try {
      if (opened.kind === "folder") walk(path, opened.stats);
      else readFile(path, opened, what);
    } finally {
      if (opened.fd > 0) closeSync(opened.fd);
    }
  }
  return skipped;
}
