/** Strict parsers for option values: nonsense is refused with the flag's name, never coerced. */
import { CliInputError } from "./exit";

/** Parses a whole number; `flag` names the option in the error. */
export function parseWholeNumber(flag: string): (value: string) => number {
  return (value: string) => {
    if (!/^-?\d+$/.test(value.trim())) {
      throw new CliInputError(`error: ${flag}: "${value}" is not a whole number.`);
    }
    return Number(value);
  };
}

/** Splits comma-separated values and appends them to the list so far (repeatable options). */
export function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v.length > 0),
  ];
}
