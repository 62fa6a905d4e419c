/**
 * Writing the command's answer and ending the process. Output goes straight to the file
 * descriptors: `process.stdout` and `process.stderr` are built on first use, and building them
 * loads Node's stream and socket code (for a pipe), a few milliseconds of every short command.
 * A descriptor that cannot take the bytes at once (a non-blocking pipe) gets the rest through
 * its stream, which is then waited for.
 */
import { fstatSync, writeSync } from "node:fs";
import { DEFAULT_WIDTH } from "./text";

/**
 * The width to lay text out to: a terminal's; elsewhere $COLUMNS when it is a width, else 80
 * (commander's own default for help). Only a terminal (a character device) is asked: asking a
 * pipe's or a file's stream would build it for nothing.
 */
export function terminalWidth(fd: 1 | 2): number {
  const columns = Number(process.env.COLUMNS);
  const fallback =
    Number.isInteger(columns) && columns >= 20 && columns <= 1000 ? columns : DEFAULT_WIDTH;
  try {
    if (!fstatSync(fd).isCharacterDevice()) return fallback;
  } catch {
    return fallback;
  }
  const stream = fd === 1 ? process.stdout : process.stderr;
  return (stream.isTTY ? stream.columns : undefined) ?? fallback;
}

/** Where the rest of an answer went when a descriptor refused it for now. */
const handedOver = new Set<NodeJS.WriteStream>();

/** A reader that stops early (`| head -1`) closed the pipe: not a failure of the command. */
class ReaderGone extends Error {}

function writeFully(fd: 1 | 2, text: string): void {
  if (text === "") return;
  const total = Buffer.byteLength(text, "utf8");
  // The string is written as it is; bytes are made only if a write takes part of it (copying
  // megabytes of answer into a buffer first cost more than writing them).
  let bytes: Buffer | undefined;
  let offset = 0;
  while (offset < total) {
    try {
      offset += bytes ? writeSync(fd, bytes, offset) : writeSync(fd, text);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EPIPE") throw new ReaderGone();
      if (code !== "EAGAIN") throw error;
      const stream = fd === 1 ? process.stdout : process.stderr;
      stream.write((bytes ?? Buffer.from(text, "utf8")).subarray(offset));
      handedOver.add(stream);
      return;
    }
    bytes ??= offset < total ? Buffer.from(text, "utf8") : undefined;
  }
}

/**
 * Writes the answer and exits with `status` once every byte is handed over: waiting for the
 * event loop to empty instead would cost a run tens of milliseconds of V8's leftover
 * garbage-collection tasks after the answer is written.
 */
export function answerAndExit(stdout: string, stderr: string, status: number): void {
  try {
    writeFully(1, stdout);
    writeFully(2, stderr);
  } catch (error) {
    if (error instanceof ReaderGone) process.exit(status);
    throw error;
  }
  const pending = [...handedOver].filter((s) => s.writableLength > 0);
  if (pending.length === 0) process.exit(status);
  let left = pending.length;
  for (const stream of pending) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(status);
      throw error;
    });
    stream.once("drain", () => {
      if (--left === 0) process.exit(status);
    });
  }
}
