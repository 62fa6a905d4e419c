/**
 * Reading a `Pulumi.<stack>.yaml` for `plan --config`: through the one reader, parsed as YAML
 * with the parser's own warnings kept to this file (never printed), and read by the stack
 * file's schema and Pulumi's rules for config keys (../../model/input/stackFile.ts).
 */
import type * as Yaml from "yaml";
import { STACK_CONFIG_DEFAULTS, STACK_PROJECT } from "../../stackConfig";
import { nestedTooDeep, tooDeepMessage } from "../../model/input/json";
import { stackConfigValues } from "../../model/input/stackFile";
import { printable } from "../../model/printable";
import { CliInputError, withFlagNames } from "../exit";
import { readTextFile } from "../io/files";

/**
 * The YAML parser, loaded only when a stack file is read: it is most of the modules the CLI
 * would otherwise load on every command.
 */
function yaml(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("yaml") as typeof Yaml;
}

/** The YAML of a stack file, or a CliInputError naming the file and the first thing wrong. */
function parseYaml(text: string, what: string): unknown {
  // The parser's messages end with a drawing of the line; its first line names the place. A
  // stack overflow it caught is YAML nested too deep.
  const refuse = (message: string) =>
    new CliInputError(
      /Maximum call stack/.test(message)
        ? `error: ${what}: ${tooDeepMessage()}`
        : `error: ${what}: is not YAML Pulumi reads: ${printable(message.split("\n")[0].replace(/:$/, ""), 300)}`,
    );
  let document: Yaml.Document.Parsed;
  try {
    // Silent: the parser would print its warnings and advice to stderr itself.
    document = yaml().parseDocument(text, { logLevel: "silent", uniqueKeys: true });
  } catch (error) {
    throw error instanceof RangeError
      ? new CliInputError(`error: ${what}: ${tooDeepMessage()}`)
      : refuse((error as Error).message);
  }
  // A warning (an unknown tag, say) is YAML this parser reads one way and Pulumi may another.
  const [first] = [...document.errors, ...document.warnings];
  if (first) throw refuse(first.message);
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw error instanceof RangeError
      ? new CliInputError(`error: ${what}: ${tooDeepMessage()}`)
      : refuse((error as Error).message);
  }
  if (nestedTooDeep(value)) throw new CliInputError(`error: ${what}: ${tooDeepMessage()}`);
  return value;
}

/** Reads a `Pulumi.<stack>.yaml`: the root project's keys, as strings. */
export function readStackConfigFile(path: string): Map<string, string> {
  const what = `--config ${printable(path)}`;
  const document = parseYaml(readTextFile(path, "--config"), what);
  return withFlagNames({}, () =>
    stackConfigValues(document, what, STACK_PROJECT, Object.keys(STACK_CONFIG_DEFAULTS)),
  );
}
