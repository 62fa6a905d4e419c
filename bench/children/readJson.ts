/**
 * The floor the offline commands are measured against: Node reading and parsing the same input
 * files (or every .json file of the same folders), nothing else. With `--peak`, the process's
 * peak resident memory is written to stderr as it exits.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const peak = args[0] === "--peak";
const files = (path: string): string[] =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith(".json"))
        .map((f) => join(path, f))
    : [path];
const kept: unknown[] = [];
for (const file of (peak ? args.slice(1) : args).flatMap(files))
  kept.push(JSON.parse(readFileSync(file, "utf8")));
if (peak)
  process.stderr.write(JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
