import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");

/** Runs the CLI from source in a child process, as a user would run the bin. */
export function spawnCli(
  args: readonly string[],
  input?: string,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ["--require", "tsx/cjs", join(ROOT, "src/cli/main.ts"), ...args],
    {
      cwd: ROOT,
      input,
      encoding: "utf8",
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
