/**
 * `npm run bench`: prints the figures the issues set targets for. Not a test: it never fails
 * on a number, it reports them.
 */
import { analyzeBench } from "./analyze";
import { coldStart } from "./coldStart";
import { construct } from "./construct";

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  console.log(analyzeBench().join("\n"));
  console.log(coldStart().join("\n"));
  console.log((await construct()).join("\n"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
