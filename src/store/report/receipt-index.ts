import { Schema, type Connection, type mongo } from 'mongoose';
import { batchedInserts } from '../batched-inserts';
import { isDuplicateKey } from '../duplicate-key';

interface ReceiptDoc {
  _id: string;
  reportId: string;
}

const schema = new Schema<ReceiptDoc>(
  { _id: { type: String, required: true }, reportId: { type: String, required: true } },
  { collection: 'report_receipts', versionKey: false },
);

/** Receipt numbers remembered per process: far more than the cases staff open in a day. */
const CACHE_LIMIT = 20_000;

/**
 * `report_receipts`: a district's receipt number → its report's `_id`. The console and the CLI act
 * on a report by its receipt number; on FerretDB 1.24 a `{district, receiptNo}` find decodes the
 * whole working set (seconds at 100,000 stored reports, and once per racing action), while an
 * `_id` find is filtered inside SQLite. Written at filing; a report filed before this index (or
 * by a path that missed it) is found by the old search once and remembered then.
 *
 * Even the `_id` find reads the whole index on FerretDB (≈0.1 s at 100,000 receipts), so each
 * process remembers the answers it found, and racing lookups of one number share one find: ten
 * staff acting on one case through an instance cost it one lookup. An answer never goes stale by
 * itself (a receipt number is never given to another report); the caller checks the report it
 * reads by the remembered `_id` and calls `forget` when it does not carry that number (a restore
 * from a backup can give a number out again).
 */
export function receiptIndex(conn: Connection) {
  const Model = conn.models.ReportReceipt ?? conn.model<ReceiptDoc>('ReportReceipt', schema);
  const insertOne = batchedInserts(Model.collection as unknown as mongo.Collection<never>);
  const idOf = (district: string, receiptNo: string) => `${district}:${receiptNo}`;
  const known = new Map<string, string>();
  const inFlight = new Map<string, Promise<string | undefined>>();
  const keep = (key: string, reportId: string) => {
    known.delete(key);
    known.set(key, reportId);
    if (known.size > CACHE_LIMIT) known.delete(known.keys().next().value!);
  };
  return {
    /** `_id` only: nothing to create. */
    ensureIndexes: async () => {},
    async reportIdOf(district: string, receiptNo: string): Promise<string | undefined> {
      const key = idOf(district, receiptNo);
      const cached = known.get(key);
      if (cached !== undefined) return cached;
      let lookup = inFlight.get(key);
      if (!lookup) {
        lookup = Model.findById(key)
          .lean<ReceiptDoc>()
          .then((doc) => {
            if (doc) keep(key, doc.reportId);
            return doc?.reportId;
          })
          .finally(() => inFlight.delete(key));
        inFlight.set(key, lookup);
      }
      return lookup;
    },
    /** Remembers the answer for a report this process just filed (the working set's unique index holds its number for it). */
    learn(district: string, receiptNo: string, reportId: string): void {
      keep(idOf(district, receiptNo), reportId);
    },
    /** Drops a remembered answer that led to a report without that number. */
    forget(district: string, receiptNo: string): void {
      known.delete(idOf(district, receiptNo));
    },
    /** Remembers where receipt numbers point; a number already there keeps its report (numbers are unique). */
    async remember(entries: { district: string; receiptNo: string; reportId: string }[]): Promise<void> {
      if (!entries.length) return;
      if (entries.length === 1) {
        // a filing's one entry: filings at once share insert commands
        const [e] = entries;
        try {
          await insertOne({ _id: idOf(e!.district, e!.receiptNo), reportId: e!.reportId });
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
        return;
      }
      try {
        await Model.collection.insertMany(
          entries.map((e) => ({ _id: idOf(e.district, e.receiptNo), reportId: e.reportId }) as never),
          { ordered: false },
        );
      } catch (err) {
        if (!isDuplicateKey(err) && (err as { writeErrors?: unknown }).writeErrors === undefined) throw err;
      }
    },
  };
}
