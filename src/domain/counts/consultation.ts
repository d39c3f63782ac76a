import type { Report } from '../report/report';
import { CALL_OUTCOME_LABELS } from '../report/follow-up';

/** A consultation's history note starts with its call outcome; "[부재] " means nobody answered. */
const NO_ANSWER = `[${CALL_OUTCOME_LABELS.no_answer}]`;

/**
 * When the first consultation (1차 상담) happened: the first `consult` in the history where
 * someone was reached (a later consultation replaces the stored one, the history keeps the
 * first). A call nobody answered (부재) is not a consultation: the case still waits for one (a
 * 재통화 step, domain/casework/next-step.ts). A visit request, an assignment or a close is not one.
 */
export function firstConsultedAt(r: Pick<Report, 'history' | 'consultation'>): Date | null {
  const entry = r.history.find((h) => h.action === 'consult' && !h.note?.startsWith(NO_ANSWER));
  if (entry) return new Date(entry.at);
  if (r.history.some((h) => h.action === 'consult')) return null;
  return r.consultation && r.consultation.callOutcome !== 'no_answer' ? new Date(r.consultation.at) : null;
}

export const isConsulted = (r: Pick<Report, 'history' | 'consultation'>): boolean => firstConsultedAt(r) !== null;
