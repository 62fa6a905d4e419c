/** The pool: its VM and image, scale, start task, public IPs and inbound endpoints. */
import { shown } from "../../printable";
import {
  CommunicationMode,
  ComputeNodeDeallocationOption,
  ComputeNodeFillType,
  enumValues,
  IPAddressProvisioningType,
} from "../../enums";
import { ipv4PrefixSize } from "../../addresses";
import { AZURE_RESERVED_ADDRESSES_PER_SUBNET, UBUNTU_2204_AGENT_END } from "../../limits";
import type { RemoteAccessOptions } from "../../flows";
import { remoteAccessNatPools } from "../../natPools";
import { poolNameProblem } from "../../names";
import type { Problem } from "../../problems";
import { PoolSettings, POOL_DEFAULTS } from "../settings";
import {
  defined,
  duration,
  isWhole,
  MaybeProblems,
  oneOf,
  resourceId,
  wholeNumber,
} from "./fields";
import type { ResolvedModes } from "./modes";
import { checkNatPools, checkRemoteAccessNatPools } from "./natPools";
import type { NetworkFacts } from "./network";

const FIXED_SCALE_ONLY = [
  "dedicatedNodes",
  "lowPriorityNodes",
  "resizeTimeout",
  "nodeDeallocationOption",
] as const;

function checkScale(pool: PoolSettings<unknown>): MaybeProblems {
  const problems: MaybeProblems = [];
  if (pool.autoScaleFormula !== undefined) {
    if (typeof pool.autoScaleFormula !== "string" || pool.autoScaleFormula.trim() === "") {
      problems.push({
        field: "pool.autoScaleFormula",
        message: "must be a non-empty autoscale formula.",
      });
    }
    for (const key of FIXED_SCALE_ONLY) {
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
  problems.push(
    wholeNumber(pool.dedicatedNodes, "pool.dedicatedNodes", 0),
    wholeNumber(pool.lowPriorityNodes, "pool.lowPriorityNodes", 0),
    duration(pool.resizeTimeout, "pool.resizeTimeout", 5),
    oneOf(
      pool.nodeDeallocationOption,
      enumValues(ComputeNodeDeallocationOption),
      "pool.nodeDeallocationOption",
    ),
  );
  return problems;
}

function checkMachine(pool: PoolSettings<unknown>): MaybeProblems {
  const problems: MaybeProblems = [];
  if (pool.name !== undefined) problems.push(poolNameProblem(pool.name, "pool.name"));
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
  problems.push(
    wholeNumber(pool.taskSlotsPerNode, "pool.taskSlotsPerNode", 1, 256),
    oneOf(pool.nodeFillType, enumValues(ComputeNodeFillType), "pool.nodeFillType"),
  );
  const task = pool.startTask;
  if (task !== undefined) {
    if (typeof task.commandLine !== "string" || task.commandLine.trim() === "") {
      problems.push({
        field: "pool.startTask.commandLine",
        message: "is required: the command the start task runs.",
      });
    }
    if (task.maxTaskRetryCount !== undefined && !isWhole(task.maxTaskRetryCount, -1)) {
      problems.push({
        field: "pool.startTask.maxTaskRetryCount",
        message: `${shown(task.maxTaskRetryCount)} is not allowed; use -1 (no limit) or a whole number.`,
      });
    }
  }
  return problems;
}

function checkPublicIps(
  pool: PoolSettings<unknown>,
  modes: ResolvedModes,
  remoteAccess: RemoteAccessOptions | undefined,
): MaybeProblems {
  const provision = pool.publicIpProvisioning ?? IPAddressProvisioningType.BatchManaged;
  const ipIds = pool.publicIpAddressIds;
  const problems: MaybeProblems = [
    oneOf(
      pool.publicIpProvisioning,
      enumValues(IPAddressProvisioningType),
      "pool.publicIpProvisioning",
    ),
  ];
  const userManaged = provision === IPAddressProvisioningType.UserManaged;
  if (userManaged && (ipIds === undefined || ipIds.length === 0)) {
    problems.push({
      field: "pool.publicIpAddressIds",
      message:
        "is required with publicIpProvisioning UserManaged: give the Standard static public IPs (one per 100 nodes).",
    });
  }
  if (!userManaged && ipIds !== undefined && ipIds.length > 0) {
    problems.push({
      field: "pool.publicIpAddressIds",
      message: `applies only with publicIpProvisioning UserManaged (is ${provision}); set UserManaged or drop the IDs.`,
    });
  }
  (ipIds ?? []).forEach((id, i) =>
    problems.push(resourceId("publicIp", id, `pool.publicIpAddressIds[${i}]`)),
  );
  const remote = remoteAccessNatPools(remoteAccess);
  if (provision === IPAddressProvisioningType.NoPublicIPAddresses && remote.length > 0) {
    problems.push({
      field: "network.remoteAccess",
      message:
        "SSH and RDP reach the nodes through an inbound NAT pool on the pool's public IPs (Batch maps neither by itself since API 2024-07-01), and a pool without public IPs has none. Reach the nodes through the VNet instead (Azure Bastion or a jump host), and drop remoteAccess.",
    });
  }
  if (provision === IPAddressProvisioningType.NoPublicIPAddresses) {
    for (const target of modes.poolTargets.filter((t) => t !== CommunicationMode.Simplified)) {
      problems.push({
        field: "pool.publicIpProvisioning",
        message: `NoPublicIPAddresses requires communicationMode Simplified (is ${target}); Azure creates pools without public IPs only in simplified mode, in a subnet.`,
      });
    }
    if ((pool.inboundNatPools ?? []).length > 0) {
      problems.push({
        field: "pool.inboundNatPools",
        message:
          "cannot be used with publicIpProvisioning NoPublicIPAddresses: a pool without public IPs has no inbound endpoints.",
      });
    }
  }
  return problems;
}

function checkCapacity(
  pool: PoolSettings<unknown>,
  facts: NetworkFacts,
): { problems: Problem[]; warnings: string[] } {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const autoscale = pool.autoScaleFormula !== undefined;
  const dedicated = pool.dedicatedNodes ?? (autoscale ? 0 : POOL_DEFAULTS.dedicatedNodes);
  const lowPriority = pool.lowPriorityNodes ?? POOL_DEFAULTS.lowPriorityNodes;
  if (!isWhole(dedicated, 0) || !isWhole(lowPriority, 0)) return { problems, warnings };
  if (facts.subnetPrefixLength !== undefined) {
    const usable = ipv4PrefixSize(facts.subnetPrefixLength) - AZURE_RESERVED_ADDRESSES_PER_SUBNET;
    if (dedicated + lowPriority > usable) {
      problems.push({
        field: "network.subnetPrefix",
        message: `a /${facts.subnetPrefixLength} has ${usable} usable addresses (Azure reserves ${AZURE_RESERVED_ADDRESSES_PER_SUBNET}), fewer than the ${dedicated + lowPriority} target nodes; use a larger prefix or fewer nodes.`,
      });
    }
  }
  const ipIds = pool.publicIpAddressIds;
  if (pool.publicIpProvisioning === IPAddressProvisioningType.UserManaged && ipIds) {
    const needed = Math.ceil(dedicated / 100) + Math.ceil(lowPriority / 100);
    if (ipIds.length < needed) {
      warnings.push(
        `pool.publicIpAddressIds: ${ipIds.length} IPs for ${dedicated} dedicated and ${lowPriority} low-priority nodes; Azure needs one per 100 nodes of each kind (${needed}).`,
      );
    }
  }
  return { problems, warnings };
}

/** A node agent whose support has an end date, said with the date (and whether it is past). */
function nodeAgentWarnings(pool: PoolSettings<unknown>, now: Date): string[] {
  if (typeof pool.nodeAgentSkuId !== "string") return [];
  if (!/^batch\.node\.ubuntu 22\.04\b/i.test(pool.nodeAgentSkuId)) return [];
  const when = now >= UBUNTU_2204_AGENT_END ? "ended on" : "ends on";
  return [
    `pool.nodeAgentSkuId ${shown(pool.nodeAgentSkuId)}: Batch's support for the Ubuntu 22.04 node agent ${when} 30 June 2027 (Azure/Batch issue 200). Move to Ubuntu 24.04: image Canonical ubuntu-24_04-lts server with nodeAgentSkuId "batch.node.ubuntu 24.04" (the default). The image and agent are part of the pool's deployment configuration: changing them replaces the pool.`,
  ];
}

/** Every problem with `pool` (and the NAT pools remote access adds to it), and its warnings. */
export function checkPool(
  pool: PoolSettings<unknown>,
  modes: ResolvedModes,
  facts: NetworkFacts,
  remoteAccess: RemoteAccessOptions | undefined,
  now: Date = new Date(),
): { problems: Problem[]; warnings: string[] } {
  const capacity = checkCapacity(pool, facts);
  const own = Array.isArray(pool.inboundNatPools) ? pool.inboundNatPools : [];
  const problems = [
    ...checkMachine(pool),
    ...checkScale(pool),
    ...checkPublicIps(pool, modes, remoteAccess),
    ...checkNatPools(own, "pool.inboundNatPools"),
    ...checkRemoteAccessNatPools(own, remoteAccessNatPools(remoteAccess)),
    ...capacity.problems,
  ].filter(defined);
  return { problems, warnings: [...capacity.warnings, ...nodeAgentWarnings(pool, now)] };
}
