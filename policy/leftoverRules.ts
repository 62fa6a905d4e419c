/**
 * Advisory: what a pool's subnet carries that no mode it uses needs, rules that open more than
 * any mode needs, and flows that cannot be judged offline.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { analyzePool, poolNetworks } from "./stackNetwork";
import { POLICY_DOCS } from "./docs";

export const leftoverRules: StackValidationPolicy = {
  name: "batch-pool-subnet-leftover-rules",
  displayName: "Batch pool subnets carry no rules their modes do not need",
  severity: "low",
  tags: ["azure-batch", "network"],
  remediationSteps:
    "Make the change the violation names (`azure-batch-network check` on the subnet's NSG export gives it with its `az` line): each was judged again, with every other change, to keep every flow the pools need. A flow that cannot be judged offline needs a look at the rule or route named (an appliance, a CIDR against a service tag).",
  url: POLICY_DOCS,
  description:
    "Rules a Batch pool's subnet keeps that its mode no longer needs (inbound 29876-29877 after moving to simplified, outbound Storage), rules open to the Internet, and flows that cannot be judged offline.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    const networks = poolNetworks(args.resources).filter((n) => n.subnet);
    if (networks.length === 0) args.notApplicable("no Batch pool in a subnet this stack declares");
    for (const network of networks) {
      if (network.unreadable) {
        reportViolation(
          `Pool ${network.pool.name}: its subnet's network cannot be read: ${network.unreadable}`,
          network.pool.urn,
        );
        continue;
      }
      const analysis = analyzePool(network);
      if (!analysis) continue;
      for (const advice of analysis.advice)
        reportViolation(`Pool ${network.pool.name}: ${advice.message}`, network.pool.urn);
      for (const flow of analysis.flows.filter((f) => f.verdict === "undecided")) {
        reportViolation(
          `Pool ${network.pool.name}: cannot tell offline whether its subnet lets through a flow it needs: ${flow.reason}`,
          network.pool.urn,
        );
      }
    }
  },
};
