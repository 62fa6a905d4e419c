/**
 * The options of `azure-batch-network check`: as the command line gives them, and the schema
 * their values pass (the same pieces the Azure exports' schemas use).
 */
import * as v from "valibot";
import { MODE_SET_NAMES, ModeSetName } from "../../model/modes";
import { STAGE_ORDER, MigrationStage } from "../../model/migration/stages";
import { addressKind } from "../../model/addresses";
import { oneOf, says } from "../../model/input/schema";
import { endpointAddress, PUBLIC_IP_PROVISIONING } from "../../model/input/values";

export interface CheckFlags {
  nsg?: string[];
  nicNsg?: string;
  routeTable?: string;
  subnet?: string;
  natGateway?: string;
  adminRules?: string;
  publicIp?: string;
  privateEndpointNic?: string[];
  allLayers?: boolean;
  region?: string;
  mode?: string;
  stage?: string;
  subnetPrefix?: string;
  privateEndpoint?: string[];
  nodeManagementPrivateIp?: string;
  nodeManagementSubnet?: string;
  json?: boolean;
  markdown?: boolean;
}

/** Each option's flag, by its key, for messages. */
export const CHECK_FLAG_NAMES: Readonly<Record<string, string>> = {
  publicIp: "--public-ip",
  mode: "--mode",
  stage: "--stage",
  subnetPrefix: "--subnet-prefix",
  nodeManagementPrivateIp: "--node-management-private-ip",
  nodeManagementSubnet: "--node-management-subnet",
};

/** The values of check's options that are more than file names. */
export const CheckValuesSchema = v.looseObject({
  publicIp: v.optional(PUBLIC_IP_PROVISIONING),
  mode: v.optional(
    v.pipe(
      oneOf(MODE_SET_NAMES, `a mode; use one of ${MODE_SET_NAMES.join(", ")}`),
      v.transform((m): ModeSetName => m),
    ),
  ),
  stage: v.optional(
    v.pipe(
      oneOf(STAGE_ORDER, `a stage; use one of ${STAGE_ORDER.join(", ")}`),
      v.transform((s): MigrationStage => s),
    ),
  ),
  subnetPrefix: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (s) => addressKind(s) === "cidr",
        says("is not a CIDR prefix; give the pool subnet's prefix (10.0.0.0/24)."),
      ),
    ),
  ),
  nodeManagementPrivateIp: v.optional(endpointAddress("ip", "10.0.1.4")),
  nodeManagementSubnet: v.optional(endpointAddress("cidr", "10.0.1.0/24")),
});
