// `npm test`: lint and type-check once, then every mocha test on each Node version CI tests
// (package.json `config.testedNode`), each installed on first use by scripts/node.mjs.
// Stops at the first failure; prints each Node's wall time at the end.
import { join } from "node:path";
import { nodeBinary, runWith, TESTED_NODE } from "./node.mjs";

const MOCHA = join("node_modules", "mocha", "bin", "mocha.js");
const steps = [
  ["lint", (node) => runWith(node, "npm", ["run", "--silent", "lint"])],
  ["type-check", (node) => runWith(node, "npm", ["run", "--silent", "typecheck"])],
  ...TESTED_NODE.map((version) => [
    `tests on Node ${version}`,
    () => runWith(nodeBinary(version), "node", [MOCHA, ...mochaArgs()]),
  ]),
];

/** `npm test -- <mocha options>` passes them on (`-g "outbound lockdown"`, a file's path). */
function mochaArgs() {
  const given = process.argv.slice(2);
  return given.length > 0
    ? ["--parallel", "--jobs", "2", ...given]
    : ["--parallel", "--jobs", "2", "test/**/*.test.ts"];
}

const timings = [];
for (const [name, step] of steps) {
  const started = performance.now();
  const status = step(process.execPath);
  timings.push(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (status !== 0) {
    process.stderr.write(`\nnpm test: ${name} failed (exit ${status}).\n`);
    process.exit(status);
  }
}
process.stdout.write(`\n${timings.join("\n")}\n`);
