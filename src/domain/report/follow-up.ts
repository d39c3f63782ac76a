import type { CrisisLevel } from './crisis';

/** How a phone call to the household went: the first consultation and every check-in call (안부확인). */
export const CALL_OUTCOMES = ['talked', 'no_answer', 'refused', 'needs_link'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
export const CALL_OUTCOME_LABELS: Record<CallOutcome, string> = {
  talked: '통화',
  no_answer: '부재',
  refused: '거절',
  needs_link: '연계 필요',
};

/** The first consultation's call has three outcomes; "연계 필요" is for check-in calls. */
export const CONSULT_OUTCOMES = ['talked', 'no_answer', 'refused'] as const;
export type ConsultOutcome = (typeof CONSULT_OUTCOMES)[number];

/** Unanswered check-in calls in a row after which the case goes to the dong center for a visit. */
export const MISSED_CALLS_FOR_VISIT = 3;

/** A case in follow-up (사후관리): how often to call, when next, and the run of unanswered calls. */
export interface FollowUp {
  /** Days between check-in calls; from the crisis level unless staff changed it. */
  cadenceDays: number;
  /** Seoul date (YYYY-MM-DD) of the next call. */
  nextDue: string;
  /** 부재 in a row; reset by any answered call. */
  missedInRow: number;
  calls: number;
  lastCallAt: Date | null;
  lastOutcome: CallOutcome | null;
  /** True when staff set the cadence by hand (a later crisis change then keeps it). */
  cadenceSetByStaff: boolean;
}

/** Default cadence by crisis level: high weekly, medium every two weeks, low monthly. */
export const DEFAULT_CADENCE_DAYS: Record<CrisisLevel, number> = { high: 7, medium: 14, low: 30, none: 30 };

export function addDaysTo(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A fresh schedule: the first call one cadence after today (the visit or consultation was today). */
export function startFollowUp(cadenceDays: number, today: string): FollowUp {
  return {
    cadenceDays,
    nextDue: addDaysTo(today, cadenceDays),
    missedInRow: 0,
    calls: 0,
    lastCallAt: null,
    lastOutcome: null,
    cadenceSetByStaff: false,
  };
}

export type CallResult = { followUp: FollowUp; needsVisit: boolean };

/**
 * Records one check-in call. An unanswered call is tried again the next day (a household that
 * does not pick up is the worry); the third in a row raises the case for a visit. Any other
 * outcome resets the run and schedules the next call one cadence later.
 */
export function recordCall(f: FollowUp, outcome: CallOutcome, today: string, at: Date): CallResult {
  const missedInRow = outcome === 'no_answer' ? f.missedInRow + 1 : 0;
  const needsVisit = missedInRow >= MISSED_CALLS_FOR_VISIT;
  const nextDue = outcome === 'no_answer' && !needsVisit ? addDaysTo(today, 1) : addDaysTo(today, f.cadenceDays);
  return {
    followUp: {
      ...f,
      missedInRow: needsVisit ? 0 : missedInRow,
      nextDue,
      calls: f.calls + 1,
      lastCallAt: at,
      lastOutcome: outcome,
    },
    needsVisit,
  };
}
