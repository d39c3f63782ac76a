import type { Connection } from 'mongoose';
import type { Report } from '../../domain/report/report';
import { revisionLog } from '../revision/revision-log';
import { archiveMark } from './archive-mark';
import { listMatches } from './list-matches';
import { closedCopies, reportCopies } from './closed-copies';
import { openCopies } from './open-copies';
import { receiptIndex } from './receipt-index';
import { recentAddresses } from './recent-addresses';
import { reporterIndex } from './reporter-index';
import { BATCH_QUERY, reportModels, type ReportDoc } from './report-schema';
import { toStored } from './stored-form';

export interface ReportStoreOptions {
  /** Reports received within this many days stay in the working set even when closed (default 35). */
  hotDays?: number;
  now?: () => Date;
}

export const DAY_MS = 86_400_000;

/**
 * The pieces every part of the report store shares (report-writes.ts, report-reads.ts,
 * report-maintenance.ts, bulk-inserts.ts): the two collections, the open copies, the revision
 * claims, the small indexes, and the working set's window. See src/store/README.md for the map.
 */
export function reportParts(conn: Connection, opts: ReportStoreOptions = {}) {
  const { Hot, Archive } = reportModels(conn);
  const receipts = receiptIndex(conn);
  const hotDays = opts.hotDays ?? 35;
  const now = opts.now ?? (() => new Date());
  /** Everything received at or after this instant is in the working set. */
  const horizon = () => new Date(now().getTime() - hotDays * DAY_MS);
  const open = openCopies(conn);
  const closed = closedCopies(conn, horizon);
  return {
    Hot,
    Archive,
    open,
    closed,
    /** Both sets of copies, written as one (every write of a report's revision goes through here). */
    copies: reportCopies(open, closed),
    receipts,
    /** Every report's claimed revisions after filing (see src/store/revision): serializes racing changes. */
    revisions: revisionLog<ReportDoc>(conn, 'report_revisions'),
    reporters: reporterIndex(conn),
    addresses: recentAddresses(conn),
    listMatches: listMatches(conn),
    archiveBound: archiveMark(conn, async (district) => {
      const newest = await Archive.findOne({ district })
        .sort({ receivedAt: -1 })
        .select({ receivedAt: 1 })
        .setOptions(BATCH_QUERY)
        .lean<{ receivedAt: Date }>();
      return newest ? new Date(newest.receivedAt) : null;
    }),
    now,
    horizon,
    /** The one conversion to the stored form (stored-form.ts). */
    toStored,
    /** Adds reports to the receipt index (receipt number → id). */
    remember: (docs: Pick<ReportDoc, '_id' | 'district' | 'receiptNo'>[]) =>
      receipts.remember(docs.map((d) => ({ district: d.district, receiptNo: d.receiptNo, reportId: d._id }))),
    /** Where a stored report belongs: closed and received before the working set's window is the archive (as the archive sweep decides). */
    belongsInArchive(r: Pick<Report, 'status' | 'receivedAt' | 'closedAt'>): boolean {
      return (
        r.status === 'closed' &&
        r.receivedAt < horizon() &&
        !!r.closedAt &&
        r.closedAt < new Date(now().getTime() - 7 * DAY_MS)
      );
    },
  };
}
export type ReportParts = ReturnType<typeof reportParts>;
