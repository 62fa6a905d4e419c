/**
 * Mandatory: a Batch pool's subnet must let through every flow its target node communication
 * mode needs. Nodes whose subnet blocks them are unusable.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { analyzePool, poolNetworks } from "./stackNetwork";
import { POLICY_DOCS } from "./docs";

export const subnetAllowsModeFlows: StackValidationPolicy = {
  name: "batch-pool-subnet-allows-mode-flows",
  displayName: "Batch pool subnets let through their mode's flows",
  severity: "critical",
  tags: ["azure-batch", "network"],
  remediationSteps:
    "Add the rule or route the violation names: `azure-batch-network rules --region <region>` prints each mode's rules, and `azure-batch-network check` on the subnet's NSG and route table exports gives the exact change, checked to keep every other needed flow. While a pool may run in either mode (a Classic or Default target, a migration), keep both modes' rules.",
  url: POLICY_DOCS,
  description:
    "A Batch pool's subnet (its NSG, route table and way out: a private subnet needs the nodes' public IPs or a NAT gateway) must let through every flow the modes its target runs in need (classic: inbound 29876-29877 from BatchNodeManagement, outbound 443 to Storage; simplified: outbound 443 to BatchNodeManagement). A Classic target may get Simplified nodes since 31 March 2026, and Default runs Simplified on VNet pools.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const judged = poolNetworks(args.resources).map((network) => ({
      network,
      analysis: analyzePool(network),
    }));
    if (!judged.some((j) => j.analysis))
      args.notApplicable("no Batch pool in a subnet this stack declares");
    for (const { network, analysis } of judged) {
      if (!analysis) continue;
      for (const flow of analysis.flows.filter((f) => f.verdict === "blocked")) {
        reportViolation(
          `Pool ${network.pool.name} (target ${network.target}${analysis.modes.join() === network.target ? "" : `, runs in ${analysis.modes.join(" or ")}`}): its subnet blocks a flow the mode needs, so its nodes would be unusable: ${flow.reason}. Needed because: ${flow.flow.reason}`,
          network.pool.urn,
        );
      }
    }
  },
};
