/**
 * A `Pulumi.<stack>.yaml` as Pulumi reads it, for the root stack's keys: its shape (a map of
 * Pulumi's own settings and `config:`) is a schema, and its config keys are read by Pulumi's
 * rules (sdk/go/common/resource/config/key.go and workspace/loaders.go): a bare key belongs to
 * the project, `<namespace>:<name>` to a namespace, `<namespace>:config:<name>` is the old
 * spelling of the same, and any other key is one Pulumi refuses. A key given in two spellings
 * (`location` and `azure-batch-network:location`) is refused too: Pulumi keeps one of them,
 * which one depending on its map's order.
 */
import * as v from "valibot";
import { InvalidInputError, Problem } from "../problems";
import { printable, shown } from "../printable";
import { PARSE_CONFIG, problemsOf } from "./schema";

/** The top-level keys a Pulumi.<stack>.yaml has. */
const STACK_FILE_KEYS = [
  "config",
  "encryptionsalt",
  "secretsprovider",
  "encryptedkey",
  "environment",
];

const StackFileSchema = v.nullish(
  v.pipe(
    v.record(
      v.string(),
      v.unknown(),
      "is not a Pulumi.<stack>.yaml: a stack file is a map with config: and Pulumi's own settings.",
    ),
    v.check(
      (file) => Object.keys(file).every((k) => STACK_FILE_KEYS.includes(k)),
      (issue) =>
        `is not a Pulumi.<stack>.yaml (it has ${shown(
          Object.keys(issue.input as object)
            .filter((k) => !STACK_FILE_KEYS.includes(k))
            .slice(0, 3),
        )}): a stack file is a map with config: and Pulumi's own settings.`,
    ),
    v.looseObject({
      config: v.nullish(
        v.record(
          v.string(),
          v.unknown(),
          "must be a map of keys to values, as in Pulumi.<stack>.yaml.",
        ),
      ),
    }),
  ),
);

/** A config key as Pulumi parses it, or undefined for a key Pulumi refuses. */
export function parseConfigKey(
  key: string,
  project: string,
): { namespace: string; name: string } | undefined {
  const parts = key.split(":");
  if (parts.length === 1) return { namespace: project, name: key };
  if (parts.length === 2) return { namespace: parts[0], name: parts[1] };
  if (parts.length === 3 && parts[1] === "config") return { namespace: parts[0], name: parts[2] };
  return undefined;
}

/**
 * The project's config values of a stack file, as strings, by name.
 * @param document the file's YAML, parsed.
 * @param source the file, for problems.
 * @param keys the names the project's config schema has.
 * @throws InvalidInputError naming each key that is wrong.
 */
export function stackConfigValues(
  document: unknown,
  source: string,
  project: string,
  keys: readonly string[],
): Map<string, string> {
  const result = v.safeParse(StackFileSchema, document, PARSE_CONFIG);
  if (!result.success)
    throw new InvalidInputError(
      // The file's own words: `<file>: ...` and `<file> config: ...`, not JSON paths.
      problemsOf(result.issues, source).map((p) => ({
        ...p,
        field: p.field.replace(/ \$$/, "").replace(/ \$\./, " "),
      })),
    );
  const config = result.output?.config ?? {};
  const values = new Map<string, string>();
  const spelledAs = new Map<string, string>();
  const problems: Problem[] = [];
  const at = (key: string) => `${source} config.${printable(key, 80)}`;
  for (const key of Object.keys(config)) {
    const parsed = parseConfigKey(key, project);
    if (!parsed) {
      problems.push({
        field: at(key),
        message: `is not a config key Pulumi reads (it takes <namespace>:<name>, e.g. ${project}:${keys[0]}).`,
      });
      continue;
    }
    // Provider settings (azure-native:location, ...) are not the project's.
    if (parsed.namespace !== project) continue;
    const { name } = parsed;
    // Own names only: `constructor` or `toString` is no key of the stack.
    if (!keys.includes(name)) {
      problems.push({
        field: at(key),
        message: `not a key of the ${project} stack; use one of ${keys.join(", ")}.`,
      });
      continue;
    }
    const twin = spelledAs.get(name);
    if (twin !== undefined) {
      problems.push({
        field: at(key),
        message: `is ${project}:${name}, also set as ${shown(twin)}; Pulumi keeps one of them, which one depending on order: set it once.`,
      });
      continue;
    }
    spelledAs.set(name, key);
    const value = config[key];
    if (typeof value === "object" && value !== null)
      problems.push({
        field: at(key),
        message: "must be a plain value (secrets are not read offline).",
      });
    else values.set(name, String(value));
  }
  if (problems.length > 0) throw new InvalidInputError(problems);
  return values;
}
