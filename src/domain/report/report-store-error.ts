/**
 * Why the report store refused a write, as a code callers match (never the message text). A
 * duplicate is not an error: `file` and `insertMany` return what was refused as a result.
 */
export enum ReportStoreErrorCode {
  /** The report carries a field its stored form does not know: stored nowhere rather than dropped in one collection. */
  UnknownField = 'report_store_unknown_field',
}

export class ReportStoreError extends Error {
  constructor(
    readonly code: ReportStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReportStoreError';
  }
}
