// The command line from this repository: `node scripts/cli.mjs <command> [options]` is what
// `npx azure-batch-network <command> [options]` is where the package is installed. It builds
// bin/ first when a source changed since the last build, and runs on a supported Node
// (scripts/node.mjs), whatever Node started it. `npm start` is `node scripts/cli.mjs plan`.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runWith, supportedNode } from "./node.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const node = supportedNode();
if (node !== process.execPath) {
  process.exit(runWith(node, "node", [fileURLToPath(import.meta.url), ...args]));
}
const { build } = await import("./build.mjs");
build({ ifStale: true });
const cli = spawnSync(process.execPath, [join(ROOT, "bin/cli/main.js"), ...args], {
  stdio: "inherit",
});
process.exit(cli.status ?? 1);
