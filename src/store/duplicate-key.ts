/**
 * True when MongoDB (or FerretDB) refused a write because a unique index already holds the key.
 * Sagak's exactly-once mechanisms are inserts guarded by unique indexes, so this is how a loser learns it lost.
 */
export const isDuplicateKey = (err: unknown): boolean => (err as { code?: number } | null)?.code === 11000;
