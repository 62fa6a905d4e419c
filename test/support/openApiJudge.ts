/**
 * Judges the Batch request bodies the components produce at the API version they are sent at,
 * against Microsoft's OpenAPI definitions for that version (trimmed fixtures in
 * test/fixtures/openapi, each naming its repository, path and commit). The registry here holds
 * no `@azure/arm-batch` newer than 9.1 (API 2023-11-01), so the SDK judge cannot speak for
 * 2024-07-01 or 2025-06-01; this one can.
 *
 * The definitions become JSON Schema for ajv the way Azure reads a body: every model closed (a
 * property the version does not define is refused, not ignored), enums exact, read-only
 * properties refused in a request, and `x-ms-client-flatten` undone (azure-native flattens a
 * resource's `properties` into its inputs; the body nests them again).
 */
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RegisteredResource } from "../../src/simulate";

export type BatchApiVersion = "2024-07-01" | "2025-06-01";

type Schema = Record<string, unknown>;
interface OpenApiFixture {
  readonly info: { readonly version: string };
  readonly definitions: Record<string, Schema>;
}

/** What a resource's inputs are at each version: the body model and the inputs in the URL. */
const BODIES = {
  Pool: {
    model: "Pool",
    urlParameters: ["resourceGroupName", "accountName", "poolName"],
    // Pool has `properties` (flattened) and `identity` beside the proxy resource's fields.
    topLevel: ["identity"],
  },
  BatchAccount: {
    model: "BatchAccountCreateParameters",
    urlParameters: ["resourceGroupName", "accountName"],
    topLevel: ["location", "tags", "identity"],
  },
} as const;

type BodyKind = keyof typeof BODIES;

/** The version and body kind of a registered Batch resource, by its type token. */
export function judgedAs(type: string): { version: BatchApiVersion; kind: BodyKind } | undefined {
  const match = /^azure-native:batch(\/v20250601)?:(Pool|BatchAccount)$/.exec(type);
  if (!match) return undefined;
  // azure-native 3.x sends its default Batch classes at 2024-07-01.
  return { version: match[1] ? "2025-06-01" : "2024-07-01", kind: match[2] as BodyKind };
}

const INT32 = { minimum: -2147483648, maximum: 2147483647 };

/** One OpenAPI definition as closed JSON Schema. */
function toJsonSchema(schema: Schema, definitions: Record<string, Schema>): Schema | boolean {
  if (schema["x-trimmed"] === true) return false; // never sent by the package: extend the fixture
  if (schema.readOnly === true) return false; // Azure sets it; a request must not
  if (typeof schema.$ref === "string") {
    return { $ref: schema.$ref.replace("#/definitions/", "#/$defs/") };
  }
  const out: Schema = {};
  if (schema.type !== undefined) out.type = schema.type;
  if (schema.enum !== undefined) out.enum = schema.enum;
  if (schema.format === "int32") Object.assign(out, INT32);
  if (schema.type === "array" && schema.items) {
    out.items = toJsonSchema(schema.items as Schema, definitions);
  }
  if (schema.type === "object" || schema.properties || schema.allOf) {
    const properties: Record<string, Schema> = {};
    const required = new Set<string>((schema.required as string[] | undefined) ?? []);
    // allOf: the model's parents' properties are its own (a closed model cannot use allOf).
    for (const parent of (schema.allOf as Schema[] | undefined) ?? []) {
      const name = String(parent.$ref).replace("#/definitions/", "");
      const inherited = definitions[name];
      Object.assign(properties, inherited.properties as Record<string, Schema>);
      for (const r of (inherited.required as string[] | undefined) ?? []) required.add(r);
    }
    Object.assign(properties, (schema.properties as Record<string, Schema> | undefined) ?? {});
    if (schema.additionalProperties !== undefined) {
      out.additionalProperties = toJsonSchema(schema.additionalProperties as Schema, definitions);
    } else {
      out.properties = Object.fromEntries(
        Object.entries(properties).map(([k, v]) => [k, toJsonSchema(v, definitions)]),
      );
      out.additionalProperties = false;
      if (required.size > 0) out.required = [...required];
    }
  }
  return out;
}

function load(version: BatchApiVersion): OpenApiFixture {
  const file = join(__dirname, `../fixtures/openapi/batch-${version}.json`);
  return JSON.parse(readFileSync(file, "utf8")) as OpenApiFixture;
}

const validators = new Map<string, ValidateFunction>();

function validatorFor(version: BatchApiVersion, kind: BodyKind): ValidateFunction {
  const key = `${version} ${kind}`;
  const known = validators.get(key);
  if (known) return known;
  const { definitions } = load(version);
  const $defs = Object.fromEntries(
    Object.entries(definitions).map(([name, s]) => [name, toJsonSchema(s, definitions)]),
  );
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validate = ajv.compile({ $defs, $ref: `#/$defs/${BODIES[kind].model}` });
  validators.set(key, validate);
  return validate;
}

/** The REST body a resource's azure-native inputs become: path parameters out, `properties` nested. */
export function requestBody(kind: BodyKind, inputs: Record<string, unknown>): Schema {
  const { urlParameters, topLevel } = BODIES[kind];
  const body: Schema = {};
  const properties: Schema = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (value === undefined || (urlParameters as readonly string[]).includes(key)) continue;
    if ((topLevel as readonly string[]).includes(key)) body[key] = value;
    else properties[key] = value;
  }
  if (Object.keys(properties).length > 0) body.properties = properties;
  return body;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || "(body)";
  if (error.keyword === "additionalProperties") {
    return `${where}: ${String(error.params.additionalProperty)} is not in this version's model`;
  }
  if (error.keyword === "false schema") {
    return `${where}: is read-only (or not sent by the package) in this version's model`;
  }
  if (error.keyword === "enum") {
    return `${where}: must be one of ${(error.params.allowedValues as unknown[]).join(", ")}`;
  }
  return `${where}: ${error.message ?? error.keyword}`;
}

/** What is wrong with a body at a version, in words; empty when Azure's definitions accept it. */
export function judgeBody(version: BatchApiVersion, kind: BodyKind, body: Schema): string[] {
  const validate = validatorFor(version, kind);
  return validate(body) ? [] : (validate.errors ?? []).map(describe);
}

/** Judges every Batch pool and account a run registered at the version its type is sent at. */
export function judgeBatchBodies(registered: readonly RegisteredResource[]): {
  judged: string[];
  problems: string[];
} {
  const judged: string[] = [];
  const problems: string[] = [];
  for (const resource of registered) {
    const as = judgedAs(resource.type);
    if (!as) continue;
    judged.push(`${resource.type} ${resource.name} at ${as.version}`);
    const body = requestBody(as.kind, resource.inputs);
    for (const problem of judgeBody(as.version, as.kind, body)) {
      problems.push(`${resource.type} ${resource.name} at ${as.version}: ${problem}`);
    }
  }
  return { judged, problems };
}
