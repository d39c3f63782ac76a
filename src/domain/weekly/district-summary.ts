import type { District } from '../district';
import { countReports, type CountSource } from '../counts/count-period';
import { periodOfWeek } from '../counts/period';
import type { CountLine } from '../counts/tally';
import type { Report } from '../report/report';
import type { IsoWeek } from './iso-week';

/** One line of the welfare policy division's count: the counts module's line, nothing redefined. */
export type SummaryLine = CountLine;

export interface DistrictSummary {
  district: { id: string; name: string };
  week: IsoWeek;
  total: SummaryLine;
  byDong: SummaryLine[];
  byPartner: SummaryLine[];
}

/** The week's reports per dong (every dong, even with none) and per partner, by src/domain/counts. */
export function summarize(district: District, week: IsoWeek, reports: Report[]): DistrictSummary {
  const c = countReports(district, periodOfWeek(week), reports);
  return { district: c.district, week, total: c.total, byDong: c.byDong, byPartner: c.byPartner };
}

export async function buildDistrictSummary(deps: { reports: CountSource; district: District }, week: IsoWeek): Promise<DistrictSummary> {
  return summarize(deps.district, week, await deps.reports.receivedBetween(deps.district.id, week.start, week.end));
}
