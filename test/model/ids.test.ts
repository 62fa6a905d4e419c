import { expect } from "chai";
import fc from "fast-check";
import { idKey } from "../../src/model/ids";

describe("idKey", () => {
  it("is the ID in lower case without trailing slashes, for any text", () => {
    const idLike = fc.stringMatching(/^[/A-Za-z0-9.\-_]{0,40}$/);
    fc.assert(
      fc.property(fc.oneof(idLike, fc.string()), (id) => {
        expect(idKey(id)).to.equal(id.toLowerCase().replace(/\/+$/, ""));
      }),
      { numRuns: 2000 },
    );
  });

  it("keys two spellings of one resource ID alike", () => {
    const id = "/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/V";
    expect(idKey(`${id.toUpperCase()}//`)).to.equal(idKey(id));
    expect(idKey("///")).to.equal("");
  });
});
