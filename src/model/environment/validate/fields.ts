/** Field checkers every section of the environment's validation shares. */
import { shown } from "../../printable";
import { isResourceId, ID_EXAMPLES, IdKind } from "../../ids";
import type { Problem } from "../../problems";

// ISO 8601 durations as Azure Batch takes them: P[nD][T[nH][nM][nS]].
const DURATION = /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

/** A list of problems with the holes left by checks that found nothing removed. */
export type MaybeProblems = Array<Problem | undefined>;

export function defined<T>(v: T | undefined): v is T {
  return v !== undefined;
}

export function isWhole(
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

/** A problem when `value` is given and is not one of `allowed`. */
export function oneOf(
  value: unknown,
  allowed: readonly string[],
  field: string,
): Problem | undefined {
  if (value === undefined || allowed.includes(value as string)) return undefined;
  return {
    field,
    message: `${shown(value)} is not allowed; use one of ${allowed.map((a) => `"${a}"`).join(", ")}.`,
  };
}

/** A problem when `value` is given and is not a whole number in range. */
export function wholeNumber(
  value: unknown,
  field: string,
  min: number,
  max?: number,
): Problem | undefined {
  if (value === undefined || isWhole(value, min, max)) return undefined;
  const range = max === undefined ? `${min} or more` : `from ${min} to ${max}`;
  return {
    field,
    message: `${shown(value)} is not allowed; use a whole number ${range}.`,
  };
}

function durationToMinutes(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const n = (part: string | undefined) => (part ? parseFloat(part) : 0);
  return n(match[1]) * 1440 + n(match[3]) * 60 + n(match[4]) + n(match[5]) / 60;
}

/** A problem when `value` is given and is not an ISO 8601 duration in range. */
export function duration(
  value: unknown,
  field: string,
  minMinutes: number,
  maxMinutes?: number,
): Problem | undefined {
  if (value === undefined) return undefined;
  const minutes = typeof value === "string" ? durationToMinutes(value) : undefined;
  const bounds =
    maxMinutes === undefined
      ? `at least PT${minMinutes}M`
      : `from PT${minMinutes}M to P${maxMinutes / 1440}D`;
  if (
    minutes === undefined ||
    minutes < minMinutes ||
    (maxMinutes !== undefined && minutes > maxMinutes)
  ) {
    return {
      field,
      message: `${shown(value)} is not allowed; use an ISO 8601 duration ${bounds} (e.g. PT15M).`,
    };
  }
  return undefined;
}

/** Whether a reference is a value the model can read now (not an output still to resolve). */
export function isKnown(value: unknown): boolean {
  return typeof value !== "object" || value === null;
}

/**
 * A problem when a resource ID is given and malformed. An unresolved output (an object) is not
 * judged here: the component checks it once it resolves.
 */
export function resourceId(kind: IdKind, value: unknown, field: string): Problem | undefined {
  if (value === undefined || !isKnown(value) || isResourceId(kind, value)) return undefined;
  return {
    field,
    message: `${shown(value)} is not a ${kind} resource ID; expected the form ${ID_EXAMPLES[kind]}.`,
  };
}

/** A name check that skips unresolved outputs, like {@link resourceId}. */
export function knownName(
  check: (value: unknown, field: string) => Problem | undefined,
  value: unknown,
  field: string,
): Problem | undefined {
  return value === undefined || !isKnown(value) ? undefined : check(value, field);
}
