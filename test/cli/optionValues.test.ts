import { expect } from "chai";
import { join } from "node:path";
import { runCli } from "../../src/cli/program";

const NSG = join(__dirname, "../fixtures/network/union.az.json");

/**
 * Every option value is checked before a command runs: nothing empty becomes a default, nothing
 * given twice quietly takes the last value, no number is quoted back rounded.
 */
describe("azure-batch-network option values", () => {
  const cases: Array<[string[], RegExp]> = [
    [
      ["rules", "--region", ""],
      /^error: --region: is empty; give a value, or leave the option out\.$/m,
    ],
    [["rules", "--region="], /^error: --region: is empty/m],
    [["rules", "--ssh-from", ""], /^error: --ssh-from: is empty/m],
    [["rules", "--ssh-from", " , "], /^error: --ssh-from: is empty/m],
    [["plan", "--dedicated-nodes", ""], /^error: --dedicated-nodes: is empty/m],
    [["plan", "--region", ""], /^error: --region: is empty/m],
    [["check", "--nsg", NSG, "--region", ""], /^error: --region: is empty/m],
    [
      ["rules", "--region", "westus2", "--region", "eastus"],
      /^error: --region: given 2 times \("westus2", "eastus"\); it takes one value\.$/m,
    ],
    [["rules", "-r", "westus2", "--region", "eastus"], /^error: --region: given 2 times/m],
    [
      ["check", "--nsg", NSG, "--mode", "union", "--mode", "classic"],
      /^error: --mode: given 2 times/m,
    ],
    [
      ["rules", "--priority-base", "99999999999999999999"],
      /^error: --priority-base: "99999999999999999999" is too large a number/m,
    ],
    [["rules", "--priority-base", "NaN"], /^error: --priority-base: "NaN" is not a whole number/m],
    [
      ["rules", "--priority-base", "1e400"],
      /^error: --priority-base: "1e400" is not a whole number/m,
    ],
    [
      ["help", "bogus"],
      /^error: unknown command "bogus"; the commands are rules, check, plan, audit\.$/m,
    ],
  ];
  for (const [args, message] of cases) {
    it(`${JSON.stringify(args.join(" "))}: exit 2, naming the option`, async () => {
      const result = await runCli(args);
      expect(result.status).to.equal(2);
      expect(result.stdout).to.equal("");
      expect(result.stderr).to.match(message);
    });
  }

  it("a repeatable option may repeat", async () => {
    const result = await runCli(["check", "--nsg", NSG, "--nsg", NSG, "--json"]);
    expect(result.status).to.equal(0);
    expect((JSON.parse(result.stdout) as { reports: unknown[] }).reports).to.have.length(2);
  });
});
