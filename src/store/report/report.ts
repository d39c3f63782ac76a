import { Schema, type Connection } from 'mongoose';
import type { HistoryEntry, Report } from '../../domain/report/report';
import { OPEN_STATUSES, REPORT_STATUSES, type ReportStatus } from '../../domain/report/status';
import { URGENCY_CODES } from '../../domain/report/urgency';
import { scoped, scopeQuery, type ReportFilter, type ReportScope } from './report-query';

export type { HistoryEntry, Report, ReportStatus };

type ReportDoc = Omit<Report, 'id'>;

const history = new Schema<HistoryEntry>(
  { at: { type: Date, required: true }, by: { type: String, required: true }, action: { type: String, required: true }, from: String, to: String, note: String },
  { _id: false },
);

const schema = new Schema<ReportDoc>(
  {
    district: { type: String, required: true },
    receiptNo: { type: String, required: true },
    submissionId: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    partner: { id: String, name: String, kind: String },
    reporter: { channel: String, userId: String },
    reporterContact: { type: { _id: false, name: String, phone: String }, default: null },
    address: { text: String, dongCode: String, dongName: String, resolvedBy: String },
    signs: [String],
    person: { name: String, age: Schema.Types.Mixed, phone: String },
    situation: { type: String, required: true, maxlength: 1000 },
    urgency: { type: String, required: true, enum: URGENCY_CODES },
    status: { type: String, required: true, enum: REPORT_STATUSES },
    assignedDongCode: { type: String, default: null },
    consultation: { type: Schema.Types.Mixed, default: null },
    visit: { type: Schema.Types.Mixed, default: null },
    followUpDue: { type: String, default: null },
    closedAt: { type: Date, default: null },
    addressKey: { type: String, default: null },
    duplicateOf: { type: String, default: null },
    duplicateState: { type: String, default: null },
    urgencyRank: { type: Number },
    history: [history],
  },
  { collection: 'reports', versionKey: false, minimize: false },
);
schema.index({ district: 1, receiptNo: 1 }, { unique: true }); // receipt lookup; never two alike
schema.index({ submissionId: 1 }, { unique: true }); // a repeated "접수" files once
schema.index({ 'reporter.channel': 1, 'reporter.userId': 1, receivedAt: -1 }); // "조회": a reporter's latest
schema.index({ district: 1, addressKey: 1, receivedAt: -1 }); // duplicate check at filing
schema.index({ district: 1, status: 1, urgencyRank: 1, receivedAt: 1 }); // the console queue: urgent, then oldest
schema.index({ district: 1, assignedDongCode: 1, urgencyRank: 1, receivedAt: 1 }); // a dong center's queue
schema.index({ district: 1, assignedDongCode: 1, receivedAt: -1 }); // lists per dong and date; a dong's weekly list (receivedInWeek)
schema.index({ district: 1, assignedDongCode: 1, status: 1, receivedAt: 1 }); // a dong's open reports from earlier weeks (openBefore)
schema.index({ district: 1, receivedAt: 1 }); // the district's weekly summary and all dongs' lists at once (receivedBetween)
schema.index({ district: 1, status: 1, receivedAt: 1 }); // all dongs' open reports from earlier weeks (openBefore)

/**
 * For the weekly queries, which run in batch jobs, not chat turns: the driver's per-operation
 * timeout replaces the connection's 20 s socket timeout. FerretDB on SQLite answers these by
 * scanning the collection (about 15 s per 100,000 reports on 2 cores), which may outlast it.
 */
const BATCH_QUERY = { timeoutMS: 10 * 60_000 } as Record<string, unknown>;

const toReport = (d: ReportDoc & { _id: { toString(): string } }): Report => {
  const { _id, ...rest } = d;
  return { id: _id.toString(), ...rest };
};

export function reportRepository(conn: Connection) {
  const Model = conn.models.Report ?? conn.model<ReportDoc>('Report', schema);
  return {
    model: Model,
    /** One insert: the report and its first history entry are stored together or not at all. */
    async insert(report: ReportDoc): Promise<Report> {
      const doc = await Model.create(report);
      return toReport(doc.toObject());
    },
    async bySubmissionId(submissionId: string): Promise<Report | undefined> {
      const doc = await Model.findOne({ submissionId }).lean<ReportDoc & { _id: string }>();
      return doc ? toReport(doc) : undefined;
    },
    async byReceiptNo(district: string, receiptNo: string): Promise<Report | undefined> {
      const doc = await Model.findOne({ district, receiptNo }).lean<ReportDoc & { _id: string }>();
      return doc ? toReport(doc) : undefined;
    },
    async latestOfReporter(channel: string, userId: string, limit: number): Promise<Report[]> {
      const docs = await Model.find({ 'reporter.channel': channel, 'reporter.userId': userId })
        .sort({ receivedAt: -1 })
        .limit(limit)
        .lean<(ReportDoc & { _id: string })[]>();
      return docs.map(toReport);
    },
    /**
     * The one way a report changes after filing: fields and a history entry in one update,
     * conditional on the status the change was decided from. History is only ever appended.
     */
    async applyChange(id: string, fromStatus: ReportStatus, set: Record<string, unknown>, entry: HistoryEntry): Promise<Report | undefined> {
      const doc = await Model.findOneAndUpdate(
        { _id: id, status: fromStatus },
        { $set: set, $push: { history: entry } },
        { new: true },
      ).lean<ReportDoc & { _id: string }>();
      return doc ? toReport(doc) : undefined;
    },
    /** The latest report of the same address since a date, for the duplicate link at filing. */
    async latestAtAddress(district: string, addressKey: string, since: Date): Promise<Report | undefined> {
      const doc = await Model.findOne({ district, addressKey, receivedAt: { $gte: since } })
        .sort({ receivedAt: -1 })
        .lean<ReportDoc & { _id: string }>();
      return doc ? toReport(doc) : undefined;
    },
    /**
     * The console's queue and lookups. The scope is required: a dong user's scope adds its dong
     * to every query, so a forgotten filter does not compile rather than leaking another dong.
     */
    async search(scope: ReportScope, filter: ReportFilter, page: { skip: number; limit: number }): Promise<{ items: Report[]; total: number }> {
      const q = scoped(scope, filter);
      const [docs, total] = await Promise.all([
        Model.find(q).sort({ urgencyRank: 1, receivedAt: 1, receiptNo: 1 }).skip(page.skip).limit(page.limit).lean<(ReportDoc & { _id: string })[]>(),
        Model.countDocuments(q),
      ]);
      return { items: docs.map(toReport), total };
    },
    async count(scope: ReportScope, filter: ReportFilter): Promise<number> {
      return Model.countDocuments(scoped(scope, filter));
    },
    async inScope(scope: ReportScope, receiptNo: string): Promise<Report | undefined> {
      const doc = await Model.findOne({ receiptNo, ...scopeQuery(scope) }).lean<ReportDoc & { _id: string }>();
      return doc ? toReport(doc) : undefined;
    },
    /** Reports assigned to a dong and received in [start, end), oldest first (the weekly list). */
    async assignedBetween(district: string, dongCode: string, start: Date, end: Date): Promise<Report[]> {
      const docs = await Model.find({ district, assignedDongCode: dongCode, receivedAt: { $gte: start, $lt: end } })
        .sort({ receivedAt: 1 })
        .setOptions(BATCH_QUERY)
        .lean<(ReportDoc & { _id: string })[]>();
      return docs.map(toReport);
    },
    /** Reports assigned to a dong, received before `before` and not closed (carried into the next list). */
    async openAssignedBefore(district: string, dongCode: string, before: Date): Promise<Report[]> {
      const docs = await Model.find({ district, assignedDongCode: dongCode, status: { $in: OPEN_STATUSES }, receivedAt: { $lt: before } })
        .sort({ receivedAt: 1 })
        .setOptions(BATCH_QUERY)
        .lean<(ReportDoc & { _id: string })[]>();
      return docs.map(toReport);
    },
    /**
     * Every report of the district received in [start, end) (the district summary, and all dongs'
     * lists at once). Unsorted: FerretDB filters by scanning, and a server-side sort would make it
     * finish the whole scan in one command; callers sort the (small) result.
     */
    async receivedBetween(district: string, start: Date, end: Date): Promise<Report[]> {
      const docs = await Model.find({ district, receivedAt: { $gte: start, $lt: end } }).setOptions(BATCH_QUERY)
        .lean<(ReportDoc & { _id: string })[]>();
      return docs.map(toReport);
    },
    /** The district's reports received before `before` and not closed (all dongs' carried sections). */
    async openBefore(district: string, before: Date): Promise<Report[]> {
      const docs = await Model.find({ district, status: { $in: OPEN_STATUSES }, receivedAt: { $lt: before } }).setOptions(BATCH_QUERY)
        .lean<(ReportDoc & { _id: string })[]>();
      return docs.map(toReport);
    },
    async list(filter: { district: string; dongCode?: string; since?: Date; limit?: number }): Promise<Report[]> {
      const q: Record<string, unknown> = { district: filter.district };
      if (filter.dongCode) q.assignedDongCode = filter.dongCode;
      if (filter.since) q.receivedAt = { $gte: filter.since };
      const docs = await Model.find(q).sort({ receivedAt: -1 }).limit(filter.limit ?? 1000).lean<(ReportDoc & { _id: string })[]>();
      return docs.map(toReport);
    },
  };
}
export type ReportRepository = ReturnType<typeof reportRepository>;
