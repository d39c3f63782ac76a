import { Schema, type Connection, type mongo } from 'mongoose';
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
  /** From a head at `rev`, the newest claimed revision and its value (the head's own when none is newer). */
  rollForward(key: string, rev: number, value: T): Promise<{ rev: number; value: T; advanced: boolean }>;
  /** Claims older than `before`, oldest first, for the prune (which first makes sure heads caught up). */
  olderThan(before: Date, limit: number): Promise<{ key: string; rev: number; value: T }[]>;
  remove(key: string, rev: number): Promise<void>;
  ensureIndexes(): Promise<void>;
}

export function revisionLog<T>(conn: Connection, collection: string): RevisionLog<T> {
  const modelName = `Revisions_${collection}`;
  const Model = conn.models[modelName] ?? conn.model<ClaimDoc>(modelName, schema, collection);
  // Claims are written and read on every chat turn: through the driver's collection, without
  // mongoose's casting and the stack trace its `create` captures.
  const claims = Model.collection as unknown as mongo.Collection<ClaimDoc>;
  const get = async (key: string, rev: number) => {
    const doc = await claims.findOne({ _id: claimId(key, rev) });
    return doc ? (doc.value as T) : undefined;
  };
  return {
    async ensureIndexes() {
      await Model.createIndexes();
    },
    async claim(key, rev, value, at) {
      try {
        await claims.insertOne({ _id: claimId(key, rev), key, rev, at, value });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    get,
    async rollForward(key, rev, value) {
      let current = { rev, value, advanced: false };
      for (;;) {
        const next = await get(key, current.rev + 1);
        if (next === undefined) return current;
        current = { rev: current.rev + 1, value: next, advanced: true };
      }
    },
    async olderThan(before, limit) {
      const docs = await Model.find({ at: { $lt: before } }).limit(limit).lean<ClaimDoc[]>();
      return docs.sort((a, b) => a.rev - b.rev).map((d) => ({ key: d.key, rev: d.rev, value: d.value as T }));
    },
    async remove(key, rev) {
      await Model.deleteOne({ _id: claimId(key, rev) });
    },
  };
}
