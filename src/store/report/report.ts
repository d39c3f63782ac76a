import type { Connection } from 'mongoose';
import type { ListMatch } from '../../domain/list-import/list-match';
import type { ReporterReportRef, ReportStore } from '../../domain/report/repository';
import { bulkInserts } from './bulk-inserts';
import { reportMaintenance } from './report-maintenance';
import { reportParts, type ReportStoreOptions } from './report-parts';
import { reportReads } from './report-reads';
import { reportWrites } from './report-writes';

export type { ReportStore, ReportStoreOptions };

/**
 * The report store: the domain's `ReportRepository` on MongoDB/FerretDB, put together from parts
 * with one job each (src/store/README.md is the map):
 * - report-schema.ts: the stored form's schema and indexes, the working set and the archive;
 * - stored-form.ts: the one conversion between `Report` and every stored form;
 * - report-writes.ts: filing, and changes as claimed revisions settled into the copies;
 * - report-reads.ts: reads, routed between the open copies, the working set and the archive;
 * - report-maintenance.ts: the archive sweep, the claims' prune, the open copies' repair;
 * - bulk-inserts.ts: reports stored as they are (list batches, the demo seed, test fixtures);
 * - inspect.ts: the raw stored forms, for tests only.
 * Nothing outside src/store sees a mongoose model or a driver error.
 */
export function reportRepository(conn: Connection, opts: ReportStoreOptions = {}): ReportStore {
  const p = reportParts(conn, opts);
  const writes = reportWrites(p);
  const { file, current, latestAfter, latestSince, change, changeInPlace } = writes;
  const repo = {
    async ensureIndexes() {
      await p.Hot.createIndexes();
      await p.Archive.createIndexes();
      await p.open.model.createIndexes();
      await p.closed.model.createIndexes();
      await p.revisions.ensureIndexes();
      await p.archiveBound.ensureIndexes();
      await p.receipts.ensureIndexes();
      await p.reporters.ensureIndexes();
      await p.addresses.ensureIndexes();
      await p.listMatches.ensureIndexes();
    },
    file,
    current,
    latestAfter,
    latestSince,
    change,
    changeInPlace,
    belongsInArchive: p.belongsInArchive,
    ...reportReads(p),
    ...reportMaintenance(p, writes),
    ...bulkInserts(p, writes),
    forgetReportersOlderThan: (cutoff: Date) => p.reporters.forgetOlderThan(cutoff),
    rememberForReporter: (channel: string, userId: string, ref: ReporterReportRef) =>
      p.reporters.add(channel, userId, ref),
    noteListMatch: (match: ListMatch) => p.listMatches.note(match),
    listMatchesOf: (reportId: string) => p.listMatches.of(reportId),
    forgetListMatches: (reportId: string) => p.listMatches.forget(reportId),
    rememberAddress: (district: string, addressKey: string, report: { receiptNo: string; receivedAt: Date }) =>
      p.addresses.remember(district, addressKey, report),
  } satisfies ReportStore;
  return repo;
}
