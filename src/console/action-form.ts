/**
 * Turns a console form (all strings) into the JSON shape of an action, which the same zod schema
 * as the API then validates: empty optional fields are absent, 예/아니오 selects are booleans.
 */
const BOOLEAN_FIELDS = new Set(['reached', 'enteredInSystem', 'followUpNeeded']);

export function actionFromForm(form: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(form)) {
    if (key === '_csrf' || value === '' || value === undefined) continue;
    if (BOOLEAN_FIELDS.has(key)) out[key] = value === 'yes' ? true : value === 'no' ? false : value;
    else out[key] = value;
  }
  // checkboxes: one value arrives as a string, several as an array, none at all as nothing
  if (out.type === 'consult' && out.services !== undefined) out.services = ([] as unknown[]).concat(out.services);
  if (out.type === 'set_assignee' && out.assignee === undefined) out.assignee = null;
  return out;
}
