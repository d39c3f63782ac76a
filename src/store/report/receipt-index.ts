import { Schema, type Connection } from 'mongoose';
import { isDuplicateKey } from '../duplicate-key';

interface ReceiptDoc {
  _id: string;
  reportId: string;
}

const schema = new Schema<ReceiptDoc>({ _id: { type: String, required: true }, reportId: { type: String, required: true } }, { collection: 'report_receipts', versionKey: false });

/**
 * `report_receipts`: a district's receipt number → its report's `_id`. The console and the CLI act
 * on a report by its receipt number; on FerretDB 1.24 a `{district, receiptNo}` find decodes the
 * whole working set (seconds at 100,000 stored reports, and once per racing action), while an
 * `_id` find is filtered inside SQLite. Written at filing; a report filed before this index (or
 * by a path that missed it) is found by the old search once and remembered then.
 */
export function receiptIndex(conn: Connection) {
  const Model = conn.models.ReportReceipt ?? conn.model<ReceiptDoc>('ReportReceipt', schema);
  const idOf = (district: string, receiptNo: string) => `${district}:${receiptNo}`;
  return {
    /** `_id` only: nothing to create. */
    ensureIndexes: async () => {},
    async reportIdOf(district: string, receiptNo: string): Promise<string | undefined> {
      return (await Model.findById(idOf(district, receiptNo)).lean<ReceiptDoc>())?.reportId;
    },
    /** Remembers where receipt numbers point; a number already there keeps its report (numbers are unique). */
    async remember(entries: { district: string; receiptNo: string; reportId: string }[]): Promise<void> {
      if (!entries.length) return;
      try {
        await Model.collection.insertMany(entries.map((e) => ({ _id: idOf(e.district, e.receiptNo), reportId: e.reportId }) as never), { ordered: false });
      } catch (err) {
        if (!isDuplicateKey(err) && (err as { writeErrors?: unknown }).writeErrors === undefined) throw err;
      }
    },
  };
}
