// `npm start -- <flags>`: the offline plan (`azure-batch-network plan <flags>`), built first only
// when a source changed since the last build. Run on a supported Node (scripts/node.mjs).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "./build.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
build({ ifStale: true });
const plan = spawnSync(
  process.execPath,
  [join(ROOT, "bin/cli/main.js"), "plan", ...process.argv.slice(2)],
  { stdio: "inherit" },
);
process.exit(plan.status ?? 1);
