/**
 * The options of `azure-batch-network rules`: the rule sets it prints and how each option's
 * value is read.
 */
import { repeatable } from "../options";
import { CliInputError } from "../exit";

/** The rule sets the command prints: the named mode sets with concrete modes. */
export type RuleSetLabel = "classic" | "simplified" | "union";

export const RULE_SET_LABELS: readonly RuleSetLabel[] = ["classic", "simplified", "union"];

export interface RulesFlags {
  region: string;
  set?: RuleSetLabel[];
  json?: boolean;
  priorityBase?: number;
  jobManagerOutbound: boolean;
  sshFrom?: string[];
  rdpFrom?: string[];
  lockdown?: boolean;
  storage?: string[];
  forcedTunnel?: string;
  account?: string;
  nodeManagementEndpoint?: string;
}

export const parseRuleSetLabel = repeatable(function parseRuleSetLabel(
  value: string,
  previous: RuleSetLabel[] = [],
): RuleSetLabel[] {
  const label = value.trim().toLowerCase() as RuleSetLabel;
  if (!RULE_SET_LABELS.includes(label)) {
    throw new CliInputError(
      `error: --set: "${value}" is not a rule set; use one of ${RULE_SET_LABELS.join(", ")}.`,
    );
  }
  return [...previous, label];
});
