import { Query } from 'mingo';
import { type Connection, mongo, Schema } from 'mongoose';
import type { HistoryEntry, Report } from '../../domain/report/report';
import { OPEN_STATUSES } from '../../domain/report/status';
import { isDuplicateKey } from '../duplicate-key';

type ReportDoc = Omit<Report, 'id'> & { _id: string; rev: number };

/**
 * A copy as stored: what the store itself selects by (`district`, `rev`) beside the copy packed
 * as one BSON value. FerretDB's cost for each document it reads follows its number of values (a
 * copy of about 30 took 0.4 ms, packed 0.13 ms: the open queue's read of 730 copies 452 → 153 ms
 * here), so the queue's filters run in memory over the unpacked copies (mingo: the same MongoDB
 * query the working set answers, evaluated in the process). A district's open cases are a few
 * hundred, on any engine.
 */
interface PackedCopy {
  _id: string;
  rev: number;
  district: string;
  view: mongo.Binary;
}

const packedSchema = new Schema<PackedCopy>(
  { _id: { type: String, required: true }, rev: { type: Number, required: true }, district: { type: String, required: true }, view: { type: Buffer, required: true } },
  { versionKey: false },
);
packedSchema.index({ district: 1 });

/**
 * `reports_open`: a small copy of every open report (the fields its readers use, no history), so
 * the console's open queue and its counts read a few hundred small documents instead of the
 * working set.
 * FerretDB decodes every stored document of a collection for any query that is not an `_id`
 * equality, and a report's cost grows with its history (≈0.8 ms for a report with seven entries,
 * ≈0.1 ms for a small document): the working set of a district with years of reports holds
 * thousands of reports, most of them closed.
 *
 * The copy is a projection of the claimed revisions, written like the working-set copy: a
 * revision's writer brings the copy up to its revision (or removes it when the report closed), and
 * the writer's settle afterwards checks it against the newest claim, so racing writers converge on
 * the latest revision. `reconcile` repairs what a crash between the two writes left behind.
 */
export function openCopies(conn: Connection) {
  const Open = conn.models.ReportOpen ?? conn.model<PackedCopy>('ReportOpen', packedSchema, 'reports_open');
  const packed = Open.collection as unknown as mongo.Collection<PackedCopy>;
  const isOpen = (d: Pick<ReportDoc, 'status'>) => OPEN_STATUSES.includes(d.status);

  /**
   * The history entries the open copy's readers use: the first consultation (the same-day rule
   * reads when it happened) and the latest visit request (the today page's "asked on").
   */
  const keptHistory = (history: HistoryEntry[] = []): HistoryEntry[] => {
    const firstConsult = history.find((h) => h.action === 'consult');
    const lastVisitRequest = [...history].reverse().find((h) => h.to === 'visit_requested');
    return [firstConsult, lastVisitRequest].filter((h): h is HistoryEntry => h !== undefined).sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  };
  /**
   * The fields the copy's readers filter, sort and show (the queue's rows and counts, the
   * import's duplicate check): FerretDB's cost per document follows its number of values, so the
   * casework details (visit report, consultation text, follow-up calls, reporter) stay in the
   * report. A consultation is kept as its time only ("consulted or not", the same-day rule).
   */
  const copyOf = (doc: ReportDoc): ReportDoc =>
    ({
      _id: doc._id,
      rev: doc.rev,
      district: doc.district,
      receiptNo: doc.receiptNo,
      submissionId: doc.submissionId,
      receivedAt: doc.receivedAt,
      partner: doc.partner,
      address: { text: doc.address.text, dongCode: doc.address.dongCode, dongName: doc.address.dongName },
      signs: doc.signs,
      person: doc.person,
      situation: doc.situation,
      urgency: doc.urgency,
      urgencyRank: doc.urgencyRank,
      status: doc.status,
      assignedDongCode: doc.assignedDongCode ?? null,
      assignee: doc.assignee ?? null,
      duplicateOf: doc.duplicateOf ?? null,
      duplicateState: doc.duplicateState ?? null,
      consultation: doc.consultation ? { at: doc.consultation.at } : null,
      followUpDue: doc.followUpDue ?? null,
      followUp: doc.followUp ? { nextDue: doc.followUp.nextDue } : null,
      source: doc.source ? { importId: doc.source.importId } : null,
      history: keptHistory(doc.history),
    }) as ReportDoc;

  const pack = (doc: ReportDoc): PackedCopy => {
    const copy = copyOf(doc);
    return { _id: copy._id, rev: copy.rev, district: copy.district, view: new mongo.Binary(mongo.BSON.serialize(copy, { ignoreUndefined: true })) };
  };
  const unpack = (stored: PackedCopy): ReportDoc => mongo.BSON.deserialize(stored.view.buffer) as ReportDoc;
  /** The district's copies (every query of the copies names its district: the scope does). */
  const ofDistrict = async (district: unknown): Promise<ReportDoc[]> => {
    if (typeof district !== 'string') throw new Error('a query of the open copies names its district');
    // A copy from before copies were packed has no `view`: the purge job's reconcile, at every
    // start, rewrites it; until then it is left out rather than shown half.
    return (await packed.find({ district }, { timeoutMS: 10 * 60_000 }).toArray()).filter((c) => c.view !== undefined).map(unpack);
  };

  const copies = {
    model: Open,
    /** The open copies a console query (see report-query.ts) selects, unpacked. */
    async matching(q: Record<string, unknown>): Promise<ReportDoc[]> {
      const query = new Query(q);
      return (await ofDistrict(q.district)).filter((doc) => query.test(doc));
    },
    all: (district: string) => ofDistrict(district),
    isOpen,
    /**
     * Brings the copy to `doc.rev`: written when the report is open, removed when it is not (a
     * newer copy is left alone). FerretDB 1.24 answers an update or a delete by decoding every
     * document of the collection, even by `_id`, while an `_id` find and an insert are cheap: the
     * copy is looked up first, so a new report's copy (every chat filing) is one insert and a
     * closed report without a copy costs nothing.
     */
    async write(doc: ReportDoc): Promise<void> {
      if (doc.rev <= 1 && isOpen(doc)) {
        // A report just filed has no copy yet: one insert, no lookup (a retried filing's is there).
        try {
          return void (await packed.insertOne(pack(doc)));
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
      const copy = await Open.findById(doc._id).select({ rev: 1 }).lean<{ rev: number }>();
      if (copy && copy.rev >= doc.rev) return;
      if (!isOpen(doc)) {
        if (copy) await Open.deleteOne({ _id: doc._id, rev: { $lt: doc.rev } });
        return;
      }
      try {
        if (!copy) return void (await packed.insertOne(pack(doc)));
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // another writer's copy arrived first: bring it up to date below
      }
      try {
        await packed.replaceOne({ _id: doc._id, rev: { $lt: doc.rev } }, pack(doc), { upsert: true });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // a copy at this revision or later is there already
      }
    },
    async insertMany(docs: ReportDoc[]): Promise<void> {
      const open = docs.filter(isOpen).map(pack);
      try {
        if (open.length) await packed.insertMany(open, { ordered: false });
      } catch (err) {
        // a copy written already (an earlier try): unordered, so the others are in
        if (!isDuplicateKey(err) && (err as { writeErrors?: unknown }).writeErrors === undefined) throw err;
      }
    },
    /**
     * Repairs the copies from the working set (at start-up and in the purge job): every open report
     * gets its copy, and a copy whose report is no longer open (per `latestOf`) goes.
     */
    async reconcile(
      scope: Record<string, unknown>,
      openInWorkingSet: ReportDoc[],
      latestOf: (id: string) => Promise<ReportDoc | undefined>,
    ): Promise<{ written: number; removed: number }> {
      const found = await Open.find(scope).select({ rev: 1, view: 1 }).lean<{ _id: string; rev: number; view?: unknown }[]>();
      // A copy not yet packed (an earlier version's) goes, so the loops below write it anew.
      for (const old of found.filter((c) => c.view === undefined)) await Open.deleteOne({ _id: old._id, view: { $exists: false } });
      const stored = new Map(found.filter((c) => c.view !== undefined).map((c) => [c._id, c.rev]));
      let written = 0;
      let removed = 0;
      for (const doc of openInWorkingSet) {
        if ((stored.get(doc._id) ?? 0) < doc.rev) {
          await copies.write((await latestOf(doc._id)) ?? doc);
          written++;
        }
        stored.delete(doc._id);
      }
      for (const id of stored.keys()) {
        const latest = await latestOf(id);
        if (latest && isOpen(latest)) {
          await copies.write(latest);
          continue;
        }
        await Open.deleteOne({ _id: id, rev: { $lte: latest?.rev ?? Number.MAX_SAFE_INTEGER } });
        removed++;
      }
      return { written, removed };
    },
  };
  return copies;
}
