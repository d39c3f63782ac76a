import type { Report } from '../report/report';
import { type CaseCalendar, isOnPage, type NextStep, nextStep, STEP_KINDS, type StepKind } from './next-step';

/**
 * A today page (오늘 할 일): every case whose next step (next-step.ts) is open now and belongs to
 * the page's owner — the call center's, or one dong center's. Urgent cases come first in a
 * section of their own, the rest by due time; the counts are of the same lines.
 */
export type TodayOwner = { kind: 'callcenter' } | { kind: 'dong'; dongCode: string };

export interface TodayLine {
  report: Report;
  step: NextStep;
}

export interface TodayWorklist {
  /** 즉시 위험 cases, soonest due first. */
  urgent: TodayLine[];
  /** Every other case, soonest due first (overdue ones are the earliest). */
  rest: TodayLine[];
  /** Lines per step kind, urgent ones included (the tiles). */
  counts: Record<StepKind, number>;
  overdue: number;
}

const byDue = (a: TodayLine, b: TodayLine) =>
  a.step.dueAt.getTime() - b.step.dueAt.getTime() || a.report.receiptNo.localeCompare(b.report.receiptNo);

/** The page's lines; `only` narrows to one step kind (a tile's link), the counts stay whole. */
export function todayWorklist(
  reports: Report[],
  owner: TodayOwner,
  now: Date,
  calendar: CaseCalendar,
  only?: StepKind,
): TodayWorklist {
  const counts = Object.fromEntries(STEP_KINDS.map((k) => [k, 0])) as Record<StepKind, number>;
  const out: TodayWorklist = { urgent: [], rest: [], counts, overdue: 0 };
  for (const report of reports) {
    const step = nextStep(report, now, calendar);
    if (!step || !isOnPage(step, owner)) continue;
    counts[step.kind]++;
    if (step.state === 'overdue') out.overdue++;
    if (only && step.kind !== only) continue;
    (step.urgent ? out.urgent : out.rest).push({ report, step });
  }
  out.urgent.sort(byDue);
  out.rest.sort(byDue);
  return out;
}

/** The step kinds each page can hold, in the order of the work (its tiles). */
export const PAGE_KINDS: Record<TodayOwner['kind'], readonly StepKind[]> = {
  callcenter: [
    'first_consult',
    'check_duplicate',
    'recall',
    'assign_dong',
    'request_visit',
    'check_in_call',
    'review_close',
  ],
  dong: ['report_visit'],
};
