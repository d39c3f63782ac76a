import type { Report } from '../domain/report/report';
import type { ReportRepository } from '../store/report/report';

/** Batch reads run with their own timeout: FerretDB answers them by scanning the collection. */
const BATCH = { timeoutMS: 10 * 60_000 } as Record<string, unknown>;

/**
 * The reports one import created (for its follow-up table, and to skip rows already filed when
 * a commit resumes). One read per page view or commit, never per row.
 */
export async function reportsOfImport(reports: ReportRepository, district: string, importId: string): Promise<Report[]> {
  const docs = await reports.model
    .find({ district, 'source.importId': importId })
    .setOptions(BATCH)
    .lean<(Omit<Report, 'id'> & { _id: { toString(): string } })[]>();
  return docs.map(({ _id, ...rest }) => ({ id: _id.toString(), ...rest }));
}

/** The open reports a list was linked to (their receipt numbers are kept on the import's commit). */
export async function reportsByReceipts(reports: ReportRepository, district: string, receiptNos: string[]): Promise<Report[]> {
  if (!receiptNos.length) return [];
  const docs = await reports.model
    .find({ district, receiptNo: { $in: receiptNos } })
    .setOptions(BATCH)
    .lean<(Omit<Report, 'id'> & { _id: { toString(): string } })[]>();
  return docs.map(({ _id, ...rest }) => ({ id: _id.toString(), ...rest }));
}
