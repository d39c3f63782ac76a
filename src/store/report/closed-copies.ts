import type { Connection, mongo } from 'mongoose';
import { isOpen } from '../../domain/report/status';
import { isDuplicateKey } from '../duplicate-key';
import { OPEN_COPY_TOKENS } from './open-copies-cache';
import { packedCopies } from './packed-copies';
import type { ReportDoc } from './report-schema';

/** The mark that a district's closed copies are complete (in the change tokens' collection). */
const readyMark = (district: string) => `ready:closed:${district}`;

/**
 * `reports_closed`: a copy of every closed report received within the working set's window, so
 * a dong's weekly list of a recent week reads packed copies (this set and the open copies, a few
 * thousand at 100,000 reports) instead of decoding the working set (≈0.5 ms a report on
 * FerretDB: 2–3 s at 100,000 reports).
 *
 * A report's open and closed copies are written in the order that never leaves it in neither:
 * the set it joins first, then the set it leaves (`ReportCopies.write`). A reopened report's
 * closed copy is not removed by the write (`ignores`: no read on every staff action); its open
 * copy is newer, and readers take the newer of the two. The hourly reconcile removes it.
 *
 * Readers use the set only once a reconcile has made it complete for the district (`ready`):
 * before that (data from before this set, or after a restore), they read the working set. Every
 * write after that keeps it complete. An instance of an older version that closes a report
 * leaves its closed copy out until the next reconcile (each instance's start and every hour).
 */
export function closedCopies(conn: Connection, horizon: () => Date) {
  const copies = packedCopies(conn, {
    model: 'ReportClosed',
    collection: 'reports_closed',
    holds: (doc) => !isOpen(doc.status) && new Date(doc.receivedAt) >= horizon(),
    ignores: (doc) => isOpen(doc.status),
    tokenPrefix: 'closed:',
    insertsMissingAsRead: true,
  });
  const marks = conn.collection(OPEN_COPY_TOKENS) as unknown as mongo.Collection<{ _id: string; at: Date }>;
  return {
    ...copies,
    /** Whether the district's closed copies are complete (a reconcile marked them so). One read by `_id`. */
    ready: async (district: string): Promise<boolean> => (await marks.findOne({ _id: readyMark(district) })) !== null,
    /** After a reconcile of the district's closed copies. */
    async markReady(district: string, at: Date): Promise<void> {
      try {
        await marks.insertOne({ _id: readyMark(district), at });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // marked already
      }
    },
  };
}

export type ClosedCopies = ReturnType<typeof closedCopies>;

/** The two sets written as one: the set a report joins first, then the one it leaves. */
export function reportCopies(open: ReturnType<typeof packedCopies>, closed: ClosedCopies) {
  const ordered = (doc: ReportDoc) => (isOpen(doc.status) ? [open, closed] : [closed, open]);
  return {
    async write(doc: ReportDoc): Promise<void> {
      for (const set of ordered(doc)) await set.write(doc);
    },
    async insertMany(docs: ReportDoc[]): Promise<void> {
      await closed.insertMany(docs);
      await open.insertMany(docs);
    },
  };
}

/** A report as the newer of its copies, each report once (a reopened report may have an older closed copy). */
export function newerOfCopies(...sets: readonly (readonly ReportDoc[])[]): ReportDoc[] {
  const byId = new Map<string, ReportDoc>();
  for (const doc of sets.flat()) if ((byId.get(doc._id)?.rev ?? 0) < doc.rev) byId.set(doc._id, doc);
  return [...byId.values()];
}
