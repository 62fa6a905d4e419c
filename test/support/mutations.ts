/**
 * Hostile versions of valid input: a valid export or settings object broken at one place, the
 * way careless tools and attackers break them. A value of another type, one nested far past
 * the limit, one too large, a name holding control characters and Markdown, a `__proto__` key,
 * a field taken away, a list item repeated.
 */
import fc from "fast-check";

export type Mutation =
  | { readonly kind: "type"; readonly value: unknown }
  | { readonly kind: "deep"; readonly depth: number; readonly list: boolean }
  | { readonly kind: "huge-string"; readonly length: number }
  | { readonly kind: "huge-list"; readonly length: number }
  | { readonly kind: "name"; readonly value: string }
  | { readonly kind: "proto" }
  | { readonly kind: "delete" }
  | { readonly kind: "repeat"; readonly times: number };

const CONTROL_NAMES = [
  "x\u001b[2J\u001b]0;pwned\u0007",
  "x\n# Approved <img src=x onerror=alert(1)>",
  "a|b`c`*d*[e](https://example.com)",
  "\u202e\u2028\u0000end",
  "",
  " ",
];

/** Values of the wrong type for almost any field. */
const WRONG_TYPES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 60,
  "",
  "Turbo",
  "no",
  "false",
  "0.0.0.0/00",
  "198.51.100.7/0",
  "10.0.0.0/33",
  "::/0",
  [],
  [null],
  {},
  { id: { id: "x" } },
];

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(...WRONG_TYPES).map((value) => ({ kind: "type" as const, value })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ depth: fc.integer({ min: 65, max: 20_000 }), list: fc.boolean() })
      .map((r) => ({ kind: "deep" as const, ...r })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 10_000, max: 2_000_000 })
      .map((length) => ({ kind: "huge-string" as const, length })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1_000, max: 20_000 })
      .map((length) => ({ kind: "huge-list" as const, length })),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...CONTROL_NAMES).map((value) => ({ kind: "name" as const, value })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "proto" as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: "delete" as const }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 2, max: 3 }).map((times) => ({ kind: "repeat" as const, times })),
  },
);

function nested(depth: number, list: boolean): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) value = list ? [value] : { a: value };
  return value;
}

/** The value a mutation puts in place of `old`; `DELETE` to take the field away. */
export const DELETE = Symbol("delete");
function replacement(m: Mutation, old: unknown): unknown {
  switch (m.kind) {
    case "type":
      return m.value;
    case "deep":
      return nested(m.depth, m.list);
    case "huge-string":
      return "x".repeat(m.length);
    case "huge-list":
      return Array.from({ length: m.length }, () => old);
    case "name":
      return m.value;
    case "proto":
      return JSON.parse(
        '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}',
      ) as unknown;
    case "delete":
      return DELETE;
    case "repeat":
      return Array.isArray(old)
        ? [...(old as unknown[]), ...(old as unknown[]).slice(0, m.times)]
        : [old, old];
  }
}

/** Every path to a value in `node` (the root included). */
export function pathsTo(node: unknown, prefix: readonly string[] = []): string[][] {
  if (typeof node !== "object" || node === null) return [[...prefix]];
  return [
    [...prefix],
    ...Object.keys(node).flatMap((k) =>
      pathsTo((node as Record<string, unknown>)[k], [...prefix, k]),
    ),
  ];
}

/**
 * `node` with the value at `path` mutated; copies on the way down, own properties only (a
 * `__proto__` key is set as data, as JSON.parse would).
 */
export function mutated(node: unknown, path: readonly string[], m: Mutation): unknown {
  if (path.length === 0) {
    const value = replacement(m, node);
    return value === DELETE ? undefined : value;
  }
  const source = node as Record<string, unknown>;
  const copy: Record<string, unknown> = Array.isArray(node)
    ? ([...(node as unknown[])] as unknown as Record<string, unknown>)
    : Object.defineProperties({}, Object.getOwnPropertyDescriptors(source));
  const [key, ...rest] = path;
  const next = rest.length === 0 ? replacement(m, source[key]) : mutated(source[key], rest, m);
  if (next === DELETE) {
    if (Array.isArray(copy)) (copy as unknown as unknown[]).splice(Number(key), 1);
    else delete copy[key];
  } else {
    Object.defineProperty(copy, key, {
      value: next,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/** A seed broken at one of its places by one mutation. */
export function hostileVersionOf(
  seed: unknown,
): fc.Arbitrary<{ path: string[]; mutation: Mutation; value: unknown }> {
  const paths = pathsTo(seed);
  return fc
    .record({ path: fc.constantFrom(...paths), mutation })
    .map(({ path, mutation: m }) => ({ path, mutation: m, value: mutated(seed, path, m) }));
}

/**
 * fast-check's parameters for these properties: on failure, the failure's message alone (a
 * counterexample may be megabytes, which is the point of it).
 */
export function reportingFailureOnly<T>(numRuns: number): fc.Parameters<T> {
  return {
    numRuns,
    reporter: (run) => {
      if (run.failed) throw new Error(String((run.errorInstance as Error)?.message).slice(0, 2000));
    },
  };
}
