import type { Connection } from 'mongoose';

/**
 * The stored collections a test or a benchmark may look into, by what they hold. No repository
 * hands out its mongoose model; a check that must see what is stored (nothing left behind, a lock's
 * lease) or leave what a stopped process would (a half-written photo, a claim of an older version)
 * does it here, and only here outside the store's own files.
 */
const COLLECTIONS = {
  accessRecords: 'access_records',
  chatIdentities: 'chat_identities',
  /** An earlier version's revision claims, before they were spread over buckets. */
  conversationRevisionsUnbucketed: 'conversation_revisions',
  deliveryClaims: 'delivery_claims',
  importFiles: 'list_import_files',
  importLocks: 'list_import_locks',
  importMappings: 'list_import_mappings',
  imports: 'list_imports',
  photoChunks: 'photo_chunks',
  photoPending: 'photo_pending',
  photos: 'photos',
  reporterNewsOutcomes: 'reporter_news_outcomes',
  reporterNewsQueue: 'reporter_news_queue',
  sessions: 'console_sessions',
} as const;

export type InspectedCollection = keyof typeof COLLECTIONS;
type Filter = Record<string, unknown>;

/** Counts, reads, adds and removes stored documents of one collection (for tests and benchmarks). */
export function storedDocuments(conn: Connection, name: InspectedCollection) {
  const collection = () => conn.collection(COLLECTIONS[name]);
  return {
    count: (filter: Filter = {}): Promise<number> => collection().countDocuments(filter),
    findOne: async <T>(filter: Filter): Promise<T | undefined> =>
      ((await collection().findOne(filter)) as T | null) ?? undefined,
    insertOne: async (doc: Filter): Promise<void> => void (await collection().insertOne(doc as never)),
    insertMany: async (docs: Filter[]): Promise<void> => void (await collection().insertMany(docs as never[])),
    deleteOne: async (filter: Filter): Promise<void> => void (await collection().deleteOne(filter)),
    deleteAll: async (): Promise<void> => void (await collection().deleteMany({})),
  };
}

/**
 * Every collection of the database with its documents as stored: for the checks that nothing (a
 * phone, an address) is left anywhere, and that a refused restore wrote nothing.
 */
export async function everyCollection(
  conn: Connection,
): Promise<{ name: string; documents(): Promise<unknown[]>; count(): Promise<number> }[]> {
  const db = conn.db;
  if (!db) throw new Error('not connected');
  return (await db.listCollections().toArray()).map(({ name }) => ({
    name,
    documents: () => db.collection(name).find({}).toArray(),
    count: () => db.collection(name).countDocuments(),
  }));
}
