import type { Report } from '../report/report';

/**
 * When the first consultation (1차 상담) happened: the first `consult` in the history (a later
 * consultation replaces the stored one, the history keeps the first). A visit request, an
 * assignment or a close is not a consultation.
 */
export function firstConsultedAt(r: Pick<Report, 'history' | 'consultation'>): Date | null {
  const entry = r.history.find((h) => h.action === 'consult');
  if (entry) return new Date(entry.at);
  return r.consultation ? new Date(r.consultation.at) : null;
}

export const isConsulted = (r: Pick<Report, 'history' | 'consultation'>): boolean => firstConsultedAt(r) !== null;
