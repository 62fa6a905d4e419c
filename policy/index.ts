/**
 * The azure-batch-network policy pack: `pulumi preview --policy-pack policy`. Each policy lives
 * in its own module (constructing a PolicyPack starts a server, so the tests import those).
 */
import { PolicyPack } from "@pulumi/policy";
import { fleetAudit } from "./fleetAudit";
import { leftoverRules } from "./leftoverRules";
import { subnetAllowsModeFlows } from "./subnetAllowsModeFlows";

new PolicyPack("azure-batch-network", {
  policies: [subnetAllowsModeFlows, leftoverRules, fleetAudit],
});
