/**
 * Judges the request bodies the components produce with Azure's own SDK model definitions:
 * `@azure/arm-batch` and `@azure/arm-network` mappers, serialized by `@azure/core-client`. The
 * serializer rejects wrong types and enum values; the walk below also rejects any property the
 * model does not know (which the serializer would silently drop).
 *
 * The operation specs are taken from the SDK clients themselves: an operation is started with
 * `sendOperationRequest` intercepted, so no request is ever sent.
 */
import type { CompositeMapper, Mapper, OperationSpec, Serializer } from "@azure/core-client";
import { BatchManagementClient } from "@azure/arm-batch";
import { NetworkManagementClient } from "@azure/arm-network";
import type { RegisteredResource } from "../../src/simulate";

const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
const credential = {
  getToken: () => Promise.resolve({ token: "offline", expiresOnTimestamp: Date.now() + 3_600_000 }),
};

interface Judged {
  /** azure-native inputs that are URL path parameters, not body properties. */
  readonly urlParameters: readonly string[];
  /** Starts the SDK operation whose request body this resource's inputs become. */
  readonly start: (batch: BatchManagementClient, network: NetworkManagementClient) => unknown;
}

const P = {} as never;
const JUDGED: Readonly<Record<string, Judged>> = {
  "azure-native:batch:Pool": {
    urlParameters: ["resourceGroupName", "accountName", "poolName"],
    start: (b) => b.poolOperations.create("rg", "acct", "pool", P),
  },
  "azure-native:batch:BatchAccount": {
    urlParameters: ["resourceGroupName", "accountName"],
    start: (b) => b.batchAccountOperations.beginCreate("rg", "acct", P),
  },
  "azure-native:network:NetworkSecurityGroup": {
    urlParameters: ["resourceGroupName", "networkSecurityGroupName"],
    start: (_, n) => n.networkSecurityGroups.beginCreateOrUpdate("rg", "nsg", P),
  },
  "azure-native:network:SecurityRule": {
    urlParameters: ["resourceGroupName", "networkSecurityGroupName", "securityRuleName"],
    start: (_, n) => n.securityRules.beginCreateOrUpdate("rg", "nsg", "rule", P),
  },
  "azure-native:network:RouteTable": {
    urlParameters: ["resourceGroupName", "routeTableName"],
    start: (_, n) => n.routeTables.beginCreateOrUpdate("rg", "rt", P),
  },
  "azure-native:network:Route": {
    urlParameters: ["resourceGroupName", "routeTableName", "routeName"],
    start: (_, n) => n.routes.beginCreateOrUpdate("rg", "rt", "route", P),
  },
  "azure-native:network:VirtualNetwork": {
    urlParameters: ["resourceGroupName", "virtualNetworkName"],
    start: (_, n) => n.virtualNetworks.beginCreateOrUpdate("rg", "vnet", P),
  },
  "azure-native:network:Subnet": {
    urlParameters: ["resourceGroupName", "virtualNetworkName", "subnetName"],
    start: (_, n) => n.subnets.beginCreateOrUpdate("rg", "vnet", "subnet", P),
  },
  "azure-native:network:PrivateEndpoint": {
    urlParameters: ["resourceGroupName", "privateEndpointName"],
    start: (_, n) => n.privateEndpoints.beginCreateOrUpdate("rg", "pe", P),
  },
  "azure-native:network:NatGateway": {
    urlParameters: ["resourceGroupName", "natGatewayName"],
    start: (_, n) => n.natGateways.beginCreateOrUpdate("rg", "nat", P),
  },
  "azure-native:network:PublicIPAddress": {
    urlParameters: ["resourceGroupName", "publicIpAddressName"],
    start: (_, n) => n.publicIPAddresses.beginCreateOrUpdate("rg", "ip", P),
  },
  "azure-native:network:PrivateDnsZoneGroup": {
    urlParameters: ["resourceGroupName", "privateEndpointName", "privateDnsZoneGroupName"],
    start: (_, n) => n.privateDnsZoneGroups.beginCreateOrUpdate("rg", "pe", "zg", P),
  },
};

/** Resource types whose bodies {@link judgeRequestBody} can judge. */
export const JUDGED_TYPES = Object.keys(JUDGED);

const specs = new Map<string, OperationSpec>();

class Captured extends Error {}

async function operationSpec(type: string): Promise<OperationSpec> {
  const cached = specs.get(type);
  if (cached) return cached;
  const batch = new BatchManagementClient(credential, SUBSCRIPTION);
  const network = new NetworkManagementClient(credential, SUBSCRIPTION);
  let captured: OperationSpec | undefined;
  for (const client of [batch, network]) {
    client.sendOperationRequest = (_args: unknown, spec: OperationSpec) => {
      captured = spec;
      return Promise.reject(new Captured());
    };
  }
  try {
    await JUDGED[type].start(batch, network);
  } catch (error) {
    if (!(error instanceof Captured) && !captured) throw error;
  }
  if (!captured?.requestBody) throw new Error(`no request body spec captured for ${type}`);
  specs.set(type, captured);
  return captured;
}

function compositeProperties(
  mapper: Mapper,
  serializer: Serializer,
): Record<string, Mapper> | undefined {
  if (mapper.type.name !== "Composite") return undefined;
  const composite = mapper as CompositeMapper;
  const own = composite.type.modelProperties;
  if (own) return own;
  const named = serializer.modelMappers[composite.type.className ?? ""] as
    CompositeMapper | undefined;
  return named?.type.modelProperties;
}

/** Properties of `value` the mapper does not define, as dotted paths. */
function unknownProperties(
  mapper: Mapper,
  value: unknown,
  serializer: Serializer,
  path: string,
): string[] {
  if (value === null || value === undefined) return [];
  switch (mapper.type.name) {
    case "Composite": {
      const properties = compositeProperties(mapper, serializer) ?? {};
      return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
        const property = properties[key];
        if (!property) return [`${path}${key}`];
        if (property.readOnly) return [`${path}${key} (read-only)`];
        return unknownProperties(property, v, serializer, `${path}${key}.`);
      });
    }
    case "Sequence":
      return (value as unknown[]).flatMap((item, i) =>
        unknownProperties(
          (mapper.type as { element: Mapper }).element,
          item,
          serializer,
          `${path.replace(/\.$/, "")}[${i}].`,
        ),
      );
    case "Dictionary":
      return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) =>
        unknownProperties(
          (mapper.type as { value: Mapper }).value,
          v,
          serializer,
          `${path}${key}.`,
        ),
      );
    default:
      return [];
  }
}

/** What Azure's SDK says of one registered resource's inputs as a request body. */
export interface Judgement {
  readonly type: string;
  readonly name: string;
  /** The serializer's complaint (wrong type, enum value, missing required property). */
  readonly serializerError?: string;
  /** Inputs the SDK model does not know. */
  readonly unknownProperties: readonly string[];
}

/** Serializes a resource's inputs with the SDK's mapper and lists what is wrong. */
export async function judgeRequestBody(resource: RegisteredResource): Promise<Judgement> {
  const spec = await operationSpec(resource.type);
  const judged = JUDGED[resource.type];
  const body = Object.fromEntries(
    Object.entries(resource.inputs).filter(([key]) => !judged.urlParameters.includes(key)),
  );
  const mapper = spec.requestBody!.mapper;
  let serializerError: string | undefined;
  try {
    spec.serializer.serialize(mapper, body, "parameters");
  } catch (error) {
    serializerError = (error as Error).message;
  }
  return {
    type: resource.type,
    name: resource.name,
    serializerError,
    unknownProperties: unknownProperties(mapper, body, spec.serializer, ""),
  };
}
