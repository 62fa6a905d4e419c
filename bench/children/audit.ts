/**
 * The audit in one process: every export of a fleet folder read and parsed, and the fleet
 * judged, timed together; the peak resident memory of the whole process read after.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type * as Package from "../../src/index";

const ROOT = join(__dirname, "../..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require(join(ROOT, "bin/index.js")) as typeof Package;

const dir = process.argv[2];
const start = process.hrtime.bigint();
const documents = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .map((f) => ({ source: f, json: JSON.parse(readFileSync(join(dir, f), "utf8")) as unknown }));
const audit = pkg.auditFleet(pkg.readExports(documents));
const ms = Number(process.hrtime.bigint() - start) / 1e6;
console.log(
  JSON.stringify({
    ms,
    pools: audit.pools.length,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
