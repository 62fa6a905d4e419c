import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CommunicationMode, outboundDependencies, OutboundEndpointCategory } from "../../src/model";
import { fieldsOf, problemsOf } from "../support/errors";

const { Classic, Simplified } = CommunicationMode;

// The published example response (account sampleacct, japaneast, auto-storage, mount, disk encryption).
const example = (
  JSON.parse(
    readFileSync(join(__dirname, "../fixtures/outbound-dependencies-example.json"), "utf8"),
  ) as { responses: { "200": { body: { value: OutboundEndpointCategory[] } } } }
).responses["200"].body.value;

/** The shape of a response: keys at each level and value types, ignoring the values. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shape((value as Record<string, unknown>)[k])]),
    );
  }
  return typeof value;
}

const allFeatures = {
  accountName: "sampleacct",
  autoStorageAccountName: "autostorageaccountname",
  mountConfiguration: true,
  diskEncryptionWithoutEncryptionAtHost: true,
};

describe("outboundDependencies", () => {
  it("speaks the API's shape: category -> endpoints -> domainName, description, endpointDetails[].port", () => {
    expect(shape(outboundDependencies("japaneast", [Classic], allFeatures))).to.deep.equal(
      shape(example),
    );
    expect(shape(outboundDependencies("japaneast", [Simplified], allFeatures))).to.deep.equal(
      shape(example),
    );
  });

  it("classic with every feature equals the published example response", () => {
    expect(outboundDependencies("Japan East", [Classic], allFeatures)).to.deep.equal(example);
  });

  it("simplified drops general Storage and keeps only what the features use", () => {
    const simplified = outboundDependencies("japaneast", [Simplified], {
      accountName: "sampleacct",
    });
    expect(simplified.map((c) => c.category)).to.deep.equal(["Azure Batch"]);
    // Offline the node management host is not known: it is shown in its form, never built
    // from the account name (Azure builds it from the account's unique ID).
    expect(simplified[0].endpoints.map((e) => e.domainName)).to.deep.equal([
      "sampleacct.japaneast.batch.azure.com",
      "<unique-id>.japaneast.service.batch.azure.com",
    ]);
    expect(simplified[0].endpoints[1].description).to.contain("nodeManagementEndpoint");
    const known = outboundDependencies("japaneast", [Simplified], {
      accountName: "sampleacct",
      nodeManagementEndpoint:
        "5e2a1c9b-0f4d-4e7a-8b3c-6d1e2f3a4b5c.japaneast.service.batch.azure.com",
    });
    expect(known[0].endpoints[1].domainName).to.equal(
      "5e2a1c9b-0f4d-4e7a-8b3c-6d1e2f3a4b5c.japaneast.service.batch.azure.com",
    );
    const withAutoStorage = outboundDependencies("japaneast", [Simplified], {
      accountName: "sampleacct",
      autoStorageAccountName: "mystore",
    });
    expect(withAutoStorage[1]).to.deep.include({ category: "Azure Storage" });
    expect(withAutoStorage[1].endpoints.map((e) => e.domainName)).to.deep.equal([
      "mystore.blob.core.windows.net",
    ]);
  });

  it("classic without features still needs general Storage", () => {
    const classic = outboundDependencies("westus2", [Classic], { accountName: "acct1" });
    expect(classic.flatMap((c) => c.endpoints.map((e) => e.domainName))).to.deep.equal([
      "acct1.westus2.batch.azure.com",
      "westus2.service.batch.azure.com",
      "*.blob.core.windows.net",
      "*.table.core.windows.net",
      "*.queue.core.windows.net",
    ]);
  });

  it("the union lists every endpoint of both modes once", () => {
    const union = outboundDependencies("westus2", [Classic, Simplified], {
      accountName: "acct1",
      autoStorageAccountName: "st1",
    });
    const domains = union.flatMap((c) => c.endpoints.map((e) => e.domainName));
    expect(new Set(domains).size).to.equal(domains.length);
    const both = [Classic, Simplified].flatMap((m) =>
      outboundDependencies("westus2", [m], {
        accountName: "acct1",
        autoStorageAccountName: "st1",
      }).flatMap((c) => c.endpoints.map((e) => e.domainName)),
    );
    expect([...domains].sort()).to.deep.equal([...new Set(both)].sort());
  });

  it("uses each cloud's own domains", () => {
    const gov = outboundDependencies("usgovvirginia", [Simplified], {
      accountName: "acct1",
      diskEncryptionWithoutEncryptionAtHost: true,
    });
    expect(gov.flatMap((c) => c.endpoints.map((e) => e.domainName))).to.deep.equal([
      "acct1.usgovvirginia.batch.usgovcloudapi.net",
      "<unique-id>.usgovvirginia.service.batch.usgovcloudapi.net",
      "*.vault.usgovcloudapi.net",
    ]);
    const china = outboundDependencies("chinaeast2", [Classic], { accountName: "acct1" });
    expect(china[1].endpoints[0].domainName).to.equal("*.blob.core.chinacloudapi.cn");
  });

  it("rejects invalid account names with the field", () => {
    const problems = problemsOf(() =>
      outboundDependencies("westus2", [Classic], {
        accountName: "My-Account",
        autoStorageAccountName: "x",
      }),
    );
    expect(fieldsOf(problems)).to.deep.equal(["accountName", "autoStorageAccountName"]);
    expect(problems[0].message).to.contain("3-24 lowercase letters and digits");
  });
});
