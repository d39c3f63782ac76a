import type { Outcome } from '../flow';
import type { Draft } from './draft';

/** The questions in the order the reporter meets them. */
export const ORDER = ['address', 'signs', 'name', 'age', 'phone', 'situation', 'urgency', 'summary'] as const;

/** Moves past `stepId`: to the next question, or back to the summary when a field was being corrected. */
export function goAfter(stepId: (typeof ORDER)[number], data: Draft, notes?: string[]): Outcome<Draft> {
  if (data.editing) return { type: 'go', to: 'summary', data: { ...data, editing: false }, notes };
  const next = ORDER[ORDER.indexOf(stepId) + 1] ?? 'summary';
  return { type: 'go', to: next, data, notes };
}
