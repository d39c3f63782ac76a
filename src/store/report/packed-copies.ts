import { Query } from 'mingo';
import { type Connection, mongo, Schema } from 'mongoose';
import { batchedInserts } from '../batched-inserts';
import { isDuplicateKey } from '../duplicate-key';
import type { ReportDoc } from './report-schema';
import { BATCH_READ_MS } from '../batch-read';
import { districtCache } from './open-copies-cache';

/**
 * Packed copies of a set of reports (the open ones: open-copies.ts; the closed ones still in the
 * working set's window: closed-copies.ts), each in a collection of its own with its own change
 * token, so that readers of a few hundred or thousand reports never decode the working set.
 *
 * A copy as stored: what the store itself selects by (`district`, `rev`) beside the copy packed
 * as one BSON value. FerretDB's cost for each document it reads follows its number of values (a
 * copy of about 30 took 0.4 ms, packed 0.13 ms: the open queue's read of 730 copies 452 → 153 ms
 * here), so the queue's filters run in memory over the unpacked copies (mingo: the same MongoDB
 * query the working set answers, evaluated in the process). A district's open cases are a few
 * hundred, on any engine.
 */
interface PackedCopy {
  _id: string;
  rev: number;
  district: string;
  view: mongo.Binary;
}

const packedSchema = new Schema<PackedCopy>(
  {
    _id: { type: String, required: true },
    rev: { type: Number, required: true },
    district: { type: String, required: true },
    view: { type: Buffer, required: true },
  },
  { versionKey: false },
);
packedSchema.index({ district: 1 });

/** Freezes an unpacked copy and everything in it (see `ofDistrict`). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A report's copy as stored: its stored form (stored-form.ts) packed as one BSON value. */
export const packCopy = (doc: ReportDoc): PackedCopy => ({
  _id: doc._id,
  rev: doc.rev,
  district: doc.district,
  view: new mongo.Binary(mongo.BSON.serialize(doc, { ignoreUndefined: true })),
});
const pack = packCopy;

/** Which reports a set of copies holds, and where. */
export interface CopySpec {
  model: string;
  collection: string;
  /** Whether the set holds a copy of this revision of a report. */
  holds(doc: ReportDoc): boolean;
  /**
   * Revisions a write leaves the set alone for, without a read: a copy they would remove is older
   * than the report's copy in the other set, which its readers prefer (closed-copies.ts). The
   * reconcile removes it.
   */
  ignores?(doc: ReportDoc): boolean;
  /** Prefix of the set's change tokens (open-copies-cache.ts), so two sets of one district never share one. */
  tokenPrefix: string;
  /**
   * Whether the reconcile inserts a missing copy as the working set's read gave it, in batches,
   * instead of re-reading each report first: for a set whose stale copy no reader prefers over a
   * newer one (closed-copies.ts), so a first reconcile after an upgrade writes thousands in seconds.
   */
  insertsMissingAsRead?: boolean;
}

/** Copies one batch of the reconcile inserts: a turn waits behind one batch at most. */
const REPAIR_BATCH = 200;

/**
 * The copies of one set, written like the working-set copy: a revision's writer brings the copy
 * up to its revision (or removes it when the report left the set), and the writer's settle
 * afterwards checks it against the newest claim, so racing writers converge on the latest
 * revision. `reconcile` repairs what a crash between the two writes left behind.
 */
export function packedCopies(conn: Connection, spec: CopySpec) {
  const Copies = conn.models[spec.model] ?? conn.model<PackedCopy>(spec.model, packedSchema, spec.collection);
  const packed = Copies.collection as unknown as mongo.Collection<PackedCopy>;
  /** New reports' copies: filings at once share insert commands. */
  const insertNew = batchedInserts(Copies.collection as unknown as mongo.Collection<never>);
  const { holds } = spec;

  // The whole report: packed, its size costs FerretDB next to nothing, so every reader of the
  // set's reports can read the copies instead of the working set.
  const unpack = (stored: PackedCopy): ReportDoc => mongo.BSON.deserialize(stored.view.buffer) as ReportDoc;
  /**
   * The district's copies, unpacked, as this process last read them: the queue, the today pages,
   * the alert and news sweeps read them every few seconds, while they change only with a write.
   * Valid while the district's change token holds (open-copies-cache.ts: every write below sets a
   * new one after it). The cached copies are frozen, deeply, and handed out as they are: no caller
   * changes a report it read (each builds its next revision anew), and one that tried would get a
   * TypeError rather than change what the next reader sees. Freezing 700 demo copies costs about
   * 13 ms once per reload; a copy for every read (BSON or structuredClone) cost 27–43 ms per read.
   */
  const cache = districtCache<readonly ReportDoc[]>(conn, spec.tokenPrefix);
  const ofDistrict = async (district: unknown): Promise<readonly ReportDoc[]> => {
    if (typeof district !== 'string') throw new Error(`a query of ${spec.collection} names its district`);
    return cache.read(district, async () =>
      // A copy from before copies were packed has no `view`: the purge job's hourly reconcile
      // rewrites it; until then it is left out rather than shown half.
      Object.freeze(
        (await packed.find({ district }, { timeoutMS: BATCH_READ_MS }).toArray())
          .filter((c) => c.view !== undefined)
          .map((c) => deepFreeze(unpack(c))),
      ),
    );
  };

  /**
   * Brings the copy to `doc.rev` (see `write`); false when nothing was to write. FerretDB 1.24
   * answers an update or a delete by decoding every document of the collection, even by `_id`,
   * while an `_id` find and an insert are cheap: the copy is looked up first, so a new report's
   * copy (every chat filing) is one insert and a closed report without a copy costs nothing.
   */
  async function writeCopy(doc: ReportDoc): Promise<boolean> {
    if (doc.rev <= 1 && holds(doc)) {
      // A report just filed has no copy yet: one insert, no lookup (a retried filing's is there).
      try {
        await insertNew(pack(doc));
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
    if (!holds(doc) && spec.ignores?.(doc)) return false;
    const copy = await Copies.findById(doc._id).select({ rev: 1 }).lean<{ rev: number }>();
    if (copy && copy.rev >= doc.rev) return false;
    if (!holds(doc)) {
      // by `_id` alone (see newer-copy.ts): the copy read just above is older
      if (copy) await Copies.deleteOne({ _id: doc._id });
      return copy !== null;
    }
    try {
      if (!copy) {
        await packed.insertOne(pack(doc));
        return true;
      }
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // another writer's copy arrived first: bring it up to date below
    }
    try {
      // by `_id` alone (see newer-copy.ts): the copy read above is older or missing, and the
      // writer's settle puts the newest back if a racing writer's newer copy is replaced here
      await packed.replaceOne({ _id: doc._id }, pack(doc), { upsert: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // a copy at this revision or later is there already
    }
    return true;
  }

  const copies = {
    model: Copies,
    /** The copies a console query (see report-query.ts) selects, unpacked. */
    async matching(q: Record<string, unknown>): Promise<ReportDoc[]> {
      const query = new Query(q);
      return (await ofDistrict(q.district)).filter((doc) => query.test(doc));
    },
    all: async (district: string): Promise<ReportDoc[]> => [...(await ofDistrict(district))],
    /** One report's copy by `_id` (a scan of the small packed copies), unpacked; none when the set does not hold it. */
    async byId(id: string): Promise<ReportDoc | undefined> {
      const copy = await packed.findOne({ _id: id });
      return copy?.view === undefined ? undefined : unpack(copy);
    },
    holds,
    /**
     * Brings the copy to `doc.rev`: written when the set holds the report, removed when it does
     * not (a newer copy is left alone). Then the district's change token: every instance's next read of
     * the district reloads its copies.
     */
    async write(doc: ReportDoc): Promise<void> {
      let wrote = true; // a write that failed may have landed
      try {
        wrote = await writeCopy(doc);
      } finally {
        if (wrote) await cache.changed(doc.district); // after the copy write: see open-copies-cache.ts
      }
    },
    async insertMany(docs: ReportDoc[]): Promise<void> {
      const held = docs.filter(holds).map(pack);
      try {
        if (held.length) await packed.insertMany(held, { ordered: false });
      } catch (err) {
        // a copy written already (an earlier try): unordered, so the others are in
        if (!isDuplicateKey(err) && (err as { writeErrors?: unknown }).writeErrors === undefined) throw err;
      } finally {
        for (const district of new Set(held.map((c) => c.district))) await cache.changed(district);
      }
    },
    /**
     * Repairs the copies from the working set (the purge job's hourly pass, and after a restore):
     * every report the set holds gets its copy, and a copy whose report it no longer holds (per
     * `latestOf`) goes.
     */
    async reconcile(
      scope: Record<string, unknown>,
      heldInWorkingSet: ReportDoc[],
      latestOf: (id: string) => Promise<ReportDoc | undefined>,
    ): Promise<{ written: number; removed: number }> {
      try {
        return await reconcileCopies(scope, heldInWorkingSet, latestOf);
      } finally {
        // after every copy write of the pass, and even when it wrote nothing (a writer that died
        // between its copy and its token left a cache stale): one district's token, or all
        if (typeof scope.district === 'string') await cache.changed(scope.district);
        else await cache.forgetAll();
      }
    },
  };

  async function reconcileCopies(
    scope: Record<string, unknown>,
    heldInWorkingSet: ReportDoc[],
    latestOf: (id: string) => Promise<ReportDoc | undefined>,
  ): Promise<{ written: number; removed: number }> {
    const found = await Copies.find(scope)
      .select({ rev: 1, view: 1 })
      .lean<{ _id: string; rev: number; view?: unknown }[]>();
    // A copy not yet packed (an earlier version's) goes, so the loops below write it anew.
    for (const old of found.filter((c) => c.view === undefined))
      await Copies.deleteOne({ _id: old._id, view: { $exists: false } });
    const stored = new Map(found.filter((c) => c.view !== undefined).map((c) => [c._id, c.rev]));
    let written = 0;
    let removed = 0;
    const missing: ReportDoc[] = [];
    for (const doc of heldInWorkingSet) {
      const have = stored.get(doc._id);
      stored.delete(doc._id);
      if (have === undefined && spec.insertsMissingAsRead) missing.push(doc);
      else if ((have ?? 0) < doc.rev) {
        await writeCopy((await latestOf(doc._id)) ?? doc);
        written++;
      }
    }
    for (let i = 0; i < missing.length; i += REPAIR_BATCH) {
      try {
        await packed.insertMany(missing.slice(i, i + REPAIR_BATCH).map(pack), { ordered: false });
      } catch (err) {
        // a racing writer's copy is there already: unordered, so the others are in
        if (!isDuplicateKey(err) && (err as { writeErrors?: unknown }).writeErrors === undefined) throw err;
      }
      written += Math.min(REPAIR_BATCH, missing.length - i);
    }
    for (const id of stored.keys()) {
      const latest = await latestOf(id);
      if (latest && holds(latest)) {
        await writeCopy(latest);
        continue;
      }
      await Copies.deleteOne({ _id: id, rev: { $lte: latest?.rev ?? Number.MAX_SAFE_INTEGER } });
      removed++;
    }
    return { written, removed };
  }
  return copies;
}
