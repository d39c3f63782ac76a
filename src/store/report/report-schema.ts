import { Schema, type Connection, type Model } from 'mongoose';
import type { HistoryEntry, Report } from '../../domain/report/report';
import { REPORT_STATUSES } from '../../domain/report/status';
import { charCount, LIMITS } from '../../domain/report/text-limits';
import { URGENCY_CODES } from '../../domain/report/urgency';

/**
 * A report as stored, in every collection that holds one (the working set, the archive, the
 * revision claims' `value`, the open copies' packed `view`): the domain's `Report` with its id as
 * `_id` and its revision always set. Made only by `toStored` (stored-form.ts).
 */
export type ReportDoc = Omit<Report, 'id' | 'rev'> & { _id: string; rev: number };

// `strict: 'throw'`: a field the schema does not know is an error at once (see stored-form.ts),
// never dropped in one collection while another keeps it.
const history = new Schema<HistoryEntry>(
  {
    at: { type: Date, required: true },
    by: { type: String, required: true },
    action: { type: String, required: true },
    from: String,
    to: String,
    note: String,
  },
  { _id: false, strict: 'throw' },
);

const withinLimit = (max: number) => ({
  validator: (v: unknown) => typeof v !== 'string' || charCount(v) <= max,
  message: `longer than ${max} characters`,
});

export const reportSchema = new Schema<ReportDoc>(
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
    address: {
      text: { type: String, validate: withinLimit(LIMITS.address.max) },
      dongCode: String,
      dongName: String,
      resolvedBy: String,
    },
    signs: [String],
    person: {
      name: String,
      age: Schema.Types.Mixed,
      phone: String,
      sex: { type: String, enum: ['female', 'male', null] },
    },
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
  { versionKey: false, minimize: false, strict: 'throw' },
);
reportSchema.index({ district: 1, receiptNo: 1 }, { unique: true }); // receipt lookup; never two alike
reportSchema.index({ district: 1, status: 1, urgencyRank: 1, receivedAt: 1 }); // the console queue: urgent, then oldest
reportSchema.index({ district: 1, assignedDongCode: 1, urgencyRank: 1, receivedAt: 1 }); // a dong center's queue
reportSchema.index({ district: 1, assignedDongCode: 1, receivedAt: -1 }); // a dong's weekly list (assignedBetween)
reportSchema.index({ district: 1, assignedDongCode: 1, status: 1, receivedAt: 1 }); // a dong's open reports from earlier weeks (openAssignedBefore)
reportSchema.index({ district: 1, receivedAt: 1 }); // the district's weekly summary and all dongs' lists at once (receivedBetween)
reportSchema.index({ district: 1, status: 1, receivedAt: 1 }); // all dongs' open reports from earlier weeks (openBefore)
reportSchema.index({ district: 1, visitRequestedAt: 1 }); // visit-request alerts (alertable)
reportSchema.index({ district: 1, 'source.importId': 1 }); // a list's own reports (its follow-up table; a resumed commit's filed rows)

/**
 * Reports live in two collections of the same shape:
 * - `reports`, the working set: every open report and every report received in the last
 *   `hotDays` days. Chat turns, the console's open queue and the recent weekly lists read only
 *   this, so their cost follows the open caseload, not the district's years of history.
 * - `reports_archive`: closed reports older than that, moved there by the archive sweep
 *   (report-maintenance.ts). Searches that include closed cases or old weeks read both.
 * The document `_id` is the filing's submissionId, so filing twice is the same insert.
 */
export function reportModels(conn: Connection): { Hot: Model<ReportDoc>; Archive: Model<ReportDoc> } {
  return {
    Hot: conn.models.Report ?? conn.model<ReportDoc>('Report', reportSchema, 'reports'),
    Archive: conn.models.ReportArchive ?? conn.model<ReportDoc>('ReportArchive', reportSchema, 'reports_archive'),
  };
}

export { BATCH_QUERY } from '../batch-read';
