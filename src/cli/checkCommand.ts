/**
 * `azure-batch-network check`: its options and exit status. The judging is ./checkReport's,
 * loaded only when the command runs.
 */
import { Command } from "commander";
import { MODE_SET_NAMES } from "../model/modes";
import { STAGE_ORDER } from "../model/migration/stages";
import type { CommandContext } from "./context";
import { CliInputError, EXIT_FINDINGS, EXIT_OK } from "./exit";
import { appendValue } from "./parse";

interface CheckFlags {
  nsg?: string[];
  nicNsg?: string;
  routeTable?: string;
  region?: string;
  mode?: string;
  stage?: string;
  subnetPrefix?: string;
  privateEndpoint?: string[];
  nodeManagementPrivateIp?: string;
  nodeManagementSubnet?: string;
  json?: boolean;
  markdown?: boolean;
}

/** Registers `check`. */
export function registerCheckCommand(program: Command, context: CommandContext): void {
  const { print, setStatus, stdin, width } = context;
  program
    .command("check")
    .description(
      "Judge existing NSGs and route tables (JSON from `az network nsg show -o json`, `az network route-table show -o json`, or ARM) against the flows a mode or migration stage needs. Exit status: 0 every flow allowed, 1 some flow blocked or undecided, 2 bad input.",
    )
    .option(
      "--nsg <file>",
      "the subnet's NSG as JSON; repeat to check several; - reads standard input",
      appendValue,
    )
    .option("--nic-nsg <file>", "the NSG on the nodes' NICs, when there is one")
    .option("--route-table <file>", "the subnet's route table as JSON")
    .option("-r, --region <region>", "Azure region (default: the NSG's location)")
    .option(
      "--mode <mode>",
      `the pools' target: ${MODE_SET_NAMES.join(", ")} (default: union, both modes' flows; classic checks Simplified's too, since Azure no longer honours Classic)`,
    )
    .option("--stage <stage>", `a migration stage instead of a mode: ${STAGE_ORDER.join(", ")}`)
    .option(
      "--subnet-prefix <cidr>",
      "the pool subnet's prefix, to judge rules that name the nodes by CIDR",
    )
    .option(
      "--private-endpoint <file>",
      "a private endpoint of the Batch account as JSON (az network private-endpoint show -o json): the flow it carries (nodeManagement: simplified; batchAccount: the Batch API) is judged to its VNet address; repeat for both",
      appendValue,
    )
    .option(
      "--node-management-private-ip <ip>",
      "the private IP of the account's nodeManagement private endpoint (instead of --private-endpoint)",
    )
    .option(
      "--node-management-subnet <cidr>",
      "the prefix of the subnet the nodeManagement private endpoint lives in, when its IP is not known",
    )
    .option("--json", "print the same as JSON, every advised change as data with its az command")
    .option("--markdown", "print the same as Markdown, for a pull request or change request")
    .action((flags: CheckFlags) => {
      if (flags.json && flags.markdown)
        throw new CliInputError("error: --json and --markdown: give one of them, not both.");
      const {
        checkEachNetwork,
        checkNetworks,
        renderCheckMarkdown,
        renderCheckText,
        renderNsgReport,
      } = loadReport();
      const input = {
        nsgFiles: flags.nsg ?? [],
        nicNsgFile: flags.nicNsg,
        routeTableFile: flags.routeTable,
        region: flags.region,
        mode: flags.mode,
        stage: flags.stage,
        subnetPrefix: flags.subnetPrefix,
        privateEndpointFiles: flags.privateEndpoint ?? [],
        nodeManagementPrivateIp: flags.nodeManagementPrivateIp,
        nodeManagementSubnet: flags.nodeManagementSubnet,
      };
      let verdict: string;
      if (flags.json || flags.markdown) {
        const report = checkNetworks(input, stdin);
        print(flags.json ? JSON.stringify(report, null, 2) : renderCheckMarkdown(report));
        verdict = report.verdict;
      } else {
        // Each NSG rendered as soon as it is judged, its analysis then let go; printed once
        // all are judged, so that bad input in a later file prints nothing but the error.
        const parts: string[] = [];
        const summary = checkEachNetwork(
          input,
          (r) => parts.push(renderNsgReport(r, width)),
          stdin,
        );
        print(renderCheckText(parts, summary.notes, width));
        verdict = summary.verdict;
      }
      setStatus(verdict === "allowed" ? EXIT_OK : EXIT_FINDINGS);
    });
}

/**
 * The command's own code, loaded when it runs: `--help` and the other commands never pay for
 * it. A plain require, so that it works compiled, bundled and run from source alike.
 */
function loadReport(): typeof import("./checkReport") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("./checkReport") as typeof import("./checkReport");
}
