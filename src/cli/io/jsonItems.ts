/**
 * An export too large to read as one value (a subscription's NSGs: 2,000 NSGs of 100 rules is
 * some 190 MB), read a resource at a time: the bytes are scanned in chunks for the items of the
 * top-level list (`[...]`, or `{ "value": [...] }` / `{ "data": [...] }` beside a few small
 * fields such as `nextLink`), and each item alone is decoded and parsed by the engine's JSON
 * parser. Memory holds one chunk and one item, not the file.
 *
 * Hand-rolled on purpose: a streaming tokenizer (stream-json) builds every value token by token
 * in JavaScript, where this scan only finds where each item ends and hands the item to
 * JSON.parse, which does the parsing natively (see the benchmark's `audit` rows for the cost).
 */
import { readSync } from "node:fs";
import { INPUT_LIMITS } from "../../model/input/limits";
import { JSON_CODES, tooDeepMessage } from "../../model/input/json";
import { printable } from "../../model/printable";
import { CliInputError } from "../exit";

/** What a streamed export gives, in order. */
export interface ItemSink {
  /** One item of the top-level list, parsed, at its JSON path (`$.value[12]`). */
  item(node: unknown, at: string): void;
  /** One top-level field beside the list (`nextLink`), parsed. */
  field(key: string, value: unknown): void;
}

const CHUNK = 8 * 1024 * 1024;
const MAX_ITEM_BYTES = INPUT_LIMITS.maxFileBytes;
const MAX_DEPTH = INPUT_LIMITS.maxDepth;

const { QUOTE, BACKSLASH, OPEN_LIST, CLOSE_LIST, OPEN_OBJECT, CLOSE_OBJECT, COMMA, COLON } =
  JSON_CODES;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** The scan of one export: where it is in the JSON, and what it is capturing. */
class ItemScanner {
  // Nesting and strings.
  private depth = 0;
  private inString = false;
  private escaped = false;
  // Where the streamed list is.
  private rootIsObject = false;
  private inList = false;
  /** The depth at which the streamed list's items sit (1: a top-level list; 2: under a key). */
  private itemDepth = 0;
  private itemIndex = 0;
  private listPath = "$";
  private listDone = false;
  /** In the top-level object: before a key, between key and colon, or before a value. */
  private member: "between" | "colon" | "value" = "between";
  private key = "";
  // What is being captured (an item, a key, a field's value), its bytes across chunks.
  private capturing: "item" | "key" | "field" | undefined;
  private parts: Buffer[] = [];
  private captured = 0;
  private captureStart = 0;

  constructor(
    private readonly sink: ItemSink,
    private readonly refuse: (message: string) => CliInputError,
  ) {}

  private startCapture(at: number, what: "item" | "key" | "field"): void {
    this.capturing = what;
    this.parts = [];
    this.captured = 0;
    this.captureStart = at;
  }

  private endCapture(chunk: Buffer, end: number): string {
    this.parts.push(Buffer.from(chunk.subarray(this.captureStart, end)));
    this.captured += end - this.captureStart;
    const bytes =
      this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.captured);
    this.capturing = undefined;
    this.parts = [];
    try {
      return UTF8.decode(bytes);
    } catch {
      throw this.refuse("is not UTF-8 text (an export this large is read as UTF-8 only).");
    }
  }

  private parsed(text: string, where: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw this.refuse(`${where}: is not JSON: ${printable((error as Error).message)}`);
    }
  }

  private endList(): void {
    this.inList = false;
    this.depth--;
    if (this.itemDepth === 2) this.member = "between";
  }

  /** The first byte: a list of resources, or an object holding one. */
  private root(b: number): void {
    if (this.rootIsObject || this.itemDepth !== 0 || this.listDone)
      throw this.refuse("is not JSON: something follows its end.");
    if (b === OPEN_LIST) {
      this.inList = true;
      this.itemDepth = 1;
    } else if (b === OPEN_OBJECT) this.rootIsObject = true;
    else throw this.refuse("is not a JSON list or object of Azure resources.");
    this.depth = 1;
  }

  /**
   * A byte where nothing is being captured: the start of an item, a key or a field's value, or
   * punctuation between them. True when the byte is fully handled.
   */
  private between(b: number, i: number): boolean {
    if (this.inList && this.depth === this.itemDepth) {
      if (b === COMMA) return true;
      if (b === CLOSE_LIST) {
        this.endList();
        return true;
      }
      this.startCapture(i, "item");
      return false;
    }
    if (!this.rootIsObject || this.depth !== 1) return false;
    if (this.member === "between") {
      if (b === COMMA) return true;
      if (b === CLOSE_OBJECT) {
        this.depth = 0;
        return true;
      }
      if (b !== QUOTE) throw this.refuse("is not JSON: a key was expected.");
      this.startCapture(i, "key");
      this.inString = true;
      return true;
    }
    if (this.member === "colon") {
      if (b !== COLON) throw this.refuse("is not JSON: a colon was expected after a key.");
      this.member = "value";
      return true;
    }
    if (b === OPEN_LIST && (this.key === "value" || this.key === "data") && !this.listDone) {
      this.inList = true;
      this.listDone = true;
      this.itemDepth = 2;
      this.listPath = `$.${this.key}`;
      this.depth = 2;
      return true;
    }
    this.startCapture(i, "field");
    return false;
  }

  /**
   * Where the string being scanned ends in `chunk` (the index of its closing quote), from `i`;
   * -1 when it goes on past the chunk. Most of an export's bytes are inside strings: the quotes
   * are found by Buffer's native search, and only the backslashes before each are counted.
   */
  private stringEnd(chunk: Buffer, i: number): number {
    let from = i;
    if (this.escaped) {
      this.escaped = false;
      from++;
    }
    for (;;) {
      const quote = from < chunk.length ? chunk.indexOf(QUOTE, from) : -1;
      const end = quote === -1 ? chunk.length : quote;
      let backslashes = 0;
      for (let k = end - 1; k >= from && chunk[k] === BACKSLASH; k--) backslashes++;
      if (quote === -1) {
        // The chunk ends inside the string: an odd run of backslashes escapes the next byte.
        this.escaped = backslashes % 2 === 1;
        return -1;
      }
      if (backslashes % 2 === 0) return quote;
      from = quote + 1;
    }
  }

  /** Scans one chunk of the file, from `start`. */
  feed(chunk: Buffer, start: number): void {
    this.captureStart = 0;
    for (let i = start; i < chunk.length; i++) {
      if (this.inString) {
        const end = this.stringEnd(chunk, i);
        if (end === -1) break;
        i = end;
        this.inString = false;
        if (this.capturing === "key") {
          this.key = String(this.parsed(this.endCapture(chunk, i + 1), "$ (a key)"));
          this.member = "colon";
        }
        continue;
      }
      const b = chunk[i];
      if (isSpace(b)) continue;
      if (this.depth === 0) {
        this.root(b);
        continue;
      }
      if (this.capturing === undefined && this.between(b, i)) continue;
      if (b === QUOTE) {
        this.inString = true;
        continue;
      }
      if (b === OPEN_LIST || b === OPEN_OBJECT) {
        if (++this.depth > MAX_DEPTH) throw this.refuse(tooDeepMessage());
        continue;
      }
      const closes = b === CLOSE_LIST || b === CLOSE_OBJECT;
      if (this.capturing === "item" && this.depth === this.itemDepth && (b === COMMA || closes)) {
        const at = `${this.listPath}[${this.itemIndex++}]`;
        this.sink.item(this.parsed(this.endCapture(chunk, i).trim(), at), at);
        if (closes) this.endList();
        continue;
      }
      if (this.capturing === "field" && this.depth === 1 && (b === COMMA || closes)) {
        this.sink.field(this.key, this.parsed(this.endCapture(chunk, i).trim(), `$.${this.key}`));
        this.member = "between";
        if (closes) this.depth = 0;
        continue;
      }
      if (closes) this.depth--;
    }
    if (this.capturing !== undefined) {
      this.parts.push(Buffer.from(chunk.subarray(this.captureStart)));
      this.captured += chunk.length - this.captureStart;
      if (this.captured > MAX_ITEM_BYTES)
        throw this.refuse(
          `${this.listPath}[${this.itemIndex}]: one resource larger than 64 MiB; that is no Azure resource.`,
        );
    }
  }

  /** After the last chunk: the JSON must have ended. */
  finish(): void {
    if (this.depth !== 0 || this.inString || this.capturing !== undefined)
      throw this.refuse("is not JSON: it ends inside a value.");
  }
}

/**
 * Streams the items of the export open at `fd` into `sink`.
 * @param what the option and file, for messages.
 * @param chunkBytes how much is read at a time (small in tests, to cut items across chunks).
 * @throws CliInputError when the file is not such an export, an item is not JSON, is larger
 *   than 64 MiB or nests deeper than 64 levels.
 */
export function streamJsonItems(
  fd: number,
  what: string,
  sink: ItemSink,
  chunkBytes: number = CHUNK,
): void {
  const refuse = (message: string) => new CliInputError(`error: ${what}: ${message}`);
  const scanner = new ItemScanner(sink, refuse);
  const buffer = Buffer.allocUnsafe(chunkBytes);
  for (let position = 0; ;) {
    const read = readSync(fd, buffer, 0, chunkBytes, position);
    if (read === 0) break;
    const chunk = buffer.subarray(0, read);
    let start = 0;
    if (position === 0) {
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))
        throw refuse(
          "is UTF-16 and larger than 64 MiB; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8), which is read at any size.",
        );
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
    }
    position += read;
    scanner.feed(chunk, start);
  }
  scanner.finish();
}
