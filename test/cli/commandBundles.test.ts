import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateFleet } from "../../bench/fleet";
import { buildProgramOf, ProgramModule } from "../../src/cli/commandLine";
import { bundleFor, BUNDLE, COMMAND_BUNDLES } from "../../src/cli/main";
import { COMMANDS, runCli } from "../../src/cli/program";
import * as auditProgram from "../../src/cli/audit/program";
import * as checkProgram from "../../src/cli/check/program";
import * as planProgram from "../../src/cli/plan/program";
import * as rulesProgram from "../../src/cli/rules/program";
import { scratchDir } from "../support/scratch";

/**
 * main.ts starts a command's own program (bundled alone) when the command is named first, and
 * the whole command line otherwise. Each must answer every argument list it is started for
 * exactly as the whole command line does: same output, same errors, same exit status.
 */
const NETWORK = join(__dirname, "../fixtures/network");

describe("each command's own program", () => {
  const fleet = scratchDir("bundles");
  const generated = generateFleet({ pools: 6, subnets: 3, nsgs: 2, rulesPerNsg: 8, seed: 3 });
  for (const d of generated.documents) writeFileSync(join(fleet, d.source), JSON.stringify(d.json));

  const programs: Record<(typeof COMMAND_BUNDLES)[number], ProgramModule> = {
    rules: rulesProgram,
    check: checkProgram,
    plan: planProgram,
    audit: auditProgram,
  };
  // Runs, help, version, bad options and values, for each command.
  const argvs: Record<(typeof COMMAND_BUNDLES)[number], string[][]> = {
    rules: [
      [],
      ["--json", "--region", "eastus"],
      ["--set", "nope"],
      ["--storage", "Storage"],
      ["--region", ""],
    ],
    check: [
      ["--nsg", join(NETWORK, "union.az.json")],
      ["--nsg", join(NETWORK, "deny-internet-above-allow.az.json"), "--json"],
      ["--nsg", join(NETWORK, "no-such.json")],
      [],
    ],
    plan: [[], ["--strategy", "nope"]],
    audit: [[fleet], [fleet, "--markdown"], []],
  };

  for (const name of COMMAND_BUNDLES) {
    const common = [["--help"], ["-V"], ["--no-such-option"], ["extra", "arguments"]];
    for (const rest of [...argvs[name], ...common]) {
      const argv = [name, ...rest];
      const shown = argv.map((a) => (a === fleet ? "<fleet>" : a.replace(NETWORK, "<fixtures>")));
      it(`answers ${shown.join(" ")} as the whole command line does`, async () => {
        const whole = await runCli(argv, { width: 80 });
        const own = await programs[name].runCli(argv, { width: 80 });
        expect(own).to.deep.equal(whole);
      }).timeout(60_000);
    }
  }

  it("exists for every command of the whole command line, and no other", () => {
    const program = buildProgramOf(
      COMMANDS,
      () => undefined,
      () => undefined,
    );
    expect(program.commands.map((c) => c.name())).to.have.members([...COMMAND_BUNDLES]);
  });

  it("is the bundle main.ts starts only when the command is named first", () => {
    expect(bundleFor(["rules", "--json"])).to.equal(
      join(__dirname, "../../src/cli/rules/program.js"),
    );
    expect(bundleFor(["audit"])).to.match(/audit[/\\]program\.js$/);
    for (const argv of [[], ["--help"], ["help", "rules"], ["-V", "rules"], ["rulez"], ["Rules"]])
      expect(bundleFor(argv), argv.join(" ")).to.equal(BUNDLE);
  });
});
