/**
 * Every rule a Batch environment's settings must obey, checked at once: each field on its own,
 * then the cross-field rules that keep nodes usable. Returns problems (errors) and warnings;
 * never changes the input.
 */
import {
  addressKind,
  ipv4PrefixSize,
  parsePrefix,
  prefixContains,
  prefixesOverlap,
} from "./addresses";
import {
  Access,
  AuthenticationMode,
  ComputeNodeDeallocationOption,
  ComputeNodeFillType,
  EndpointAccessDefaultAction,
  enumValues,
  InboundEndpointProtocol,
  IPAddressProvisioningType,
  PublicNetworkAccess,
} from "./enums";
import {
  EndpointAccessSpec,
  EnvironmentSpec,
  InboundNatPoolSpec,
  NETWORK_DEFAULTS,
  PoolSpec,
  POOL_DEFAULTS,
} from "./environment";
import { isResourceId, ID_EXAMPLES, IdKind } from "./ids";
import {
  CommunicationMode,
  findCommunicationMode,
  modesFor,
  NodeMode,
  unknownModeMessage,
} from "./modes";
import { accountNameProblem } from "./names";
import { parsePortRange } from "./ports";
import { nestProblems, Problem } from "./problems";
import { findRegion, Region, unknownRegionMessage } from "./regions";
import { validateRouteOptions } from "./routes";
import { securityRules } from "./rules";
import { InvalidInputError } from "./problems";

/** The date Azure retired classic node communication. */
export const CLASSIC_RETIREMENT = new Date("2026-03-31T00:00:00Z");
/** Addresses Azure reserves in every subnet. */
export const AZURE_RESERVED_ADDRESSES_PER_SUBNET = 5;
/** Docker's default bridge network on the nodes. */
export const DOCKER_BRIDGE = "172.17.0.0/16";

const NAT_RESERVED_BACKEND_PORTS = [29876, 29877];
const NAT_RESERVED_FRONTEND = { from: 50000, to: 55000 };
const MAX_NAT_POOLS = 5;
const MAX_NAT_RULES = 25;
const NAT_RULE_PRIORITY = { min: 150, max: 4096 };
const MAX_IP_RULES = 200;
const POOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const RESOURCE_GROUP_NAME = /^[-\w._()]{1,90}$/u;
// ISO 8601 durations as Azure Batch takes them: P[nD][T[nH][nM][nS]].
const DURATION = /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

/** What validation found: errors stop the deployment, warnings are printed. */
export interface ValidationResult {
  readonly problems: Problem[];
  readonly warnings: string[];
}

/** The checked core of a spec that later steps rely on. */
export interface ResolvedModes {
  readonly region: Region | undefined;
  readonly poolMode: CommunicationMode | undefined;
  readonly ruleModes: NodeMode[];
}

function isDefined<T>(v: T | undefined): v is T {
  return v !== undefined;
}

function isWhole(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

function oneOf(value: unknown, allowed: readonly string[], field: string): Problem | undefined {
  if (value === undefined || allowed.includes(value as string)) return undefined;
  return {
    field,
    message: `${JSON.stringify(value)} is not allowed; use one of ${allowed.map((a) => `"${a}"`).join(", ")}.`,
  };
}

function wholeNumber(
  value: unknown,
  field: string,
  min: number,
  max?: number,
): Problem | undefined {
  if (value === undefined || isWhole(value, min, max)) return undefined;
  const range = max === undefined ? `${min} or more` : `from ${min} to ${max}`;
  return {
    field,
    message: `${JSON.stringify(value)} is not allowed; use a whole number ${range}.`,
  };
}

function durationToMinutes(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const n = (part: string | undefined) => (part ? parseFloat(part) : 0);
  return n(match[1]) * 1440 + n(match[3]) * 60 + n(match[4]) + n(match[5]) / 60;
}

function duration(
  value: unknown,
  field: string,
  minMinutes: number,
  maxMinutes?: number,
): Problem | undefined {
  if (value === undefined) return undefined;
  const minutes = typeof value === "string" ? durationToMinutes(value) : undefined;
  const bounds =
    maxMinutes === undefined
      ? `at least PT${minMinutes}M`
      : `from PT${minMinutes}M to P${maxMinutes / 1440}D`;
  if (
    minutes === undefined ||
    minutes < minMinutes ||
    (maxMinutes !== undefined && minutes > maxMinutes)
  ) {
    return {
      field,
      message: `${JSON.stringify(value)} is not allowed; use an ISO 8601 duration ${bounds} (e.g. PT15M).`,
    };
  }
  return undefined;
}

function resourceId(kind: IdKind, value: unknown, field: string): Problem | undefined {
  // Only known strings are checked here: an unresolved output (an object) is checked by the
  // component once it resolves.
  if (
    value === undefined ||
    (typeof value === "object" && value !== null) ||
    isResourceId(kind, value)
  ) {
    return undefined;
  }
  return {
    field,
    message: `${JSON.stringify(value)} is not a ${kind} resource ID; expected the form ${ID_EXAMPLES[kind]}.`,
  };
}

function checkModes(spec: EnvironmentSpec<unknown>): ResolvedModes & { problems: Problem[] } {
  const problems: Problem[] = [];
  const region = typeof spec.location === "string" ? findRegion(spec.location) : undefined;
  if (!region)
    problems.push({ field: "location", message: unknownRegionMessage(String(spec.location)) });
  const poolMode =
    typeof spec.communicationMode === "string"
      ? findCommunicationMode(spec.communicationMode)
      : undefined;
  if (poolMode === undefined) {
    problems.push({
      field: "communicationMode",
      message: unknownModeMessage(String(spec.communicationMode)),
    });
  }
  let ruleModes: NodeMode[] = poolMode ? modesFor(poolMode) : [];
  if (spec.ruleModes !== undefined) {
    const parsed = spec.ruleModes.map((m, i) => {
      const mode = typeof m === "string" ? findCommunicationMode(m) : undefined;
      if (mode === undefined)
        problems.push({ field: `ruleModes[${i}]`, message: unknownModeMessage(String(m)) });
      return mode;
    });
    const wanted = new Set(parsed.filter(isDefined).flatMap(modesFor));
    ruleModes = (["Classic", "Simplified"] as NodeMode[]).filter((m) => wanted.has(m));
    if (spec.ruleModes.length === 0) {
      problems.push({
        field: "ruleModes",
        message: "give at least one mode, or leave ruleModes out to follow communicationMode.",
      });
    }
    const missing = poolMode ? modesFor(poolMode).filter((m) => !wanted.has(m)) : [];
    if (missing.length > 0 && parsed.every(isDefined) && spec.ruleModes.length > 0) {
      problems.push({
        field: "ruleModes",
        message: `serves ${ruleModes.join(" + ") || "nothing"}, but a pool targeting ${poolMode} may run in ${missing.join(" and ")}, whose nodes would be unusable; add ${missing.join(", ")}.`,
      });
    }
  }
  if (region && poolMode && poolMode !== CommunicationMode.Classic && !region.simplifiedAvailable) {
    problems.push({
      field: "communicationMode",
      message: `${poolMode} needs simplified mode, which Azure does not offer in ${region.name}; use Classic there, or a region with simplified mode.`,
    });
  }
  return { region, poolMode, ruleModes, problems };
}

function checkEndpointAccess(access: EndpointAccessSpec | undefined, field: string): Problem[] {
  if (access === undefined) return [];
  const problems = [
    oneOf(access.defaultAction, enumValues(EndpointAccessDefaultAction), `${field}.defaultAction`),
  ];
  if (access.defaultAction === undefined) {
    problems.push({
      field: `${field}.defaultAction`,
      message: 'is required; use "Allow" or "Deny".',
    });
  }
  const ranges = access.allowedIpRanges ?? [];
  if (ranges.length > MAX_IP_RULES) {
    problems.push({
      field: `${field}.allowedIpRanges`,
      message: `has ${ranges.length} entries; Azure allows at most ${MAX_IP_RULES}.`,
    });
  }
  ranges.forEach((range, i) => {
    const ok =
      typeof range === "string" &&
      ["ip", "cidr"].includes(addressKind(range)) &&
      !range.includes(":");
    if (!ok) {
      problems.push({
        field: `${field}.allowedIpRanges[${i}]`,
        message: `${JSON.stringify(range)} is not an IPv4 address or CIDR range (e.g. 203.0.113.0/24).`,
      });
    }
  });
  return problems.filter(isDefined);
}

function checkAccount(spec: EnvironmentSpec<unknown>): Problem[] {
  const account = spec.account ?? {};
  const problems: Array<Problem | undefined> = [];
  if (account.name !== undefined)
    problems.push(accountNameProblem(account.name, "account.name", "Batch account"));
  if (account.existingAccountName !== undefined) {
    problems.push(
      accountNameProblem(
        account.existingAccountName,
        "account.existingAccountName",
        "Batch account",
      ),
    );
    if (account.name !== undefined) {
      problems.push({
        field: "account.name",
        message: "give account.name (to create) or account.existingAccountName (to use), not both.",
      });
    }
    const createOnly = [
      "publicNetworkAccess",
      "accountAccess",
      "nodeManagementAccess",
      "allowedAuthenticationModes",
      "autoStorage",
    ] as const;
    for (const key of createOnly) {
      if (account[key] !== undefined) {
        problems.push({
          field: `account.${key}`,
          message:
            "applies only to an account the component creates; set it on the existing account itself, or drop account.existingAccountName.",
        });
      }
    }
  }
  problems.push(
    oneOf(
      account.publicNetworkAccess,
      enumValues(PublicNetworkAccess),
      "account.publicNetworkAccess",
    ),
  );
  (account.allowedAuthenticationModes ?? []).forEach((m, i) =>
    problems.push(
      oneOf(m, enumValues(AuthenticationMode), `account.allowedAuthenticationModes[${i}]`),
    ),
  );
  problems.push(...checkEndpointAccess(account.accountAccess, "account.accountAccess"));
  problems.push(
    ...checkEndpointAccess(account.nodeManagementAccess, "account.nodeManagementAccess"),
  );
  const autoStorage = account.autoStorage;
  if (autoStorage !== undefined) {
    const hasId = "storageAccountId" in autoStorage && autoStorage.storageAccountId !== undefined;
    if (hasId && autoStorage.create) {
      problems.push({
        field: "account.autoStorage",
        message: "give storageAccountId (existing) or create: true, not both.",
      });
    } else if (!hasId && !autoStorage.create && !("storageAccountId" in autoStorage)) {
      problems.push({
        field: "account.autoStorage",
        message: "give storageAccountId (existing) or create: true.",
      });
    }
    problems.push(
      resourceId(
        "storageAccount",
        autoStorage.storageAccountId,
        "account.autoStorage.storageAccountId",
      ),
    );
  }
  return problems.filter(isDefined);
}

function checkExistingName(
  value: { name?: unknown; resourceGroupName?: unknown } | undefined,
  field: string,
): Problem[] {
  if (value === undefined) return [];
  const problems: Problem[] = [];
  if (typeof value.name !== "string" || !/^[A-Za-z0-9][\w.-]{0,79}$/.test(value.name)) {
    problems.push({
      field: `${field}.name`,
      message: `${JSON.stringify(value.name)} is not a resource name (1-80 letters, digits, _ . -).`,
    });
  }
  if (
    value.resourceGroupName !== undefined &&
    (typeof value.resourceGroupName !== "string" ||
      !RESOURCE_GROUP_NAME.test(value.resourceGroupName))
  ) {
    problems.push({
      field: `${field}.resourceGroupName`,
      message: `${JSON.stringify(value.resourceGroupName)} is not a resource group name.`,
    });
  }
  return problems;
}

interface NetworkFacts {
  readonly existingSubnet: boolean;
  /** IPv4 prefix length of the pool subnet, when known. */
  readonly subnetPrefixLength: number | undefined;
}

function checkNetwork(
  spec: EnvironmentSpec<unknown>,
  modes: ResolvedModes,
): { problems: Problem[]; warnings: string[]; facts: NetworkFacts } {
  const network = spec.network ?? {};
  const problems: Array<Problem | undefined> = [];
  const warnings: string[] = [];
  const existingSubnet = "existingSubnetId" in network;
  let subnetPrefixLength: number | undefined;

  if (existingSubnet) {
    problems.push(resourceId("subnet", network.existingSubnetId, "network.existingSubnetId"));
    for (const key of ["addressSpace", "subnetPrefix"] as const) {
      if (network[key] !== undefined) {
        problems.push({
          field: `network.${key}`,
          message:
            "applies only to a VNet the component creates; drop it, or drop network.existingSubnetId.",
        });
      }
    }
    if (network.existingNetworkSecurityGroup === undefined) {
      problems.push({
        field: "network.existingNetworkSecurityGroup",
        message:
          "is required with network.existingSubnetId: give the NSG attached to that subnet, so the rules go where the pool's traffic is judged (the component cannot attach an NSG to a subnet it does not manage).",
      });
    }
    if (network.routes !== undefined && network.routes.existingRouteTable === undefined) {
      problems.push({
        field: "network.routes.existingRouteTable",
        message:
          "is required with network.existingSubnetId: give the route table attached to that subnet (the component cannot attach one to a subnet it does not manage).",
      });
    }
  } else {
    const space = network.addressSpace ?? NETWORK_DEFAULTS.addressSpace;
    const subnet = network.subnetPrefix ?? NETWORK_DEFAULTS.subnetPrefix;
    const badSpace =
      space.length === 0 ||
      space.some((p) => typeof p !== "string" || addressKind(p) !== "cidr" || p.includes(":"));
    if (badSpace) {
      problems.push({
        field: "network.addressSpace",
        message: `${JSON.stringify(space)} must be one or more IPv4 CIDR prefixes (e.g. ["10.0.0.0/16"]).`,
      });
    }
    const badSubnet =
      typeof subnet !== "string" || addressKind(subnet) !== "cidr" || subnet.includes(":");
    if (badSubnet) {
      problems.push({
        field: "network.subnetPrefix",
        message: `${JSON.stringify(subnet)} must be an IPv4 CIDR prefix (e.g. 10.0.0.0/24).`,
      });
    }
    if (!badSpace && !badSubnet) {
      subnetPrefixLength = parsePrefix(subnet)[1];
      if (!space.some((p) => prefixContains(p, subnet))) {
        problems.push({
          field: "network.subnetPrefix",
          message: `${subnet} lies outside the VNet's address space ${space.join(", ")}; choose a prefix inside it.`,
        });
      }
      if (prefixesOverlap(subnet, DOCKER_BRIDGE)) {
        warnings.push(
          `network.subnetPrefix ${subnet} overlaps ${DOCKER_BRIDGE}, Docker's bridge network on the nodes: containers may not reach addresses in the overlap.`,
        );
      }
    }
  }
  problems.push(
    ...checkExistingName(
      network.existingNetworkSecurityGroup,
      "network.existingNetworkSecurityGroup",
    ),
  );
  if (network.routes !== undefined) {
    problems.push(...nestProblems("network.routes", validateRouteOptions(network.routes)));
    problems.push(
      ...checkExistingName(network.routes.existingRouteTable, "network.routes.existingRouteTable"),
    );
    if (
      network.routes.existingRouteTable === undefined &&
      network.routes.defaultRoute === undefined &&
      !existingSubnet
    ) {
      problems.push({
        field: "network.routes.defaultRoute",
        message:
          "is required when the component creates the route table: give the appliance or gateway the subnet's traffic is forced to (or give routes.existingRouteTable).",
      });
    }
  }
  // NSG rules: the model checks them; problems come back under `network.`.
  if (modes.region && modes.ruleModes.length > 0) {
    try {
      securityRules(modes.region.name, modes.ruleModes, {
        priorityBase: network.priorityBase,
        classicJobManagerOutbound: network.classicJobManagerOutbound,
        remoteAccess: network.remoteAccess,
        outboundLockdown: network.outboundLockdown,
        extraRules: network.extraRules,
      }).warnings.forEach((w) => warnings.push(`network: ${w}`));
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      problems.push(...nestProblems("network", error.problems));
    }
  }
  return {
    problems: problems.filter(isDefined),
    warnings,
    facts: { existingSubnet, subnetPrefixLength },
  };
}

function checkNatPools(pools: readonly InboundNatPoolSpec[], field: string): Problem[] {
  const problems: Problem[] = [];
  if (pools.length > MAX_NAT_POOLS) {
    problems.push({
      field,
      message: `has ${pools.length} NAT pools; Azure allows at most ${MAX_NAT_POOLS}.`,
    });
  }
  const rules = pools.flatMap((p, i) =>
    (p.networkSecurityGroupRules ?? []).map((r, j) => ({
      r,
      at: `${field}[${i}].networkSecurityGroupRules[${j}]`,
    })),
  );
  if (rules.length > MAX_NAT_RULES) {
    problems.push({
      field,
      message: `has ${rules.length} NSG rules across its NAT pools; Azure allows at most ${MAX_NAT_RULES}.`,
    });
  }
  const seenNames = new Map<string, number>();
  pools.forEach((pool, i) => {
    const at = `${field}[${i}]`;
    if (typeof pool.name !== "string" || !/^[A-Za-z0-9_][\w.-]{0,76}[\w]?$/.test(pool.name)) {
      problems.push({
        field: `${at}.name`,
        message: `${JSON.stringify(pool.name)} is not a valid NAT pool name (letters, digits, _ . -, at most 77).`,
      });
    } else if (seenNames.has(pool.name.toLowerCase())) {
      problems.push({
        field: `${at}.name`,
        message: `"${pool.name}" is also the name of ${field}[${seenNames.get(pool.name.toLowerCase())}].`,
      });
    } else {
      seenNames.set(pool.name.toLowerCase(), i);
    }
    const protocolProblem = oneOf(
      pool.protocol,
      enumValues(InboundEndpointProtocol),
      `${at}.protocol`,
    );
    if (protocolProblem) problems.push(protocolProblem);
    if (!isWhole(pool.backendPort, 1, 65535)) {
      problems.push({
        field: `${at}.backendPort`,
        message: `${JSON.stringify(pool.backendPort)} is not a port from 1 to 65535.`,
      });
    } else if (NAT_RESERVED_BACKEND_PORTS.includes(pool.backendPort)) {
      problems.push({
        field: `${at}.backendPort`,
        message: `${pool.backendPort} is reserved by Batch (29876 and 29877 carry node management); choose another port.`,
      });
    }
    const { frontendPortRangeStart: start, frontendPortRangeEnd: end } = pool;
    if (!isWhole(start, 1, 65534) || !isWhole(end, 1, 65535) || start > end) {
      problems.push({
        field: `${at}.frontendPortRangeStart`,
        message: `${JSON.stringify(start)}-${JSON.stringify(end)} is not a port range; start and end are ports, start <= end.`,
      });
    } else if (start <= NAT_RESERVED_FRONTEND.to && end >= NAT_RESERVED_FRONTEND.from) {
      problems.push({
        field: `${at}.frontendPortRangeStart`,
        message: `${start}-${end} overlaps ${NAT_RESERVED_FRONTEND.from}-${NAT_RESERVED_FRONTEND.to}, which Batch reserves; choose a range outside it.`,
      });
    }
  });
  const priorities = new Map<number, string>();
  for (const { r, at } of rules) {
    if (!isWhole(r.priority, NAT_RULE_PRIORITY.min, NAT_RULE_PRIORITY.max)) {
      problems.push({
        field: `${at}.priority`,
        message: `${JSON.stringify(r.priority)} is not allowed; use a whole number from ${NAT_RULE_PRIORITY.min} to ${NAT_RULE_PRIORITY.max}.`,
      });
    } else if (priorities.has(r.priority)) {
      problems.push({
        field: `${at}.priority`,
        message: `${r.priority} is also the priority of ${priorities.get(r.priority)}; NAT pool rule priorities must be unique.`,
      });
    } else {
      priorities.set(r.priority, at);
    }
    const accessProblem = oneOf(r.access, enumValues(Access), `${at}.access`);
    if (accessProblem) problems.push(accessProblem);
    if (
      typeof r.sourceAddressPrefix !== "string" ||
      addressKind(r.sourceAddressPrefix) === "invalid"
    ) {
      problems.push({
        field: `${at}.sourceAddressPrefix`,
        message: `${JSON.stringify(r.sourceAddressPrefix)} is not *, an IP, a CIDR prefix or a service tag.`,
      });
    }
    (r.sourcePortRanges ?? []).forEach((range, k) => {
      if (typeof range !== "string" || !parsePortRange(range)) {
        problems.push({
          field: `${at}.sourcePortRanges[${k}]`,
          message: `${JSON.stringify(range)} is not *, a port or a range low-high.`,
        });
      }
    });
  }
  return problems;
}

function checkPool(
  pool: PoolSpec<unknown>,
  modes: ResolvedModes,
  facts: NetworkFacts,
): { problems: Problem[]; warnings: string[] } {
  const problems: Array<Problem | undefined> = [];
  const warnings: string[] = [];
  if (pool.name !== undefined && (typeof pool.name !== "string" || !POOL_NAME.test(pool.name))) {
    problems.push({
      field: "pool.name",
      message: `${JSON.stringify(pool.name)} is not a pool name (1-64 letters, digits, - and _).`,
    });
  }
  if (pool.vmSize !== undefined && (typeof pool.vmSize !== "string" || pool.vmSize.trim() === "")) {
    problems.push({ field: "pool.vmSize", message: "must be a VM size such as standard_d2s_v3." });
  }
  const image = pool.image;
  if (
    image !== undefined &&
    image.id === undefined &&
    !(image.publisher && image.offer && image.sku)
  ) {
    problems.push({
      field: "pool.image",
      message: "give publisher, offer and sku (marketplace image) or id (gallery image).",
    });
  }
  const autoscale = pool.autoScaleFormula !== undefined;
  if (autoscale) {
    if (typeof pool.autoScaleFormula !== "string" || pool.autoScaleFormula.trim() === "") {
      problems.push({
        field: "pool.autoScaleFormula",
        message: "must be a non-empty autoscale formula.",
      });
    }
    for (const key of [
      "dedicatedNodes",
      "lowPriorityNodes",
      "resizeTimeout",
      "nodeDeallocationOption",
    ] as const) {
      if (pool[key] !== undefined) {
        problems.push({
          field: `pool.${key}`,
          message:
            "is a fixed-scale setting; drop it, or drop pool.autoScaleFormula to use fixed scale.",
        });
      }
    }
    problems.push(
      duration(pool.autoScaleEvaluationInterval, "pool.autoScaleEvaluationInterval", 5, 7 * 1440),
    );
  } else if (pool.autoScaleEvaluationInterval !== undefined) {
    problems.push({
      field: "pool.autoScaleEvaluationInterval",
      message: "applies only with pool.autoScaleFormula.",
    });
  }
  problems.push(wholeNumber(pool.dedicatedNodes, "pool.dedicatedNodes", 0));
  problems.push(wholeNumber(pool.lowPriorityNodes, "pool.lowPriorityNodes", 0));
  problems.push(duration(pool.resizeTimeout, "pool.resizeTimeout", 5));
  problems.push(
    oneOf(
      pool.nodeDeallocationOption,
      enumValues(ComputeNodeDeallocationOption),
      "pool.nodeDeallocationOption",
    ),
  );
  problems.push(wholeNumber(pool.taskSlotsPerNode, "pool.taskSlotsPerNode", 1, 256));
  problems.push(oneOf(pool.nodeFillType, enumValues(ComputeNodeFillType), "pool.nodeFillType"));
  if (pool.startTask !== undefined) {
    if (
      typeof pool.startTask.commandLine !== "string" ||
      pool.startTask.commandLine.trim() === ""
    ) {
      problems.push({
        field: "pool.startTask.commandLine",
        message: "is required: the command the start task runs.",
      });
    }
    const retries = pool.startTask.maxTaskRetryCount;
    if (retries !== undefined && !isWhole(retries, -1)) {
      problems.push({
        field: "pool.startTask.maxTaskRetryCount",
        message: `${JSON.stringify(retries)} is not allowed; use -1 (no limit) or a whole number.`,
      });
    }
  }

  const provision = pool.publicIpProvisioning ?? IPAddressProvisioningType.BatchManaged;
  problems.push(
    oneOf(
      pool.publicIpProvisioning,
      enumValues(IPAddressProvisioningType),
      "pool.publicIpProvisioning",
    ),
  );
  const ipIds = pool.publicIpAddressIds;
  if (
    provision === IPAddressProvisioningType.UserManaged &&
    (ipIds === undefined || ipIds.length === 0)
  ) {
    problems.push({
      field: "pool.publicIpAddressIds",
      message:
        "is required with publicIpProvisioning UserManaged: give the Standard static public IPs (one per 100 nodes).",
    });
  }
  if (
    provision !== IPAddressProvisioningType.UserManaged &&
    ipIds !== undefined &&
    ipIds.length > 0
  ) {
    problems.push({
      field: "pool.publicIpAddressIds",
      message: `applies only with publicIpProvisioning UserManaged (is ${provision}); set UserManaged or drop the IDs.`,
    });
  }
  (ipIds ?? []).forEach((id, i) =>
    problems.push(resourceId("publicIp", id, `pool.publicIpAddressIds[${i}]`)),
  );
  if (
    provision === IPAddressProvisioningType.NoPublicIPAddresses &&
    modes.poolMode !== undefined &&
    modes.poolMode !== CommunicationMode.Simplified
  ) {
    problems.push({
      field: "pool.publicIpProvisioning",
      message: `NoPublicIPAddresses requires communicationMode Simplified (is ${modes.poolMode}); Azure creates pools without public IPs only in simplified mode, in a subnet.`,
    });
  }
  const natPools = pool.inboundNatPools ?? [];
  if (natPools.length > 0 && provision === IPAddressProvisioningType.NoPublicIPAddresses) {
    problems.push({
      field: "pool.inboundNatPools",
      message:
        "cannot be used with publicIpProvisioning NoPublicIPAddresses: a pool without public IPs has no inbound endpoints.",
    });
  }
  problems.push(...checkNatPools(natPools, "pool.inboundNatPools"));

  const dedicated = pool.dedicatedNodes ?? (autoscale ? 0 : POOL_DEFAULTS.dedicatedNodes);
  const lowPriority = pool.lowPriorityNodes ?? POOL_DEFAULTS.lowPriorityNodes;
  if (facts.subnetPrefixLength !== undefined && isWhole(dedicated, 0) && isWhole(lowPriority, 0)) {
    const usable = ipv4PrefixSize(facts.subnetPrefixLength) - AZURE_RESERVED_ADDRESSES_PER_SUBNET;
    if (dedicated + lowPriority > usable) {
      problems.push({
        field: "network.subnetPrefix",
        message: `a /${facts.subnetPrefixLength} has ${usable} usable addresses (Azure reserves ${AZURE_RESERVED_ADDRESSES_PER_SUBNET}), fewer than the ${dedicated + lowPriority} target nodes; use a larger prefix or fewer nodes.`,
      });
    }
  }
  if (
    provision === IPAddressProvisioningType.UserManaged &&
    ipIds &&
    isWhole(dedicated, 0) &&
    isWhole(lowPriority, 0)
  ) {
    const needed = Math.ceil(dedicated / 100) + Math.ceil(lowPriority / 100);
    if (ipIds.length < needed) {
      warnings.push(
        `pool.publicIpAddressIds: ${ipIds.length} IPs for ${dedicated} dedicated and ${lowPriority} low-priority nodes; Azure needs one per 100 nodes of each kind (${needed}).`,
      );
    }
  }
  return { problems: problems.filter(isDefined), warnings };
}

function checkPrivateEndpoints(
  spec: EnvironmentSpec<unknown>,
  modes: ResolvedModes,
): { problems: Problem[]; warnings: string[] } {
  const endpoints = spec.privateEndpoints;
  const problems: Array<Problem | undefined> = [];
  const warnings: string[] = [];
  if (endpoints !== undefined) {
    if (!endpoints.nodeManagement && !endpoints.batchAccount) {
      problems.push({
        field: "privateEndpoints",
        message:
          "asks for no endpoint; set nodeManagement and/or batchAccount to true, or drop privateEndpoints.",
      });
    }
    problems.push(resourceId("subnet", endpoints.subnetId, "privateEndpoints.subnetId"));
    problems.push(
      resourceId("privateDnsZone", endpoints.privateDnsZoneId, "privateEndpoints.privateDnsZoneId"),
    );
    if (
      endpoints.nodeManagement &&
      modes.poolMode === CommunicationMode.Classic &&
      !modes.ruleModes.includes(CommunicationMode.Simplified)
    ) {
      warnings.push(
        "privateEndpoints.nodeManagement serves only simplified pools; this classic pool does not use it.",
      );
    }
  }
  const account = spec.account ?? {};
  const mayRunSimplified =
    modes.poolMode === CommunicationMode.Simplified || modes.poolMode === CommunicationMode.Default;
  const nodeManagementEndpoint = endpoints?.nodeManagement === true;
  if (mayRunSimplified && !nodeManagementEndpoint && account.existingAccountName === undefined) {
    if (account.publicNetworkAccess === PublicNetworkAccess.Disabled) {
      problems.push({
        field: "privateEndpoints.nodeManagement",
        message: `is required: account.publicNetworkAccess is Disabled, and ${modes.poolMode} nodes reach Batch through the account's node management endpoint, so without a nodeManagement private endpoint every node is unusable.`,
      });
    } else if (account.nodeManagementAccess?.defaultAction === EndpointAccessDefaultAction.Deny) {
      if ((account.nodeManagementAccess.allowedIpRanges ?? []).length === 0) {
        problems.push({
          field: "privateEndpoints.nodeManagement",
          message: `is required: account.nodeManagementAccess denies by default with no allowed IP ranges, so ${modes.poolMode} nodes cannot reach the node management endpoint and every node is unusable.`,
        });
      } else {
        warnings.push(
          "account.nodeManagementAccess denies by default: only nodes whose outbound IP is in allowedIpRanges reach Batch; the rest are unusable. A nodeManagement private endpoint avoids this.",
        );
      }
    }
  }
  if (
    spec.pool?.publicIpProvisioning === IPAddressProvisioningType.NoPublicIPAddresses &&
    !nodeManagementEndpoint
  ) {
    warnings.push(
      "pool.publicIpProvisioning is NoPublicIPAddresses without a nodeManagement private endpoint: since Azure retired default outbound access (31 March 2026) the subnet needs an explicit outbound path (NAT gateway or firewall) to BatchNodeManagement.",
    );
  }
  return { problems: problems.filter(isDefined), warnings };
}

function modeWarnings(modes: ResolvedModes, now: Date): string[] {
  const warnings: string[] = [];
  if (modes.poolMode === CommunicationMode.Classic && now >= CLASSIC_RETIREMENT) {
    warnings.push(
      "communicationMode Classic: Azure retired classic node communication on 31 March 2026 and no longer honours it; plan the move to Simplified (NodeCommunicationMigration).",
    );
  }
  if (modes.poolMode === CommunicationMode.Default && modes.region) {
    const r = modes.region.name;
    warnings.push(
      `communicationMode Default lets Azure pick the mode, so the subnet carries the union of both rule sets: inbound TCP 29876-29877 from BatchNodeManagement.${r}, outbound TCP 443 to Storage.${r}, outbound 443 to BatchNodeManagement.${r}. Choose Simplified to need only the last.`,
    );
  }
  return warnings;
}

/**
 * Checks a whole environment spec. `now` decides the classic-retirement warning.
 * ID fields may hold unresolved outputs (any object): only their presence is judged here.
 */
export function validateEnvironment(
  spec: EnvironmentSpec<unknown>,
  now: Date = new Date(),
): ValidationResult & ResolvedModes {
  const modes = checkModes(spec);
  const problems: Problem[] = [...modes.problems];
  const warnings: string[] = [];
  if (
    spec.resourceGroupName !== undefined &&
    (typeof spec.resourceGroupName !== "string" ||
      !RESOURCE_GROUP_NAME.test(spec.resourceGroupName))
  ) {
    problems.push({
      field: "resourceGroupName",
      message: `${JSON.stringify(spec.resourceGroupName)} is not a resource group name (1-90 letters, digits, _ . - ( )).`,
    });
  }
  problems.push(...checkAccount(spec));
  const network = checkNetwork(spec, modes);
  const pool = checkPool(spec.pool ?? {}, modes, network.facts);
  const endpoints = checkPrivateEndpoints(spec, modes);
  problems.push(...network.problems, ...pool.problems, ...endpoints.problems);
  warnings.push(
    ...modeWarnings(modes, now),
    ...network.warnings,
    ...pool.warnings,
    ...endpoints.warnings,
  );
  return {
    problems,
    warnings,
    region: modes.region,
    poolMode: modes.poolMode,
    ruleModes: modes.ruleModes,
  };
}
