import type { District } from '../district';
import type { Report } from '../report/report';
import { emptyLine, tally, type Tally } from './tally';
import { monthsIn, weeksIn, type Period } from './period';
import { weekStartKo } from '../weekly/iso-week';

/** Where counts read reports from: the report repository's date-range query, nothing else. */
export interface CountSource {
  receivedBetween(district: string, start: Date, end: Date): Promise<Report[]>;
}

export interface PeriodCounts extends Tally {
  district: { id: string; name: string };
  period: Period;
}

/**
 * Counts a period with every week and month of it present, even those with no report. Weeks are
 * named by their Monday ("11월 16일 주"; with the year when the period spans two). `now`: the time
 * of counting, for the same-day rate's 진행 중 (see `addReport`).
 */
export function countReports(district: District, period: Period, reports: Report[], now?: Date): PeriodCounts {
  const t = tally(district, reports, now);
  const weekList = weeksIn(period);
  const withYear = new Set(weekList.map((w) => weekStartKo(w, true).slice(0, 5))).size > 1;
  const weeks = new Map(t.byWeek.map((l) => [l.key, l]));
  const months = new Map(t.byMonth.map((l) => [l.key, l]));
  return {
    ...t,
    byWeek: weekList.map((w) => ({ ...(weeks.get(w.id) ?? emptyLine(w.id, '')), label: weekStartKo(w, withYear) })),
    byMonth: monthsIn(period).map(
      (m) => months.get(m) ?? emptyLine(m, `${Number(m.slice(0, 4))}년 ${Number(m.slice(5))}월`),
    ),
    district: { id: district.id, name: district.name },
    period,
  };
}

/** The period's counts for the district, from one date-range query. */
export async function countPeriod(
  deps: { reports: CountSource; district: District },
  period: Period,
  now?: Date,
): Promise<PeriodCounts> {
  return countReports(
    deps.district,
    period,
    await deps.reports.receivedBetween(deps.district.id, period.start, period.end),
    now,
  );
}
