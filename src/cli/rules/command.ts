/**
 * `azure-batch-network rules`: its options. What it prints is built by ./report, loaded
 * only when the command runs.
 */
import { Command } from "commander";
import { collectList, parseWholeNumber } from "../options";
import { parseRuleSetLabel, RULE_SET_LABELS, RulesFlags } from "./options";
import type { CommandContext } from "../context";
import { CliInputError } from "../exit";
import type { RuleOptions } from "../../model/rules";

/** Registers `rules` on the program. */
export function registerRulesCommand(program: Command, context: CommandContext): void {
  const { print, width } = context;
  program
    .command("rules")
    .description(
      "Print the flows and NSG rules a Batch pool subnet needs in classic mode, simplified mode and the union of both (what a migration needs).",
    )
    .option("-r, --region <region>", "Azure region, programmatic or display name", "westus2")
    .option(
      "--set <set>",
      `only this rule set, one of ${RULE_SET_LABELS.join(", ")}; repeat for several (default: every set the region offers)`,
      parseRuleSetLabel,
    )
    .option("--json", "print the same data as JSON")
    .option(
      "--priority-base <n>",
      "priority of the first generated rule (100-4076)",
      parseWholeNumber("--priority-base"),
    )
    .option(
      "--no-job-manager-outbound",
      "classic: leave out outbound 443 to BatchNodeManagement (job manager tasks)",
    )
    .option(
      "--ssh-from <prefixes>",
      "allow SSH (TCP 22) from these IP/CIDR prefixes; comma-separated or repeated",
      collectList,
    )
    .option(
      "--rdp-from <prefixes>",
      "allow RDP (TCP 3389) from these IP/CIDR prefixes; comma-separated or repeated",
      collectList,
    )
    .option(
      "--lockdown",
      "deny outbound Internet below the Batch rules (data-exfiltration control)",
    )
    .option(
      "--storage <destinations>",
      "with --lockdown: storage tasks may reach (Storage tags or IP/CIDR); default Storage.<region>",
      collectList,
    )
    .option(
      "--forced-tunnel <appliance-ip>",
      "also print the routes for a default route to this appliance IP",
    )
    .option("--account <name>", "the Batch account, for the hosts the nodes reach")
    .option(
      "--node-management-endpoint <host>",
      "the account's nodeManagementEndpoint (az batch account show --query nodeManagementEndpoint)",
    )
    .action((flags: RulesFlags) => {
      const { rulesReport, renderRulesReport, ruleSetsOf } = loadReport();
      const ruleOptions: RuleOptions = {
        priorityBase: flags.priorityBase,
        classicJobManagerOutbound: flags.jobManagerOutbound,
        remoteAccess: { sshSourcePrefixes: flags.sshFrom, rdpSourcePrefixes: flags.rdpFrom },
        outboundLockdown: flags.lockdown ? { storageDestinations: flags.storage } : undefined,
      };
      if (flags.storage && !flags.lockdown) {
        throw new CliInputError(
          "error: --storage: only applies with --lockdown; add --lockdown or drop --storage.",
        );
      }
      const report = rulesReport({
        region: flags.region,
        sets: flags.set ?? ruleSetsOf(flags.region),
        ruleOptions,
        applianceIp: flags.forcedTunnel,
        accountName: flags.account,
        nodeManagementEndpoint: flags.nodeManagementEndpoint,
      });
      print(flags.json ? JSON.stringify(report, null, 2) : renderRulesReport(report, width));
    });
}

/**
 * The command's own code, loaded when it runs: `--help` and the other commands never pay for
 * it. A plain require, so that it works compiled, bundled and run from source alike.
 */
function loadReport(): typeof import("./report") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("./report") as typeof import("./report");
}
