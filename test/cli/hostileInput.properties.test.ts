import { expect } from "chai";
import fc from "fast-check";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli/program";
import { hostileVersionOf, Mutation, reportingFailureOnly } from "../support/mutations";
import { scratchDir } from "../support/scratch";

/**
 * The command line's whole path (the reader, the schemas, the judging, the output layers) on
 * exports broken by one hostile mutation, written to files as a user's tools would write them:
 * an exit status of 0, 1 or 2, no stack trace or internal error, no raw control character on
 * either stream, and error text bounded per file.
 */
const RUNS = Number(process.env.HOSTILE_CLI_RUNS ?? 40);
const EXAMPLES = join(__dirname, "../../examples");
const dir = scratchDir("hostile-cli");
const json = (path: string): unknown => JSON.parse(readFileSync(path, "utf8")) as unknown;

// JSON.stringify itself recurses: a value nested thousands deep is written as text instead.
const DEEP = "\u0000deep\u0000";

/** The JSON text of a mutated export, its deep value written out by hand. */
function text(value: unknown, mutation: Mutation): string {
  if (mutation.kind !== "deep") return JSON.stringify(value);
  const shallow = JSON.stringify(value, (_, v: unknown) => (isDeep(v) ? DEEP : v));
  const [open, close] = mutation.list ? ["[", "]"] : ['{"a":', "}"];
  return shallow
    .split(JSON.stringify(DEEP))
    .join(`${open.repeat(mutation.depth)}"bottom"${close.repeat(mutation.depth)}`);
}

function isDeep(value: unknown): boolean {
  let node = value;
  for (let depth = 0; depth < 60; depth++) {
    if (typeof node !== "object" || node === null) return false;
    node = Array.isArray(node) ? node[0] : (node as { a?: unknown }).a;
  }
  return true;
}

function expectCalm(result: { status: number; stdout: string; stderr: string }, what: string) {
  expect(result.status, `${what}: ${result.stderr.slice(0, 500)}`).to.be.oneOf([0, 1, 2]);
  expect(result.stderr, what).to.not.match(/internal error|\n\s+at /);
  // eslint-disable-next-line no-control-regex
  const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
  expect(raw.test(result.stdout), `${what}: raw control character on stdout`).to.equal(false);
  expect(raw.test(result.stderr), `${what}: raw control character on stderr`).to.equal(false);
  expect(result.stderr.length, `${what}: error text`).to.be.below(20_000);
}

const describeRun = (path: readonly string[], m: Mutation) =>
  `$${path.map((p) => `[${JSON.stringify(p)}]`).join("")} <- ${JSON.stringify(m).slice(0, 100)}`;

describe("the command line on exports broken by a hostile mutation", () => {
  it(`check: an NSG, route table and subnet, each broken (${RUNS} runs, text and Markdown)`, async () => {
    const seeds: Array<[string, unknown]> = [
      ["--nsg", json(join(EXAMPLES, "check/nsg.json"))],
      ["--route-table", json(join(EXAMPLES, "check/route-table.json"))],
      ["--subnet", json(join(EXAMPLES, "check/subnet.json"))],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...seeds)
          .chain(([flag, seed]) => hostileVersionOf(seed).map((broken) => ({ flag, ...broken }))),
        fc.boolean(),
        async ({ flag, path, mutation, value }, markdown) => {
          const file = join(dir, "broken.json");
          writeFileSync(file, text(value, mutation) ?? "");
          const given = seeds.map(([f]) =>
            f === flag ? [f, file] : [f, join(EXAMPLES, `check/${f.slice(2)}.json`)],
          );
          const args = ["check", ...given.flat(), ...(markdown ? ["--markdown"] : [])];
          expectCalm(await runCli(args), `check ${flag} ${describeRun(path, mutation)}`);
        },
      ),
      reportingFailureOnly(RUNS),
    );
  }).timeout(RUNS * 3_000);

  it(`audit: a folder of exports with one document broken (${RUNS} runs, text and Markdown)`, async () => {
    const names = readdirSync(join(EXAMPLES, "audit")).filter((f) => f.endsWith(".json"));
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...names)
          .chain((name) =>
            hostileVersionOf(json(join(EXAMPLES, "audit", name))).map((b) => ({ name, ...b })),
          ),
        fc.boolean(),
        async ({ name, path, mutation, value }, markdown) => {
          const folder = mkdtempSync(join(dir, "audit-"));
          for (const other of names)
            writeFileSync(
              join(folder, other),
              other === name
                ? (text(value, mutation) ?? "")
                : readFileSync(join(EXAMPLES, "audit", other)),
            );
          const result = await runCli(["audit", folder, ...(markdown ? ["--markdown"] : [])]);
          expectCalm(result, `audit ${name} ${describeRun(path, mutation)}`);
        },
      ),
      reportingFailureOnly(RUNS),
    );
  }).timeout(RUNS * 3_000);
});
