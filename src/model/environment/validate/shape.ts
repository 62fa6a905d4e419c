/**
 * The shape of an environment's settings, checked before anything in them is read: untrusted
 * callers pass anything (`network: false`, `routes: null`, `"yes"` for a boolean, `netwrok`).
 * Each group must be an object holding only the settings it knows (a misspelt one is named with
 * the nearest known name, never ignored), each list a list, each switch true or false. A group
 * under one that is wrong is not looked into.
 */
import { closest, distance } from "fastest-levenshtein";
import { isObject } from "../../json";
import { shown } from "../../printable";
import { objectProblem, Problem } from "../../problems";

const EXISTING = ["name", "resourceGroupName"];
const ENDPOINT_ACCESS = ["defaultAction", "allowedIpRanges"];

/** Each group of settings by path ("" the top), with the settings it holds. */
const GROUPS: ReadonlyArray<
  readonly [string, readonly string[] | "any", ("kind checked elsewhere" | undefined)?]
> = [
  [
    "",
    [
      "location",
      "batchApiVersion",
      "resourceGroupName",
      "account",
      "network",
      "pool",
      "privateEndpoints",
      "tags",
      "communicationMode",
      "ruleModes",
    ],
  ],
  [
    "account",
    [
      "name",
      "existingAccountName",
      "publicNetworkAccess",
      "accountAccess",
      "nodeManagementAccess",
      "allowedAuthenticationModes",
      "autoStorage",
    ],
  ],
  ["account.accountAccess", ENDPOINT_ACCESS],
  ["account.nodeManagementAccess", ENDPOINT_ACCESS],
  // Its kind is checked with its meaning (./account.ts); only its keys are checked here.
  ["account.autoStorage", ["storageAccountId", "create"], "kind checked elsewhere"],
  [
    "network",
    [
      "addressSpace",
      "subnetPrefix",
      "existingSubnetId",
      "existingNetworkSecurityGroup",
      "priorityBase",
      "classicJobManagerOutbound",
      "remoteAccess",
      "outboundLockdown",
      "extraRules",
      "routes",
      "natGateway",
    ],
  ],
  ["network.existingNetworkSecurityGroup", EXISTING],
  ["network.natGateway", ["create", "existingNatGatewayId"]],
  ["network.remoteAccess", ["sshSourcePrefixes", "rdpSourcePrefixes"]],
  ["network.outboundLockdown", ["storageDestinations"]],
  ["network.routes", ["defaultRoute", "classicStorageBypass", "existingRouteTable"]],
  ["network.routes.defaultRoute", ["nextHopType", "nextHopIpAddress"]],
  ["network.routes.existingRouteTable", EXISTING],
  [
    "pool",
    [
      "name",
      "displayName",
      "vmSize",
      "image",
      "nodeAgentSkuId",
      "dedicatedNodes",
      "lowPriorityNodes",
      "resizeTimeout",
      "nodeDeallocationOption",
      "autoScaleFormula",
      "autoScaleEvaluationInterval",
      "taskSlotsPerNode",
      "nodeFillType",
      "interNodeCommunication",
      "startTask",
      "publicIpProvisioning",
      "publicIpAddressIds",
      "inboundNatPools",
    ],
  ],
  ["pool.image", ["publisher", "offer", "sku", "version", "id"]],
  [
    "pool.startTask",
    ["commandLine", "waitForSuccess", "maxTaskRetryCount", "runElevated", "environment"],
  ],
  ["privateEndpoints", ["nodeManagement", "batchAccount", "subnetId", "privateDnsZoneId"]],
  ["tags", "any"],
];

/** Settings that are lists, by path. */
const LISTS = [
  "account.accountAccess.allowedIpRanges",
  "account.nodeManagementAccess.allowedIpRanges",
  "network.addressSpace",
  "network.extraRules",
  "network.remoteAccess.sshSourcePrefixes",
  "network.remoteAccess.rdpSourcePrefixes",
  "network.outboundLockdown.storageDestinations",
  "pool.inboundNatPools",
  "pool.publicIpAddressIds",
  "ruleModes",
];

/** Settings that are true or false, by path. */
const SWITCHES = [
  "account.autoStorage.create",
  "network.natGateway.create",
  "network.routes.classicStorageBypass",
  "pool.interNodeCommunication",
  "pool.startTask.waitForSuccess",
  "pool.startTask.runElevated",
  "privateEndpoints.nodeManagement",
  "privateEndpoints.batchAccount",
];

/** A migration's own settings, which a misspelling at the top may have meant. */
const MIGRATION_SETTINGS = [
  "stage",
  "strategy",
  "confirmedLiveMode",
  "replacementPoolName",
  "stageConfigKey",
];

/** Settings of an environment that a migration's stage sets, and so a migration refuses. */
const SET_BY_STAGE = ["communicationMode", "ruleModes", "batchApiVersion"];

/** Whose settings are checked: a BatchEnvironment's, or a NodeCommunicationMigration's. */
export type SettingsOf = "environment" | "migration";

/** The value at a dotted path, through own keys of objects only. */
function valueAt(settings: unknown, path: string): unknown {
  if (path === "") return settings;
  return path
    .split(".")
    .reduce<unknown>(
      (node, key) => (isObject(node) && Object.hasOwn(node, key) ? node[key] : undefined),
      settings,
    );
}

const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf(".")));
const join = (group: string, key: string) => (group ? `${group}.${key}` : key);

function unknownKeys(
  group: string,
  value: Record<string, unknown>,
  known: readonly string[],
  of: SettingsOf,
): Problem[] {
  // The names a message offers: a migration's own at its top, never those its stage sets.
  const offered =
    group !== ""
      ? known
      : of === "migration"
        ? [...known.filter((k) => !SET_BY_STAGE.includes(k)), ...MIGRATION_SETTINGS]
        : known;
  const candidates =
    group === "" && of === "environment" ? [...known, ...MIGRATION_SETTINGS] : offered;
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const nearest = closest(key, candidates);
      const close = distance(key, nearest) <= Math.max(2, key.length / 4);
      return {
        field: join(group, shown(key, 60).slice(1, -1)),
        message: `is not a setting${group ? ` of ${group}` : ""}${close ? `; did you mean ${nearest}?` : `: use ${offered.join(", ")}.`}`,
      };
    });
}

/**
 * Every problem with the shape of the settings, and whether the other checks may still read
 * them (no group or list of the wrong kind).
 */
export function shapeProblems(
  settings: unknown,
  of: SettingsOf = "environment",
): { problems: Problem[]; readable: boolean } {
  const top = objectProblem(settings, "settings", "environment settings");
  if (top.length > 0) return { problems: top, readable: false };
  const problems: Problem[] = [];
  const wrong = new Set<string>();
  for (const [group, known, kindCheckedElsewhere] of GROUPS) {
    const value = valueAt(settings, group);
    if (group !== "" && wrong.has(parentOf(group))) wrong.add(group);
    if (value === undefined || wrong.has(group)) continue;
    if (!isObject(value) && kindCheckedElsewhere) continue;
    if (!isObject(value)) {
      wrong.add(group);
      problems.push(...objectProblem(value, group, `${group.split(".").pop()} settings`));
      continue;
    }
    if (known !== "any") problems.push(...unknownKeys(group, value, known, of));
  }
  for (const path of LISTS) {
    const value = wrong.has(parentOf(path)) ? undefined : valueAt(settings, path);
    if (value !== undefined && !Array.isArray(value)) {
      wrong.add(path);
      problems.push({ field: path, message: `must be a list, not ${shown(value)}.` });
    }
  }
  for (const path of SWITCHES) {
    const value = wrong.has(parentOf(path)) ? undefined : valueAt(settings, path);
    if (value !== undefined && typeof value !== "boolean")
      problems.push({ field: path, message: `must be true or false, not ${shown(value)}.` });
  }
  return { problems, readable: wrong.size === 0 };
}
