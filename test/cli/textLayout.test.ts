import { expect } from "chai";
import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli/program";
import { markdownCode } from "../../src/cli/output/markdown";
import {
  escapeControls,
  paragraph,
  renderTable,
  shellCommand,
  wrap,
  wrapWords,
} from "../../src/cli/output/text";
import { generateFleet } from "../../bench/fleet";
import { scratchDir } from "../support/scratch";

const NETWORK = join(__dirname, "../fixtures/network");

/**
 * The longest piece a line cannot be broken in: a shell option with its quoted value, a quoted
 * shell word, or a run without spaces.
 */
function longestUnbreakable(line: string): number {
  return Math.max(0, ...(line.match(/(?:-\S+ )?'[^']*'|\S+/g) ?? []).map((w) => w.length));
}

/** Lines wider than `width` that a break could have shortened. */
function overlong(text: string, width: number): string[] {
  return text.split("\n").filter((line) => {
    if (line.length <= width) return false;
    const indent = line.length - line.trimStart().length;
    return longestUnbreakable(line) + indent + 2 <= width;
  });
}

function fleetFolder(): string {
  const fleet = generateFleet({ pools: 12, subnets: 4, nsgs: 3, rulesPerNsg: 10, seed: 5 });
  const dir = scratchDir("layout");
  for (const d of fleet.documents) writeFileSync(join(dir, d.source), JSON.stringify(d.json));
  return dir;
}

describe("text reports fit the width they are printed at", () => {
  const commands: [string, string[]][] = [
    ["rules", ["rules", "--ssh-from", "198.51.100.0/24", "--forced-tunnel", "10.0.1.4"]],
    [
      "check",
      [
        "check",
        "--nsg",
        join(NETWORK, "deny-internet-above-allow.az.json"),
        "--nsg",
        join(NETWORK, "broad-https-outbound.az.json"),
      ],
    ],
    ["plan", ["plan", "--strategy", "both"]],
    ["audit", ["audit", fleetFolder()]],
  ];

  for (const [name, argv] of commands) {
    it(`${name}: every line within 80 and 100 columns but for a word longer than a line; --json the same at any width`, async () => {
      for (const width of [80, 100]) {
        const result = await runCli(argv, { width });
        expect(result.status, result.stderr).to.be.oneOf([0, 1]);
        expect(overlong(result.stdout, width), `${name} at ${width}`).to.deep.equal([]);
      }
      const narrow = await runCli([...argv, "--json"], { width: 60 });
      const wide = await runCli([...argv, "--json"], { width: 1000 });
      expect(narrow.stdout).to.equal(wide.stdout);
    });
  }
});

describe("the text layer", () => {
  it("escapes control characters and line-reordering characters, and nothing else", () => {
    expect(escapeControls("a\u001b[31mred\u001b[0m\nnext\u202eevil\ttab")).to.equal(
      "a\\u001b[31mred\\u001b[0m\\nnext\\u202eevil\\ttab",
    );
    expect(escapeControls("Ünïcödé → fine (100)")).to.equal("Ünïcödé → fine (100)");
  });

  it("wraps at spaces within the width, cuts only a word longer than a line, and loses no word", () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9.:-]{1,30}$/), { maxLength: 40 }),
        fc.integer({ min: 10, max: 120 }),
        (words, width) => {
          const lines = wrap(words.join(" "), width, "  - ", "    ");
          for (const line of lines) expect(line.length).to.be.at.most(width);
          const rejoined = lines.map((l) => l.slice(4)).join(" ");
          const longWordsCut = words.some((w) => w.length > width - 4);
          if (!longWordsCut) expect(rejoined.split(" ").filter(Boolean)).to.deep.equal(words);
        },
      ),
    );
  });

  it("wraps a value that fits on one line exactly as it wraps any text, word by word", () => {
    // The short cut for values that fit must give what the general case gives: spaces at either
    // end or doubled, control characters and empty text included.
    // eslint-disable-next-line no-control-regex
    const text = fc.stringMatching(/^[ a-z\u0000\u001b\n\u202e-]{0,40}$/);
    fc.assert(
      fc.property(
        text,
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom("", "  ", "  - "),
        (t, w, indent) => {
          expect(wrap(t, w, indent, "    ")).to.deep.equal(wrapWords(t, w, indent, "    "));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("lays a table out as it is when it fits, wrapped when it can be, as records when it cannot", () => {
    const header = ["NAME", "WHY"];
    const rows = [["rule-a", "a reason long enough to need more than one line of text at forty"]];
    expect(renderTable(header, rows, 200).split("\n")).to.have.length(2);
    const wrapped = renderTable(header, rows, 40);
    expect(wrapped.split("\n")[0]).to.match(/^NAME\s+WHY$/);
    for (const line of wrapped.split("\n")) expect(line.length).to.be.at.most(40);
    const records = renderTable(
      ["FLOW", "VERDICT"],
      [["Outbound to BatchNodeManagement.westus2", "ok"]],
      30,
    );
    expect(records.split("\n")[0]).to.equal("FLOW     Outbound to");
    expect(records).to.contain("VERDICT  ok");
  });

  it("breaks a shell command between words only, with continuations the shell reads as one line", () => {
    const command =
      "az network nsg rule create -g rg --nsg-name nsg -n AllowBatch --priority 1000 --description 'a b c d e f g'";
    const laid = shellCommand(command, 40, "  ");
    expect(laid.split("\n").length).to.be.above(1);
    for (const line of laid.split("\n").slice(0, -1)) expect(line).to.match(/ \\$/);
    expect(laid.replace(/ \\\n\s+/g, " ").trim()).to.equal(command);
    expect(laid).to.contain("--priority 1000");
    // A quote inside a quoted value ('\'' ends, escapes and reopens it) is one word still.
    const quoted = "az x --description 'the region'\\''s Storage and the service'\\''s queues'";
    expect(shellCommand(quoted, 30, "  ").split("\n").slice(-1)[0]).to.equal(
      "    --description 'the region'\\''s Storage and the service'\\''s queues'",
    );
  });

  it("never lays a paragraph narrower than a readable line", () => {
    const text = paragraph("one two three four five six seven", 5, "    ");
    expect(text.split("\n")[0]).to.equal("    one two three four");
  });
});

describe("tables and code spans of any size", () => {
  it("lays out 60,000 rows, and fences a value of 200,000 backtick runs, without overflowing the stack", () => {
    const rows = Array.from({ length: 150_000 }, (_, i) => [
      `pool${i}`,
      "ok",
      "every flow allowed",
    ]);
    const table = renderTable(["POOL", "STATUS", "WHY"], rows, 30);
    expect(table.split("\n").length).to.be.above(60_000);
    const ticks = "`a".repeat(200_000);
    expect(markdownCode(ticks).md.startsWith("``")).to.equal(true);
  });
});
