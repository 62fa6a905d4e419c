import { expect } from "chai";
import fc from "fast-check";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { marked } from "marked";
import {
  markdownCode,
  markdownCodeBlock,
  markdownTable,
  markdownText,
} from "../../src/cli/output/markdown";
import { runCli } from "../../src/cli/program";
import { scratchDir } from "../support/scratch";

/**
 * The Markdown layer, judged by a Markdown renderer (marked, GitHub's flavour): whatever a value
 * holds, it renders as that text, in the paragraph, cell or code it was put in. Never a heading,
 * a tag, a link, emphasis or another cell.
 */
// Control characters are shown escaped (\u001b), as the text layer's own tests hold.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const render = (markdown: string) => marked.parse(markdown, { async: false, gfm: true });

/** The text a rendered fragment shows, with its tags and entities undone. */
function shownText(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();
}

const hostile = fc.oneof(
  fc.string({ unit: "grapheme-ascii", maxLength: 40 }),
  fc.constantFrom(
    "x\n# Approved",
    "<img src=x onerror=alert(1)>",
    "**bold** _it_ `code` ~~gone~~",
    "[link](https://example.com)",
    "- item",
    "1. first",
    "> quote",
    "a | b | c",
    "&lt;not a tag&gt;",
    "\\*escaped\\*",
    "===",
    "```",
  ),
);

describe("the Markdown layer", () => {
  const dir = scratchDir("markdown");
  it("shows any text as itself, in one paragraph: no heading, tag, link, emphasis or list", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const expected = text.replace(/\r\n|\r|\n/g, " ").trim();
        fc.pre(expected !== "" && !CONTROL.test(expected));
        const html = render(markdownText(text));
        expect(html.trim()).to.match(/^<p>[\s\S]*<\/p>$/);
        expect(html).to.not.match(/<(h\d|img|a|em|strong|code|del|ul|ol|li|blockquote|hr)\b/);
        expect(shownText(html).replace(/\s+/g, " ")).to.equal(expected.replace(/\s+/g, " "));
      }),
      { numRuns: 400 },
    );
  });

  it("keeps a code span's text whole, backticks and all", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const expected = text.replace(/\r\n|\r|\n/g, " ");
        fc.pre(expected.trim() !== "" && !CONTROL.test(expected));
        const html = render(markdownCode(text).md);
        const code = /<code>([\s\S]*)<\/code>/.exec(html)?.[1];
        expect(code, html).to.not.equal(undefined);
        expect(shownText(code!)).to.equal(expected.trim());
      }),
      { numRuns: 300 },
    );
  });

  it("keeps every table row to its cells, whatever the cells hold", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(hostile, hostile), { minLength: 1, maxLength: 4 }), (rows) => {
        const html = render(
          markdownTable(
            ["name", "code"],
            rows.map(([a, b]) => [a, markdownCode(b)]),
          ).join("\n"),
        );
        const bodyRows = html.split("<tr>").slice(2);
        expect(bodyRows).to.have.length(rows.length);
        for (const row of bodyRows) expect(row.match(/<td>/g) ?? []).to.have.length(2);
      }),
      { numRuns: 200 },
    );
  });

  it("fences a command block past any backticks in it", () => {
    const html = render(markdownCodeBlock("echo ```; rm -rf ~", "sh").join("\n"));
    expect(shownText(html)).to.equal("echo ```; rm -rf ~");
  });

  it("check --markdown: an NSG and a rule named to inject a heading and HTML print as their names", async () => {
    const nsg = JSON.parse(
      readFileSync(join(__dirname, "../fixtures/network/union.az.json"), "utf8"),
    ) as { name: string; securityRules: Array<{ name: string; priority: number }> };
    nsg.name = "nsg\n# Approved by security <img src=x onerror=alert(1)>";
    nsg.securityRules.push({
      ...nsg.securityRules[0],
      name: "deny|all`<b>`",
      priority: 4000,
    });
    const file = join(dir, "nsg.json");
    writeFileSync(file, JSON.stringify(nsg));
    const result = await runCli(["check", "--nsg", file, "--markdown"]);
    expect(result.status, result.stderr).to.be.oneOf([0, 1]);
    const html = render(result.stdout);
    expect(html).to.not.match(/<img|<b>|<h\d[^>]*>Approved/);
    expect(html.match(/<h1/g)).to.have.length(1);
    expect(shownText(html)).to.contain("# Approved by security <img src=x onerror=alert(1)>");
    for (const row of html.split("<tr>").slice(2)) expect(row.match(/<td>/g)).to.have.length(7);
  });
});
