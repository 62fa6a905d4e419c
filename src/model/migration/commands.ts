/** The commands a migration tells its operator to run, written in one place. */
import type { MigrationStage } from "./stages";

/** The root stack's config key for the stage; a component can be told another. */
export const DEFAULT_STAGE_CONFIG_KEY = "stage";

/** Another run at the same stage. */
export const RERUN_COMMAND = "pulumi up";

/** The command that applies `stage`. */
export function stageCommand(stage: MigrationStage, configKey = DEFAULT_STAGE_CONFIG_KEY): string {
  return `pulumi config set ${configKey} ${stage} && ${RERUN_COMMAND}`;
}
