/**
 * The floor the offline commands are measured against: Node reading and parsing the same
 * input files, nothing else.
 */
import { readFileSync } from "node:fs";

for (const file of process.argv.slice(2)) JSON.parse(readFileSync(file, "utf8"));
