/**
 * For batch reads (weekly jobs, archive searches, reconciles, inspections), not chat turns: the
 * driver's per-operation timeout replaces the connection's 20 s socket timeout, since FerretDB
 * answers them by scanning the collection.
 */
export const BATCH_READ_MS = 10 * 60_000;

/** The same as mongoose query options (`.setOptions(BATCH_QUERY)`). */
export const BATCH_QUERY = { timeoutMS: BATCH_READ_MS } as Record<string, unknown>;
