import type { Outcome } from '../flow';
import type { ReportEffect } from './effects';
import type { Draft } from './draft';

/**
 * The questions in the order the reporter meets them. Urgency comes first: a "즉시 위험" answer
 * shows the 112/119 call buttons at the first tap, before anything has to be typed.
 */
export const ORDER = ['urgency', 'address', 'signs', 'name', 'age', 'phone', 'situation', 'summary'] as const;

/** Moves past `stepId`: to the next question, or back to the summary when a field was being corrected. */
export function goAfter(stepId: (typeof ORDER)[number], data: Draft, notes?: string[]): Outcome<Draft, ReportEffect> {
  if (data.editing) return { type: 'go', to: 'summary', data: { ...data, editing: false }, notes };
  const next = ORDER[ORDER.indexOf(stepId) + 1] ?? 'summary';
  return { type: 'go', to: next, data, notes };
}
