import type { Report } from '../domain/report/report';
import type { FiledRow, ReportRepository } from '../domain/report/repository';

/**
 * The reports one import created (for its follow-up table, and to skip rows already filed when
 * a commit resumes), from the working set and the archive (a list's closed households are
 * archived). One read per page view or commit, never per row.
 */
export function reportsOfImport(reports: ReportRepository, district: string, importId: string): Promise<Report[]> {
  return reports.ofImport(district, importId);
}

/** The open reports a list was linked to (their receipt numbers are kept on the import's commit). */
export function reportsByReceipts(
  reports: ReportRepository,
  district: string,
  receiptNos: string[],
): Promise<Report[]> {
  return reports.byReceiptNos(district, receiptNos);
}

/** The rows one import filed, slim: a commit reads them at its start (rows to skip) and end (즉시 위험 rows). */
export function filedRowsOfImport(reports: ReportRepository, district: string, importId: string): Promise<FiledRow[]> {
  return reports.filedOfImport(district, importId);
}
