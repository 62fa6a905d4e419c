/**
 * Every command the README, docs/ and CONTRIBUTING.md give runs as written. Each line of their
 * `sh` blocks is either offline (run here, from the repository's root, on the Node running the
 * tests) or needs what a test cannot have (Azure, the Pulumi CLI, a network install) or is the
 * test suite itself; a line that is neither fails the test, so a new command cannot slip by.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";

const ROOT = join(__dirname, "../..");
const DOCUMENTS = [
  "README.md",
  "CONTRIBUTING.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

/** Run here: the command line from the repository, the plan, and pipes of sample exports. */
const OFFLINE =
  /^(npm start\b|node scripts\/cli\.mjs |node scripts\/node\.mjs mocha |cat examples\/)/;
/** Not run: Azure, the Pulumi CLI, the shell's own loop and folders, installs, the suite. */
const ELSEWHERE =
  /^(az |pulumi |for |mkdir |cd |npm (install|ci|test|run (bench|test:quick)|run format)\b)/;

interface DocumentedCommand {
  readonly document: string;
  readonly line: string;
}

/** The command lines of a Markdown file's `sh` blocks, comments and prompts removed. */
function commandsOf(document: string): DocumentedCommand[] {
  const text = readFileSync(join(ROOT, document), "utf8");
  const commands: DocumentedCommand[] = [];
  for (const block of text.matchAll(/^```sh\n([\s\S]*?)^```/gm)) {
    for (const raw of block[1].replace(/\\\n\s*/g, "").split("\n")) {
      const line = raw.replace(/\s+#.*$/, "").trim();
      if (line !== "" && !line.startsWith("#")) commands.push({ document, line });
    }
  }
  return commands;
}

/** The part of a line that is run: an install the test environment has already done goes. */
function runnable(line: string): string {
  return line.replace(/^npm install && /, "");
}

function run(line: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", line], {
      cwd: ROOT,
      // The Node running the tests runs the commands too (each tested Node in turn).
      env: { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH}` },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (status) => resolve({ status, stderr }));
  });
}

describe("the documentation's commands, as written", function () {
  this.timeout(300_000);
  const commands = DOCUMENTS.flatMap(commandsOf);

  it("every command line is offline or needs what a test cannot have, by name", () => {
    expect(commands.length).to.be.above(10);
    const unclassified = commands.filter(
      (c) => !OFFLINE.test(runnable(c.line)) && !ELSEWHERE.test(c.line),
    );
    expect(unclassified).to.deep.equal([]);
  });

  it("every offline command runs: exit 0, or 1 for findings, and nothing on stderr", async () => {
    const offline = [
      ...new Set(commands.map((c) => runnable(c.line)).filter((l) => OFFLINE.test(l))),
    ];
    expect(offline.some((l) => l.startsWith("npm start"))).to.equal(true);
    const results: { line: string; status: number | null; stderr: string }[] = [];
    // Two at a time, as the machine has two cores.
    const queue = [...offline];
    await Promise.all(
      [0, 1].map(async () => {
        for (let line = queue.shift(); line !== undefined; line = queue.shift()) {
          results.push({ line, ...(await run(line)) });
        }
      }),
    );
    const failed = results.filter(
      (r) => !(r.status === 0 || r.status === 1) || r.stderr.trim() !== "",
    );
    expect(failed).to.deep.equal([]);
  });
});
