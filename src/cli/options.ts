/** Strict parsers for option values: nonsense is refused with the flag's name, never coerced. */
import * as v from "valibot";
import { shown } from "../model/printable";
import { PARSE_CONFIG, Schema } from "../model/input/schema";
import { CliInputError } from "./exit";

/**
 * A command's options as its schema declares them (the schemas the Azure exports use, for the
 * values both have), or one CliInputError naming each option that is wrong.
 * @param flags commander's options object.
 * @param names each option's flag, by its key (`publicIp` -> `--public-ip`).
 */
export function validatedOptions<T>(
  schema: Schema<T>,
  flags: object,
  names: Readonly<Record<string, string>>,
): T {
  const result = v.safeParse(schema, flags, PARSE_CONFIG);
  if (result.success) return result.output;
  throw new CliInputError(
    result.issues
      .map((issue) => {
        const key = issue.path?.[0]?.key;
        const name = typeof key === "string" ? key : "";
        return `error: ${names[name] ?? name}: ${issue.message}`;
      })
      .join("\n"),
  );
}

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
