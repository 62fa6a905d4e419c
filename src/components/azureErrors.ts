/**
 * What an Azure error says, read from the invoke failure Pulumi hands back. azure-native
 * reports Azure's answer in the error text in one of two shapes (autorest's `Status=404
 * Code="PoolNotFound"`, azcore's `RESPONSE 404: ...` / `ERROR CODE: PoolNotFound`), sometimes
 * with the response body's `"code": "..."`; the status and the error code are read from it,
 * never the free text around them.
 */

export interface AzureErrorFacts {
  readonly status?: number;
  readonly code?: string;
}

const STATUS = [/\bStatus=(\d{3})\b/, /\bRESPONSE (\d{3})\b/];
const CODE = [/\bCode="([A-Za-z]+)"/, /\bERROR CODE: ([A-Za-z]+)\b/, /"code"\s*:\s*"([A-Za-z]+)"/];

function textOf(error: unknown): string {
  if (typeof error === "string") return error;
  if (typeof error !== "object" || error === null) return "";
  const { message, details } = error as { message?: unknown; details?: unknown };
  return [message, details].filter((t): t is string => typeof t === "string").join("\n");
}

/** The HTTP status and Azure error code an invoke failure carries, where it carries them. */
export function azureErrorFacts(error: unknown): AzureErrorFacts {
  const text = textOf(error);
  const status = STATUS.map((re) => re.exec(text)?.[1]).find((s) => s !== undefined);
  const code = CODE.map((re) => re.exec(text)?.[1]).find((c) => c !== undefined);
  return { ...(status ? { status: Number(status) } : {}), ...(code ? { code } : {}) };
}

// Codes Azure answers a missing pool with. A missing account (ParentResourceNotFound), resource
// group (ResourceGroupNotFound) or subscription (SubscriptionNotFound) is not the pool's absence.
const POOL_NOT_FOUND_CODES: ReadonlySet<string> = new Set([
  "PoolNotFound",
  "ResourceNotFound",
  "NotFound",
]);

/** Whether a failed pool read is Azure saying that pool does not exist (status and code). */
export function isPoolNotFound(error: unknown): boolean {
  const { status, code } = azureErrorFacts(error);
  return status === 404 && code !== undefined && POOL_NOT_FOUND_CODES.has(code);
}
