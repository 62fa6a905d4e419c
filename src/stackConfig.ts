/**
 * The root stack's config (Pulumi.yaml's typed schema) as NodeCommunicationMigration
 * arguments. One mapping, shared by the stack program and the offline `plan` command, so a
 * `Pulumi.<stack>.yaml` file means the same to both.
 */
import type { NodeCommunicationMigrationArgs } from "./components/nodeCommunicationMigration";
// Specific model files, not the model's index: the CLI loads this for every command's help.
import { CommunicationMode } from "./model/enums";
import { MigrationStage, MigrationStrategy } from "./model/migration/stages";
import { InvalidInputError, Problem } from "./model/problems";

/** The root project's name: config keys are namespaced with it (`azure-batch-network:stage`). */
export const STACK_PROJECT = "azure-batch-network";

/** Every key of the root stack's config schema, with its default. */
export const STACK_CONFIG_DEFAULTS = {
  location: "westus2",
  stage: "simplified",
  strategy: "in-place",
  confirmedLiveMode: "",
  vmSize: "standard_d2s_v3",
  dedicatedNodes: 2,
  lowPriorityNodes: 0,
  addressSpace: "10.0.0.0/16",
  subnetPrefix: "10.0.0.0/24",
} as const;

export type StackConfigKey = keyof typeof STACK_CONFIG_DEFAULTS;

/** Where config values come from: Pulumi's `Config`, or a parsed stack file. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

function count(
  source: ConfigSource,
  key: "dedicatedNodes" | "lowPriorityNodes",
  problems: Problem[],
): number {
  const text = source.get(key);
  if (text === undefined || text === "") return STACK_CONFIG_DEFAULTS[key];
  if (!/^\d+$/.test(text.trim())) {
    problems.push({ field: key, message: `"${text}" is not a whole number of nodes.` });
    return STACK_CONFIG_DEFAULTS[key];
  }
  return Number(text);
}

/**
 * The migration's arguments from the stack's config, with the problems found reading it.
 * Values are passed on as written (the component checks them and names the field); only the
 * node counts are read here, and a count that is not a number falls back to its default.
 */
export function readMigrationConfig(source: ConfigSource): {
  args: NodeCommunicationMigrationArgs;
  problems: Problem[];
} {
  const problems: Problem[] = [];
  const text = (key: Exclude<StackConfigKey, "dedicatedNodes" | "lowPriorityNodes">) =>
    source.get(key) || STACK_CONFIG_DEFAULTS[key];
  const dedicatedNodes = count(source, "dedicatedNodes", problems);
  const lowPriorityNodes = count(source, "lowPriorityNodes", problems);
  const confirmed = source.get("confirmedLiveMode");
  const args: NodeCommunicationMigrationArgs = {
    // Config strings arrive as the user typed them; the component accepts any case and
    // refuses anything that is not a stage, strategy or mode, naming the field.
    stage: text("stage") as MigrationStage,
    strategy: text("strategy") as MigrationStrategy,
    ...(confirmed ? { confirmedLiveMode: confirmed as CommunicationMode } : {}),
    location: text("location"),
    network: { addressSpace: [text("addressSpace")], subnetPrefix: text("subnetPrefix") },
    pool: { vmSize: text("vmSize"), dedicatedNodes, lowPriorityNodes },
  };
  return { args, problems };
}

/**
 * The migration's arguments from the stack's config.
 * @throws InvalidInputError when a node count is not a number.
 */
export function migrationArgsFromConfig(source: ConfigSource): NodeCommunicationMigrationArgs {
  const { args, problems } = readMigrationConfig(source);
  if (problems.length > 0) throw new InvalidInputError(problems);
  return args;
}
