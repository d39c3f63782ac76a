import { Schema, type Connection, type mongo } from 'mongoose';
import { batchedInserts } from '../batched-inserts';
import { batchedReads } from '../batched-reads';
import { saveById } from '../duplicate-key';
import type { ReporterReportRef } from '../../domain/report/repository';

/**
 * Each chat reporter's latest reports, one small document per (channel, user), so "조회" reads
 * by `_id` instead of searching the reports. Written after a filing; a reporter's filings are
 * one at a time (their conversation's claims order them), so the read-modify-write is safe.
 */
interface ReporterDoc {
  _id: string;
  refs: ReporterReportRef[];
}

const KEEP = 5;
const schema = new Schema<ReporterDoc>(
  { _id: { type: String, required: true }, refs: { type: Schema.Types.Mixed, default: [] } },
  { collection: 'reporter_reports', versionKey: false, minimize: false },
);

export function reporterIndex(conn: Connection) {
  const Model = conn.models.ReporterReports ?? conn.model<ReporterDoc>('ReporterReports', schema);
  const idOf = (channel: string, userId: string) => `${channel}:${userId}`;
  const insertNew = batchedInserts(Model.collection as unknown as mongo.Collection<never>);
  const readById = batchedReads(Model.collection as unknown as mongo.Collection<ReporterDoc>);
  return {
    ensureIndexes: () => Model.createIndexes(),
    async latest(channel: string, userId: string): Promise<ReporterReportRef[]> {
      const doc = await readById(idOf(channel, userId));
      return (doc?.refs ?? []).map((r) => ({ ...r, receivedAt: new Date(r.receivedAt) }));
    },
    /**
     * Retention: removes the lists whose every report was received before `cutoff`. The delete is
     * conditioned on the newest entry, so a filing that just added one keeps its list.
     */
    async forgetOlderThan(cutoff: Date): Promise<number> {
      let removed = 0;
      for (const doc of await Model.find({}).lean<ReporterDoc[]>()) {
        const [newest] = doc.refs;
        if (doc.refs.some((r) => new Date(r.receivedAt) >= cutoff)) continue;
        removed += (
          await Model.deleteOne(
            newest ? { _id: doc._id, 'refs.0.id': newest.id } : { _id: doc._id, refs: { $size: 0 } },
          )
        ).deletedCount;
      }
      return removed;
    },
    async add(channel: string, userId: string, ref: ReporterReportRef): Promise<void> {
      const id = idOf(channel, userId);
      const doc = await readById(id);
      const refs = [ref, ...(doc?.refs ?? []).filter((r) => r.id !== ref.id)]
        .sort((a, b) => new Date(b.receivedAt).getTime() - new Date(a.receivedAt).getTime())
        .slice(0, KEEP);
      // a reporter's first filing is an insert, and filings at once share insert commands
      await saveById(Model, id, { refs }, doc !== null, insertNew);
    },
  };
}
