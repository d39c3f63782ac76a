import { Schema, type Connection, type mongo } from 'mongoose';
import { batchedReads } from '../batched-reads';
import { isDuplicateKey, saveById, upsertById } from '../duplicate-key';

/**
 * The latest report per normalized address over the last month, keyed by `_id`, so the
 * duplicate check at filing is one `_id` read of a month-sized collection instead of a search
 * of all reports. Entries older than the duplicate window are pruned by the archive sweep.
 */
interface AddressDoc {
  _id: string;
  receiptNo: string;
  receivedAt: Date;
}

const schema = new Schema<AddressDoc>(
  {
    _id: { type: String, required: true },
    receiptNo: { type: String, required: true },
    receivedAt: { type: Date, required: true },
  },
  { collection: 'recent_addresses', versionKey: false },
);
schema.index({ receivedAt: 1 }); // the prune

export function recentAddresses(conn: Connection) {
  const Model = conn.models.RecentAddress ?? conn.model<AddressDoc>('RecentAddress', schema);
  const idOf = (district: string, key: string) => `${district}:${key}`;
  const readById = batchedReads(Model.collection as unknown as mongo.Collection<AddressDoc>);
  /**
   * What the filing's duplicate check just read of an entry (its time, or null: none), so the
   * filing's `remember` right after does not read it again: on FerretDB every read of this
   * collection by `_id` is a scan of it. Taken once; a stale memo only costs the read it saved.
   */
  const justRead = new Map<string, Date | null>();
  const memo = (id: string, at: Date | null) => {
    justRead.set(id, at);
    if (justRead.size > 1_000) justRead.delete(justRead.keys().next().value!);
  };
  return {
    ensureIndexes: () => Model.createIndexes(),
    async latest(
      district: string,
      key: string,
      since: Date,
    ): Promise<{ receiptNo: string; receivedAt: Date } | undefined> {
      const id = idOf(district, key);
      const doc = await readById(id);
      memo(id, doc ? doc.receivedAt : null);
      return doc && doc.receivedAt >= since ? { receiptNo: doc.receiptNo, receivedAt: doc.receivedAt } : undefined;
    },
    /** Keeps the later of what is stored and this report (racing filings of one address both end up linked to one). */
    async remember(district: string, key: string, report: { receiptNo: string; receivedAt: Date }): Promise<void> {
      const id = idOf(district, key);
      const read = justRead.get(id);
      justRead.delete(id);
      const set = { receiptNo: report.receiptNo, receivedAt: report.receivedAt };
      if (read === null) {
        // none a moment ago: an insert (a racing filing's entry refuses it, and is then compared below)
        try {
          await Model.collection.insertOne({ _id: id, ...set } as never);
          return;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      } else if (read !== undefined && read <= report.receivedAt) {
        return upsertById(Model, id, set);
      }
      const doc = await readById(id);
      if (doc && doc.receivedAt > report.receivedAt) return;
      await saveById(Model, id, set, doc !== null);
    },
    async prune(before: Date): Promise<void> {
      await Model.deleteMany({ receivedAt: { $lt: before } });
    },
  };
}
