/**
 * A report written to a file (`--out`): the whole of it, where the terminal shows a summary.
 * Through this one writer, so that a path that cannot be written is an error naming it.
 */
import { writeFileSync } from "node:fs";
import { printable } from "../../model/printable";
import { CliInputError } from "../exit";

/** Writes `text` (and a line break) to `path`. @throws CliInputError naming the option. */
export function writeReportFile(path: string, text: string, flag: string): void {
  try {
    writeFileSync(path, `${text}\n`, { encoding: "utf8", flag: "w" });
  } catch (error) {
    throw new CliInputError(
      `error: ${flag} ${printable(path)}: cannot be written: ${printable((error as Error).message)}`,
    );
  }
}
