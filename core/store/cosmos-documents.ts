const SYSTEM_FIELDS = new Set(['_rid', '_self', '_etag', '_attachments', '_ts']);

/** A document as the product wrote it, without the fields Cosmos DB adds. */
export function withoutSystemFields<T>(resource: T): T {
  return Object.fromEntries(
    Object.entries(resource as Record<string, unknown>).filter(([key]) => !SYSTEM_FIELDS.has(key)),
  ) as T;
}
