import { seoulDate, seoulMidnight } from '../time';
import { addWeeks, weekOf, type IsoWeek } from '../weekly/iso-week';

/** A span of Seoul calendar days, both ends included; what every count is asked for. */
export interface Period {
  /** First day, YYYY-MM-DD (Seoul). */
  from: string;
  /** Last day, YYYY-MM-DD (Seoul), included. */
  to: string;
  /** Midnight in Seoul starting `from` (inclusive). */
  start: Date;
  /** Midnight in Seoul after `to` (exclusive). */
  end: Date;
}

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The longest period counted at once: beyond that, ask per year. */
export const MAX_PERIOD_DAYS = 366 * 2;

const isRealDate = (d: string) => DATE.test(d) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;

export type PeriodError = 'bad_date' | 'reversed' | 'too_long';

export const PERIOD_ERRORS_KO: Record<PeriodError, string> = {
  bad_date: '날짜를 YYYY-MM-DD 형식의 실제 날짜로 입력해 주세요.',
  reversed: '시작일이 종료일보다 늦습니다.',
  too_long: '기간은 2년 이내로 선택해 주세요.',
};

export function periodOf(from: string, to: string): Period | { error: PeriodError } {
  if (!isRealDate(from) || !isRealDate(to)) return { error: 'bad_date' };
  if (from > to) return { error: 'reversed' };
  const start = seoulMidnight(from);
  const end = new Date(seoulMidnight(to).getTime() + DAY_MS);
  if ((end.getTime() - start.getTime()) / DAY_MS > MAX_PERIOD_DAYS) return { error: 'too_long' };
  return { from, to, start, end };
}

/** The same days as an ISO week. */
export function periodOfWeek(week: IsoWeek): Period {
  return {
    from: seoulDate(week.start),
    to: seoulDate(new Date(week.end.getTime() - DAY_MS)),
    start: week.start,
    end: week.end,
  };
}

/** The default view: the last `weeks` ISO weeks up to and including the current one. */
export function recentWeeks(now: Date, weeks: number): Period {
  const last = weekOf(now);
  const first = addWeeks(last, -(weeks - 1));
  return { ...periodOfWeek(first), to: periodOfWeek(last).to, end: last.end };
}

/** "2026-11-01 ~ 2026-11-30": how a period reads on a page and in a file. */
export const periodLabel = (p: Period) => (p.from === p.to ? p.from : `${p.from} ~ ${p.to}`);

/** The ISO weeks that overlap the period, oldest first. */
export function weeksIn(p: Period): IsoWeek[] {
  const out: IsoWeek[] = [];
  for (let w = weekOf(p.start); w.start < p.end; w = addWeeks(w, 1)) out.push(w);
  return out;
}

/** The Seoul months ("2026-11") that overlap the period, oldest first. */
export function monthsIn(p: Period): string[] {
  const out: string[] = [];
  let [y, m] = p.from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = p.to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= last) return out;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
}
