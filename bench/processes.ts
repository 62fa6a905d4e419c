/**
 * Whole-process timing: a command and its baseline started in turn (A B A B ...), each pair
 * giving one ratio, so that the machine's drift during the run cancels out.
 */
import { spawnSync } from "node:child_process";

export interface Timed {
  readonly ms: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node <args>` once, from start to exit, with `env` added to this process's environment.
 * @throws when it fails to start or crashes.
 */
export function timeNode(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Timed {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw result.error;
  if (result.status === null || result.status > 2) {
    throw new Error(`node ${args.join(" ").slice(0, 200)} failed: ${result.stderr}`);
  }
  return { ms, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Paired runs of A and its baseline B: the ratios A/B, and both sides' times. The order
 * alternates (A B, B A, ...), so that whatever the first of a pair pays or leaves behind
 * (a cold cache, a busy core) falls on each side as often.
 */
export function paired(
  a: () => number,
  b: () => number,
  pairs: number,
): { ratios: number[]; a: number[]; b: number[] } {
  a();
  b(); // warm the file system cache for both
  const out = { ratios: [] as number[], a: [] as number[], b: [] as number[] };
  for (let i = 0; i < pairs; i++) {
    let ta: number;
    let tb: number;
    if (i % 2 === 0) {
      ta = a();
      tb = b();
    } else {
      tb = b();
      ta = a();
    }
    out.a.push(ta);
    out.b.push(tb);
    out.ratios.push(ta / tb);
  }
  return out;
}
