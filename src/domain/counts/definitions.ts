import type { Report } from '../report/report';
import { consultDeadline } from '../same-day';
import { firstConsultedAt } from './consultation';
import { isOpen } from '../report/status';

export { firstConsultedAt, isConsulted } from './consultation';

/**
 * The one definition of each count, used by the console, the district summary, the dashboard and
 * every export. Each answers about a report's current record, so a number read on Monday and
 * the same number read again on Friday differ only because the work moved on.
 */

/** A merged duplicate is the same household as an earlier report: counted there, never twice. */
export const isMergedDuplicate = (r: Pick<Report, 'duplicateState'>): boolean => r.duplicateState === 'merged';

/**
 * Consulted the same business day (당일 상담): the first consultation before the end of the
 * business day the report arrived on (a weekend or holiday report: the next business day).
 */
export function isConsultedSameDay(r: Pick<Report, 'history' | 'consultation' | 'receivedAt'>): boolean {
  const at = firstConsultedAt(r);
  return at !== null && at < consultDeadline(r.receivedAt);
}

/**
 * Same-day consultation still possible (진행 중): not consulted yet and the deadline is ahead of
 * `now`. Such a report is neither on time nor late yet, so the same-day rate leaves it out.
 */
export function isSameDayPending(r: Pick<Report, 'history' | 'consultation' | 'receivedAt'>, now: Date): boolean {
  return firstConsultedAt(r) === null && now < consultDeadline(r.receivedAt);
}

/** Visited: the latest visit report met the household. A visit where nobody was met (부재) is not a visit. */
export const isVisited = (r: Pick<Report, 'visit'>): boolean => r.visit?.reached === true;

/** A visit was made but nobody was met (부재): the household still has to be reached. */
export const isVisitAbsent = (r: Pick<Report, 'visit'>): boolean => Boolean(r.visit) && r.visit?.reached === false;

/** In follow-up (사후관리): check-in calls go on after the visit or consultation. */
export const isInFollowUp = (r: Pick<Report, 'status'>): boolean => r.status === 'follow_up';

/** Closed now; a reopened report is open again until it is closed again. */
export const isClosed = (r: Pick<Report, 'status'>): boolean => !isOpen(r.status);

/** A rate as a number from 0 to 1, or null when there is nothing to divide by. */
export const rate = (part: number, whole: number): number | null => (whole ? part / whole : null);

/** "77%": how a rate reads in text; "-" when there were no reports. */
export const percentText = (r: number | null): string => (r === null ? '-' : `${Math.round(r * 100)}%`);
