/** The options of `azure-batch-network audit`, as the command line gives them. */

export interface AuditFlags {
  json?: boolean;
  markdown?: boolean;
}
