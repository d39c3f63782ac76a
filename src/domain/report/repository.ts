import type { Report } from './report';
import type { ReportFilter, ReportScope } from './scope';
import type { ListMatch } from '../list-import/list-match';

/** What a chat reporter's "조회" keeps of each of their reports, so it never searches all reports. */
export interface ReporterReportRef {
  id: string;
  receiptNo: string;
  receivedAt: Date;
  dongCode: string | null;
  addressText: string;
}

/** A reporter's report: `report` is absent once it left the working set (archived, i.e. closed). */
export interface ReporterReport {
  ref: ReporterReportRef;
  report?: Report;
}

export type FileResult = { stored: Report; fresh: boolean } | { receiptTaken: true };

/**
 * What a bulk insert did with each report: `stored` now holds it under its id (this insert, or
 * an earlier try of the same submission); `receiptTaken` were refused because another report holds
 * their receipt number, and nothing of them is stored (draw fresh numbers and try again).
 */
/** A list row's report as a commit reads it back (a resumed commit's filed rows, its urgent rows). */
export type FiledRow = Pick<Report, 'id' | 'submissionId' | 'receiptNo' | 'receivedAt' | 'urgency' | 'status'>;

export interface InsertManyResult {
  stored: Report[];
  receiptTaken: Omit<Report, 'id'>[];
}

/**
 * The reports, as the domain needs them; src/store/report implements it on MongoDB/FerretDB.
 * Changes after filing go through `current` (or `byReceiptNo`) + `change` (compare-and-set on the
 * revision), and after a lost race `latestAfter` + `change` again.
 */
export interface ReportRepository {
  /**
   * Stores a new report once. `alongside` runs once it is in (this time or by an earlier try of
   * the same submission), beside the store's own follow-up writes, and `file` returns when both
   * are done: a filing's small indexes cost no round trip of their own.
   */
  file(report: Omit<Report, 'id' | 'rev'>, alongside?: (stored: Report) => Promise<unknown>): Promise<FileResult>;
  current(id: string): Promise<Report | undefined>;
  /**
   * The newest revision after `change(lost, …)` returned false: from the change that took its
   * place (which holds the whole report), without reading the report again from the start.
   */
  latestAfter(lost: Report): Promise<Report | undefined>;
  /**
   * A report read moments ago (from the open copies, within the hour its claims are kept) brought
   * to its newest revision through the newer claims alone: no read of the working set.
   */
  latestSince(read: Report): Promise<Report>;
  /** Stores `next` as the revision after `current`'s; false when another change took it first. */
  change(current: Report, next: Report): Promise<boolean>;
  /** By receipt number, as of the latest revision (like `current`). */
  byReceiptNo(district: string, receiptNo: string): Promise<Report | undefined>;
  inScope(scope: ReportScope, receiptNo: string): Promise<Report | undefined>;
  latestOfReporter(channel: string, userId: string, limit: number): Promise<ReporterReport[]>;
  rememberForReporter(channel: string, userId: string, ref: ReporterReportRef): Promise<void>;
  latestAtAddress(
    district: string,
    addressKey: string,
    since: Date,
  ): Promise<{ receiptNo: string; receivedAt: Date } | undefined>;
  rememberAddress(district: string, addressKey: string, report: { receiptNo: string; receivedAt: Date }): Promise<void>;
  openReports(district: string): Promise<Report[]>;
  /** Notes that a list named this open report's household, once per list ('already': noted before). */
  noteListMatch(match: ListMatch): Promise<'noted' | 'already'>;
  /** The lists that named the report's household, oldest first. */
  listMatchesOf(reportId: string): Promise<ListMatch[]>;
  /** Retention: the report's list matches removed with its details; returns how many went. */
  forgetListMatches(reportId: string): Promise<number>;
  /** Many reports stored as they are, in one unordered insert (a list import's batch, the demo seed). */
  insertMany(reports: Omit<Report, 'id'>[], where: 'hot' | 'archive'): Promise<InsertManyResult>;
  /** The reports one list import created, from the working set and the archive. */
  ofImport(district: string, importId: string): Promise<Report[]>;
  /** The same, each only as far as a commit needs it (which rows are filed, which are 즉시 위험): no whole report per row. */
  filedOfImport(district: string, importId: string): Promise<FiledRow[]>;
  /** Reports by receipt number, from the working set and the archive. */
  byReceiptNos(district: string, receiptNos: string[]): Promise<Report[]>;
  /** `caseOrder` replaces the default "urgent first" (the next steps' order, domain/casework/next-step.ts). */
  search(
    scope: ReportScope,
    filter: ReportFilter,
    page: { skip: number; limit: number },
    caseOrder?: (a: Report, b: Report) => number,
  ): Promise<{ items: Report[]; total: number }>;
  count(scope: ReportScope, filter: ReportFilter): Promise<number>;
  assignedBetween(district: string, dongCode: string, start: Date, end: Date): Promise<Report[]>;
  openAssignedBefore(district: string, dongCode: string, before: Date): Promise<Report[]>;
  receivedBetween(district: string, start: Date, end: Date): Promise<Report[]>;
  openBefore(district: string, before: Date): Promise<Report[]>;
  list(filter: { district: string; dongCode?: string; since?: Date; limit?: number }): Promise<Report[]>;
}

/** What the reporter-news sweeps read of a changed report. */
export type ChangedReport = Pick<Report, 'receiptNo' | 'receivedAt' | 'reporter' | 'history' | 'source' | 'demo'>;

/**
 * Everything the report store offers: the repository the domain's flows use, plus what the jobs,
 * the console's today pages and alerts, the CLI and the test fixtures need. src/store/report
 * implements it; the composition (src/services.ts) hands it out.
 */
export interface ReportStore extends ReportRepository {
  ensureIndexes(): Promise<void>;
  /** Like `change`, but the new revision stays where the report belongs (the retention job: a closed, old case stays archived). */
  changeInPlace(current: Report, next: Report): Promise<boolean>;
  /** Closed and received before the working set's window: the archive (as the archive sweep decides). */
  belongsInArchive(r: Pick<Report, 'status' | 'receivedAt' | 'closedAt'>): boolean;
  /** Retention: reports closed before `cutoff` and not yet anonymised. */
  closedBefore(cutoff: Date): Promise<Report[]>;
  /** Every open case in the scope (the today pages). */
  openCasework(scope: ReportScope): Promise<Report[]>;
  /** Reports with an alert event since a time (urgent ones received, visits requested or reported). */
  alertable(district: string, since: Date): Promise<Report[]>;
  /** Reports changed in the last minutes (within the hour the revision claims are kept). */
  changedRecently(district: string, after: Date): Promise<ChangedReport[]>;
  /** Reports with a history entry since a time (the working set). */
  changedSince(district: string, since: Date): Promise<ChangedReport[]>;
  forgetReportersOlderThan(cutoff: Date): Promise<number>;
  /** Test fixtures and the demo seed: a report stored as it is. */
  insert(report: Omit<Report, 'id'>, where?: 'hot' | 'archive'): Promise<Report>;
  /** Moves closed, old reports to the archive; prunes old claims and address entries; repairs the open copies. */
  archiveSweep(district?: string): Promise<{ archived: number; pruned: number }>;
  /** Only the prune of `archiveSweep` (claims older than an hour, after their copies caught up; old address entries): it reads no report collection. */
  pruneClaims(): Promise<number>;
  /** After a restore: every report with claims brought to its newest claimed revision. */
  settleClaims(): Promise<number>;
  /** Repairs the open and closed copies from the working set, and marks the closed ones complete (closed-copies.ts). */
  reconcileOpenCopies(district?: string): Promise<{ written: number; removed: number }>;
}
