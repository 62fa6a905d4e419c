/** Strict parsers for option values: nonsense is refused with the flag's name, never coerced. */
// No schema here: every command registers its options through this file, and `rules` and
// `--help` should not load the validation library (./validatedOptions.ts does, for `check`).
import { shown } from "../model/printable";
import { CliInputError } from "./exit";

/** Parsers of options that may be given more than once (each use adds to a list). */
const REPEATABLE = new WeakSet<object>();

/** Marks `parser` as one that collects every use of its option: the option may repeat. */
export function repeatable<T extends object>(parser: T): T {
  REPEATABLE.add(parser);
  return parser;
}

/** Whether an option with this parser may be given more than once. */
export function isRepeatable(parser: unknown): boolean {
  return typeof parser === "function" && REPEATABLE.has(parser);
}

/**
 * Parses a whole number; `flag` names the option in the error. Numbers past 2^53 are refused
 * (they would be rounded, and quoted back as a different number).
 */
export function parseWholeNumber(flag: string): (value: string) => number {
  return (value: string) => {
    const number = Number(value.trim());
    if (!/^-?\d+$/.test(value.trim()))
      throw new CliInputError(`error: ${flag}: ${shown(value)} is not a whole number.`);
    if (!Number.isSafeInteger(number))
      throw new CliInputError(
        `error: ${flag}: ${shown(value)} is too large a number (the largest is ${Number.MAX_SAFE_INTEGER}).`,
      );
    return number;
  };
}

/**
 * Appends each use of a repeatable option to the list so far. The list is the one this made for
 * the option's earlier uses (no option declares a default list), so it grows in place: copying
 * it on every use made a thousand `--nsg` files cost half a million copies.
 */
export const appendValue = repeatable((value: string, previous?: string[]): string[] => {
  if (!previous) return [value];
  previous.push(value);
  return previous;
});

/** Splits comma-separated values and appends them to the list so far (repeatable options). */
export const collectList = repeatable(function collectList(
  value: string,
  previous?: string[],
): string[] {
  const list = previous ?? [];
  for (const v of value.split(",")) if (v.trim().length > 0) list.push(v.trim());
  return list;
});
