import { Schema, type Connection } from 'mongoose';
import { saveById } from '../duplicate-key';

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
  return {
    ensureIndexes: () => Model.createIndexes(),
    async latest(
      district: string,
      key: string,
      since: Date,
    ): Promise<{ receiptNo: string; receivedAt: Date } | undefined> {
      const doc = await Model.findById(idOf(district, key)).lean<AddressDoc>();
      return doc && doc.receivedAt >= since ? { receiptNo: doc.receiptNo, receivedAt: doc.receivedAt } : undefined;
    },
    /** Keeps the later of what is stored and this report (racing filings of one address both end up linked to one). */
    async remember(district: string, key: string, report: { receiptNo: string; receivedAt: Date }): Promise<void> {
      const id = idOf(district, key);
      const doc = await Model.findById(id).lean<AddressDoc>();
      if (doc && doc.receivedAt > report.receivedAt) return;
      await saveById(Model, id, { receiptNo: report.receiptNo, receivedAt: report.receivedAt }, doc !== null);
    },
    async prune(before: Date): Promise<void> {
      await Model.deleteMany({ receivedAt: { $lt: before } });
    },
  };
}
