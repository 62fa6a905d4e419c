/**
 * The bounds every reader holds input to, documented in docs/check-and-audit.md. Apart from the
 * schemas, so that the entry points that only check depth load no validation library.
 */
import { MAX_PROBLEMS } from "../problems";

export const INPUT_LIMITS = {
  /** Deepest nesting of arrays and objects a JSON or YAML input, or a caller's value, may have. */
  maxDepth: 64,
  /** Problems reported per file (the rest are counted). */
  problemsPerSource: 20,
  /** Problems one error lists, whatever the input (the rest are counted). */
  problemsPerError: MAX_PROBLEMS,
  /** Largest file read (bytes). */
  maxFileBytes: 64 * 1024 * 1024,
} as const;
