/**
 * Advisory: the audit of a fleet's read-only exports (`azure-batch-network audit`), run with the
 * stack's preview, for platform teams whose pools are made outside this stack. The stack's own
 * pools are judged by the other two policies; this one reads the exports named in the policy
 * config (`exports`: files or folders) and reports every pool at risk or broken, and every
 * change merged per NSG, with the az line that makes it.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { auditExports } from "../src/cli/audit/report";
import { CliInputError } from "../src/cli/exit";
import { formatProblems, InvalidInputError } from "../src/model/problems";
import { FleetAuditConfigSchema } from "./config";
import { validated } from "../src/model/input/schema";
import { POLICY_DOCS } from "./docs";

/** The policy's config, as its schema declares it. @throws InvalidInputError naming the field. */
function fleetAuditConfig(config: unknown) {
  return validated(FleetAuditConfigSchema, config ?? {}, "policy config");
}

export const fleetAudit: StackValidationPolicy = {
  name: "batch-fleet-audit",
  displayName: "Every Batch pool in the fleet's exports can reach Batch",
  severity: "high",
  tags: ["azure-batch", "network", "fleet"],
  remediationSteps:
    "Run `azure-batch-network audit <exports>` for the whole report, then apply the changes merged per NSG and route table (each `az` line names its subscription); export what the report says is missing and audit again.",
  url: POLICY_DOCS,
  description:
    "Every Batch pool in the exports named by the policy config (exports: files or folders from az batch account list, the accounts' pools, az network vnet/nsg/route-table/private-endpoint list) against its subnet's network, and the changes per NSG that keep every pool it serves working.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      exports: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Export files or folders to audit.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    let exports: readonly string[];
    try {
      exports = fleetAuditConfig(args.getConfig<object>()).exports ?? [];
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      reportViolation(
        `The policy config cannot be read: ${formatProblems(error.problems, { separator: "; " })}`,
      );
      return;
    }
    if (exports.length === 0)
      args.notApplicable("no exports named in the policy config (exports: [files or folders])");
    let report: ReturnType<typeof auditExports>;
    try {
      report = auditExports(exports);
    } catch (error) {
      if (!(error instanceof CliInputError)) throw error;
      reportViolation(`The exports cannot be audited: ${error.message.replace(/^error: /, "")}`);
      return;
    }
    for (const pool of report.pools.filter((p) => p.status === "at-risk" || p.status === "broken"))
      reportViolation(
        `Pool ${pool.pool} (account ${pool.account}, ${pool.region ?? "region unknown"}) is ${pool.status}: ${pool.why}${pool.missing.map((m) => `; export its ${m.what}: ${m.command}`).join("")}`,
      );
    for (const changes of report.changes)
      for (const advice of changes.advice)
        reportViolation(
          `${changes.kind === "nsg" ? "NSG" : "Route table"} ${changes.name} (serving ${changes.pools.join(", ")}): ${advice.message}${advice.command ? ` Run: ${advice.command}` : ""}`,
        );
  },
};
