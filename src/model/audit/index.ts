/** The fleet audit: every pool of read-only exports against its subnet's network. */
export { auditFleet, poolInput, poolModes, SHARED_NAMES_SHOWN } from "./audit";
export type {
  FleetAudit,
  MergedChanges,
  MissingExport,
  PoolAudit,
  PoolStatus,
  StatusCount,
} from "./audit";
export { InventoryBuilder, readExports } from "./inventory";
export { fleetOverview, poolLabel, TOP } from "./overview";
export type { FleetOverview } from "./overview";
export type {
  AccountRecord,
  ExportDocument,
  Inventory,
  MissingPage,
  PoolRecord,
  SubnetRecord,
} from "./inventory";
