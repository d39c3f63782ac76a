import type { Age } from '../domain/report/age';
import type { Report } from '../domain/report/report';
import { actionFromForm } from './action-form';

/**
 * The case page's two combined forms, turned into plain actions for the workflow to validate
 * and apply together (report-service `actAll`): the correction form and the one-step form.
 */

export type FormValues = Record<string, string | string[]>;

/** Only the form's own string fields (a repeated field keeps its values). */
export function formValues(body: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf') continue;
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

const one = (v: FormValues[string] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();

/** An age as staff type it: "80", "80세", "70대", "1944", "1944년생"; empty or "모름" for unknown. */
export function parseAge(text: string): Age | null | 'invalid' {
  const t = text.replace(/\s+/g, '');
  if (t === '' || t === '모름') return null;
  let m = /^(\d{1,3})세?$/.exec(t);
  if (m && t.length <= 4 && Number(m[1]) <= 120 && !/^\d{4}$/.test(t)) return { kind: 'age', value: Number(m[1]) };
  m = /^(\d{1,2}0)대$/.exec(t);
  if (m) return { kind: 'decade', value: Number(m[1]) };
  m = /^((?:19|20)\d{2})(년생|년)?$/.exec(t);
  if (m) return { kind: 'birthYear', value: Number(m[1]) };
  return 'invalid';
}

/** The correction form's fields; each also travels as `was_<field>`, the value the page showed. */
export const CORRECTION_FIELDS = ['name', 'phone', 'sex', 'age', 'address'] as const;

/**
 * The corrections in a correction form: one action per field the user changed on the page (its
 * value differs from the `was_` value the page showed), so two staff correcting different fields
 * of one case at once do not undo each other. A field the form leaves out is not touched; one
 * without a `was_` value counts as changed;
 * the workflow drops a change to what is stored already. The address's dong is decided by the
 * caller (it resolves the text).
 */
export function correctionActions(
  form: FormValues,
  dongCode: string | null,
  report: Report,
): unknown[] | { field: string } {
  const touched = (field: (typeof CORRECTION_FIELDS)[number]) =>
    form[field] !== undefined && (form[`was_${field}`] === undefined || one(form[`was_${field}`]) !== one(form[field]));
  const actions: unknown[] = [];
  if (touched('name')) actions.push({ type: 'correct_name', name: one(form.name) || null });
  if (touched('phone')) actions.push({ type: 'correct_phone', phone: one(form.phone) || null });
  if (touched('sex')) {
    const sex = one(form.sex);
    actions.push({ type: 'correct_sex', sex: sex === 'female' || sex === 'male' ? sex : null });
  }
  if (touched('age')) {
    const age = parseAge(one(form.age));
    if (age === 'invalid') return { field: 'age' };
    actions.push({ type: 'correct_age', age });
  }
  const address = one(form.address);
  if ((touched('address') && address !== report.address.text) || dongCode !== report.address.dongCode)
    actions.push({ type: 'correct_address', text: address, dongCode });
  return actions;
}

/** Whether the form changes the address (its text, or the dong chosen for it). */
export function addressTouched(form: FormValues, report: Report): boolean {
  const address = one(form.address);
  const chosen = one(form.addressDong);
  const textChanged =
    form.address !== undefined &&
    (form.was_address === undefined || one(form.was_address) !== address) &&
    address !== report.address.text;
  return textChanged || (chosen !== '' && chosen !== report.address.dongCode);
}

/**
 * The one-step form: the consultation, then (if chosen) the dong assigned and the visit
 * requested — three actions, each its own history entry, stored together or not at all.
 */
export function oneStepActions(form: FormValues): unknown[] {
  const consult = actionFromForm({
    type: 'consult',
    result: form.result,
    callOutcome: form.callOutcome,
    urgency: form.urgency,
    crisisLevel: form.crisisLevel,
    services: form.services,
    supportLinked: form.supportLinked,
  });
  const actions: unknown[] = [consult];
  const dongCode = one(form.dongCode);
  if (dongCode) actions.push({ type: 'assign', dongCode });
  if (one(form.requestVisit) === 'yes')
    actions.push(actionFromForm({ type: 'request_visit', reason: one(form.visitReason) }));
  return actions;
}
