/** Reading the JSON files the commands take (`-` is standard input), with errors naming the file. */
import { readFileSync } from "node:fs";
import { CliInputError } from "./exit";

/** Reads and parses a JSON file; `-` reads standard input. */
export function readJsonFile(
  path: string,
  flag: string,
  stdin: () => string = () => readFileSync(0, "utf8"),
): unknown {
  let text: string;
  try {
    text = path === "-" ? stdin() : readFileSync(path, "utf8");
  } catch (error) {
    throw new CliInputError(`error: ${flag} ${path}: cannot read it: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliInputError(
      `error: ${path === "-" ? "standard input" : path} $: is not JSON: ${(error as Error).message}`,
    );
  }
}
