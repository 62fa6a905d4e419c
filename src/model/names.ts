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
