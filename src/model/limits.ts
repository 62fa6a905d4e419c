/**
 * Azure's limits and dates the package checks settings against, each with where it is
 * documented, in one place so that messages and checks agree.
 */

/** Azure retired classic node communication (learn.microsoft.com/azure/batch/simplified-compute-node-communication). */
export const CLASSIC_RETIREMENT = new Date("2026-03-31T00:00:00Z");
/** Batch's node agent support for Ubuntu 22.04 ends (Azure/Batch issue 200). */
export const UBUNTU_2204_AGENT_END = new Date("2027-06-30T00:00:00Z");
/** Addresses Azure reserves in every subnet (learn.microsoft.com/azure/virtual-network/virtual-networks-faq). */
export const AZURE_RESERVED_ADDRESSES_PER_SUBNET = 5;
/** Docker's default bridge network on the nodes (learn.microsoft.com/azure/batch/batch-virtual-network). */
export const DOCKER_BRIDGE = "172.17.0.0/16";

/** Inbound NAT pools of a pool (learn.microsoft.com/azure/batch/pool-endpoint-configuration). */
export const NAT_POOLS = {
  maxPools: 5,
  maxRules: 25,
  rulePriority: { min: 150, max: 4096 },
  reservedBackendPorts: [29876, 29877] as readonly number[],
  reservedFrontend: { from: 50000, to: 55000 },
  /** Frontend ports run from 1 to 65534, at least 40 of them per NAT pool (Batch's InboundNATPool). */
  frontendPorts: { min: 1, max: 65534, leastPerPool: 40 },
} as const;

/** IP rules of one Batch account endpoint's access profile. */
export const MAX_ENDPOINT_IP_RULES = 200;
