import type { Connection } from 'mongoose';

/**
 * The stored collections a test or a benchmark may look into, by what they hold. No repository
 * hands out its mongoose model; a check that must see what is stored (nothing left behind, a lock's
 * lease) reads it here, and only here outside the store's own files.
 */
const COLLECTIONS = {
  accessRecords: 'access_records',
  chatIdentities: 'chat_identities',
  deliveryClaims: 'delivery_claims',
  importFiles: 'list_import_files',
  importLocks: 'list_import_locks',
  importMappings: 'list_import_mappings',
  imports: 'list_imports',
  sessions: 'console_sessions',
} as const;

export type InspectedCollection = keyof typeof COLLECTIONS;

/** Counts, reads and removes stored documents of one collection (for tests and benchmarks). */
export function storedDocuments(conn: Connection, name: InspectedCollection) {
  const collection = () => conn.collection(COLLECTIONS[name]);
  return {
    count: (filter: Record<string, unknown> = {}): Promise<number> => collection().countDocuments(filter),
    findOne: async <T>(filter: Record<string, unknown>): Promise<T | undefined> => ((await collection().findOne(filter)) as T | null) ?? undefined,
    deleteOne: async (filter: Record<string, unknown>): Promise<void> => void (await collection().deleteOne(filter)),
    deleteAll: async (): Promise<void> => void (await collection().deleteMany({})),
  };
}
