import type { Report } from '../domain/report/report';
import type { Repositories } from '../ports';

/** Batch reads run with their own timeout: FerretDB answers them by scanning the collection. */
const BATCH = { timeoutMS: 10 * 60_000 } as Record<string, unknown>;

type Doc = Omit<Report, 'id'> & { _id: { toString(): string } };
const toReport = ({ _id, ...rest }: Doc): Report => ({ id: _id.toString(), ...rest });

/** Reads both the working set and the archive (a list's closed households are archived). */
async function find(reports: Repositories['reports'], query: Record<string, unknown>): Promise<Report[]> {
  const [hot, archived] = await Promise.all([
    reports.hot.find(query).setOptions(BATCH).lean<Doc[]>(),
    reports.archive.find(query).setOptions(BATCH).lean<Doc[]>(),
  ]);
  const seen = new Set<string>();
  return [...hot, ...archived].map(toReport).filter((r) => !seen.has(r.receiptNo) && !!seen.add(r.receiptNo));
}

/**
 * The reports one import created (for its follow-up table, and to skip rows already filed when
 * a commit resumes). One read per page view or commit, never per row.
 */
export function reportsOfImport(reports: Repositories['reports'], district: string, importId: string): Promise<Report[]> {
  return find(reports, { district, 'source.importId': importId });
}

/** The open reports a list was linked to (their receipt numbers are kept on the import's commit). */
export async function reportsByReceipts(reports: Repositories['reports'], district: string, receiptNos: string[]): Promise<Report[]> {
  return receiptNos.length ? find(reports, { district, receiptNo: { $in: receiptNos } }) : [];
}
