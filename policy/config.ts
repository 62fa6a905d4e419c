/**
 * The policy config's shape, declared once: the engine checks it against `configSchema` when it
 * can, and the policies read it through this schema whatever called them, so that `exports:
 * "folder"` (a string, not a list) is a violation naming the field, not a folder read letter
 * by letter.
 */
import * as v from "valibot";
import { listOf, object, says } from "../src/model/input/schema";

export const FleetAuditConfigSchema = object(
  {
    exports: v.optional(
      listOf(
        v.pipe(
          v.string(says("is not a file or folder name.")),
          v.minLength(1, says("is not a file or folder name.")),
        ),
        "files or folders",
      ),
    ),
  },
  "an object of the policy's settings (exports: [files or folders]).",
);
