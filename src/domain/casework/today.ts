import type { Report } from '../report/report';
import { isOpen } from '../report/status';
import { addBusinessDays, consultDeadline } from '../same-day';
import { seoulDate, seoulMidnight } from '../time';
import { addDaysTo } from '../report/follow-up';

/** The call center's day (오늘 할 일): what each section holds, in the order staff work it. */
export const TODAY_SECTIONS = ['overdue', 'consult', 'calls', 'visits', 'duplicates'] as const;
export type TodaySection = (typeof TODAY_SECTIONS)[number];

export const TODAY_SECTION_LABELS: Record<TodaySection, string> = {
  overdue: '상담 기한 지남',
  consult: '1차 상담 대기',
  calls: '오늘 안부 전화',
  visits: '방문 결과 미보고',
  duplicates: '중복 의심',
};

export interface TodayLine {
  report: Report;
  /** consult/overdue: the consultation deadline; calls: the call's due date; visits: when the visit was requested. */
  due: Date | string | null;
  /** calls: days past the due date; visits: business days waited beyond the allowance. */
  lateDays?: number;
}

export type TodayWorklist = Record<TodaySection, TodayLine[]> & { immediateUnconsulted: Report[] };

export interface TodayRules {
  /** A requested visit not reported after this many business days is listed (config). */
  visitReportBusinessDays: number;
}

const byUrgencyThen = (key: (l: TodayLine) => number) => (a: TodayLine, b: TodayLine) =>
  (a.report.urgencyRank ?? 0) - (b.report.urgencyRank ?? 0) || key(a) - key(b) || a.report.receiptNo.localeCompare(b.report.receiptNo);

const daysBetween = (from: string, to: string) => Math.round((seoulMidnight(to).getTime() - seoulMidnight(from).getTime()) / 86_400_000);

/**
 * Sorts the open cases into the day's sections. Every section is urgent first, then the
 * longest waiting. A report appears once per reason (a suspected duplicate still due for
 * consultation is in both lists: two different things to do).
 */
export function todayWorklist(reports: Report[], now: Date, rules: TodayRules): TodayWorklist {
  const today = seoulDate(now);
  const endOfToday = seoulMidnight(addDaysTo(today, 1));
  const out: TodayWorklist = { overdue: [], consult: [], calls: [], visits: [], duplicates: [], immediateUnconsulted: [] };
  for (const r of reports) {
    if (!isOpen(r.status)) continue;
    if (r.status === 'received') {
      const deadline = consultDeadline(r.receivedAt);
      if (r.urgency === 'immediate') out.immediateUnconsulted.push(r);
      if (deadline <= now) out.overdue.push({ report: r, due: deadline });
      else out.consult.push({ report: r, due: deadline });
    }
    if (r.status === 'follow_up') {
      const due = r.followUp?.nextDue ?? r.followUpDue ?? null;
      if (due && seoulMidnight(due) < endOfToday) out.calls.push({ report: r, due, lateDays: Math.max(0, daysBetween(due, today)) });
    }
    if (r.status === 'visit_requested') {
      const asked = r.visitRequestedAt ?? [...(r.history ?? [])].reverse().find((h) => h.to === 'visit_requested')?.at ?? r.receivedAt;
      const cut = addBusinessDays(seoulDate(asked), rules.visitReportBusinessDays);
      if (cut <= today) out.visits.push({ report: r, due: asked, lateDays: daysBetween(cut, today) });
    }
    if (r.duplicateState === 'suspected') out.duplicates.push({ report: r, due: null });
  }
  const time = (l: TodayLine) => (l.due ? new Date(l.due).getTime() : l.report.receivedAt.getTime());
  out.overdue.sort(byUrgencyThen(time));
  out.consult.sort(byUrgencyThen(time));
  out.calls.sort(byUrgencyThen(time));
  out.visits.sort(byUrgencyThen(time));
  out.duplicates.sort(byUrgencyThen((l) => l.report.receivedAt.getTime()));
  return out;
}
