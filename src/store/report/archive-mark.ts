import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from '../duplicate-key';

/**
 * A bound on what the archive holds: every report in `reports_archive` was received before the
 * highest mark. A change to a report received after it can skip looking for an archived copy,
 * which on FerretDB 1.24 is a scan of the whole archive (≈0.4 s at 100,000 reports) — twice per
 * change before this mark.
 *
 * Marks are only ever inserted (an insert is the one atomic write FerretDB 1.24 has), so racing
 * writers can never lower the bound; every writer into the archive raises it first. With no mark
 * at all (an archive written by an earlier version, or restored from its backup) nothing may be
 * skipped until the first raise has read the archive's newest report once.
 */
interface MarkDoc {
  _id: string;
  district: string;
  before: Date;
}

const schema = new Schema<MarkDoc>(
  {
    _id: { type: String, required: true },
    district: { type: String, required: true },
    before: { type: Date, required: true },
  },
  { collection: 'report_archive_marks', versionKey: false },
);
schema.index({ district: 1, before: 1 });

/** `newestArchived` reads a district's latest receivedAt in the archive (used once, for its first mark). */
export function archiveMark(conn: Connection, newestArchived: (district: string) => Promise<Date | null>) {
  const Marks: Model<MarkDoc> = conn.models.ReportArchiveMark ?? conn.model<MarkDoc>('ReportArchiveMark', schema);
  /** The highest bound, or null when none was ever set. The collection holds a handful of documents. */
  async function bound(district: string): Promise<Date | null> {
    const marks = await Marks.find({ district }).lean<MarkDoc[]>();
    return marks.length ? new Date(Math.max(...marks.map((m) => m.before.getTime()))) : null;
  }
  return {
    /** Whether a district's report received at `receivedAt` may have a copy in the archive. */
    async mayHold(district: string, receivedAt: Date): Promise<boolean> {
      const b = await bound(district);
      return b === null || new Date(receivedAt).getTime() < b.getTime();
    },
    /** Called before writing a district's reports received up to `receivedAt` into the archive. */
    async raise(district: string, receivedAt: Date): Promise<void> {
      let b = await bound(district);
      if (b === null) {
        // the first mark covers whatever an earlier version archived without one
        const newest = await newestArchived(district);
        if (newest && newest.getTime() >= receivedAt.getTime()) receivedAt = newest;
        b = new Date(0);
      }
      if (receivedAt.getTime() < b.getTime()) return;
      const before = new Date(receivedAt.getTime() + 1);
      try {
        await Marks.create({ _id: `${district}:${before.toISOString()}`, district, before });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      // older marks are covered by this one; a racing higher mark is never below it
      await Marks.deleteMany({ district, before: { $lt: before } });
    },
    ensureIndexes: () => Marks.createIndexes(),
  };
}
