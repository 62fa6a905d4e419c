/**
 * An NSG security rule in the shape `@pulumi/azure-native/network` takes (the inline
 * `securityRules` of a `NetworkSecurityGroup`, or a standalone `SecurityRule`), and the checks
 * Azure applies to its fields.
 */
import { shown } from "./printable";
import { closest, distance } from "fastest-levenshtein";
import { addressKind } from "./addresses";
import { Access, Direction, enumValues, Protocol } from "./enums";
import { parsePortRange } from "./ports";
import type { Problem } from "./problems";

/** An NSG security rule. Give each address and port field in its single or its plural form. */
export interface SecurityRuleSpec {
  /** Unique within the NSG, at most 80 characters. */
  readonly name: string;
  /** 100-4096, unique per direction; lower numbers are evaluated first. */
  readonly priority: number;
  /** `Inbound` or `Outbound`. */
  readonly direction: Direction;
  /** `Allow` or `Deny`. */
  readonly access: Access;
  /** `Tcp`, `Udp`, `Icmp`, `Esp`, `Ah` or `*` (any). */
  readonly protocol: Protocol;
  /** Source: `*`, an IP, a CIDR prefix or a service tag. */
  readonly sourceAddressPrefix?: string;
  /** Sources: IPs or CIDR prefixes (no service tags). */
  readonly sourceAddressPrefixes?: string[];
  /** Source ports: `*`, a port or a range `low-high`. */
  readonly sourcePortRange?: string;
  /** Source ports: several ports or ranges. */
  readonly sourcePortRanges?: string[];
  /** Destination: `*`, an IP, a CIDR prefix or a service tag. */
  readonly destinationAddressPrefix?: string;
  /** Destinations: IPs or CIDR prefixes (no service tags). */
  readonly destinationAddressPrefixes?: string[];
  /** Destination ports: `*`, a port or a range `low-high`. */
  readonly destinationPortRange?: string;
  /** Destination ports: several ports or ranges. */
  readonly destinationPortRanges?: string[];
  /** At most 140 characters. */
  readonly description?: string;
}

export const MIN_PRIORITY = 100;
export const MAX_PRIORITY = 4096;
export const MAX_RULE_NAME_LENGTH = 80;
export const MAX_DESCRIPTION_LENGTH = 140;

// Azure resource names: start with a letter or digit, end with a letter, digit or underscore,
// and hold letters, digits, underscores, periods and hyphens.
const RULE_NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

type FieldPair = {
  single:
    "sourceAddressPrefix" | "destinationAddressPrefix" | "sourcePortRange" | "destinationPortRange";
  plural:
    | "sourceAddressPrefixes"
    | "destinationAddressPrefixes"
    | "sourcePortRanges"
    | "destinationPortRanges";
  kind: "address" | "port";
};

const FIELD_PAIRS: FieldPair[] = [
  { single: "sourceAddressPrefix", plural: "sourceAddressPrefixes", kind: "address" },
  { single: "sourcePortRange", plural: "sourcePortRanges", kind: "port" },
  { single: "destinationAddressPrefix", plural: "destinationAddressPrefixes", kind: "address" },
  { single: "destinationPortRange", plural: "destinationPortRanges", kind: "port" },
];

/** `singleField` is set when `value` sits in a plural field, naming the single-value field. */
function checkAddress(value: unknown, field: string, singleField?: string): Problem | undefined {
  const kind = typeof value === "string" ? addressKind(value) : "invalid";
  if (kind === "invalid") {
    return {
      field,
      message: `${shown(value)} is not an address prefix; use *, an IP address, a CIDR prefix (10.0.0.0/24) or a service tag (Storage.westus2).`,
    };
  }
  if (singleField && (kind === "serviceTag" || kind === "any")) {
    return {
      field,
      message: `"${String(value)}" cannot go in a plural address field; Azure takes * and service tags only in the single-value field ${singleField}.`,
    };
  }
  return undefined;
}

function checkPort(value: unknown, field: string): Problem | undefined {
  if (typeof value === "string" && parsePortRange(value)) return undefined;
  return {
    field,
    message: `${shown(value)} is not a port range; use *, a port from 0 to 65535 (443), or a range low-high (29876-29877).`,
  };
}

function checkPair(rule: SecurityRuleSpec, pair: FieldPair, at: (f: string) => string): Problem[] {
  const single = rule[pair.single];
  const plural = rule[pair.plural];
  const hasPlural = plural !== undefined && !(Array.isArray(plural) && plural.length === 0);
  if (single !== undefined && hasPlural) {
    return [
      { field: at(pair.plural), message: `give ${pair.single} or ${pair.plural}, not both.` },
    ];
  }
  if (single === undefined && !hasPlural) {
    return [
      { field: at(pair.single), message: `is required (or ${pair.plural}); use "*" for any.` },
    ];
  }
  if (single !== undefined) {
    const problem =
      pair.kind === "address"
        ? checkAddress(single, at(pair.single))
        : checkPort(single, at(pair.single));
    return problem ? [problem] : [];
  }
  if (!Array.isArray(plural)) {
    return [{ field: at(pair.plural), message: "must be a list of strings." }];
  }
  return plural.flatMap((value, i) => {
    const field = at(`${pair.plural}[${i}]`);
    const problem =
      pair.kind === "address"
        ? checkAddress(value, field, at(pair.single))
        : checkPort(value, field);
    return problem ? [problem] : [];
  });
}

function oneOf<T>(value: unknown, allowed: T[], field: string): Problem[] {
  if (allowed.includes(value as T)) return [];
  return [
    {
      field,
      message: `${shown(value)} is not allowed; use one of ${allowed.map((a) => `"${String(a)}"`).join(", ")}.`,
    },
  ];
}

/** Every field a security rule has: nothing else is checked, copied or sent to Azure. */
export const SECURITY_RULE_FIELDS = [
  "name",
  "priority",
  "direction",
  "access",
  "protocol",
  "sourceAddressPrefix",
  "sourceAddressPrefixes",
  "sourcePortRange",
  "sourcePortRanges",
  "destinationAddressPrefix",
  "destinationAddressPrefixes",
  "destinationPortRange",
  "destinationPortRanges",
  "description",
] as const satisfies ReadonlyArray<keyof SecurityRuleSpec>;

const KNOWN_FIELDS: ReadonlySet<string> = new Set(SECURITY_RULE_FIELDS);

/**
 * A rule with only its known own fields, copied: what a caller's object carries besides them
 * (a misspelt key, a `__proto__` key from JSON) never reaches a resource.
 */
export function securityRuleFields(rule: SecurityRuleSpec): SecurityRuleSpec {
  const copy: Record<string, unknown> = {};
  for (const field of SECURITY_RULE_FIELDS)
    if (Object.hasOwn(rule, field) && rule[field] !== undefined) copy[field] = rule[field];
  return copy as unknown as SecurityRuleSpec;
}

/** Every problem Azure would find with one rule's fields; fields are named under `path`. */
export function validateSecurityRule(rule: SecurityRuleSpec, path: string): Problem[] {
  const at = (field: string) => `${path}.${field}`;
  if (typeof rule !== "object" || rule === null || Array.isArray(rule)) {
    return [
      { field: path, message: "must be a security rule (an object with name, priority, ...)." },
    ];
  }
  const problems: Problem[] = [];
  // Own keys only, each a field Azure knows: a key the rule does not have is refused, not
  // passed through (nor a `__proto__` key carrying fields validation never saw).
  for (const key of Object.keys(rule)) {
    if (KNOWN_FIELDS.has(key)) continue;
    const nearest = closest(key, [...KNOWN_FIELDS]);
    const close = distance(key, nearest) <= Math.max(2, key.length / 4);
    problems.push({
      field: at(key),
      message: `is not a field of a security rule${close ? `; did you mean ${nearest}?` : `: use ${SECURITY_RULE_FIELDS.join(", ")}.`}`,
    });
  }
  const own = securityRuleFields(rule);
  const { name, priority, description } = own;
  if (typeof name !== "string" || name.length === 0) {
    problems.push({ field: at("name"), message: "is required." });
  } else if (name.length > MAX_RULE_NAME_LENGTH) {
    problems.push({
      field: at("name"),
      message: `"${name}" has ${name.length} characters; Azure allows at most ${MAX_RULE_NAME_LENGTH}.`,
    });
  } else if (!RULE_NAME.test(name)) {
    problems.push({
      field: at("name"),
      message: `"${name}" may hold only letters, digits, _ . - and must start with a letter or digit and end with a letter, digit or _.`,
    });
  }
  if (!Number.isInteger(priority) || priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
    problems.push({
      field: at("priority"),
      message: `${shown(priority)} is not allowed; use a whole number from ${MIN_PRIORITY} to ${MAX_PRIORITY}.`,
    });
  }
  problems.push(...oneOf(own.direction, enumValues(Direction), at("direction")));
  problems.push(...oneOf(own.access, enumValues(Access), at("access")));
  problems.push(...oneOf(own.protocol, enumValues(Protocol), at("protocol")));
  for (const pair of FIELD_PAIRS) problems.push(...checkPair(own, pair, at));
  if (
    description !== undefined &&
    (typeof description !== "string" || description.length > MAX_DESCRIPTION_LENGTH)
  ) {
    problems.push({
      field: at("description"),
      message: `must be text of at most ${MAX_DESCRIPTION_LENGTH} characters (has ${typeof description === "string" ? description.length : shown(description)}).`,
    });
  }
  return problems;
}
