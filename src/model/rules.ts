/**
 * NSG security rules for a set of modes: one Allow rule per required flow, the optional
 * outbound lockdown, and the user's extra rules, merged and checked.
 *
 * Every rule the package generates has a fixed name and a fixed offset from the priority base
 * (RULE_LAYOUT), never a position in a list: the same input always yields the same rules, and
 * widening classic to the union only adds the simplified rule beside the classic ones.
 */
import { isObject } from "./json";
import { asText, printable, shown } from "./printable";
import { addressKind } from "./addresses";
import { Flow, FlowId, FlowOptions, flowsFor, storageTag, validateFlowOptions } from "./flows";
import type { Direction } from "./enums";
import { CommunicationMode, NodeMode } from "./modes";
import { InvalidInputError, Problem } from "./problems";
import { MAX_NAT_POOL_RULES, NatPoolAccess, natPoolRuleLayout, natPoolRules } from "./natPools";
import { checkScope } from "./scope";
import {
  MAX_PRIORITY,
  MIN_PRIORITY,
  securityRuleFields,
  SecurityRuleSpec,
  validateSecurityRule,
} from "./securityRule";
import { refuseTooDeepArguments } from "./input/json";

/** Options for {@link securityRules}. */
export interface RuleOptions extends FlowOptions {
  /**
   * Priority of the first generated rule; the others take fixed offsets up to
   * `priorityBase + 20`, a block reserved for the package in both directions. Default 1000.
   */
  readonly priorityBase?: number;
  /** Deny outbound Internet below the mode's own Allow rules. Off when undefined. */
  readonly outboundLockdown?: OutboundLockdownOptions;
  /** Rules of your own, merged with the generated ones. Names and priorities must not clash. */
  readonly extraRules?: SecurityRuleSpec[];
  /**
   * The pool's own inbound NAT pools: each gets a rule opening its backend port to the sources
   * it admits (inbound offsets 12-16). SSH and RDP come from `remoteAccess`.
   */
  readonly natPoolAccess?: NatPoolAccess[];
}

/** The data-exfiltration control of Microsoft's simplified-mode page. */
export interface OutboundLockdownOptions {
  /**
   * Storage the tasks may still reach over 443 (application packages, resource files, output
   * files): `Storage` service tags (`Storage.westus2`) or IP/CIDR prefixes.
   * Default: the region's `Storage.<region>` tag. An empty list allows no storage beyond what
   * the mode itself needs.
   */
  readonly storageDestinations?: string[];
}

/** What {@link securityRules} returns. */
export interface RuleSet {
  /** Programmatic region name. */
  readonly region: string;
  /** The concrete modes the rules serve, in canonical order. */
  readonly modes: NodeMode[];
  /** The flows the rules open. */
  readonly flows: Flow[];
  /** Generated and extra rules, inbound then outbound, each by ascending priority. */
  readonly rules: SecurityRuleSpec[];
  /** Things that are allowed but probably not meant, in words. */
  readonly warnings: string[];
}

export const DEFAULT_PRIORITY_BASE = 1000;

/** Name and priority offset of every rule the package can generate. */
const RULE_LAYOUT: Readonly<Record<FlowId, { readonly name: string; readonly offset: number }>> = {
  "classic-node-management-inbound": { name: "AllowBatchClassicNodeManagementInbound", offset: 0 },
  "remote-ssh-inbound": { name: "AllowBatchNodeSshInbound", offset: 10 },
  "remote-rdp-inbound": { name: "AllowBatchNodeRdpInbound", offset: 11 },
  "classic-storage-outbound": { name: "AllowBatchClassicStorageOutbound", offset: 0 },
  "classic-job-manager-outbound": { name: "AllowBatchClassicJobManagerOutbound", offset: 1 },
  "simplified-node-management-outbound": {
    name: "AllowBatchSimplifiedNodeManagementOutbound",
    offset: 2,
  },
};

/** Lockdown rules: storage tags take one rule each from offset 10, prefixes share offset 15. */
const LOCKDOWN_STORAGE_TAG_OFFSET = 10;
const MAX_LOCKDOWN_STORAGE_TAGS = 5;
const LOCKDOWN_STORAGE_PREFIXES = { name: "AllowBatchTaskStoragePrefixesOutbound", offset: 15 };
const LOCKDOWN_DENY_INTERNET = { name: "DenyBatchInternetOutbound", offset: 20 };

/** Width of the priority block the package reserves above the base, in both directions. */
export const RESERVED_PRIORITY_SPAN = LOCKDOWN_DENY_INTERNET.offset;

const STORAGE_TAG = /^Storage(\.[A-Za-z0-9]+)?$/i;

function lockdownTagRuleName(tag: string): string {
  return `AllowBatchTaskStorageOutbound-${tag}`;
}

function flowRule(flow: Flow, base: number): SecurityRuleSpec {
  const { name, offset } = RULE_LAYOUT[flow.id];
  const peer = flow.peer.length === 1 ? { single: flow.peer[0] } : { plural: [...flow.peer] };
  const inbound = flow.direction === "Inbound";
  return {
    name,
    priority: base + offset,
    direction: flow.direction,
    access: "Allow",
    protocol: flow.protocol,
    sourcePortRange: "*",
    destinationPortRange: flow.ports,
    ...(inbound
      ? {
          sourceAddressPrefix: peer.single,
          sourceAddressPrefixes: peer.plural,
          destinationAddressPrefix: "*",
        }
      : {
          sourceAddressPrefix: "*",
          destinationAddressPrefix: peer.single,
          destinationAddressPrefixes: peer.plural,
        }),
    description: flow.reason,
  };
}

/**
 * The package's rule for one flow, named and shaped as the generated rules are (so that it can be
 * pasted into `extraRules`), at its usual priority or at `priority`.
 */
export function ruleForFlow(flow: Flow, priority?: number): SecurityRuleSpec {
  const rule = withoutUndefined(flowRule(flow, DEFAULT_PRIORITY_BASE));
  return priority === undefined ? rule : { ...rule, priority };
}

function withoutUndefined(rule: SecurityRuleSpec): SecurityRuleSpec {
  return Object.fromEntries(
    Object.entries(rule).filter(([, v]) => v !== undefined),
  ) as unknown as SecurityRuleSpec;
}

function lockdownRules(
  region: string,
  lockdown: OutboundLockdownOptions,
  base: number,
): SecurityRuleSpec[] {
  const destinations = lockdown.storageDestinations ?? [storageTag(region)];
  const tags = destinations.filter((d) => addressKind(d) === "serviceTag");
  const prefixes = destinations.filter((d) => addressKind(d) !== "serviceTag");
  const common = {
    direction: "Outbound" as const,
    protocol: "Tcp" as const,
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationPortRange: "443",
  };
  const rules: SecurityRuleSpec[] = tags.map((tag, i) => ({
    name: lockdownTagRuleName(tag),
    priority: base + LOCKDOWN_STORAGE_TAG_OFFSET + i,
    access: "Allow",
    ...common,
    destinationAddressPrefix: tag,
    description: `Lockdown: tasks reach ${tag} for application packages and resource files.`,
  }));
  if (prefixes.length > 0) {
    rules.push({
      name: LOCKDOWN_STORAGE_PREFIXES.name,
      priority: base + LOCKDOWN_STORAGE_PREFIXES.offset,
      access: "Allow",
      ...common,
      destinationAddressPrefixes: prefixes,
      description:
        "Lockdown: tasks reach the listed storage accounts for application packages and files.",
    });
  }
  rules.push({
    name: LOCKDOWN_DENY_INTERNET.name,
    priority: base + LOCKDOWN_DENY_INTERNET.offset,
    direction: "Outbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "Internet",
    destinationPortRange: "*",
    description: "Lockdown: deny other outbound Internet traffic; the Batch rules above stay open.",
  });
  return rules;
}

function validatePriorityBase(base: unknown): Problem[] {
  const highest = MAX_PRIORITY - RESERVED_PRIORITY_SPAN;
  if (
    typeof base === "number" &&
    Number.isInteger(base) &&
    base >= MIN_PRIORITY &&
    base <= highest
  ) {
    return [];
  }
  return [
    {
      field: "priorityBase",
      message: `${shown(base)} is not allowed; use a whole number from ${MIN_PRIORITY} to ${highest}: the package's rules take priorities priorityBase to priorityBase+${RESERVED_PRIORITY_SPAN}, and Azure allows at most ${MAX_PRIORITY}.`,
    },
  ];
}

function validateLockdown(lockdown: OutboundLockdownOptions | undefined): Problem[] {
  const destinations = lockdown?.storageDestinations;
  if (destinations === undefined) return [];
  if (!Array.isArray(destinations)) {
    return [
      {
        field: "outboundLockdown.storageDestinations",
        message: "must be a list of Storage service tags or IP/CIDR prefixes.",
      },
    ];
  }
  const problems: Problem[] = [];
  destinations.forEach((d, i) => {
    const kind = typeof d === "string" ? addressKind(d) : "invalid";
    const ok = kind === "ip" || kind === "cidr" || (kind === "serviceTag" && STORAGE_TAG.test(d));
    if (!ok) {
      problems.push({
        field: `outboundLockdown.storageDestinations[${i}]`,
        message: `${shown(d)} is not a storage destination; use a Storage service tag (Storage or Storage.<region>) or an IP/CIDR prefix.`,
      });
    }
  });
  const tags = destinations.filter((d) => typeof d === "string" && addressKind(d) === "serviceTag");
  if (tags.length > MAX_LOCKDOWN_STORAGE_TAGS) {
    problems.push({
      field: "outboundLockdown.storageDestinations",
      message: `holds ${tags.length} service tags; at most ${MAX_LOCKDOWN_STORAGE_TAGS} are supported (list storage accounts by IP prefix instead).`,
    });
  }
  if (new Set(tags.map((t) => t.toLowerCase())).size !== tags.length) {
    problems.push({
      field: "outboundLockdown.storageDestinations",
      message: "lists a service tag twice.",
    });
  }
  return problems;
}

const RESERVED_NAMES: ReadonlyMap<string, string> = new Map(
  [
    ...Object.values(RULE_LAYOUT),
    LOCKDOWN_STORAGE_PREFIXES,
    LOCKDOWN_DENY_INTERNET,
    ...Array.from({ length: MAX_NAT_POOL_RULES }, (_, i) => natPoolRuleLayout(i)),
  ].map((r) => [r.name.toLowerCase(), r.name]),
);
const LOCKDOWN_TAG_RULE_PREFIX = lockdownTagRuleName("").toLowerCase();

const FLOW_DIRECTIONS: Readonly<Record<FlowId, Direction>> = {
  "classic-node-management-inbound": "Inbound",
  "remote-ssh-inbound": "Inbound",
  "remote-rdp-inbound": "Inbound",
  "classic-storage-outbound": "Outbound",
  "classic-job-manager-outbound": "Outbound",
  "simplified-node-management-outbound": "Outbound",
};

/** The name of the package's rule at `offset` from the base in `direction`, if it has one. */
function packageRuleAt(direction: unknown, offset: number): string | undefined {
  const flowRule = (Object.keys(RULE_LAYOUT) as FlowId[]).find(
    (id) => FLOW_DIRECTIONS[id] === direction && RULE_LAYOUT[id].offset === offset,
  );
  if (flowRule) return RULE_LAYOUT[flowRule].name;
  if (direction === "Inbound") {
    const nat = Array.from({ length: MAX_NAT_POOL_RULES }, (_, i) => natPoolRuleLayout(i)).find(
      (l) => l.offset === offset,
    );
    return nat?.name;
  }
  if (direction !== "Outbound") return undefined;
  if (offset === LOCKDOWN_STORAGE_PREFIXES.offset) return LOCKDOWN_STORAGE_PREFIXES.name;
  if (offset === LOCKDOWN_DENY_INTERNET.offset) return LOCKDOWN_DENY_INTERNET.name;
  const tagIndex = offset - LOCKDOWN_STORAGE_TAG_OFFSET;
  return tagIndex >= 0 && tagIndex < MAX_LOCKDOWN_STORAGE_TAGS
    ? lockdownTagRuleName(`<storage tag ${tagIndex + 1}>`)
    : undefined;
}

/**
 * Clashes between extra rules and the package's rules or one another; all reported. The
 * package's names and its whole priority block are reserved in every mode, so an extra rule
 * that fits at one migration stage cannot clash at the next.
 */
function clashes(extras: readonly SecurityRuleSpec[], base: number): Problem[] {
  const problems: Problem[] = [];
  const block = `${base}-${base + RESERVED_PRIORITY_SPAN}`;
  // The first rule of each name and of each direction's priority: a repeat is reported against
  // it once (comparing every pair made a million problems of a thousand rules).
  const names = new Map<string, number>();
  const priorities = new Map<string, number>();
  extras.forEach((extra, i) => {
    // Malformed rules are reported by validateSecurityRule; clashes are judged among the rest.
    if (!isObject(extra)) return;
    const field = `extraRules[${i}]`;
    if (typeof extra.name === "string") {
      const name = extra.name.toLowerCase();
      if (RESERVED_NAMES.has(name) || name.startsWith(LOCKDOWN_TAG_RULE_PREFIX)) {
        problems.push({
          field: `${field}.name`,
          message: `${shown(extra.name)} clashes with the package's rule ${shown(RESERVED_NAMES.get(name) ?? extra.name)}; rename the extra rule.`,
        });
      }
      const first = names.get(name);
      if (first !== undefined)
        problems.push({
          field: `${field}.name`,
          message: `${shown(extra.name)} is also the name of extraRules[${first}]; names must be unique.`,
        });
      else names.set(name, i);
    }
    if (typeof extra.priority !== "number") return;
    if (extra.priority >= base && extra.priority <= base + RESERVED_PRIORITY_SPAN) {
      const owner = packageRuleAt(extra.direction, extra.priority - base);
      problems.push({
        field: `${field}.priority`,
        message: `${extra.priority} lies in ${block}, the block the package reserves for its rules in every mode${owner ? `, and is the priority of the package's rule "${owner}" (${extra.direction}, priority ${extra.priority})` : ""}; choose a priority outside it or move priorityBase.`,
      });
    }
    const key = `${asText(extra.direction)} ${extra.priority}`;
    const first = priorities.get(key);
    if (first !== undefined)
      problems.push({
        field: `${field}.priority`,
        message: `${extra.priority} is also the ${printable(asText(extra.direction), 20)} priority of extraRules[${first}] ${shown(extras[first].name)}; priorities must be unique per direction.`,
      });
    else priorities.set(key, i);
  });
  return problems;
}

/** Things the options allow but probably do not mean, in words. */
export function ruleWarnings(options: RuleOptions): string[] {
  if (!options.outboundLockdown || !Array.isArray(options.extraRules)) return [];
  // Warnings are worked out on unchecked input too: read only what is well-formed.
  const base =
    typeof options.priorityBase === "number" ? options.priorityBase : DEFAULT_PRIORITY_BASE;
  const denyPriority = base + LOCKDOWN_DENY_INTERNET.offset;
  return options.extraRules
    .filter(
      (e): e is SecurityRuleSpec =>
        isObject(e) &&
        e.direction === "Outbound" &&
        e.access === "Allow" &&
        typeof e.priority === "number" &&
        e.priority > denyPriority,
    )
    .map(
      (e) =>
        `extra rule ${shown(e.name)} (priority ${e.priority}) comes after ${LOCKDOWN_DENY_INTERNET.name} (priority ${denyPriority}): it never allows Internet-bound traffic. Give it a priority below ${denyPriority}.`,
    );
}

// Inbound before Outbound. An ordinal comparison: localeCompare would load ICU's collator, about
// 10 ms of every command's start, to order two ASCII words.
const DIRECTION_ORDER: Readonly<Record<string, number>> = { Inbound: 0, Outbound: 1 };

function byDirectionThenPriority(a: SecurityRuleSpec, b: SecurityRuleSpec): number {
  return DIRECTION_ORDER[a.direction] - DIRECTION_ORDER[b.direction] || a.priority - b.priority;
}

/** Problems with the options that shape the generated rules (not the extra rules). */
function validateGeneratorOptions(options: RuleOptions): Problem[] {
  return [
    ...validatePriorityBase(options.priorityBase ?? DEFAULT_PRIORITY_BASE),
    ...validateFlowOptions(options),
    ...validateLockdown(options.outboundLockdown),
  ];
}

function validateExtraRules(extras: unknown): Problem[] {
  if (extras === undefined) return [];
  if (!Array.isArray(extras)) {
    return [{ field: "extraRules", message: "must be a list of security rules." }];
  }
  return extras.flatMap((rule: SecurityRuleSpec, i) =>
    validateSecurityRule(rule, `extraRules[${i}]`),
  );
}

/** Problems with rule options, all at once: generator options, extra rules and their clashes. */
export function validateRuleOptions(options: RuleOptions): Problem[] {
  const generatorProblems = validateGeneratorOptions(options);
  const extras = Array.isArray(options.extraRules) ? options.extraRules : [];
  return [
    ...generatorProblems,
    ...validateExtraRules(options.extraRules),
    // Clashes are judged even when an extra rule is malformed, so one run reports everything.
    ...(generatorProblems.length === 0
      ? clashes(extras, options.priorityBase ?? DEFAULT_PRIORITY_BASE)
      : []),
  ];
}

/**
 * The NSG rules a subnet needs for a set of modes in a region, with lockdown and extras.
 * @param region programmatic or display name.
 * @param modes `[Classic]`, `[Simplified]`, both (the union), or `[Default]` (= both).
 * @throws InvalidInputError listing every problem with the input.
 */
export function securityRules(
  region: string,
  modes: Iterable<CommunicationMode>,
  options: RuleOptions = {},
): RuleSet {
  refuseTooDeepArguments({ region, modes, options });
  const scope = checkScope(region, modes);
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidInputError([
      ...scope.problems,
      { field: "options", message: "must be an object of rule options (or left out)." },
    ]);
  }
  const problems = [...scope.problems, ...validateRuleOptions(options)];
  if (problems.length > 0 || !scope.region) throw new InvalidInputError(problems);
  return ruleSetFor(scope.region.name, scope.modes, options);
}

/**
 * {@link securityRules} without validation, for callers that validated the options already.
 * @param region programmatic region name.
 */
export function ruleSetFor(region: string, modes: NodeMode[], options: RuleOptions): RuleSet {
  const base = options.priorityBase ?? DEFAULT_PRIORITY_BASE;
  const extras = options.extraRules ?? [];
  const flows = flowsFor(region, modes, options);
  const generated = [
    ...flows.map((f) => flowRule(f, base)),
    ...natPoolRules(options.natPoolAccess, base),
    ...(options.outboundLockdown ? lockdownRules(region, options.outboundLockdown, base) : []),
  ];
  return {
    region,
    modes,
    flows,
    rules: [...generated, ...extras.map(securityRuleFields)]
      .map(withoutUndefined)
      .sort(byDirectionThenPriority),
    warnings: ruleWarnings(options),
  };
}
