import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { auditFleet, InvalidInputError, readExports, SHARED_NAMES_SHOWN } from "../../src/model";
import type { ExportDocument } from "../../src/model";

/**
 * The audit's reader against exports that lie by their types, repeat themselves or contradict
 * each other, and against tables of Azure's facts the exports have outgrown: each gets its
 * typed error naming the file and path, or the verdict the exports call for.
 */
const EXAMPLES = join(__dirname, "../../examples/audit");
const sample = (file: string): unknown =>
  JSON.parse(readFileSync(join(EXAMPLES, file), "utf8")) as unknown;
const SAMPLE = ["accounts.json", "pools-batchprod.json", "vnets.json", "nsgs.json"].map(
  (source): ExportDocument => ({ source, json: sample(source) }),
);

type Pool = { id: string; name: string; properties: Record<string, unknown> };
const pools = () => (sample("pools-batchprod.json") as { value: Pool[] }).value;

/** The sample exports with the pools document replaced. */
function withPools(value: Pool[]): ExportDocument[] {
  return SAMPLE.map((d) => (d.source === "pools-batchprod.json" ? { ...d, json: { value } } : d));
}

function problemsOf(documents: readonly ExportDocument[]): string[] {
  try {
    readExports(documents);
  } catch (error) {
    if (error instanceof InvalidInputError)
      return error.problems.map((p) => `${p.field}: ${p.message}`);
    throw error;
  }
  expect.fail("the exports were read");
}

describe("the audit's reader against hostile exports", () => {
  it("refuses a pool whose subnetId is not a string, instead of judging it outside any VNet", () => {
    const [first, ...rest] = pools();
    const bad = {
      ...first,
      properties: {
        ...first.properties,
        networkConfiguration: { subnetId: { id: "/subscriptions/x" } },
      },
    };
    expect(problemsOf(withPools([bad, ...rest]))).to.deep.equal([
      'pools-batchprod.json $.value[0].properties.networkConfiguration.subnetId: {"id":"/subscriptions/x"} is not a subnet\'s resource ID.',
    ]);
  });

  it("refuses a target mode Azure does not have, instead of judging it as Default", () => {
    const [first, ...rest] = pools();
    const bad = {
      ...first,
      properties: { ...first.properties, targetNodeCommunicationMode: "Turbo" },
    };
    expect(problemsOf(withPools([bad, ...rest]))).to.deep.equal([
      'pools-batchprod.json $.value[0].properties.targetNodeCommunicationMode: "Turbo" is not Default, Classic or Simplified.',
    ]);
  });

  it("reads a pool given twice once, and refuses two copies of one pool that differ, naming both files", () => {
    const once = readExports(SAMPLE);
    const twice = readExports([
      ...SAMPLE,
      { source: "again.json", json: sample("pools-batchprod.json") },
    ]);
    expect(twice.pools.map((p) => p.id)).to.deep.equal(once.pools.map((p) => p.id));

    const [first] = pools();
    const changed = {
      ...first,
      properties: { ...first.properties, targetNodeCommunicationMode: "Classic" },
    };
    expect(problemsOf([...SAMPLE, { source: "later.json", json: [changed] }])).to.deep.equal([
      `later.json $[0]: is another copy of pool "${first.id}" that differs from the one in pools-batchprod.json $.value[0]; export it once (the two were read at different times?), or give only one of the files.`,
    ]);
  });

  it("refuses two different copies of one NSG, whichever file is read last", () => {
    const nsgs = sample("nsgs.json") as Array<{ securityRules: unknown[] }>;
    const edited = structuredClone(nsgs);
    edited[0].securityRules.pop();
    for (const order of [
      [SAMPLE, { source: "edited.json", json: edited }],
      [[{ source: "edited.json", json: edited }], SAMPLE],
    ] as const) {
      const documents = [order[0], order[1]].flat() as ExportDocument[];
      expect(problemsOf(documents).join("\n")).to.match(/is another copy of NSG .* that differs/);
    }
  });

  it("names a subnet prefix past /32 by its path in the VNet export", () => {
    const vnets = structuredClone(sample("vnets.json")) as Array<{
      subnets: Array<{ addressPrefix: string }>;
    }>;
    vnets[0].subnets[0].addressPrefix = "10.1.0.0/33";
    const documents = SAMPLE.map((d) => (d.source === "vnets.json" ? { ...d, json: vnets } : d));
    expect(problemsOf(documents)).to.deep.equal([
      'vnets.json $[0].subnets[0].addressPrefix: "10.1.0.0/33" is not a CIDR prefix (10.0.0.0/24).',
    ]);
  });

  it("judges a Simplified pool in a region this package's table says lacks simplified, by the pool's word", () => {
    const accounts = structuredClone(sample("accounts.json")) as Array<{ location: string }>;
    for (const a of accounts) a.location = "westindia";
    const documents = SAMPLE.map((d) =>
      d.source === "accounts.json" ? { ...d, json: accounts } : d,
    );
    const audit = auditFleet(readExports(documents));
    const simplified = audit.pools.filter((p) => p.current === "Simplified");
    expect(simplified.length).to.be.above(0);
    for (const pool of simplified) {
      expect(pool.judgedModes).to.include("Simplified");
      expect(pool.notes?.[0]).to.match(/table says westindia does not offer simplified/);
    }
    // A Classic pool there is still judged for Classic alone.
    const classic = audit.pools.find((p) => p.target === "Classic" && p.current === "Classic");
    if (classic) expect(classic.judgedModes).to.deep.equal(["Classic"]);
  });

  it("lists a bounded number of the pools sharing a subnet, and counts them all", () => {
    const [first] = pools();
    const many = Array.from({ length: 3000 }, (_, i) => ({
      ...first,
      id: first.id.replace(/\/pools\/[^/]+$/, `/pools/p${i}`),
      name: `p${i}`,
    }));
    const audit = auditFleet(readExports(withPools(many)));
    expect(audit.pools).to.have.length(3000);
    for (const pool of audit.pools) {
      expect(pool.sharesSubnetWith).to.have.length(SHARED_NAMES_SHOWN);
      expect(pool.sharesSubnetWithCount).to.equal(2999);
    }
    expect(JSON.stringify(audit.pools.map((p) => p.sharesSubnetWith)).length).to.be.below(
      3000 * 200,
    );
  });

  it("reads every page a document holds, and names the page a listing says follows when none does", () => {
    const all = pools();
    const link =
      "https://management.azure.com/subscriptions/x/pools?api-version=2024-07-01&$skipToken=abc";
    const twoPages = SAMPLE.map((d) =>
      d.source === "pools-batchprod.json"
        ? { ...d, json: [{ value: all.slice(0, 1), nextLink: link }, { value: all.slice(1) }] }
        : d,
    );
    const whole = readExports(twoPages);
    expect(whole.pools.map((p) => p.id)).to.deep.equal(all.map((p) => p.id));
    expect(whole.incomplete).to.deep.equal([]);

    const firstPage = SAMPLE.map((d) =>
      d.source === "pools-batchprod.json"
        ? { ...d, json: { value: all.slice(0, 1), nextLink: link } }
        : d,
    );
    const partial = readExports(firstPage);
    expect(partial.pools).to.have.length(1);
    expect(partial.incomplete).to.deep.equal([
      {
        source: "pools-batchprod.json",
        at: "$.nextLink",
        command: `az rest --method get --url '${link}'`,
      },
    ]);
    const graph = readExports([
      ...SAMPLE,
      { source: "graph.json", json: { count: 0, data: [], skip_token: "ew0KICAi" } },
    ]);
    expect(graph.incomplete.map((m) => m.command)).to.deep.equal([
      "az graph query -q '<the same query>' --skip-token 'ew0KICAi' -o json",
    ]);
    expect(auditFleet(partial).incomplete).to.have.length(1);
  });
});
