/**
 * What commander lets through and the CLI must not: an option given an empty value (`--region ""`
 * would quietly become the default) and a single-valued option given twice (the last would
 * quietly win). Checked on the raw arguments against each command's own options, before any
 * command runs, so no command can forget it.
 */
import type { Command, Option } from "commander";
import { shown } from "../model/printable";
import { CliInputError } from "./exit";
import { isRepeatable } from "./options";

function optionFor(command: Command, token: string): Option | undefined {
  return command.options.find((o) => o.long === token || o.short === token);
}

function commandNamed(program: Command, name: string): Command | undefined {
  return program.commands.find((c) => c.name() === name || c.aliases().includes(name));
}

/** The value of an option that takes one, and how many tokens it used. */
function valueOf(
  args: readonly string[],
  i: number,
  inline: string | undefined,
): { value?: string; used: number } {
  if (inline !== undefined) return { value: inline, used: 1 };
  return i + 1 < args.length ? { value: args[i + 1], used: 2 } : { used: 1 };
}

/** @throws CliInputError for an empty option value, a repeated single-valued option or `help <unknown>`. */
export function checkArgv(program: Command, argv: readonly string[]): void {
  const first = argv.findIndex((a) => !a.startsWith("-"));
  const name = first === -1 ? undefined : argv[first];
  if (name === "help" && argv[first + 1] !== undefined && !commandNamed(program, argv[first + 1]))
    throw new CliInputError(
      `error: unknown command ${shown(argv[first + 1])}; the commands are ${program.commands.map((c) => c.name()).join(", ")}.`,
    );
  const command = (name && commandNamed(program, name)) || program;
  const seen = new Map<Option, string[]>();
  for (let i = first === -1 ? 0 : first + 1; i < argv.length;) {
    const token = argv[i];
    if (token === "--") break;
    const [flag, inline] = token.startsWith("--")
      ? [token.split("=")[0], token.includes("=") ? token.slice(token.indexOf("=") + 1) : undefined]
      : [token, undefined];
    const option = token.startsWith("-") ? optionFor(command, flag) : undefined;
    if (!option || !(option.required || option.optional)) {
      i++;
      continue;
    }
    const { value, used } = valueOf(argv, i, inline);
    i += used;
    if (value === undefined) continue; // commander reports the missing value itself
    const label = option.long ?? flag;
    if (/^[\s,]*$/.test(value))
      throw new CliInputError(`error: ${label}: is empty; give a value, or leave the option out.`);
    let values = seen.get(option);
    if (!values) seen.set(option, (values = []));
    values.push(value);
    if (values.length > 1 && !isRepeatable(option.parseArg))
      throw new CliInputError(
        `error: ${label}: given ${values.length} times (${values.map((v) => shown(v, 40)).join(", ")}); it takes one value.`,
      );
  }
}
