/** The options of `azure-batch-network audit`, as the command line gives them. */

export interface AuditFlags {
  json?: boolean;
  markdown?: boolean;
  /** The whole report goes to this file; the terminal gets its summary. */
  out?: string;
}
