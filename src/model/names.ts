/** Names Azure constrains, checked the same way wherever the package takes one. */
import { shown } from "./printable";
import type { Problem } from "./problems";

/** Batch and Storage account names: 3-24 lowercase letters and digits. */
export const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;
/** Batch pool names: 1-64 letters, digits, hyphens and underscores. */
export const POOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Resource group names: 1-90 letters, digits, underscores, periods, hyphens and parentheses. */
export const RESOURCE_GROUP_NAME = /^[-\w._()]{1,90}$/u;
/** Names of NSGs, route tables and most network resources. */
const RESOURCE_NAME = /^[A-Za-z0-9][\w.-]{0,79}$/;

function check(
  value: unknown,
  valid: RegExp,
  field: string,
  what: string,
  rule: string,
): Problem | undefined {
  if (typeof value === "string" && valid.test(value)) return undefined;
  return { field, message: `${shown(value)} is not a valid ${what} name; use ${rule}.` };
}

/** A problem when `value` is not a valid Batch or Storage account name. */
export function accountNameProblem(
  value: unknown,
  field: string,
  what: string,
): Problem | undefined {
  return check(value, ACCOUNT_NAME, field, what, "3-24 lowercase letters and digits");
}

/** A problem when `value` is not a valid Batch pool name. */
export function poolNameProblem(value: unknown, field: string): Problem | undefined {
  return check(value, POOL_NAME, field, "pool", "1-64 letters, digits, - and _");
}

/** A problem when `value` is not a valid resource group name. */
export function resourceGroupNameProblem(value: unknown, field: string): Problem | undefined {
  return check(
    value,
    RESOURCE_GROUP_NAME,
    field,
    "resource group",
    "1-90 letters, digits, _ . - ( )",
  );
}

/** A problem when `value` is not a valid name of an NSG, route table or similar resource. */
export function resourceNameProblem(value: unknown, field: string): Problem | undefined {
  return check(value, RESOURCE_NAME, field, "resource", "1-80 letters, digits, _ . -");
}

/** Length of the random suffix that makes derived account names globally unique. */
export const ACCOUNT_SUFFIX_LENGTH = 6;

/**
 * The readable part of an account name derived from a component name: its letters and digits,
 * lowercased, cut so that `suffix` (and `infix`) still fit in 24 characters.
 * `"prod-batch-eu"` -> `"prodbatcheu"`. Falls back to `"batch"` when nothing is left.
 */
export function accountNamePrefix(componentName: string, infix = ""): string {
  const cleaned = componentName.toLowerCase().replace(/[^a-z0-9]/g, "");
  const room = 24 - ACCOUNT_SUFFIX_LENGTH - infix.length;
  return `${(cleaned || "batch").slice(0, room)}${infix}`;
}
