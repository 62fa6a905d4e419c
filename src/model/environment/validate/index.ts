/**
 * Every rule a Batch environment's settings must obey, checked at once: each section on its
 * own (one file each), then the cross-field rules that keep nodes usable. Returns problems
 * (errors) and warnings; never changes the input.
 */
import { CommunicationMode } from "../../modes";
import { InvalidInputError, Problem } from "../../problems";
import { SettingsOf, shapeProblems } from "./shape";
import { resourceGroupNameProblem } from "../../names";
import type { BatchEnvironmentSettings } from "../settings";
import { checkAccount } from "./account";
import { checkPrivateEndpoints } from "./endpoints";
import { knownName } from "./fields";
import {
  checkModes,
  COMMUNICATION_MODE_SOURCE,
  modeWarnings,
  ResolvedModes,
  TargetSource,
} from "./modes";
import { checkNetwork } from "./network";
import { checkPool } from "./pool";
import { refuseTooDeep } from "../../input/json";

export type { ResolvedModes, TargetSource } from "./modes";

/** What validation found: errors stop the deployment, warnings are printed. */
export interface ValidationResult {
  readonly problems: Problem[];
  readonly warnings: string[];
}

/** How an environment is validated beyond its own settings. */
export interface ValidationOptions {
  /** Decides the dated warnings (classic's retirement, the Ubuntu 22.04 agent). Default now. */
  readonly now?: Date;
  /** Targets of further pools in the environment (a new-pool migration's replacement). */
  readonly extraPoolTargets?: readonly CommunicationMode[];
  /** Where the targets come from, for messages. Default `communicationMode`. */
  readonly targetSource?: TargetSource;
  /** Whose settings these are, for the names a misspelling is offered. Default `environment`. */
  readonly settingsOf?: SettingsOf;
}

/**
 * Checks a whole environment's settings. References (IDs, names of existing resources) may
 * hold unresolved outputs (any object): only their presence is judged here.
 */
export function validateEnvironment(
  given: BatchEnvironmentSettings<unknown>,
  options: ValidationOptions = {},
): ValidationResult & ResolvedModes {
  refuseTooDeep(given, "settings");
  const shape = shapeProblems(given, options.settingsOf);
  // A group or list of the wrong kind would stop the checks below reading it: report the shape
  // alone then. Unknown keys and switches of the wrong kind are reported with everything else.
  if (!shape.readable) throw new InvalidInputError(shape.problems);
  const settings = given;
  const now = options.now ?? new Date();
  const modes = checkModes(
    settings,
    options.extraPoolTargets ?? [],
    options.targetSource ?? COMMUNICATION_MODE_SOURCE,
  );
  const network = checkNetwork(settings);
  const remoteAccess = settings.network?.remoteAccess;
  const pool = checkPool(settings.pool ?? {}, modes, network.facts, remoteAccess, now);
  const endpoints = checkPrivateEndpoints(settings, modes);
  const resourceGroup = knownName(
    resourceGroupNameProblem,
    settings.resourceGroupName,
    "resourceGroupName",
  );
  return {
    problems: [
      ...shape.problems,
      ...modes.problems,
      ...(resourceGroup ? [resourceGroup] : []),
      ...checkAccount(settings),
      ...network.problems,
      ...pool.problems,
      ...endpoints.problems,
    ],
    warnings: [
      ...modeWarnings(modes, now),
      ...network.warnings,
      ...pool.warnings,
      ...endpoints.warnings,
    ],
    region: modes.region,
    poolTargets: modes.poolTargets,
    ruleModes: modes.ruleModes,
    apiVersion: modes.apiVersion,
  };
}
