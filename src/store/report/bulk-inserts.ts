import type { Report } from '../../domain/report/report';
import type { InsertManyResult } from '../../domain/report/repository';
import type { ReportParts } from './report-parts';
import type { ReportDoc } from './report-schema';
import type { ReportWrites } from './report-writes';
import { fromStored } from './stored-form';

/** A unique index refused one or more documents of an unordered insert (MongoDB and FerretDB say it this way). */
function refusedByUniqueIndex(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: { code?: number; err?: { code?: number } }[] } | null;
  if (e?.writeErrors !== undefined) return e.writeErrors.every((w) => (w.code ?? w.err?.code) === 11000);
  return e?.code === 11000;
}

/**
 * Reports stored as they are, not filed: test fixtures, the demo seed (already closed ones
 * included, straight into the archive), and a list import's batch of new reports. Each goes
 * through the same conversion as a filing (stored-form.ts).
 */
export function bulkInserts(p: ReportParts, w: ReportWrites) {
  const { Hot, Archive, copies, archiveBound } = p;

  /** Raises the archive's mark over every district's newest report before they are written there. */
  async function raiseMarks(docs: ReportDoc[]): Promise<void> {
    for (const district of new Set(docs.map((d) => d.district))) {
      await archiveBound.raise(
        district,
        new Date(Math.max(...docs.filter((d) => d.district === district).map((d) => new Date(d.receivedAt).getTime()))),
      );
    }
  }

  return {
    /** Test fixtures and the demo seed: stores a report as it is (already closed ones included). */
    async insert(report: Omit<Report, 'id'>, where: 'hot' | 'archive' = 'hot'): Promise<Report> {
      const doc = p.toStored(report);
      if (where === 'archive') await archiveBound.raise(doc.district, new Date(doc.receivedAt));
      await (where === 'hot' ? Hot : Archive).create(doc);
      if (where === 'hot') await copies.write(doc);
      await p.remember([doc]);
      return fromStored(doc);
    },

    /**
     * Many reports in one unordered insert command (a list import's batch, the demo seed), each
     * stored whole or not at all. `stored`: the reports now stored under their ids (this insert's,
     * or an earlier try's); `receiptTaken`: those refused because another report holds their
     * receipt number, not stored (draw fresh numbers). `lean` skips mongoose's second cast: the
     * documents come cast from the one conversion.
     */
    async insertMany(reports: Omit<Report, 'id'>[], where: 'hot' | 'archive'): Promise<InsertManyResult> {
      const docs = reports.map((r) => p.toStored(r));
      const target = where === 'hot' ? Hot : Archive;
      if (where === 'archive') await raiseMarks(docs);
      try {
        await target.insertMany(docs, { ordered: false, lean: true });
      } catch (err) {
        if (!refusedByUniqueIndex(err)) throw err;
        // Some were refused (filed before, or a receipt number taken): the stored ones still get their copies.
        const result: InsertManyResult = { stored: [], receiptTaken: [] };
        for (const [i, doc] of docs.entries()) {
          const stored = await target.findById(doc._id).lean<ReportDoc>();
          if (!stored) {
            result.receiptTaken.push(reports[i]!);
            continue;
          }
          if (where === 'hot') await copies.write(await w.latestFrom(stored));
          await p.remember([stored]);
          result.stored.push(fromStored(stored));
        }
        return result;
      }
      // both only after the reports are in (a copy or an index entry never points at a report not stored)
      await Promise.all([where === 'hot' ? copies.insertMany(docs) : undefined, p.remember(docs)]);
      return { stored: docs.map(fromStored), receiptTaken: [] };
    },
  };
}
