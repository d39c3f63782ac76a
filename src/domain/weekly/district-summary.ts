import type { District } from '../district';
import { countReports, type CountSource } from '../counts/count-period';
import { periodOfWeek } from '../counts/period';
import type { CountLine } from '../counts/tally';
import type { Report } from '../report/report';
import type { IsoWeek } from './iso-week';
import { listProgress, type ListProgress } from '../list-progress';

/** One line of the welfare policy division's count: the counts module's line, nothing redefined. */
export type SummaryLine = CountLine;

export interface DistrictSummary {
  district: { id: string; name: string };
  week: IsoWeek;
  total: SummaryLine;
  byDong: SummaryLine[];
  byPartner: SummaryLine[];
  /** Each list imported this week, followed like the seed's KEPCO list (households → visited → closed). */
  byList: ListProgress[];
}

/** The week's reports per dong (every dong, even with none) and per partner, by src/domain/counts. */
export function summarize(district: District, week: IsoWeek, reports: Report[]): DistrictSummary {
  const c = countReports(district, periodOfWeek(week), reports);
  return {
    district: c.district,
    week,
    total: c.total,
    byDong: c.byDong,
    byPartner: c.byPartner,
    byList: listsOf(district, reports),
  };
}

export async function buildDistrictSummary(
  deps: { reports: CountSource; district: District },
  week: IsoWeek,
): Promise<DistrictSummary> {
  return summarize(deps.district, week, await deps.reports.receivedBetween(deps.district.id, week.start, week.end));
}

function listsOf(district: District, reports: Report[]): ListProgress[] {
  const lists = new Map<string, Report[]>();
  for (const r of reports) {
    if (r.source?.kind !== 'list') continue;
    const key = `${r.partner.name} · ${r.source.listName}`;
    lists.set(key, [...(lists.get(key) ?? []), r]);
  }
  return [...lists].map(([label, rs]) => listProgress(label, rs, district));
}
