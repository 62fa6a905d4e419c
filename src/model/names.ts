/** Names Azure constrains that several parts of the package check. */
import type { Problem } from "./problems";

/** Batch and Storage account names: 3-24 lowercase letters and digits. */
export const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;

/** A problem when `value` is not a valid Batch or Storage account name. */
export function accountNameProblem(
  value: unknown,
  field: string,
  what: string,
): Problem | undefined {
  if (typeof value === "string" && ACCOUNT_NAME.test(value)) return undefined;
  return {
    field,
    message: `${JSON.stringify(value)} is not a valid ${what} name; use 3-24 lowercase letters and digits.`,
  };
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
