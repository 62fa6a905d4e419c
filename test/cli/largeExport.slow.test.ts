import { expect } from "chai";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AuditReport } from "../../src/cli/audit/report";
import { runCli } from "../../src/cli/program";
import { MAX_INPUT_BYTES } from "../../src/cli/io/files";
import { generateFleet } from "../../bench/fleet";
import { scratchDir } from "../support/scratch";

/**
 * A subscription's whole NSG export, past the size any file is read whole at (2,000 NSGs of
 * 600 rules, some 200 MB): streamed a resource at a time, and every pool judged as a person
 * would judge it.
 */
describe("audit of a subscription whose NSG export is some 200 MB", () => {
  const dir = scratchDir("large");
  it("streams the export and gives every pool the status its network calls for", async () => {
    const fleet = generateFleet({
      pools: 400,
      subnets: 200,
      nsgs: 2000,
      rulesPerNsg: 600,
      seed: 11,
    });
    for (const d of fleet.documents) writeFileSync(join(dir, d.source), JSON.stringify(d.json));
    const size = statSync(join(dir, "nsgs.json")).size;
    expect(size).to.be.above(190_000_000).and.above(MAX_INPUT_BYTES);

    const result = await runCli(["audit", dir, "--json"]);
    expect(result.status, result.stderr).to.equal(1);
    const report = JSON.parse(result.stdout) as AuditReport;
    expect(report.pools).to.have.length(400);
    const wrong = report.pools.filter((p) => fleet.expected.get(p.poolId) !== p.status);
    expect(wrong.map((p) => `${p.pool}: ${p.status} (${p.why})`)).to.deep.equal([]);
  }).timeout(240_000);
});
