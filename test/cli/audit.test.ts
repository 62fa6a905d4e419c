import { expect } from "chai";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AuditReport } from "../../src/cli/audit/report";
import { runCli } from "../../src/cli/program";
import { generateFleet } from "../../bench/fleet";
import { scratchDir } from "../support/scratch";

const fleet = generateFleet({ pools: 120, subnets: 30, nsgs: 16, rulesPerNsg: 20, seed: 3 });
const root = scratchDir("audit");

function folder(name: string, documents: { source: string; json: unknown }[]): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const d of documents) writeFileSync(join(dir, d.source), JSON.stringify(d.json));
  return dir;
}

const exports = folder("exports", fleet.documents);
writeFileSync(join(exports, "README.md"), "how these were exported");

describe("azure-batch-network audit", () => {
  it("judges every pool of a folder of exports; exit 1 when any is at risk or broken", async () => {
    const result = await runCli(["audit", exports, "--json"]);
    expect(result.status).to.equal(1);
    const report = JSON.parse(result.stdout) as AuditReport;
    expect(report.pools).to.have.length(120);
    const wrong = report.pools.filter((p) => fleet.expected.get(p.poolId) !== p.status);
    expect(wrong.map((p) => `${p.pool} ${p.status}`)).to.deep.equal([]);
    expect(report.skipped.map((s) => s.source.slice(exports.length + 1)).sort()).to.deep.equal([
      "README.md",
      "notes.json",
    ]);
    // Every change carries the az line that makes it.
    const advice = report.changes.flatMap((c) => c.advice).filter((a) => a.change);
    expect(advice.length).to.be.above(0);
    expect(advice.every((a) => a.command?.startsWith("az network "))).to.equal(true);
  });

  it("reads one Resource Graph answer ({ data: [...] }) the same as separate az and ARM exports", async () => {
    const all = fleet.documents.flatMap((d) => {
      if (d.source.startsWith("admin-rules-")) return [];
      const json = d.json;
      if (Array.isArray(json)) return json as unknown[];
      const value = (json as { value?: unknown[] }).value;
      return value ?? [];
    });
    // Resource Graph has no effective admin rules: those stay one file per VNet.
    const graph = folder("graph", [
      { source: "graph.json", json: { data: all, count: all.length } },
      ...fleet.documents.filter((d) => d.source.startsWith("admin-rules-")),
    ]);
    const separate = JSON.parse((await runCli(["audit", exports, "--json"])).stdout) as AuditReport;
    const together = JSON.parse((await runCli(["audit", graph, "--json"])).stdout) as AuditReport;
    expect(together.pools.map((p) => p.status)).to.deep.equal(separate.pools.map((p) => p.status));
  });

  it("exit 0 when every pool is fine; the text report gives a summary and a row per pool", async () => {
    const fine = generateFleet({ pools: 8, subnets: 4, nsgs: 4, rulesPerNsg: 5, seed: 1 });
    const ok = fine.documents.map((d) => {
      if (d.source !== "pools.json") return d;
      // Only the pools whose network serves them: a fine fleet.
      const value = (d.json as { value: Array<{ id: string }> }).value.filter(
        (p) => fine.expected.get(p.id) === "ok" || fine.expected.get(p.id) === "no-vnet",
      );
      return { ...d, json: { value } };
    });
    const result = await runCli(["audit", folder("fine", ok)]);
    expect(result.stderr).to.equal("");
    expect(result.status).to.equal(0);
    expect(result.stdout.split("\n")[0]).to.match(
      /^Audit of \d+ pools in \d+ accounts? and 1 subscription: OK\. 0 broken, 0 at risk, \d+ ok/,
    );
    expect(result.stdout).to.contain("POOL  ").and.contain("REGION  ");
  });

  it("puts the summary first: counts per subscription and region, the worst NSGs, the changes that fix most, each missing export once", async () => {
    const result = await runCli(["audit", exports]);
    const text = result.stdout;
    const order = [
      "Audit of 120 pools",
      "SUBSCRIPTION",
      "NSGs with the most broken pools:",
      "The changes that fix the most pools",
      "Undecided until exported:",
      "Pools:",
    ].map((heading) => text.indexOf(heading));
    expect(
      order.every((at) => at >= 0),
      String(order),
    ).to.equal(true);
    expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
    // A missing export is named once, with how many pools wait on it.
    expect(text.slice(order[4], order[5])).to.match(/\d+ pools? wait on it/);
    const json = JSON.parse((await runCli(["audit", exports, "--json"])).stdout) as AuditReport;
    const commands = json.overview.undecided.map((u) => u.command);
    expect(commands.length).to.be.above(1);
    expect(new Set(commands).size).to.equal(commands.length);
    const waiting = json.pools.filter((p) => p.missing.length > 0).length;
    expect(json.overview.undecided.reduce((n, u) => n + u.pools, 0)).to.be.at.least(waiting);
    // Pools are named with their account.
    expect(text).to.match(/POOL\s+acct\d+\/pool\d+/);
  });

  it("--out writes the whole report and prints its summary; --markdown fits a pull request comment", async () => {
    const big = folder(
      "big",
      generateFleet({ pools: 600, subnets: 120, nsgs: 40, rulesPerNsg: 20, seed: 5 }).documents,
    );
    const out = join(root, "report.md");
    const markdown = await runCli(["audit", big, "--markdown", "--out", out]);
    expect(markdown.stdout.length).to.be.below(65_536);
    expect(markdown.stdout.split("\n")[0]).to.match(/^# Batch network audit: /);
    expect(markdown.stdout).to.contain(`the whole report is in ${out}`);
    const whole = readFileSync(out, "utf8");
    expect(whole.length).to.be.above(65_536);
    expect(whole).to.contain("## Pools");

    const textOut = join(root, "report.txt");
    const text = await runCli(["audit", big, "--out", textOut]);
    expect(text.stdout).to.contain(`The whole report: ${textOut}`).and.not.contain("Pools:");
    expect(readFileSync(textOut, "utf8")).to.contain("Pools:");

    const unwritable = await runCli(["audit", big, "--out", join(root, "no-such-dir", "r.txt")]);
    expect(unwritable.status).to.equal(2);
    expect(unwritable.stderr).to.match(/^error: --out .*r\.txt: cannot be written/);
  });

  it("--markdown for a change request", async () => {
    const result = await runCli(["audit", exports, "--markdown"]);
    const lines = result.stdout.split("\n");
    expect(lines[0]).to.equal("# Batch network audit: BROKEN");
    expect(lines).to.include("## Pools");
    expect(lines).to.include("## The changes that fix the most pools");
    expect(lines).to.include("## Undecided until exported");
  });

  it("exit 2 for a path that does not exist, a file that is not JSON, and a malformed NSG", async () => {
    const bad = folder("bad", [
      {
        source: "nsg.json",
        json: [
          {
            id: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n",
            type: "Microsoft.Network/networkSecurityGroups",
            name: "n",
            securityRules: [{ name: "a", priority: 99 }],
          },
        ],
      },
    ]);
    writeFileSync(join(root, "broken.json"), "{ not json");
    const cases: Array<[string[], RegExp]> = [
      [["audit", join(root, "nowhere")], /^error: audit .*nowhere: cannot be read/],
      [["audit", join(root, "broken.json")], /broken\.json \$: is not JSON/],
      [["audit", bad], /nsg\.json \$\[0\]\.securityRules\[0\]\.priority: 99 is not a priority/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      expect(result.status, args.join(" ")).to.equal(2);
      expect(result.stderr).to.match(message);
    }
  });
});
