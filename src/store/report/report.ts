import { Schema, type Connection, type Model } from 'mongoose';
import type { HistoryEntry, Report } from '../../domain/report/report';
import type { ReporterReport, ReporterReportRef, ReportRepository } from '../../domain/report/repository';
import { OPEN_STATUSES, REPORT_STATUSES, type ReportStatus } from '../../domain/report/status';
import { charCount, LIMITS } from '../../domain/report/text-limits';
import { URGENCY_CODES } from '../../domain/report/urgency';
import { isDuplicateKey } from '../duplicate-key';
import { deleteIfOlder, replaceIfNewer } from '../newer-copy';
import { revisionLog } from '../revision/revision-log';
import { compareBy, scoped, scopeQuery, sortOf, type ReportFilter, type ReportScope } from './report-query';
import { archiveMark } from './archive-mark';
import { openCopies } from './open-copies';
import { receiptIndex } from './receipt-index';
import { reporterIndex } from './reporter-index';
import { recentAddresses } from './recent-addresses';

export type { HistoryEntry, Report, ReportRepository, ReportStatus };

/**
 * Reports live in two collections of the same shape:
 * - `reports`, the working set: every open report and every report received in the last
 *   `hotDays` days. Chat turns, the console's open queue and the recent weekly lists read only
 *   this, so their cost follows the open caseload, not the district's years of history.
 * - `reports_archive`: closed reports older than that, moved there by `archiveSweep`. Searches
 *   that include closed cases or old weeks read both.
 * The document `_id` is the filing's submissionId, so filing twice is the same insert.
 * Every change after filing is a new revision claimed in `report_revisions` (see
 * src/store/revision), which serializes racing changes on FerretDB as on MongoDB.
 */
type ReportDoc = Omit<Report, 'id'> & { _id: string; rev: number };

const history = new Schema<HistoryEntry>(
  { at: { type: Date, required: true }, by: { type: String, required: true }, action: { type: String, required: true }, from: String, to: String, note: String },
  { _id: false },
);

const withinLimit = (max: number) => ({
  validator: (v: unknown) => typeof v !== 'string' || charCount(v) <= max,
  message: `longer than ${max} characters`,
});

const schema = new Schema<ReportDoc>(
  {
    _id: { type: String, required: true },
    rev: { type: Number, required: true },
    district: { type: String, required: true },
    receiptNo: { type: String, required: true },
    submissionId: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    partner: { id: String, name: String, kind: String },
    reporter: { channel: String, userId: String },
    reporterContact: { type: { _id: false, name: String, phone: String }, default: null },
    address: { text: { type: String, validate: withinLimit(LIMITS.address.max) }, dongCode: String, dongName: String, resolvedBy: String },
    signs: [String],
    person: { name: String, age: Schema.Types.Mixed, phone: String, sex: { type: String, enum: ['female', 'male', null] } },
    // The same character count as the flow (grapheme clusters), never mongoose's UTF-16 maxlength.
    situation: { type: String, required: true, validate: withinLimit(LIMITS.situation.max) },
    urgency: { type: String, required: true, enum: URGENCY_CODES },
    status: { type: String, required: true, enum: REPORT_STATUSES },
    assignedDongCode: { type: String, default: null },
    consultation: { type: Schema.Types.Mixed, default: null },
    visit: { type: Schema.Types.Mixed, default: null },
    followUpDue: { type: String, default: null },
    assignee: { type: String, default: null },
    crisisLevel: { type: String, default: null },
    followUp: { type: Schema.Types.Mixed, default: null },
    visitRequestedAt: { type: Date, default: null },
    missedVisits: { type: Number, default: 0 },
    closedAt: { type: Date, default: null },
    stepSince: { type: Date, default: null },
    addressKey: { type: String, default: null },
    duplicateOf: { type: String, default: null },
    duplicateState: { type: String, default: null },
    urgencyRank: { type: Number },
    source: { type: Schema.Types.Mixed, default: null },
    extra: { type: Schema.Types.Mixed, default: null },
    demo: { type: Boolean },
    photoIds: { type: [String], default: undefined },
    anonymisedAt: { type: Date, default: null },
    history: [history],
  },
  { versionKey: false, minimize: false },
);
schema.index({ district: 1, receiptNo: 1 }, { unique: true }); // receipt lookup; never two alike
schema.index({ district: 1, status: 1, urgencyRank: 1, receivedAt: 1 }); // the console queue: urgent, then oldest
schema.index({ district: 1, assignedDongCode: 1, urgencyRank: 1, receivedAt: 1 }); // a dong center's queue
schema.index({ district: 1, assignedDongCode: 1, receivedAt: -1 }); // a dong's weekly list (assignedBetween)
schema.index({ district: 1, assignedDongCode: 1, status: 1, receivedAt: 1 }); // a dong's open reports from earlier weeks (openAssignedBefore)
schema.index({ district: 1, receivedAt: 1 }); // the district's weekly summary and all dongs' lists at once (receivedBetween)
schema.index({ district: 1, status: 1, receivedAt: 1 }); // all dongs' open reports from earlier weeks (openBefore)
schema.index({ district: 1, visitRequestedAt: 1 }); // visit-request alerts (alertable)
schema.index({ district: 1, 'source.importId': 1 }); // a list's own reports (its follow-up table; a resumed commit's filed rows)

/**
 * For batch reads (weekly jobs, archive searches), not chat turns: the driver's per-operation
 * timeout replaces the connection's 20 s socket timeout, since FerretDB answers by scanning.
 */
const BATCH_QUERY = { timeoutMS: 10 * 60_000 } as Record<string, unknown>;
const DAY_MS = 86_400_000;

const toReport = (d: ReportDoc): Report => {
  const { _id, rev, ...rest } = d;
  return { id: _id, rev, ...rest } as Report;
};
const toDoc = (r: Report): ReportDoc => {
  const { id, ...rest } = r;
  return { _id: id, ...rest, rev: r.rev ?? 1 } as ReportDoc;
};

export interface ReportStoreOptions {
  /** Reports received within this many days stay in the working set even when closed (default 35). */
  hotDays?: number;
  now?: () => Date;
}

export function reportRepository(conn: Connection, opts: ReportStoreOptions = {}) {
  const Hot: Model<ReportDoc> = conn.models.Report ?? conn.model<ReportDoc>('Report', schema, 'reports');
  const Archive: Model<ReportDoc> = conn.models.ReportArchive ?? conn.model<ReportDoc>('ReportArchive', schema, 'reports_archive');
  const open = openCopies(conn);
  const receipts = receiptIndex(conn);
  const remember = (docs: Pick<ReportDoc, '_id' | 'district' | 'receiptNo'>[]) => receipts.remember(docs.map((d) => ({ district: d.district, receiptNo: d.receiptNo, reportId: d._id })));
  /** A report's stored head by receipt number: the receipt index, then `_id` reads; the old search when the index has no entry. */
  async function headByReceipt(district: string, receiptNo: string): Promise<ReportDoc | undefined> {
    const id = await receipts.reportIdOf(district, receiptNo);
    if (id) {
      const doc = (await Hot.findById(id).lean<ReportDoc>()) ?? (await Archive.findById(id).lean<ReportDoc>());
      if (doc && doc.district === district && doc.receiptNo === receiptNo) return doc;
    }
    const doc = (await Hot.findOne({ district, receiptNo }).lean<ReportDoc>()) ?? (await Archive.findOne({ district, receiptNo }).setOptions(BATCH_QUERY).lean<ReportDoc>());
    if (doc) await remember([doc]);
    return doc ?? undefined;
  }
  const archiveBound = archiveMark(conn, async (district) => {
    const newest = await Archive.findOne({ district }).sort({ receivedAt: -1 }).select({ receivedAt: 1 }).setOptions(BATCH_QUERY).lean<{ receivedAt: Date }>();
    return newest ? new Date(newest.receivedAt) : null;
  });
  const revisions = revisionLog<ReportDoc>(conn, 'report_revisions');
  const reporters = reporterIndex(conn);
  const addresses = recentAddresses(conn);
  const hotDays = opts.hotDays ?? 35;
  const now = opts.now ?? (() => new Date());
  /** Everything received at or after this instant is in the working set. */
  const horizon = () => new Date(now().getTime() - hotDays * DAY_MS);

  /** The working set answers alone when the filter keeps out closed reports or old ones. */
  const hotAnswers = (f: { statuses?: readonly ReportStatus[]; receivedFrom?: Date }) =>
    (f.statuses !== undefined && f.statuses.length > 0 && !f.statuses.includes('closed')) || (f.receivedFrom !== undefined && f.receivedFrom >= horizon());

  /** The open copies answer alone when the filter asks only for open statuses (the console's open queue). */
  const openAnswers = (f: { statuses?: readonly ReportStatus[] }) => f.statuses !== undefined && f.statuses.length > 0 && f.statuses.every((s) => OPEN_STATUSES.includes(s));

  /** Both collections' hits, each report once (a report being moved may briefly be in both). */
  async function findBoth(q: Record<string, unknown>, hotOnly: boolean): Promise<ReportDoc[]> {
    const hot = await Hot.find(q).setOptions(BATCH_QUERY).lean<ReportDoc[]>();
    if (hotOnly) return hot;
    const archived = await Archive.find(q).setOptions(BATCH_QUERY).lean<ReportDoc[]>();
    const byId = new Map<string, ReportDoc>();
    for (const d of [...archived, ...hot]) if (!byId.has(d._id) || byId.get(d._id)!.rev < d.rev) byId.set(d._id, d);
    return [...byId.values()];
  }

  async function headOf(id: string): Promise<ReportDoc | undefined> {
    return (await Hot.findById(id).lean<ReportDoc>()) ?? (await Archive.findById(id).lean<ReportDoc>()) ?? undefined;
  }

  /** A stored copy brought up to its report's newest claimed revision. */
  const latestFrom = async (copy: ReportDoc): Promise<ReportDoc> => (await revisions.rollForward(copy._id, copy.rev, copy)).value;

  /** The report's newest revision, wherever its head is. */
  async function latestOf(id: string): Promise<ReportDoc | undefined> {
    const head = await headOf(id);
    return head ? latestFrom(head) : undefined;
  }

  /** Brings the working-set copy up to `doc.rev` (a later revision already there wins). */
  async function writeHot(doc: ReportDoc): Promise<void> {
    await replaceIfNewer(Hot, doc);
  }

  /**
   * Run after deleting an older copy. FerretDB deletes by reading the matches and then deleting by
   * `_id`, without isolation, so a racing writer's newer copy can be the one deleted; the latest
   * revision (from the claims) is then written back where it belongs. Every delete is followed by
   * its writer's settle, so the last one to run sees the truth.
   */
  async function settle(doc: ReportDoc): Promise<void> {
    const latest = await latestFrom(doc);
    await open.write(latest);
    const [hot, archived] = await Promise.all([
      Hot.findById(doc._id).select({ rev: 1 }).lean<{ rev: number }>(),
      archivedCopy(doc),
    ]);
    if ((hot?.rev ?? 0) >= latest.rev || (archived?.rev ?? 0) >= latest.rev) return;
    if (!repo.belongsInArchive(latest)) return writeHot(latest);
    await archiveBound.raise(latest.district, latest.receivedAt);
    await replaceIfNewer(Archive, latest);
  }

  /** The archive's copy of a report, read only when the archive may hold one (see archive-mark.ts). */
  async function archivedCopy(doc: ReportDoc): Promise<{ rev: number } | null> {
    if (!(await archiveBound.mayHold(doc.district, doc.receivedAt))) return null;
    return Archive.findById(doc._id).select({ rev: 1 }).lean<{ rev: number }>();
  }

  /** Deletes the archive's older copy of a report that returns to the working set, if it may have one. */
  async function leaveArchive(doc: ReportDoc): Promise<void> {
    if (await archiveBound.mayHold(doc.district, doc.receivedAt)) await deleteIfOlder(Archive, doc._id, { $lt: doc.rev });
  }

  const queueOrder = (a: ReportDoc, b: ReportDoc) =>
    (a.urgencyRank ?? 0) - (b.urgencyRank ?? 0) || a.receivedAt.getTime() - b.receivedAt.getTime() || a.receiptNo.localeCompare(b.receiptNo);

  const repo = {
    hot: Hot,
    archive: Archive,
    /** For tests and tools that count what is stored. */
    model: Hot,
    /** The open reports' copies (see open-copies.ts). */
    openCopies: open.model,
    async ensureIndexes() {
      await Hot.createIndexes();
      await Archive.createIndexes();
      await open.model.createIndexes();
      await revisions.ensureIndexes();
      await archiveBound.ensureIndexes();
      await receipts.ensureIndexes();
      await reporters.ensureIndexes();
      await addresses.ensureIndexes();
    },

    /**
     * Files a report: one insert of the whole document (its first history entry included).
     * `stored` when it is in (now or by an earlier try of the same submission), `receiptTaken`
     * when another filing holds that receipt number and a fresh one must be drawn.
     */
    async file(report: Omit<Report, 'id' | 'rev'>): Promise<{ stored: Report; fresh: boolean } | { receiptTaken: true }> {
      const doc = { ...report, _id: report.submissionId, rev: 1 } as ReportDoc;
      try {
        await Hot.create(doc);
        await open.write(doc);
        await remember([doc]);
        return { stored: toReport(doc), fresh: true };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const earlier = await Hot.findById(report.submissionId).lean<ReportDoc>();
        if (!earlier) return { receiptTaken: true };
        await open.write(await latestFrom(earlier)); // an earlier try may have stopped before its copy
        return { stored: toReport(earlier), fresh: false };
      }
    },
    /** Test fixtures and the demo seed: stores a report as it is (already closed ones included). */
    async insert(report: Omit<Report, 'id'>, where: 'hot' | 'archive' = 'hot'): Promise<Report> {
      const doc = { ...report, _id: report.submissionId, rev: report.rev ?? 1 } as ReportDoc;
      if (where === 'archive') await archiveBound.raise(doc.district, new Date(doc.receivedAt));
      await (where === 'hot' ? Hot : Archive).create(doc);
      if (where === 'hot') await open.write(doc);
      await remember([doc]);
      return toReport(doc);
    },
    /** Where a stored report belongs: closed and received before the working set's window is the archive (as `archiveSweep` decides). */
    belongsInArchive(r: Pick<Report, 'status' | 'receivedAt' | 'closedAt'>): boolean {
      return r.status === 'closed' && r.receivedAt < horizon() && !!r.closedAt && r.closedAt < new Date(now().getTime() - 7 * DAY_MS);
    },
    /**
     * The demo seed's batch insert. `lean` skips mongoose's per-document casting and validation
     * (the reports come whole from the domain's filing and workflow code): on FerretDB it took
     * more than half of a 1,000-report batch's time.
     */
    async insertMany(reports: Omit<Report, 'id'>[], where: 'hot' | 'archive'): Promise<void> {
      const docs = reports.map((r) => ({ ...r, _id: r.submissionId, rev: r.rev ?? 1 })) as ReportDoc[];
      if (where === 'archive') {
        for (const district of new Set(docs.map((d) => d.district))) {
          await archiveBound.raise(district, new Date(Math.max(...docs.filter((d) => d.district === district).map((d) => new Date(d.receivedAt).getTime()))));
        }
        await Archive.insertMany(docs, { ordered: false, lean: true });
        return void (await remember(docs));
      }
      try {
        await Hot.insertMany(docs, { ordered: false, lean: true });
      } catch (err) {
        // Some were refused (filed before, or a receipt number taken): the stored ones still get their copies.
        for (const doc of docs) {
          const stored = await Hot.findById(doc._id).lean<ReportDoc>();
          if (stored?.receiptNo === doc.receiptNo) {
            await open.write(await latestFrom(stored));
            await remember([stored]);
          }
        }
        throw err;
      }
      await open.insertMany(docs);
      await remember(docs);
    },

    /** The report as of its latest revision: its head document, rolled forward through newer claims. */
    async current(id: string): Promise<Report | undefined> {
      const latest = await latestOf(id);
      return latest ? toReport(latest) : undefined;
    },
    /**
     * Stores `next` as revision `current.rev + 1` — only if no other change took that revision
     * first (false: re-read and decide again). A changed report returns to the working set.
     */
    async change(current: Report, next: Report): Promise<boolean> {
      const doc = toDoc({ ...next, rev: (current.rev ?? 1) + 1 });
      if (!(await revisions.claim(current.id, doc.rev, doc, now()))) return false;
      await writeHot(doc);
      await open.write(doc);
      await leaveArchive(doc);
      await settle(doc);
      return true;
    },

    /**
     * Like `change`, but the new revision stays where the report belongs (a closed, old report in
     * the archive) instead of returning to the working set: for the retention job, which changes
     * closed cases without reopening them.
     */
    async changeInPlace(current: Report, next: Report): Promise<boolean> {
      const doc = toDoc({ ...next, rev: (current.rev ?? 1) + 1 });
      if (!(await revisions.claim(current.id, doc.rev, doc, now()))) return false;
      if (!repo.belongsInArchive(doc)) {
        await writeHot(doc);
        await open.write(doc);
        await leaveArchive(doc);
        await settle(doc);
        return true;
      }
      await archiveBound.raise(doc.district, doc.receivedAt);
      await replaceIfNewer(Archive, doc);
      await deleteIfOlder(Hot, doc._id, { $lt: doc.rev });
      await open.write(doc);
      await settle(doc);
      return true;
    },
    /** Retention: reports closed before `cutoff` and not yet anonymised, from both collections (a daily batch read). */
    async closedBefore(cutoff: Date): Promise<Report[]> {
      return (await findBoth({ status: 'closed', closedAt: { $lt: cutoff }, anonymisedAt: null }, false)).map(toReport);
    },

    async byReceiptNo(district: string, receiptNo: string): Promise<Report | undefined> {
      const doc = await headByReceipt(district, receiptNo);
      return doc ? toReport(doc) : undefined;
    },
    async inScope(scope: ReportScope, receiptNo: string): Promise<Report | undefined> {
      const doc = await headByReceipt(scope.district, receiptNo);
      if (!doc || (scope.kind === 'dong' && doc.assignedDongCode !== scope.dongCode)) return undefined;
      return toReport(doc);
    },

    /** A chat reporter's latest reports ("조회"): their own small index, then each from the working set. */
    async latestOfReporter(channel: string, userId: string, limit: number): Promise<ReporterReport[]> {
      const refs = (await reporters.latest(channel, userId)).slice(0, limit);
      const found = await Promise.all(refs.map((ref) => Hot.findById(ref.id).lean<ReportDoc>()));
      // Not in the working set means archived, which only closed reports are.
      return refs.map((ref, i) => ({ ref, report: found[i] ? toReport(found[i]) : undefined }));
    },
    forgetReportersOlderThan: (cutoff: Date) => reporters.forgetOlderThan(cutoff),
    rememberForReporter: (channel: string, userId: string, ref: ReporterReportRef) => reporters.add(channel, userId, ref),
    /** The latest report at a normalized address since a date, for the duplicate link at filing. */
    latestAtAddress: (district: string, addressKey: string, since: Date) => addresses.latest(district, addressKey, since),
    rememberAddress: (district: string, addressKey: string, report: { receiptNo: string; receivedAt: Date }) =>
      addresses.remember(district, addressKey, report),

    /** Open reports of the district (the import's duplicate check): the working set only. */
    async openReports(district: string): Promise<Report[]> {
      return (await open.all(district)).map(toReport);
    },

    /**
     * The console's queue and lookups. The scope is required: a dong user's scope adds its dong
     * to every query, so a forgotten filter does not compile rather than leaking another dong.
     */
    async search(
      scope: ReportScope,
      filter: ReportFilter,
      page: { skip: number; limit: number },
      caseOrder?: (a: Report, b: Report) => number,
    ): Promise<{ items: Report[]; total: number }> {
      const q = scoped(scope, filter);
      const byField = filter.sort && filter.sort !== 'urgency';
      // "urgent first" is the next steps' order (domain/casework/next-step.ts) when the caller gives it
      const sorted = (docs: ReportDoc[]): Report[] => {
        if (!byField && caseOrder) return docs.map(toReport).sort(caseOrder);
        return docs.sort(byField ? compareBy(sortOf(filter.sort)) : queueOrder).map(toReport);
      };
      if (openAnswers(filter) || hotAnswers(filter)) {
        // One read gives the page and the total: FerretDB scans (and decodes) the whole collection
        // for each query, so a separate count would double the cost. The open cases are few
        // enough to sort in memory.
        const found = openAnswers(filter) ? await open.matching(q) : await Hot.find(q).setOptions(BATCH_QUERY).lean<ReportDoc[]>();
        const all = sorted(found);
        return { items: all.slice(page.skip, page.skip + page.limit), total: all.length };
      }
      const all = sorted(await findBoth(q, false));
      return { items: all.slice(page.skip, page.skip + page.limit), total: all.length };
    },
    /**
     * Every open case in the scope (the today pages ask each its next step): the open copies,
     * a few hundred packed documents, never the working set.
     */
    async openCasework(scope: ReportScope): Promise<Report[]> {
      return (await open.matching(scopeQuery(scope))).map(toReport);
    },
    /**
     * Reports with something to alert about since a time: 즉시 위험 received, a visit requested,
     * a visit reported (all recent or open, so in the working set).
     */
    /**
     * Reports with an alert event in the window: urgent ones received, visits requested, visit
     * results. Each of these leaves the report open, so the open copies answer (a few hundred packed
     * documents) instead of the working set, which the alert sweep would otherwise decode in full
     * every ten seconds (≈3 s a pass at 100,000 stored reports). A case closed before its alert was
     * sent needs no alert; its delivery record, if any, stays in the alert log.
     */
    async alertable(district: string, since: Date): Promise<Report[]> {
      const docs = await open.matching({
        district,
        $or: [{ urgency: 'immediate', receivedAt: { $gte: since } }, { visitRequestedAt: { $gte: since } }, { 'visit.at': { $gte: since } }],
      });
      return docs.map(toReport);
    },
    /**
     * Reports with a history entry since a time, with only what a reporter's news needs (the
     * reporter-news sweep, src/delivery/reporter-news.ts; changed reports are in the working set).
     */
    /**
     * Like `changedSince`, for the changes of the last minutes only (`after` within the hour the
     * revision claims are kept): the open copies and the claims made since, not the working set,
     * which the news sweep would otherwise decode in full every 30 s (≈3 s at 100,000 reports).
     * A report closed since `after` is in the claims; one filed since is in the open copies.
     * Dates are the history's own (the app's clock), not the claims' time of writing.
     */
    async changedRecently(district: string, after: Date): Promise<Pick<Report, 'receiptNo' | 'receivedAt' | 'reporter' | 'history' | 'source' | 'demo'>[]> {
      const newest = new Map<string, ReportDoc>();
      const keep = (d: ReportDoc) => {
        if (d.district === district && (newest.get(d._id)?.rev ?? 0) < d.rev) newest.set(d._id, d);
      };
      for (const d of await open.matching({ district, 'history.at': { $gte: after } })) keep(d);
      for (const c of await revisions.valuesMatching({ district, 'history.at': { $gte: after } }, 100_000)) keep(c.value);
      return [...newest.values()].filter((d) => d.history.some((h) => new Date(h.at) >= after)).map(toReport);
    },
    async changedSince(district: string, since: Date): Promise<Pick<Report, 'receiptNo' | 'receivedAt' | 'reporter' | 'history' | 'source' | 'demo'>[]> {
      return Hot.find({ district, 'history.at': { $gte: since } })
        .select({ receiptNo: 1, receivedAt: 1, reporter: 1, history: 1, source: 1, demo: 1 })
        .lean<Pick<ReportDoc, 'receiptNo' | 'receivedAt' | 'reporter' | 'history' | 'source' | 'demo'>[]>();
    },
    async count(scope: ReportScope, filter: ReportFilter): Promise<number> {
      const q = scoped(scope, filter);
      if (openAnswers(filter)) return (await open.matching(q)).length;
      if (hotAnswers(filter)) return Hot.countDocuments(q);
      return (await findBoth(q, false)).length;
    },

    /** Reports assigned to a dong and received in [start, end), oldest first (the weekly list). */
    async assignedBetween(district: string, dongCode: string, start: Date, end: Date): Promise<Report[]> {
      const docs = await findBoth({ district, assignedDongCode: dongCode, receivedAt: { $gte: start, $lt: end } }, start >= horizon());
      return docs.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime()).map(toReport);
    },
    /** Reports assigned to a dong, received before `before` and not closed (from the open copies). */
    async openAssignedBefore(district: string, dongCode: string, before: Date): Promise<Report[]> {
      const docs = await open.matching({ district, assignedDongCode: dongCode, status: { $in: OPEN_STATUSES }, receivedAt: { $lt: before } });
      return docs.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime()).map(toReport);
    },
    /** Every report of the district received in [start, end), unsorted (callers sort the small result). */
    async receivedBetween(district: string, start: Date, end: Date): Promise<Report[]> {
      return (await findBoth({ district, receivedAt: { $gte: start, $lt: end } }, start >= horizon())).map(toReport);
    },
    /** The district's reports received before `before` and not closed (from the open copies). */
    async openBefore(district: string, before: Date): Promise<Report[]> {
      return (await open.matching({ district, status: { $in: OPEN_STATUSES }, receivedAt: { $lt: before } })).map(toReport);
    },
    async list(filter: { district: string; dongCode?: string; since?: Date; limit?: number }): Promise<Report[]> {
      const q: Record<string, unknown> = { district: filter.district };
      if (filter.dongCode) q.assignedDongCode = filter.dongCode;
      if (filter.since) q.receivedAt = { $gte: filter.since };
      const docs = await findBoth(q, filter.since !== undefined && filter.since >= horizon());
      return docs
        .sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime())
        .slice(0, filter.limit ?? 1000)
        .map(toReport);
    },

    /**
     * Moves closed reports older than the working set's window to the archive, each as a claimed
     * revision (so a change racing the move is applied after it, and brings the report back).
     * Idempotent and safe on every instance at once; also prunes the claims and indexes' old entries.
     */
    async archiveSweep(district?: string): Promise<{ archived: number; pruned: number }> {
      const at = now();
      const q: Record<string, unknown> = { status: 'closed', receivedAt: { $lt: horizon() }, closedAt: { $lt: new Date(at.getTime() - 7 * DAY_MS) } };
      if (district) q.district = district;
      const due = await Hot.find(q).setOptions(BATCH_QUERY).lean<ReportDoc[]>();
      let archived = 0;
      for (const d of new Set(due.map((r) => r.district))) {
        await archiveBound.raise(d, new Date(Math.max(...due.filter((r) => r.district === d).map((r) => new Date(r.receivedAt).getTime()))));
      }
      for (const head of due) {
        const latest = await latestFrom(head);
        if (latest.status !== 'closed') continue;
        const moved = { ...latest, rev: latest.rev + 1 };
        if (!(await revisions.claim(head._id, moved.rev, moved, at))) continue;
        await replaceIfNewer(Archive, moved);
        await deleteIfOlder(Hot, moved._id, { $lte: moved.rev });
        await settle(moved);
        archived++;
      }
      // Claims older than an hour: first make sure their report's copy caught up, then drop them.
      let pruned = 0;
      for (const c of await revisions.olderThan(new Date(at.getTime() - 3_600_000), 5_000)) {
        const head = await headOf(c.key);
        if (!head || head.rev < c.rev) {
          await writeHot(c.value);
          await open.write(c.value);
        }
        await revisions.remove(c.key, c.rev);
        pruned++;
      }
      await addresses.prune(new Date(at.getTime() - 31 * DAY_MS));
      await repo.reconcileOpenCopies(district);
      return { archived, pruned };
    },
    /**
     * After a restore: every report with claims is brought to its newest claimed revision and
     * written where it belongs (a report that moved while the backup read may have no copy at all
     * but its claims). Reads the claims, which are the last hour's changes.
     */
    async settleClaims(): Promise<number> {
      const newest = new Map<string, ReportDoc>();
      for (const c of await revisions.olderThan(new Date(8.64e15), 1_000_000)) newest.set(c.key, c.value);
      for (const doc of newest.values()) await settle(doc);
      return newest.size;
    },
    /** Repairs the open copies from the working set (at start-up and in the purge job; see open-copies.ts). */
    async reconcileOpenCopies(district?: string): Promise<{ written: number; removed: number }> {
      const scope: Record<string, unknown> = district ? { district } : {};
      const openHot = await Hot.find({ ...scope, status: { $in: OPEN_STATUSES } }).setOptions(BATCH_QUERY).lean<ReportDoc[]>();
      return open.reconcile(scope, openHot, latestOf);
    },
  } satisfies ReportRepository & Record<string, unknown>;
  return repo;
}
export type ReportStore = ReturnType<typeof reportRepository>;
