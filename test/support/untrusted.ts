/**
 * Untrusted input for properties: arbitrary JSON with the keys hostile input carries, and a
 * full, valid environment to break at one place at a time.
 */
import fc from "fast-check";

const hostileKey = fc.constantFrom(
  "__proto__",
  "constructor",
  "toString",
  "name",
  "rules",
  "securityRules",
  "routes",
  "modes",
  "region",
  "location",
  "network",
  "pool",
  "extraRules",
  "privateLinkServiceConnections",
  "groupIds",
  "customDnsConfigs",
  "ipAddresses",
);

/** Arbitrary JSON-like values, null prototypes and `__proto__` keys included. */
export const anyJson = fc.anything({
  key: fc.oneof(fc.string(), hostileKey),
  maxDepth: 4,
  withObjectString: true,
  withNullPrototype: true,
});

/** A full, valid environment: the property below breaks it at one place at a time. */
export const FULL_SETTINGS = {
  location: "westus2",
  communicationMode: "Simplified",
  account: {
    publicNetworkAccess: "Enabled",
    nodeManagementAccess: { defaultAction: "Allow", allowedIpRanges: [] },
    autoStorage: { create: true },
  },
  network: {
    addressSpace: ["10.0.0.0/16"],
    subnetPrefix: "10.0.0.0/24",
    priorityBase: 1000,
    remoteAccess: { sshSourcePrefixes: ["203.0.113.0/24"] },
    outboundLockdown: { storageDestinations: ["Storage.westus2"] },
    extraRules: [
      {
        name: "AllowAdmin",
        priority: 150,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "203.0.113.0/24",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "22",
      },
    ],
    routes: { defaultRoute: { nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4" } },
  },
  pool: {
    vmSize: "Standard_D2s_v3",
    dedicatedNodes: 1,
    image: { publisher: "canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
    nodeAgentSkuId: "batch.node.ubuntu 24.04",
    startTask: { commandLine: "echo hi", maxTaskRetryCount: 1 },
    inboundNatPools: [
      {
        name: "ssh",
        protocol: "TCP",
        backendPort: 22,
        frontendPortRangeStart: 1,
        frontendPortRangeEnd: 100,
        networkSecurityGroupRules: [
          { priority: 150, access: "Allow", sourceAddressPrefix: "203.0.113.0/24" },
        ],
      },
    ],
  },
  privateEndpoints: { nodeManagement: true },
  tags: { team: "batch" },
};

/** Every path to a value in `node`. */
export function pathsOf(node: unknown, prefix: string[] = []): string[][] {
  if (typeof node !== "object" || node === null) return [prefix];
  return [
    prefix,
    ...Object.keys(node).flatMap((k) =>
      pathsOf((node as Record<string, unknown>)[k], [...prefix, k]),
    ),
  ];
}

export function replaced(node: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: Record<string, unknown> = Array.isArray(node)
    ? ([...(node as unknown[])] as unknown as Record<string, unknown>)
    : { ...(node as Record<string, unknown>) };
  copy[path[0]] = replaced(copy[path[0]], path.slice(1), value);
  return copy;
}
