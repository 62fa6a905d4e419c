import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A fresh folder under the system's temp folder, removed after the tests of the file (or the
 * `describe`) that asked for it. Call it while mocha loads the tests (at a file's top level or
 * in a `describe` body), not inside a test: the cleanup is an `after` hook. Every run used to
 * leave its folders behind, the large-export test's some 190 MB each time.
 */
export function scratchDir(purpose: string): string {
  const dir = mkdtempSync(join(tmpdir(), `azure-batch-network-${purpose}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
