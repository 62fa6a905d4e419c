/**
 * The model's rules and routes in azure-native's argument types. The model returns read-only
 * data; azure-native takes mutable arrays, so lists are copied here, nothing else changes.
 */
import type * as types from "@pulumi/azure-native/types";
import type { RouteSpec, SecurityRuleSpec } from "../../model";

type Mutable<T> = {
  -readonly [K in keyof T]: T[K] extends readonly (infer U)[] | undefined
    ? U[] | Exclude<T[K], readonly unknown[]>
    : T[K];
};

function copyArrays<T extends object>(value: T): Mutable<T> {
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? [...(v as unknown[])] : v]),
  ) as Mutable<T>;
}

/** A rule as an NSG's `securityRules` item. */
export function securityRuleArgs(rule: SecurityRuleSpec): types.input.network.SecurityRuleArgs {
  return copyArrays(rule);
}

/** A rule as the fields of a standalone `SecurityRule` (which also needs NSG and group names). */
export function standaloneRuleFields(rule: SecurityRuleSpec): Mutable<SecurityRuleSpec> {
  return copyArrays(rule);
}

/** A route as `RouteTable.routes` item / standalone `Route` arguments. */
export function routeArgs(route: RouteSpec): types.input.network.RouteArgs {
  return copyArrays(route);
}
