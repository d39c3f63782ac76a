import type { District } from '../domain/district';
import type { Report } from '../domain/report/report';
import type { ReportRepository } from '../domain/report/repository';
import { householdKey, HouseholdIndex } from './household';

export interface OpenCase {
  /** The report's id: a link is applied by `_id` (a read FerretDB answers without a scan). */
  reportId: string;
  receiptNo: string;
  importId: string | null;
  /** The report as the open copies held it when read (the commit brings it up to date through its claims). */
  report: Report;
}

/**
 * The district's open reports as a household index, read once per import pass through the
 * report repository's open working set (never a query per row).
 */
export async function openCases(reports: ReportRepository, district: District): Promise<HouseholdIndex<OpenCase>> {
  const open = await reports.openReports(district.id); // the working set: open reports only
  const index = new HouseholdIndex<OpenCase>();
  for (const r of open) {
    index.add(
      { key: householdKey(r.address.text, district), name: r.person.name, phone: r.person.phone },
      { reportId: r.id, receiptNo: r.receiptNo, importId: r.source?.importId ?? null, report: r },
    );
  }
  return index;
}
