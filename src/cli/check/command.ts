/**
 * `azure-batch-network check`: its options and exit status. The judging is ./report's,
 * loaded only when the command runs.
 */
import { Command } from "commander";
import { MODE_SET_NAMES } from "../../model/modes";
import { STAGE_ORDER } from "../../model/migration/stages";
import type { CommandContext } from "../context";
import { CliInputError, EXIT_FINDINGS, EXIT_OK } from "../exit";
import { appendValue } from "../options";
import type { CheckFlags } from "./options";

/** Registers `check`. */
export function registerCheckCommand(program: Command, context: CommandContext): void {
  const { print, setStatus, stdin, width } = context;
  program
    .command("check")
    .description(
      "Judge an existing network against the flows a mode or migration stage needs, layer by layer as Azure evaluates it: the VNet's security admin rules, the NSGs, the route table, the subnet's outbound path (private subnet, NAT gateway, the nodes' public IPs) and the account's private endpoints, each from the JSON `az ... show -o json` (or ARM) prints. A layer not given is named with the command that exports it. Exit status: 0 every flow allowed by the layers given, 1 some flow blocked or undecided, 2 bad input.",
    )
    .option(
      "--nsg <file>",
      "the subnet's NSG as JSON; repeat to check several; - reads standard input",
      appendValue,
    )
    .option("--nic-nsg <file>", "the NSG on the nodes' NICs, when there is one")
    .option("--route-table <file>", "the subnet's route table as JSON")
    .option(
      "--subnet <file>",
      "the pool's subnet as JSON (az network vnet subnet show -o json): whether it is private, its NAT gateway, and which NSG and route table it has",
    )
    .option(
      "--nat-gateway <file>",
      "the subnet's NAT gateway as JSON (az network nat gateway show -o json), to judge its public addresses",
    )
    .option(
      "--admin-rules <file>",
      "the VNet's effective security admin rules as JSON (az network manager list-effective-security-admin-rule -o json)",
    )
    .option(
      "--public-ip <provision>",
      "the pool's public IP provisioning: BatchManaged (Batch's default), UserManaged or NoPublicIPAddresses",
    )
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
    .option(
      "--private-endpoint-nic <file>",
      "the network interface of a private endpoint whose export holds no address (az network nic show --ids <endpoint's networkInterfaces[0].id> -o json); repeatable",
      appendValue,
    )
    .option(
      "--all-layers",
      "count a layer not given (admin rules, route table, outbound path) as undecided, for pipelines that must know",
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
        subnetFile: flags.subnet,
        natGatewayFile: flags.natGateway,
        adminRulesFile: flags.adminRules,
        publicIp: flags.publicIp,
        privateEndpointNicFiles: flags.privateEndpointNic ?? [],
        allLayers: flags.allLayers === true,
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
function loadReport(): typeof import("./report") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("./report") as typeof import("./report");
}
