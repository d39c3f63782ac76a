import * as holidays from '@hyunbinseo/holidays-kr/all';
import { isConsulted } from './counts/consultation';
import type { Report } from './report/report';
import { isOpen } from './report/status';
import { seoulDate, seoulMidnight } from './time';

/** Public holidays from the official gazette (2018–2027 in the installed package), as one set. */
const HOLIDAYS = new Set<string>(Object.values(holidays).flatMap((year) => Object.keys(year)));
const YEARS = new Set(Object.values(holidays).map((year) => Object.keys(year)[0]!.slice(0, 4)));

const addDays = (date: string, n: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/** Weekdays that are not public holidays. Years the package does not cover count weekends only. */
export function isBusinessDay(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !HOLIDAYS.has(date);
}

export const holidaysKnownFor = (year: number) => YEARS.has(String(year));

/**
 * The same-day rule (당일 접수 및 상담): a report is consulted by the end of the business day
 * it arrives on; one that arrives on a weekend or holiday, by the end of the next business day.
 */
export function consultDeadline(receivedAt: Date): Date {
  let day = seoulDate(receivedAt);
  while (!isBusinessDay(day)) day = addDays(day, 1);
  return seoulMidnight(addDays(day, 1));
}

export type SameDayState = 'done' | 'closed' | 'today' | 'pending' | 'overdue';

/**
 * Where a report stands against the rule: consulted, closed without one, due today, due later,
 * or late. Only a first consultation counts (src/domain/counts): a visit request or an
 * assignment without one still leaves the report waiting.
 */
export function sameDayState(
  report: Pick<Report, 'status' | 'receivedAt' | 'history' | 'consultation'>,
  now: Date,
): SameDayState {
  if (isConsulted(report)) return 'done';
  if (!isOpen(report.status)) return 'closed';
  if (now >= consultDeadline(report.receivedAt)) return 'overdue';
  return seoulDate(report.receivedAt) === seoulDate(now) ? 'today' : 'pending';
}

export const SAME_DAY_LABELS: Record<SameDayState, string> = {
  done: '상담 완료',
  closed: '상담 없이 종결',
  today: '오늘 접수 · 상담 필요',
  pending: '휴일 접수 · 다음 근무일 상담',
  overdue: '상담 기한 지남',
};

/**
 * Reports received before this instant and still unconsulted are past the deadline. Deadlines
 * only grow with the arrival day, so the cut is the first day whose deadline is still ahead.
 */
export function overdueBefore(now: Date): Date {
  let day = seoulDate(now);
  while (consultDeadline(seoulMidnight(addDays(day, -1))) > now) day = addDays(day, -1);
  return seoulMidnight(day);
}

/** The date `n` business days after `date` (weekends and public holidays skipped). */
export function addBusinessDays(date: string, n: number): string {
  let day = date;
  for (let left = n; left > 0; ) {
    day = addDays(day, 1);
    if (isBusinessDay(day)) left--;
  }
  return day;
}
