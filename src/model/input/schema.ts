/**
 * The one way in: every external input (Azure exports, stack files, the policy config,
 * component settings) is checked against a schema declared once for its shape, and becomes
 * typed data or one InvalidInputError naming the source, the JSON path and the offending value
 * (quoted safely) of every problem, at most {@link INPUT_LIMITS.problemsPerSource} of them.
 * What passes needs no type check past this edge.
 *
 * The schemas are valibot's: typed (the data's TypeScript type is inferred from its schema),
 * every issue with its path, all issues of a value at once, and small and fast enough for the
 * command line's cold start (each command bundles only the schemas it uses; zod was larger,
 * ajv compiles its schemas at run time).
 */
import * as v from "valibot";
import { InvalidInputError, Problem } from "../problems";
import { shown } from "../printable";
import { INPUT_LIMITS } from "./limits";

export { INPUT_LIMITS } from "./limits";

export type Schema<T> = v.GenericSchema<unknown, T>;
type Issue = v.BaseIssue<unknown>;

/**
 * What to say of a required field that is missing, by its schema: valibot reports a missing key
 * at the object, so the object's message looks the field's own words up here.
 */
const MISSING = new WeakMap<object, string>();

/** `schema`, saying `message` when its field is missing. */
export function required<S extends v.GenericSchema>(schema: S, message: string): S {
  MISSING.set(schema, message);
  return schema;
}

/** The object's message for its issues: a missing field's own words, or what the object must be. */
function objectMessage(entries: v.ObjectEntries, what: string) {
  return (issue: Issue) => {
    if (issue.input === undefined && typeof issue.expected === "string") {
      const key = /^"(.*)"$/.exec(issue.expected)?.[1];
      const entry = key !== undefined ? entries[key] : undefined;
      return (entry && MISSING.get(entry)) ?? "is missing.";
    }
    return `${describe(issue.input)} ${what}`;
  };
}

/** A message naming the offending value: `"x" is not a priority; ...`, or `is missing; ...`. */
export function says(what: string, missing = what): (issue: Issue) => string {
  return (issue) =>
    issue.input === undefined ? `is missing; ${missing}` : `${shown(issue.input)} ${what}`;
}

// ---- Azure resources, flattened (az) or under `properties` (ARM) --------------------------

/** The keys of a flattened resource that came from its `properties`, for the paths of problems. */
const FROM_PROPERTIES = new WeakMap<object, ReadonlySet<string>>();

/**
 * A resource's own fields and those under `properties` in one object (az prints them flattened,
 * ARM nests them), own keys only: a `__proto__` key is data, never a prototype. Where both
 * have a key, the flattened one wins, as az's output is what it shows.
 */
function flatten(node: Record<string, unknown>): Record<string, unknown> {
  const properties = node.properties;
  if (typeof properties !== "object" || properties === null || Array.isArray(properties))
    return node;
  const flat: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const fromProperties = new Set<string>();
  for (const key of Object.keys(properties)) {
    if (Object.hasOwn(node, key)) continue;
    flat[key] = (properties as Record<string, unknown>)[key];
    fromProperties.add(key);
  }
  for (const key of Object.keys(node)) if (key !== "properties") flat[key] = node[key];
  FROM_PROPERTIES.set(flat, fromProperties);
  return flat;
}

/**
 * An Azure resource object: flattened or under `properties`, checked as one object, unknown
 * fields kept unchecked (exports carry many the package does not read).
 */
export function resource<E extends v.ObjectEntries>(entries: E, what: string) {
  return v.pipe(
    plainObject(what),
    v.transform(flatten),
    v.looseObject(entries, objectMessage(entries, what)),
  );
}

/**
 * {@link resource} giving back its declared fields only (unknown ones are still accepted, not
 * copied): for the parts read by the thousand (security rules), where copying the dozen fields
 * an export carries and the package never reads costs as much as checking the rest.
 */
export function resourcePart<E extends v.ObjectEntries>(entries: E, what: string) {
  return v.pipe(
    plainObject(what),
    v.transform(flatten),
    v.object(entries, objectMessage(entries, what)),
  );
}

/**
 * `schema`, tried first by `fast`: a plain function that gives exactly what `schema` gives for
 * the inputs it recognises, and undefined for every other (which `schema` then checks, and
 * words the problems of). For values read by the hundred thousand (security rules), where a
 * schema's general machinery costs more than the judging that follows; each fast path's
 * agreement with its schema is a property test.
 */
export function withFastPath<S extends v.GenericSchema>(
  schema: S,
  fast: (input: unknown) => v.InferOutput<S> | undefined,
): S {
  return {
    ...schema,
    "~run"(dataset: v.UnknownDataset, config: v.Config<v.InferIssue<S>>) {
      const value = fast(dataset.value);
      if (value !== undefined) return { typed: true, value };
      return schema["~run"](dataset, config);
    },
  };
}

/** A plain object (not a list), unknown fields kept unchecked. */
export function object<E extends v.ObjectEntries>(entries: E, what: string) {
  return v.pipe(plainObject(what), v.looseObject(entries, objectMessage(entries, what)));
}

/** A JSON object: not null, not a list. */
function plainObject(what: string) {
  return v.custom<Record<string, unknown>>(
    (node) => typeof node === "object" && node !== null && !Array.isArray(node),
    (issue) => `${describe(issue.input)} ${what}`,
  );
}

/** What kind of value a message is about, for "must be" messages. */
function describe(value: unknown): string {
  if (value === undefined) return "is missing; must be";
  if (value === null) return "is null; must be";
  if (Array.isArray(value)) return "is a list; must be";
  return `${shown(value)} must be`;
}

/**
 * The canonical spelling of a string Azure matches case-insensitively (`tcp ` is `Tcp`), or
 * undefined when it is none of `allowed`.
 */
export function canonicalSpelling<T extends string>(
  allowed: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
): (s: string) => T | undefined {
  const byKey = new Map<string, T>(allowed.map((a) => [a.toLowerCase(), a]));
  for (const [alias, value] of Object.entries(aliases)) byKey.set(alias, value);
  // The canonical spelling itself, as nearly every export writes it, found without a copy.
  for (const a of allowed) byKey.set(a, a);
  return (s) => byKey.get(s) ?? byKey.get(s.trim().toLowerCase());
}

/** A string Azure matches case-insensitively, given back in its canonical spelling. */
export function oneOf<T extends string>(
  allowed: readonly T[],
  what: string,
  aliases: Readonly<Record<string, T>> = {},
) {
  const canonical = canonicalSpelling(allowed, aliases);
  return required(
    v.pipe(
      v.string(says(`is not ${what}.`, `use ${what}.`)),
      v.check((s) => canonical(s) !== undefined, says(`is not ${what}.`)),
      v.transform((s) => canonical(s)!),
    ),
    `is missing; use ${what}.`,
  );
}

/** A whole number in a range. */
export function wholeNumber(min: number, max: number, what: string) {
  const message = says(
    `is not ${what}; Azure uses whole numbers from ${min} to ${max}.`,
    `Azure uses whole numbers from ${min} to ${max}.`,
  );
  return required(
    v.pipe(
      v.number(message),
      v.check((n) => Number.isInteger(n) && n >= min && n <= max, message),
    ),
    `is missing; Azure uses whole numbers from ${min} to ${max}.`,
  );
}

/** A list, or a problem saying what its items are (`message` instead, when given). */
export function listOf<T extends v.GenericSchema>(item: T, what: string, message?: string) {
  return required(
    v.array(item, (issue) => message ?? `${describe(issue.input)} a list of ${what}.`),
    message ?? `is missing; must be a list of ${what}.`,
  );
}

/** A reference to another resource: `{ "id": "..." }`. */
export const reference = v.looseObject({ id: v.optional(v.string(says("is not a resource ID."))) });

// ---- Problems ---------------------------------------------------------------------------

/**
 * The JSON path of a resource's field as the input wrote it (`$.properties.routes`, or
 * `$.routes` when flattened), for problems a parser finds across fields.
 */
export function fieldPath(json: unknown, key: string): string {
  const node = json as Record<string, unknown> | null;
  const nested =
    typeof node === "object" &&
    node !== null &&
    !Object.hasOwn(node, key) &&
    typeof node.properties === "object" &&
    node.properties !== null &&
    Object.hasOwn(node.properties, key);
  return nested ? `$.properties.${key}` : `$.${key}`;
}

/** The JSON path of an issue in the input as the user wrote it (`$.properties.routes[2].name`). */
function jsonPath(issue: Issue): string {
  let path = "$";
  for (const item of issue.path ?? []) {
    if (item.type === "array") {
      path += `[${String(item.key)}]`;
      continue;
    }
    const key = String(item.key);
    const nested =
      typeof item.input === "object" &&
      item.input !== null &&
      FROM_PROPERTIES.get(item.input)?.has(key);
    const name = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    path += nested ? `.properties${name}` : name;
  }
  return path;
}

/** At most {@link INPUT_LIMITS.problemsPerSource} problems of one source, and how many more. */
export function capped(problems: readonly Problem[], source: string): Problem[] {
  const max = INPUT_LIMITS.problemsPerSource;
  if (problems.length <= max) return [...problems];
  return [
    ...problems.slice(0, max),
    {
      field: source,
      message: `and ${problems.length - max} more problems in this input (the first ${max} are shown).`,
    },
  ];
}

/** The problems of a failed check, each as `<source> <JSON path>: <message>`, capped. */
export function problemsOf(issues: readonly Issue[], source: string): Problem[] {
  return capped(
    issues.map((issue) => ({ field: `${source} ${jsonPath(issue)}`, message: issue.message })),
    source,
  );
}

const EXPECTED: Readonly<Record<string, string>> = {
  Object: "an object",
  Array: "a list",
  string: "a string",
  number: "a number",
  boolean: "true or false",
};

/**
 * The message of an issue no schema worded: the value (quoted safely) and what was expected.
 * valibot's own would quote the whole value raw, control characters and megabytes included.
 */
const FALLBACK = (issue: Issue): string =>
  `${issue.input === undefined ? "is missing; must be" : `${shown(issue.input)} is not`} ${
    EXPECTED[issue.expected ?? ""] ?? "what is expected here"
  }.`;

/** How every schema is run: messages no schema worded fall back to {@link FALLBACK}. */
export const PARSE_CONFIG = { message: FALLBACK } as const;

/**
 * `json` as `schema` declares it, or an InvalidInputError naming every problem (capped).
 * @param source the file name (or `-`), or the option or setting it came from.
 */
export function validated<T>(schema: Schema<T>, json: unknown, source: string): T {
  const result = v.safeParse(schema, json, PARSE_CONFIG);
  if (result.success) return result.output;
  throw new InvalidInputError(problemsOf(result.issues, source));
}
