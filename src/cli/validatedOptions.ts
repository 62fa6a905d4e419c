/** A command's option values checked by the schemas the Azure exports use, for the values both have. */
import * as v from "valibot";
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
