import { Schema, type Connection } from 'mongoose';
import { accessRecordKey } from '../../access-record-key';
import { chainHash, GENESIS_HASH, type AccessEntry, type AccessRecord } from '../../domain/access/access-record';
import { isDuplicateKey } from '../duplicate-key';
import type { AccessRecordRepository } from '../../domain/access/repository';
import type { CreatesItsIndexes } from '../../domain/stored';

/**
 * The access records, append-only and chained with a keyed hash (the key is outside the database). `_id` is the record's sequence number, so
 * the unique `_id` index is what hands out each number: of two writers (two instances, the CLI
 * beside the service) only one insert of seq N succeeds, and the loser re-reads the head and
 * chains after it. No update ever touches a record; nothing in the application deletes one
 * except `prune`, which removes only records older than the configured retention.
 *
 * FerretDB scans a collection for every read, so the request path never reads `access_records`:
 * the head (seq, hash) is kept in memory and, for other writers, in the small `access_chain_tail`
 * (the head after each write, the latest few hundred kept; it only serves to find the head quickly).
 */
type RecordDoc = Omit<AccessRecord, 'seq'> & { _id: number };
interface TailDoc {
  _id: number;
  hash: string;
  at: Date;
}
interface Head {
  seq: number;
  hash: string;
}

const recordSchema = new Schema<RecordDoc>(
  {
    _id: { type: Number, required: true },
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    role: { type: String, required: true },
    address: { type: String, required: true },
    channel: { type: String, required: true },
    action: { type: String, required: true },
    receiptNos: [String],
    scope: { type: String, default: '' },
    rowCount: { type: Number, default: 0 },
    detail: { type: String, default: '' },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { collection: 'access_records', versionKey: false },
);
recordSchema.index({ at: 1 }); // the review page and the monthly report (a month's records); prune
const tailSchema = new Schema<TailDoc>(
  { _id: Number, hash: String, at: Date },
  { collection: 'access_chain_tail', versionKey: false },
);

const TAIL_KEEP = 500;
const BATCH = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const toRecord = (d: RecordDoc): AccessRecord => {
  const { _id, ...rest } = d;
  return {
    seq: _id,
    ...rest,
    receiptNos: [...(rest.receiptNos ?? [])],
    scope: rest.scope ?? '',
    rowCount: rest.rowCount ?? 0,
    detail: rest.detail ?? '',
  };
};

export function accessRecordRepository(conn: Connection): AccessRecordRepository & CreatesItsIndexes {
  const Model = conn.models.AccessRecord ?? conn.model<RecordDoc>('AccessRecord', recordSchema);
  const Tail = conn.models.AccessChainTail ?? conn.model<TailDoc>('AccessChainTail', tailSchema);
  let head: Head | undefined;
  let queue: { entry: AccessEntry; resolve: (seq: number) => void; reject: (e: unknown) => void }[] = [];
  let writing = false;
  let sinceTailPurge = 0;

  const tailMax = async (): Promise<Head | undefined> => {
    const [t] = await Tail.find().sort({ _id: -1 }).limit(1).lean<TailDoc[]>();
    return t ? { seq: t._id, hash: t.hash } : undefined;
  };
  const noteTail = async (docs: RecordDoc[]) => {
    try {
      await conn.collection<TailDoc>('access_chain_tail').insertMany(
        docs.map((d) => ({ _id: d._id, hash: d.hash, at: d.at })),
        { ordered: false },
      );
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  };
  const loadHead = async (): Promise<Head> => {
    const t = await tailMax();
    if (t) return t;
    // no tail yet (first record, or an older database): one scan of the records, once
    const [r] = await Model.find().sort({ _id: -1 }).limit(1).lean<RecordDoc[]>();
    return r ? { seq: r._id, hash: r.hash } : { seq: 0, hash: GENESIS_HASH };
  };
  /** After losing seq `current.seq + 1` to another writer: the head as it is now. */
  const resync = async (current: Head): Promise<Head> => {
    for (let i = 0; i < 5; i++) {
      const t = await tailMax();
      if (t && t.seq > current.seq) return t;
      await sleep(10 * (i + 1)); // the winner has its record in and is writing its tail entry
    }
    // the winner died between its two inserts: read its record itself (a scan; rare)
    const r = await Model.findById(current.seq + 1).lean<RecordDoc>();
    if (!r) return current;
    await noteTail([r]);
    return { seq: r._id, hash: r.hash };
  };

  const writeBatch = async (entries: AccessEntry[]): Promise<number[]> => {
    head ??= await loadHead();
    const seqs: number[] = [];
    let pending = entries;
    for (let tries = 0; pending.length > 0; tries++) {
      if (tries > 100) throw new Error('access records: could not claim a sequence number');
      const docs: RecordDoc[] = [];
      let prev: Head = head;
      for (const e of pending) {
        const seq = prev.seq + 1;
        const hash = chainHash(accessRecordKey(), prev.hash, seq, e);
        docs.push({ _id: seq, ...e, receiptNos: [...e.receiptNos], prevHash: prev.hash, hash });
        prev = { seq, hash };
      }
      try {
        await conn.collection<RecordDoc>('access_records').insertMany(docs, { ordered: true });
        head = prev;
        seqs.push(...docs.map((d) => d._id));
        pending = [];
        // the records are in and the callers may answer; the head in the tail only speeds up other writers
        void noteTail(docs.slice(-1)).catch(() => undefined);
      } catch (err) {
        if (!isDuplicateKey(err)) {
          head = undefined;
          throw err;
        }
        const e = err as { writeErrors?: { index: number }[] | { index: number }; index?: number };
        const we = Array.isArray(e.writeErrors) ? e.writeErrors[0] : e.writeErrors;
        const inserted = we?.index ?? e.index ?? 0;
        if (inserted > 0) {
          const done = docs.slice(0, inserted);
          head = { seq: done.at(-1)!._id, hash: done.at(-1)!.hash };
          seqs.push(...done.map((d) => d._id));
          pending = pending.slice(inserted);
          void noteTail(done.slice(-1)).catch(() => undefined);
        }
        head = await resync(head);
      }
    }
    if ((sinceTailPurge += entries.length) >= TAIL_KEEP) {
      sinceTailPurge = 0;
      await Tail.deleteMany({ _id: { $lt: head.seq - TAIL_KEEP } }).catch(() => undefined);
    }
    return seqs;
  };

  const drain = async () => {
    if (writing) return;
    writing = true;
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, BATCH);
        queue = queue.slice(BATCH);
        try {
          const seqs = await writeBatch(batch.map((p) => p.entry));
          batch.forEach((p, i) => p.resolve(seqs[i]!));
        } catch (err) {
          batch.forEach((p) => p.reject(err));
        }
      }
    } finally {
      writing = false;
    }
  };

  return {
    /** The indexes this collection declares (autoIndex is off, so start-up creates them in order). */
    async ensureIndexes() {
      await Model.createIndexes();
      await Tail.createIndexes();
    },
    /**
     * Appends one record and resolves once it is stored (callers await it before answering, so a
     * served page always has its record). Records arriving while a write is under way are chained
     * and inserted together in the next one insert.
     */
    append(entry: AccessEntry): Promise<number> {
      return new Promise<number>((resolve, reject) => {
        queue.push({ entry, resolve, reject });
        void drain();
      });
    },
    /** Every record in seq order, for verification (a full read; the CLI's job, not a page's). */
    async *inOrder(): AsyncIterable<AccessRecord> {
      const cursor = Model.find().sort({ _id: 1 }).lean<RecordDoc[]>().cursor({ batchSize: 1000 });
      for await (const d of cursor) yield toRecord(d as unknown as RecordDoc);
    },
    async between(from: Date, to: Date, opts: { actor?: string; limit?: number } = {}): Promise<AccessRecord[]> {
      const q = Model.find({ at: { $gte: from, $lt: to }, ...(opts.actor ? { actor: opts.actor } : {}) }).sort({
        _id: -1,
      });
      if (opts.limit) q.limit(opts.limit);
      return (await q.lean<RecordDoc[]>()).map(toRecord);
    },
    /**
     * The records a prune at `before` may remove: the unbroken run from the first present record
     * whose times are all before `before` (a run, so the marker can name it as one range).
     */
    async prunable(before: Date): Promise<{ fromSeq: number; through: AccessRecord } | undefined> {
      let fromSeq: number | undefined;
      let last: AccessRecord | undefined;
      for await (const d of Model.find().sort({ _id: 1 }).lean<RecordDoc[]>().cursor({ batchSize: 1000 })) {
        const r = toRecord(d as unknown as RecordDoc);
        if (r.at >= before || (last && r.seq !== last.seq + 1)) break;
        fromSeq ??= r.seq;
        last = r;
      }
      return fromSeq !== undefined && last ? { fromSeq, through: last } : undefined;
    },
    /** Removes records up to a seq: only after the signed prune marker naming them is in the chain. */
    async removeThrough(seq: number): Promise<number> {
      return (await Model.deleteMany({ _id: { $lte: seq } })).deletedCount;
    },
    /** The chain's head as stored now (seq and hash), for the monthly review to print. */
    async head(): Promise<{ seq: number; hash: string }> {
      const [r] = await Model.find().sort({ _id: -1 }).limit(1).lean<RecordDoc[]>();
      return r ? { seq: r._id, hash: r.hash } : { seq: 0, hash: GENESIS_HASH };
    },
    /** After a restore: the head cache holds the last restored record and nothing newer. */
    async rebuildTail(): Promise<void> {
      await Tail.deleteMany({});
      const [last] = await Model.find().sort({ _id: -1 }).limit(1).lean<RecordDoc[]>();
      if (last) await noteTail([last]);
      head = undefined;
    },
    /** Forgets the cached head (tests: another writer's view). */
    resetHead(): void {
      head = undefined;
    },
  };
}
