/**
 * Construction under Pulumi's mocks: a default simplified BatchEnvironment against the same
 * resources written by hand, and many environments in one program.
 */
import { BatchEnvironment } from "../src/components/batchEnvironment";
import { CommunicationMode } from "../src/model";
import { AzureSimulation, runDeployment, SimulatedAzureMocks } from "../src/simulate";
import { handWrittenEnvironment } from "./handWritten";
import { formatMs, median, ratio } from "./stats";

async function timeRun(program: () => Record<string, unknown>): Promise<number> {
  const mocks = new SimulatedAzureMocks(new AzureSimulation());
  const start = process.hrtime.bigint();
  await runDeployment(mocks, program);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function components(count: number) {
  return () => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const env = new BatchEnvironment(`env-${i}`, {
        location: "westus2",
        communicationMode: CommunicationMode.Simplified,
      });
      out[`pool${i}`] = env.poolName;
      out[`mode${i}`] = env.currentNodeCommunicationMode;
    }
    return out;
  };
}

function handWritten(count: number) {
  return () => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < count; i++)
      Object.assign(
        out,
        Object.fromEntries(
          Object.entries(handWrittenEnvironment(`env-${i}`)).map(([k, v]) => [`${k}${i}`, v]),
        ),
      );
    return out;
  };
}

export async function construct(runs = 5): Promise<string[]> {
  // Warm both paths (module loading, JIT) before measuring.
  await timeRun(components(2));
  await timeRun(handWritten(2));
  const single: number[] = [];
  const hand: number[] = [];
  for (let i = 0; i < runs; i++) {
    single.push(await timeRun(components(10)));
    hand.push(await timeRun(handWritten(10)));
  }
  const c = median(single);
  const h = median(hand);
  const lines = [
    `construction under mocks, 10 environments a run, median of ${runs} runs (target: component <= 1.10x hand-written)`,
    `  hand-written azure-native: ${formatMs(h)} (${formatMs(h / 10)} an environment)`,
    `  BatchEnvironment:          ${formatMs(c)} (${formatMs(c / 10)} an environment)`,
    `  ratio: ${ratio(c, h)}`,
    `scaling (target: linear in the number of environments; the hand-written program shows the mock runtime's own curve)`,
  ];
  for (const count of [50, 100, 200]) {
    const component = await timeRun(components(count));
    const baseline = await timeRun(handWritten(count));
    lines.push(
      `  ${String(count).padStart(3)} environments: BatchEnvironment ${formatMs(component)} (${formatMs(component / count)} each), hand-written ${formatMs(baseline)} (${formatMs(baseline / count)} each)`,
    );
  }
  return lines;
}
