import type { Report } from '../report/report';
import { addBusinessDays } from '../same-day';
import { seoulDate } from '../time';
import { todayWorklist, type TodayLine, type TodayRules } from './today';

/** A dong center's day: the visits it was asked for, the ones now late, and its cases in follow-up. */
export const DONG_TODAY_SECTIONS = ['late', 'visits', 'followUps'] as const;
export type DongTodaySection = (typeof DONG_TODAY_SECTIONS)[number];

export const DONG_TODAY_SECTION_LABELS: Record<DongTodaySection, string> = {
  late: '방문 결과 미보고',
  visits: '방문할 곳',
  followUps: '사후관리 안부 확인',
};

export type DongWorklist = Record<DongTodaySection, TodayLine[]>;

/**
 * Sorts a dong's open cases (already scoped to the dong) into its day. A requested visit is in
 * `visits` until it has waited the allowed business days, then in `late` (one place each, so the
 * counts add up); `followUps` are the dong's cases whose check-in call is due today or overdue —
 * the call center phones them, the dong center sees who may need a visit next. Urgent first, then
 * longest waiting, as on the call center's page.
 */
export function dongWorklist(reports: Report[], now: Date, rules: TodayRules): DongWorklist {
  const day = todayWorklist(reports, now, rules);
  const late = new Set(day.visits.map((l) => l.report.id));
  const visits: TodayLine[] = [];
  for (const r of reports) {
    if (r.status !== 'visit_requested' || late.has(r.id)) continue;
    const asked = r.visitRequestedAt ?? r.receivedAt;
    visits.push({ report: r, due: asked, lateDays: 0 });
  }
  visits.sort(
    (a, b) =>
      (a.report.urgencyRank ?? 0) - (b.report.urgencyRank ?? 0) ||
      new Date(a.due as Date).getTime() - new Date(b.due as Date).getTime() ||
      a.report.receiptNo.localeCompare(b.report.receiptNo),
  );
  return { late: day.visits, visits, followUps: day.calls };
}

/** The Seoul date by which a visit requested at `asked` should be reported (the business-day allowance). */
export const visitReportBy = (asked: Date, rules: TodayRules): string => addBusinessDays(seoulDate(asked), rules.visitReportBusinessDays);
