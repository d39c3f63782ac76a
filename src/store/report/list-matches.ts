import { Schema, type Connection } from 'mongoose';
import type { ListMatch } from '../../domain/list-import/list-match';
import { isDuplicateKey } from '../duplicate-key';

interface ListMatchDoc extends ListMatch {
  /** `<reportId>|<importId>`: a list is noted on a report once, by the unique `_id` (a resumed commit notes nothing twice). */
  _id: string;
}

const schema = new Schema<ListMatchDoc>(
  {
    _id: { type: String, required: true },
    reportId: { type: String, required: true },
    district: { type: String, required: true },
    importId: { type: String, required: true },
    listName: { type: String, required: true },
    line: { type: Number, required: true },
    at: { type: Date, required: true },
    by: { type: String, required: true },
  },
  { collection: 'report_list_matches', versionKey: false, strict: 'throw' },
);
// the case page's read, in its order (on FerretDB a scan of these small documents, one per linked row ever)
schema.index({ reportId: 1, at: 1 });

/**
 * `report_list_matches`: the lists that named a household with an open report (domain/list-import/
 * list-match.ts). One insert per linked row, never a change of the report: the report's history
 * is shown with them merged in.
 */
export function listMatches(conn: Connection) {
  const Model = conn.models.ReportListMatch ?? conn.model<ListMatchDoc>('ReportListMatch', schema);
  const fromDoc = ({ _id, ...m }: ListMatchDoc): ListMatch => m;
  return {
    ensureIndexes: () => Model.createIndexes(),
    async note(m: ListMatch): Promise<'noted' | 'already'> {
      try {
        await Model.create({ _id: `${m.reportId}|${m.importId}`, ...m });
        return 'noted';
      } catch (err) {
        if (isDuplicateKey(err)) return 'already';
        throw err;
      }
    },
    async of(reportId: string): Promise<ListMatch[]> {
      const docs = await Model.find({ reportId }).sort({ at: 1 }).lean<ListMatchDoc[]>();
      return docs.map(fromDoc);
    },
    async forget(reportId: string): Promise<number> {
      return (await Model.deleteMany({ reportId })).deletedCount;
    },
  };
}
