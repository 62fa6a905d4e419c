/** The options of `azure-batch-network check`, as the command line gives them. */

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
