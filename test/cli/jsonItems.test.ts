import { expect } from "chai";
import fc from "fast-check";
import { closeSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { streamJsonItems } from "../../src/cli/io/jsonItems";
import { CliInputError } from "../../src/cli/exit";
import { scratchDir } from "../support/scratch";

/**
 * The streaming reader of large exports gives what JSON.parse gives, item by item: for any
 * list of JSON values (strings holding quotes, brackets and escapes among them), at the top or
 * under `value` or `data` beside other fields, in any whitespace, cut into chunks anywhere.
 */
const dir = scratchDir("items");

function streamed(text: string, chunkBytes: number) {
  const path = join(dir, "export.json");
  writeFileSync(path, text);
  const items: Array<[unknown, string]> = [];
  const fields: Array<[string, unknown]> = [];
  const fd = openSync(path, "r");
  try {
    streamJsonItems(
      fd,
      "audit export.json",
      { item: (node, at) => items.push([node, at]), field: (k, v) => fields.push([k, v]) },
      chunkBytes,
    );
  } finally {
    closeSync(fd);
  }
  return { items, fields };
}

const value = fc.jsonValue({ maxDepth: 4 });
const tricky = fc.constantFrom('a"b', "[{,}]", "\\", '\\"]', "\u00e9\u2603", "a\nb", ":");
const item = fc.oneof(value, tricky, fc.dictionary(fc.oneof(fc.string(), tricky), value));

describe("the streaming reader of large exports", () => {
  it("gives each item of a top-level list, and of value/data beside other fields, as JSON.parse does", () => {
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 12 }),
        fc.constantFrom("list", "value", "data"),
        fc.dictionary(fc.constantFrom("nextLink", "count", "skip_token", "x"), value),
        fc.integer({ min: 1, max: 64 }),
        fc.constantFrom(0, 2),
        (items, shape, extra, chunkBytes, indent) => {
          const document =
            shape === "list" ? items : { ...extra, [shape]: items, ...{ tail: "end" } };
          const text = JSON.stringify(document, null, indent);
          const { items: got, fields } = streamed(text, chunkBytes);
          const base = shape === "list" ? "$" : `$.${shape}`;
          expect(got).to.deep.equal(
            items.map((v, i) => [JSON.parse(JSON.stringify(v)) as unknown, `${base}[${i}]`]),
          );
          if (shape !== "list")
            expect(Object.fromEntries(fields)).to.deep.equal(
              JSON.parse(JSON.stringify({ ...extra, tail: "end" })),
            );
        },
      ),
      { numRuns: 300 },
    );
  });

  const refused: Array<[string, string, RegExp]> = [
    ["a bare number", "42", /is not a JSON list or object/],
    ["an unfinished list", '[{"a": 1}, {"b": ', /ends inside a value/],
    ["an item that is not JSON", "[{'a': 1}]", /\$\[0\]: is not JSON/],
    ["a key without a colon", '{"value" [1]}', /a colon was expected/],
    ["something after the end", "[1] [2]", /something follows its end/],
    ["nesting past the limit", `[${"[".repeat(100)}${"]".repeat(100)}]`, /nested more than 64/],
    ["UTF-16", "\uFEFF[1]", /./],
  ];
  for (const [what, text, message] of refused)
    it(`refuses ${what}, naming the file`, () => {
      const content = what === "UTF-16" ? Buffer.from(`\uFEFF[1]`, "utf16le") : text;
      const path = join(dir, "bad.json");
      writeFileSync(path, content);
      const fd = openSync(path, "r");
      try {
        expect(() => streamJsonItems(fd, "audit bad.json", { item() {}, field() {} }, 7))
          .to.throw(CliInputError)
          .with.property("message")
          .that.matches(what === "UTF-16" ? /is UTF-16/ : message);
      } finally {
        closeSync(fd);
      }
    });
});
