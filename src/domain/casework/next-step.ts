import { BUSINESS_HOURS } from '../first-call';
import type { Report } from '../report/report';
import { isOpen } from '../report/status';
import { addBusinessDays, isBusinessDay } from '../same-day';
import { seoulDate, seoulMidnight } from '../time';
import { addDaysTo } from '../report/follow-up';

/**
 * What happens next to a case (다음 할 일): the one rule every list reads. The today pages, the
 * queue's order, the counts and the alerts ask `nextStep`; none decides "is this case waiting,
 * and for whom" on its own, so no case can be left off every list by two rules that disagree.
 */
export const STEP_KINDS = [
  'first_consult',
  'check_duplicate',
  'recall',
  'assign_dong',
  'request_visit',
  'report_visit',
  'check_in_call',
  'review_close',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const STEP_LABELS: Record<StepKind, string> = {
  first_consult: '1차 상담',
  check_duplicate: '중복 확인',
  recall: '재통화',
  assign_dong: '동 배정',
  request_visit: '방문 요청',
  report_visit: '방문 결과 보고',
  check_in_call: '안부 전화',
  review_close: '종결 검토',
};

/** Whose step: the call center (a named counsellor when the case has a 담당), or one dong center. */
export type StepOwner = { kind: 'callcenter'; staff: string | null } | { kind: 'dong'; dongCode: string };

export interface NextStep {
  kind: StepKind;
  owner: StepOwner;
  /** From when the step is on its owner's today page (a check-in call: its day; the rest: at once). */
  opensAt: Date;
  /** When it should be done by (business days and hours of the district's calendar). */
  dueAt: Date;
  /** 즉시 위험: the urgent section at the top of the page, and shorter allowances. */
  urgent: boolean;
  /** Where the case stands against the step at `now`. */
  state: 'later' | 'due' | 'overdue';
}

/** The district's calendar and allowances (business days come from same-day.ts's public holidays). */
export interface CaseCalendar {
  isBusinessDay: (date: string) => boolean;
  hours: { start: number; end: number };
  /** Business days a dong center has to report a requested visit (TODAY_VISIT_REPORT_BUSINESS_DAYS). */
  visitReportBusinessDays: number;
  /** Minutes of working time an urgent case's call-center step may wait. */
  urgentMinutes: number;
}

export const defaultCalendar = (visitReportBusinessDays = 3): CaseCalendar => ({
  isBusinessDay,
  hours: { ...BUSINESS_HOURS },
  visitReportBusinessDays,
  urgentMinutes: 60,
});

const HOUR_MS = 3_600_000;
const seoulHour = (d: Date) => Math.floor(((d.getTime() + 9 * HOUR_MS) % 86_400_000) / HOUR_MS);

/** The first business day on or after a date. */
function businessDayFrom(date: string, cal: CaseCalendar): string {
  let day = date;
  while (!cal.isBusinessDay(day)) day = addDaysTo(day, 1);
  return day;
}

/**
 * The end of the business day `n` business days after `at`'s day (n = 0: that day, or the next
 * business day when it falls on a weekend or holiday) — the same-day rule's deadline for n = 0.
 */
export function endOfBusinessDays(at: Date, n: number, cal: CaseCalendar): Date {
  const first = businessDayFrom(seoulDate(at), cal);
  const day = n > 0 ? addBusinessDaysWith(first, n, cal) : first;
  return seoulMidnight(addDaysTo(day, 1));
}

const addBusinessDaysWith = (date: string, n: number, cal: CaseCalendar) => {
  if (cal.isBusinessDay === isBusinessDay) return addBusinessDays(date, n);
  let day = date;
  for (let left = n; left > 0; ) {
    day = addDaysTo(day, 1);
    if (cal.isBusinessDay(day)) left--;
  }
  return day;
};

/**
 * An urgent step's deadline: `urgentMinutes` of working time after `at` — within working hours
 * at once, otherwise from the next opening (the on-call route covers the hours between).
 */
export function urgentDue(at: Date, cal: CaseCalendar): Date {
  const day = seoulDate(at);
  const hour = seoulHour(at);
  const open = (d: string) => new Date(seoulMidnight(d).getTime() + cal.hours.start * HOUR_MS);
  let start: Date;
  if (cal.isBusinessDay(day) && hour >= cal.hours.start && hour < cal.hours.end) start = at;
  else if (cal.isBusinessDay(day) && hour < cal.hours.start) start = open(day);
  else start = open(businessDayFrom(addDaysTo(day, 1), cal));
  return new Date(start.getTime() + cal.urgentMinutes * 60_000);
}

/** When the case entered its current state (older reports, stored before the field: the latest known event). */
function since(r: Report): Date {
  if (r.stepSince) return new Date(r.stepSince);
  const times = [r.receivedAt, r.consultation?.at, r.visitRequestedAt, r.visit?.at]
    .filter((t): t is Date => !!t)
    .map((t) => new Date(t).getTime());
  return new Date(Math.max(...times));
}

type Plan = { kind: StepKind; owner: StepOwner; opensAt: Date; dueAt: Date };

function plan(r: Report, cal: CaseCalendar): Plan {
  const urgent = r.urgency === 'immediate';
  const callcenter: StepOwner = { kind: 'callcenter', staff: r.assignee ?? null };
  const soon = (at: Date, days: number) => (urgent ? urgentDue(at, cal) : endOfBusinessDays(at, days, cal));
  const step = (kind: StepKind, at: Date, days: number, owner: StepOwner = callcenter): Plan => ({
    kind,
    owner,
    opensAt: at,
    dueAt: soon(at, days),
  });
  const dong = r.assignedDongCode;
  switch (r.status) {
    case 'received':
      return step(r.duplicateState === 'suspected' ? 'check_duplicate' : 'first_consult', new Date(r.receivedAt), 0);
    case 'consulted':
      // a consultation nobody answered (부재) is not done: call again (or send the dong center to look)
      if (r.consultation?.callOutcome === 'no_answer') return step('recall', new Date(r.consultation.at), 1);
      return step('assign_dong', since(r), 1);
    case 'assigned':
      // assigned: the call center decides on the visit (or follow-up, or closing) within two business days
      if (!dong) return step('assign_dong', since(r), 1);
      return step('request_visit', since(r), 2);
    case 'visit_requested': {
      const asked = new Date(r.visitRequestedAt ?? since(r));
      if (!dong) return step('assign_dong', asked, 0);
      const owner: StepOwner = { kind: 'dong', dongCode: dong };
      const days = urgent ? 0 : cal.visitReportBusinessDays;
      return { kind: 'report_visit', owner, opensAt: asked, dueAt: endOfBusinessDays(asked, days, cal) };
    }
    case 'visited':
      return step('review_close', new Date(r.visit?.at ?? since(r)), 1);
    case 'follow_up': {
      const date = r.followUp?.nextDue ?? r.followUpDue ?? seoulDate(since(r));
      return {
        kind: 'check_in_call',
        owner: callcenter,
        opensAt: seoulMidnight(date),
        dueAt: seoulMidnight(addDaysTo(date, 1)),
      };
    }
    case 'closed':
      throw new Error('a closed case has no next step');
  }
}

/**
 * The next step of an open case, at any state and time; `undefined` only for a closed case.
 *
 *     const step = nextStep(report, now, defaultCalendar(3));
 *     if (step?.state !== 'later') onPageOf(step.owner);
 */
export function nextStep(report: Report, now: Date, calendar: CaseCalendar): NextStep | undefined {
  if (!isOpen(report.status)) return undefined;
  const p = plan(report, calendar);
  const state = now < p.opensAt ? 'later' : now >= p.dueAt ? 'overdue' : 'due';
  return { ...p, urgent: report.urgency === 'immediate', state };
}

/** True when the step belongs on this page: the call center's, or one dong center's. */
export function isOnPage(step: NextStep, page: { kind: 'callcenter' } | { kind: 'dong'; dongCode: string }): boolean {
  if (step.state === 'later') return false;
  return page.kind === 'callcenter'
    ? step.owner.kind === 'callcenter'
    : step.owner.kind === 'dong' && step.owner.dongCode === page.dongCode;
}

/**
 * The queue's "urgent first": open cases whose step is urgent, by due time; then the other open
 * cases by due time; closed cases last, oldest first. A new unconsulted urgent case comes before
 * an urgent one already visited and in follow-up (whose next call is weeks away).
 */
export function caseOrder(now: Date, calendar: CaseCalendar): (a: Report, b: Report) => number {
  const key = (r: Report): [number, number] => {
    const s = nextStep(r, now, calendar);
    if (!s) return [3, new Date(r.receivedAt).getTime()];
    const group = s.urgent && s.state !== 'later' ? 0 : s.state === 'later' ? 2 : 1;
    return [group, s.dueAt.getTime()];
  };
  const cache = new Map<Report, [number, number]>();
  const of = (r: Report) => cache.get(r) ?? (cache.set(r, key(r)), cache.get(r)!);
  return (a, b) => {
    const [ga, ta] = of(a);
    const [gb, tb] = of(b);
    return ga - gb || ta - tb || a.receiptNo.localeCompare(b.receiptNo);
  };
}
