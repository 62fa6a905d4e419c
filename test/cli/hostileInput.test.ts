import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli/program";
import { MAX_INPUT_BYTES } from "../../src/cli/io/files";
import { scratchDir } from "../support/scratch";

/**
 * The command line against careless and hostile input: files that are not what they claim,
 * encodings real tools write, NSGs and route tables Azure itself would refuse, stack files that
 * are something else, and a reader that closes the pipe. Each answers with exit status 2 and a
 * message naming the thing (or a valid result), never a stack trace, a hang or raw bytes.
 */
const NETWORK = join(__dirname, "../fixtures/network");
const dir = scratchDir("hostile");
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const simplifiedNsg = readFileSync(join(NETWORK, "simplified-only.arm.json"), "utf8");

const rule = (name: string, priority: number) => ({
  name,
  priority,
  direction: "Outbound",
  access: "Allow",
  protocol: "Tcp",
  sourceAddressPrefix: "*",
  sourcePortRange: "*",
  destinationAddressPrefix: "Storage",
  destinationPortRange: "443",
});

describe("azure-batch-network against hostile input", () => {
  it("reads what Azure's tools write: UTF-8 with a byte-order mark, and UTF-16 with one", async () => {
    const bom = file(
      "bom.json",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(simplifiedNsg)]),
    );
    const utf16 = file(
      "utf16.json",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(simplifiedNsg, "utf16le")]),
    );
    for (const path of [bom, utf16]) {
      const result = await runCli(["check", "--nsg", path, "--mode", "simplified"]);
      expect(result.status, `${path}: ${result.stderr}`).to.equal(0);
    }
  });

  it("tells UTF-8 that holds U+FFFD from bytes that are not UTF-8", async () => {
    // U+FFFD is what a quick UTF-8 read puts in place of bad bytes: a file that really holds one
    // is still read as it is, and bad bytes are still refused.
    const nsg = JSON.parse(simplifiedNsg) as { name: string };
    const replacement = file("replacement.json", JSON.stringify({ ...nsg, name: "nsg-\uFFFD" }));
    const good = await runCli(["check", "--nsg", replacement, "--mode", "simplified", "--json"]);
    expect(good.status, good.stderr).to.equal(0);
    expect(
      (JSON.parse(good.stdout) as { reports: Array<{ nsg: string }> }).reports[0].nsg,
    ).to.equal("nsg-\uFFFD");
    const latin1 = file(
      "latin1.json",
      Buffer.from(JSON.stringify({ ...nsg, name: "caf\u00e9" }), "latin1"),
    );
    const bad = await runCli(["check", "--nsg", latin1, "--mode", "simplified"]);
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.match(/is not text \(UTF-8, or UTF-16 with a byte-order mark\)/);
  });

  it("refuses a file past the size limit before reading it", async () => {
    const huge = file("huge.json", "");
    truncateSync(huge, MAX_INPUT_BYTES + 1); // sparse: no disk, and never read
    const result = await runCli(["check", "--nsg", huge]);
    expect(result.status).to.equal(2);
    expect(result.stderr).to.match(/is larger than 64 MiB/);
  });

  const refused: Array<[string, string[], RegExp]> = [
    [
      "a device that never ends",
      ["check", "--nsg", "/dev/zero"],
      /--nsg \/dev\/zero: is a device or socket, not a file/,
    ],
    ["a directory", ["check", "--nsg", dir], /: is a directory; give a JSON file/],
    [
      "binary bytes",
      [
        "check",
        "--nsg",
        file("binary.json", Buffer.from([0x7b, 0x00, 0xff, 0x1b, 0x5b, 0x32, 0x4a])),
      ],
      /is not text \(UTF-8, or UTF-16 with a byte-order mark\)/,
    ],
    [
      "two rules of one priority in a direction",
      [
        "check",
        "--nsg",
        file(
          "dup.json",
          JSON.stringify({ name: "d", securityRules: [rule("a", 200), rule("b", 200)] }),
        ),
        "--region",
        "westus2",
      ],
      /securityRules\[1\]\.priority: 200 is also the priority of \$\.securityRules\[0\] \(Outbound\)/,
    ],
    [
      "two rules of one name",
      [
        "check",
        "--nsg",
        file(
          "dupname.json",
          JSON.stringify({ name: "d", securityRules: [rule("a", 200), rule("A", 300)] }),
        ),
        "--region",
        "westus2",
      ],
      /securityRules\[1\]\.name: "A" is also the name of \$\.securityRules\[0\]/,
    ],
    [
      "a VirtualAppliance route without its IP, and one with a word for an IP",
      [
        "check",
        "--nsg",
        join(NETWORK, "simplified-only.arm.json"),
        "--route-table",
        file(
          "rt.json",
          JSON.stringify({
            name: "rt",
            routes: [
              { name: "a", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance" },
              {
                name: "b",
                addressPrefix: "10.0.0.0/8",
                nextHopType: "VirtualAppliance",
                nextHopIpAddress: "banana",
              },
            ],
          }),
        ),
      ],
      /routes\[0\]\.nextHopIpAddress: is missing: a VirtualAppliance route needs[\s\S]*routes\[1\]\.nextHopIpAddress: "banana" is not an IP address/,
    ],
    [
      "a stack file that is a YAML list",
      ["plan", "--config", file("list.yaml", "- a\n- b\n")],
      /--config .*list\.yaml: is not a Pulumi\.<stack>\.yaml/,
    ],
    [
      "an NSG given as a stack file",
      ["plan", "--config", join(NETWORK, "union.az.json")],
      /is not a Pulumi\.<stack>\.yaml \(it has /,
    ],
    [
      "config keys that are only inherited names",
      ["plan", "--config", file("proto.yaml", "config:\n  azure-batch-network:constructor: 1\n")],
      /config\.azure-batch-network:constructor: not a key of the azure-batch-network stack/,
    ],
    [
      "a stage the stack does not have, blamed on the file's key",
      ["plan", "--config", file("stage.yaml", "config:\n  azure-batch-network:stage: sideways\n")],
      /--config .*stage\.yaml config\.azure-batch-network:stage \(stage\): "sideways" is not a stage/,
    ],
    [
      "a config key Pulumi refuses (two colons)",
      [
        "plan",
        "--config",
        file("colons.yaml", "config:\n  azure-batch-network:location:oops: westus2\n"),
      ],
      /config\.azure-batch-network:location:oops: is not a config key Pulumi reads/,
    ],
    [
      "one key in two spellings, of which Pulumi keeps either",
      [
        "plan",
        "--config",
        file(
          "twice.yaml",
          "config:\n  azure-batch-network:location: westus2\n  location: eastus\n",
        ),
      ],
      /config\.location: is azure-batch-network:location, also set as "azure-batch-network:location"/,
    ],
    [
      "a YAML tag the parser would only warn of, and nothing printed but the error",
      ["plan", "--config", file("tag.yaml", "config:\n  azure-batch-network:location: !foo x\n")],
      /^error: --config .*tag\.yaml: is not YAML Pulumi reads: Unresolved tag: !foo at line 2, column 33\n$/,
    ],
    [
      "YAML nested past the limit",
      [
        "plan",
        "--config",
        file("deep.yaml", `config:\n  x: ${"[".repeat(3000)}${"]".repeat(3000)}\n`),
      ],
      /deep\.yaml: is nested more than 64 levels deep/,
    ],
    [
      "a bad region from the file, blamed on the file and not on --region",
      [
        "plan",
        "--config",
        file("region.yaml", "config:\n  azure-batch-network:location: westus9\n"),
      ],
      /--config .*region\.yaml config\.azure-batch-network:location \(location\): "westus9"/,
    ],
  ];
  for (const [what, args, message] of refused) {
    it(`exit 2 for ${what}, naming it`, async () => {
      const result = await runCli(args);
      expect(result.status, result.stdout + result.stderr).to.equal(2);
      expect(result.stderr).to.match(message);
      expect(result.stderr).to.not.contain("    at ");
    });
  }

  it("never echoes control characters or a whole huge value", async () => {
    const escape = file("escape.json", `\u001b[2J${"x".repeat(5000)}`);
    const result = await runCli(["check", "--nsg", escape]);
    expect(result.status).to.equal(2);
    expect(result.stderr).to.not.contain("\u001b");
    expect(result.stderr).to.contain("\\u001b");
    expect(result.stderr.length).to.be.below(600);
  });

  it("a reader that closes the pipe early: a quiet exit with the command's own status", () => {
    // Enough output to fill the pipe, of a check whose every flow is allowed (status 0).
    const nsg = join(NETWORK, "simplified-only.arm.json");
    const args = Array.from({ length: 300 }, () => ["--nsg", nsg]).flat();
    const cli = join(__dirname, "../../src/cli/main.ts");
    const run = spawnSync(
      "bash",
      [
        "-c",
        `set -o pipefail; "${process.execPath}" --require tsx/cjs "${cli}" check --mode simplified ${args.join(" ")} | head -1 > /dev/null`,
      ],
      { encoding: "utf8" },
    );
    expect(run.stderr).to.equal("");
    expect(run.status).to.equal(0);
  });
});
