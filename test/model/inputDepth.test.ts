import { expect } from "chai";
import { parseJson, refuseTooDeep, tooDeepPath } from "../../src/model/input/json";
import { InvalidInputError } from "../../src/model/problems";

const listsDeep = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("the depth limit on values already parsed", () => {
  it("names where a value first nests past the limit", () => {
    expect(tooDeepPath({ a: [{ b: JSON.parse(listsDeep(70)) as unknown }] })).to.equal(
      "$.a[0].b" + "[0]".repeat(61),
    );
    expect(tooDeepPath({ a: [1, "x", { b: null }] })).to.equal(undefined);
  });

  it("takes text it scanned as within the limit, but not once it is put deeper", () => {
    const scanned = parseJson(listsDeep(60), "deep.json");
    expect(() => refuseTooDeep(scanned, "input")).not.to.throw();
    let wrapped: unknown = scanned;
    for (let i = 0; i < 10; i++) wrapped = { inner: wrapped };
    expect(() => refuseTooDeep(wrapped, "input"))
      .to.throw(InvalidInputError)
      .with.property("message")
      .that.matches(/input\.inner\.inner.*nested more than 64 levels deep/);
  });
});
