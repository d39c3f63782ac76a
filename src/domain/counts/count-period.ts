import type { District } from '../district';
import type { Report } from '../report/report';
import { emptyLine, tally, type Tally } from './tally';
import { monthsIn, weeksIn, type Period } from './period';

/** Where counts read reports from: the report repository's date-range query, nothing else. */
export interface CountSource {
  receivedBetween(district: string, start: Date, end: Date): Promise<Report[]>;
}

export interface PeriodCounts extends Tally {
  district: { id: string; name: string };
  period: Period;
}

/** Counts a period with every week and month of it present, even those with no report. */
export function countReports(district: District, period: Period, reports: Report[]): PeriodCounts {
  const t = tally(district, reports);
  const weeks = new Map(t.byWeek.map((l) => [l.key, l]));
  const months = new Map(t.byMonth.map((l) => [l.key, l]));
  return {
    ...t,
    byWeek: weeksIn(period).map((w) => weeks.get(w.id) ?? emptyLine(w.id, w.id)),
    byMonth: monthsIn(period).map((m) => months.get(m) ?? emptyLine(m, `${Number(m.slice(0, 4))}년 ${Number(m.slice(5))}월`)),
    district: { id: district.id, name: district.name },
    period,
  };
}

/** The period's counts for the district, from one date-range query. */
export async function countPeriod(deps: { reports: CountSource; district: District }, period: Period): Promise<PeriodCounts> {
  return countReports(deps.district, period, await deps.reports.receivedBetween(deps.district.id, period.start, period.end));
}
