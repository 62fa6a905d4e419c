/**
 * The command line as a user runs it (`node bin/cli/main.js <args>`), reporting its peak
 * resident memory on stderr as the process exits: the command ends the process itself, so the
 * figure is taken in its exit handler.
 */
import Module from "node:module";
import { join } from "node:path";

const MAIN = join(__dirname, "../../bin/cli/main.js");
process.on("exit", () => {
  process.stderr.write(
    `\n${JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 })}`,
  );
});
process.argv = [process.argv[0], MAIN, ...process.argv.slice(2)];
// Started as Node starts an entry point, so that it runs as `node bin/cli/main.js` would.
(Module as unknown as { runMain: (main?: string) => void }).runMain(MAIN);
