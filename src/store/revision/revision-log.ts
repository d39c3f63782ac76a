import { Schema, type Connection, type mongo } from 'mongoose';
import { batchedInserts } from '../batched-inserts';
import { isDuplicateKey } from '../duplicate-key';

/**
 * Compare-and-set for FerretDB. FerretDB 1.24 applies conditional updates as read-modify-write
 * without isolation, so "update where rev = n" lets racing writers all succeed; an insert into a
 * unique index is the one atomic step it has. A record's next state is therefore *claimed*: the
 * writer inserts `{_id: "<key>#<rev+1>", value}` and only one insert of that id can win. The claim
 * holds the whole new state, so it is the truth until the record's head document (what queries
 * read) has caught up; readers roll forward from the head through any newer claims.
 *
 * Claims are kept only as long as a stale reader could still race (an hour) and then pruned, so
 * the collection stays the size of the last hour's writes: every read of it is an `_id` equality
 * on a small collection.
 */
interface ClaimDoc {
  _id: string;
  key: string;
  rev: number;
  at: Date;
  value: unknown;
}

const schema = new Schema<ClaimDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    rev: { type: Number, required: true },
    at: { type: Date, required: true },
    value: { type: Schema.Types.Mixed },
  },
  { versionKey: false, minimize: false },
);

export const claimId = (key: string, rev: number) => `${key}#${rev}`;

export interface RevisionLog<T> {
  /** True when this writer won revision `rev` of `key`; false when another writer has it. */
  claim(key: string, rev: number, value: T, at: Date): Promise<boolean>;
  get(key: string, rev: number): Promise<T | undefined>;
  /** When revision `rev` of `key` was claimed (undefined: never, or pruned). */
  claimedAt(key: string, rev: number): Promise<Date | undefined>;
  /** From a head at `rev`, the newest claimed revision and its value (the head's own when none is newer). */
  rollForward(key: string, rev: number, value: T): Promise<{ rev: number; value: T; advanced: boolean }>;
  /** Claims older than `before`, oldest first, for the prune (which first makes sure heads caught up). */
  olderThan(before: Date, limit: number): Promise<{ key: string; rev: number; value: T }[]>;
  /** Claims whose value matches `filter` (a query on the value's fields; claims are the last hour's changes). */
  valuesMatching(filter: Record<string, unknown>, limit: number): Promise<{ key: string; rev: number; value: T }[]>;
  /** Removes these claims with one delete per collection (on FerretDB each delete scans its collection under the write lock). */
  removeAll(claims: { key: string; rev: number }[]): Promise<void>;
  ensureIndexes(): Promise<void>;
}

/**
 * FNV-1a over the key: which of a log's collections holds its claims. Stable across processes
 * and versions (it names where claims are), so it must not change while claims exist.
 */
function bucketOf(key: string, buckets: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % buckets;
}

/**
 * `buckets` > 1 spreads the claims over that many collections (`<collection>_<n>`) by key. On
 * FerretDB an `_id` read that finds nothing scans its whole collection (about 25 µs per claim of
 * a conversation here), and a chat turn's first read usually finds nothing: with the claims of a
 * busy hour in one collection, every turn paid for all of them.
 */
export function revisionLog<T>(conn: Connection, collection: string, opts: { buckets?: number } = {}): RevisionLog<T> {
  const buckets = opts.buckets ?? 1;
  const names = buckets === 1 ? [collection] : Array.from({ length: buckets }, (_, i) => `${collection}_${i}`);
  const models = names.map(
    (name) => conn.models[`Revisions_${name}`] ?? conn.model<ClaimDoc>(`Revisions_${name}`, schema, name),
  );
  // Claims are written and read on every chat turn: through the driver's collections, without
  // mongoose's casting and the stack trace its `create` captures.
  const collections = models.map((m) => m.collection as unknown as mongo.Collection<ClaimDoc>);
  const bucketOfKey = (key: string) => (buckets === 1 ? 0 : bucketOf(key, buckets));
  const claimsOf = (key: string) => collections[bucketOfKey(key)]!;
  // claims made together (turns of many people at once) go in one command per collection
  const inserts = collections.map((c) => batchedInserts(c as unknown as mongo.Collection<never>));
  const get = async (key: string, rev: number) => {
    const doc = await claimsOf(key).findOne({ _id: claimId(key, rev) });
    return doc ? (doc.value as T) : undefined;
  };
  return {
    async ensureIndexes() {
      for (const model of models) await model.createIndexes();
    },
    async claim(key, rev, value, at) {
      try {
        await inserts[bucketOfKey(key)]!({ _id: claimId(key, rev), key, rev, at, value });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    get,
    async claimedAt(key, rev) {
      const doc = await claimsOf(key).findOne({ _id: claimId(key, rev) }, { projection: { at: 1 } });
      return doc?.at;
    },
    async rollForward(key, rev, value) {
      let current = { rev, value, advanced: false };
      for (;;) {
        const next = await get(key, current.rev + 1);
        if (next === undefined) return current;
        current = { rev: current.rev + 1, value: next, advanced: true };
      }
    },
    async olderThan(before, limit) {
      const found: ClaimDoc[] = [];
      for (const claims of collections) {
        if (found.length >= limit) break;
        found.push(
          ...(await claims
            .find({ at: { $lt: before } })
            .limit(limit - found.length)
            .toArray()),
        );
      }
      return found.sort((a, b) => a.rev - b.rev).map((d) => ({ key: d.key, rev: d.rev, value: d.value as T }));
    },
    async valuesMatching(filter, limit) {
      const query = Object.fromEntries(Object.entries(filter).map(([k, v]) => [`value.${k}`, v]));
      const found: ClaimDoc[] = [];
      for (const claims of collections) {
        if (found.length >= limit) break;
        found.push(
          ...(await claims
            .find(query)
            .limit(limit - found.length)
            .toArray()),
        );
      }
      return found.map((d) => ({ key: d.key, rev: d.rev, value: d.value as T }));
    },
    async removeAll(claims) {
      const byBucket = new Map<number, string[]>();
      for (const c of claims) {
        const b = bucketOfKey(c.key);
        byBucket.set(b, [...(byBucket.get(b) ?? []), claimId(c.key, c.rev)]);
      }
      for (const [b, ids] of byBucket) await collections[b]!.deleteMany({ _id: { $in: ids } });
    },
  };
}
