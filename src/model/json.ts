/**
 * Reading untrusted JSON as Azure prints it: plain objects only, own keys only (a `__proto__`
 * key is data, never a prototype), and each resource's fields flattened (as `az` prints them)
 * or under `properties` (as ARM returns them).
 */

export type Json = Record<string, unknown>;

/** Whether `value` is a JSON object (not null, not a list). */
export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An own field of a resource, flattened or under `properties`; undefined for anything else. */
export function resourceField(node: unknown, key: string): unknown {
  if (!isObject(node)) return undefined;
  if (Object.hasOwn(node, key)) return node[key];
  const properties = node.properties;
  return isObject(properties) && Object.hasOwn(properties, key) ? properties[key] : undefined;
}
