// Compiles bench/ to .bench/ (one JS file per TS file, no bundle, no source maps), so that the
// benchmark runs as a user's program would, not through a TypeScript loader.
import { build } from "esbuild";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );

await build({
  entryPoints: files("bench"),
  outdir: ".bench",
  outbase: "bench",
  platform: "node",
  target: "node22",
  format: "cjs",
  sourcemap: false,
  logLevel: "warning",
});
