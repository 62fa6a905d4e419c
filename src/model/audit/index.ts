/** The fleet audit: every pool of read-only exports against its subnet's network. */
export { auditFleet, poolModes } from "./audit";
export type {
  FleetAudit,
  MergedChanges,
  MissingExport,
  PoolAudit,
  PoolStatus,
  StatusCount,
} from "./audit";
export { idKey, readExports } from "./inventory";
export type {
  AccountRecord,
  ExportDocument,
  Inventory,
  PoolRecord,
  SubnetRecord,
} from "./inventory";
