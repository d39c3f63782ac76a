import type { Step } from '../flow';
import { reply, type Choice } from '../types';
import { charCount, LIMITS } from '../../src/domain/report/text-limits';
import { URGENCIES } from '../../src/domain/report/urgency';
import type { Draft } from './draft';
import { DONE_SIGNS, msg, SKIP_WORDS, UNKNOWN } from './messages';
import { goAfter } from './order';
import { parseAge, parseName, parsePhone } from './parse';
import type { ReportFlowServices } from './services';

type S = Step<Draft, ReportFlowServices>;

const skipped = (text: string) => SKIP_WORDS.includes(text.replace(/\s+/g, ''));
const unknownChoice: Choice[] = [{ label: UNKNOWN, value: UNKNOWN }];

function signLabels(data: Draft, svc: ReportFlowServices): string[] {
  return data.signs.map((code) => svc.district.signs.find((s) => s.code === code)?.label ?? code);
}

/** Multiple choice: each press toggles a sign; typed "1,3" or "1 3" picks several at once. */
export const signsStep: S = {
  prompt: (d, svc) =>
    reply(msg.askSigns(signLabels(d, svc)), [
      ...svc.district.signs.map((s) => ({ label: d.signs.includes(s.code) ? `✓${s.label}`.slice(0, 14) : s.label, value: s.code })),
      { label: DONE_SIGNS, value: DONE_SIGNS },
    ]),
  answer(a, data, svc) {
    if (a.choice === DONE_SIGNS) {
      return data.signs.length > 0 ? goAfter('signs', data) : { type: 'retry', reason: msg.signsNeedOne };
    }
    const codes = svc.district.signs.map((s) => s.code);
    let picked: string[] = [];
    if (a.choice && codes.includes(a.choice)) picked = [a.choice];
    else if (/^\d{1,2}([\s,]+\d{1,2})+$/.test(a.text)) {
      picked = a.text.split(/[\s,]+/).map((n) => codes[Number(n) - 1]).filter((c): c is string => c !== undefined);
    } else {
      const byLabel = svc.district.signs.find((s) => s.label === a.text.replace(/^✓/, ''));
      if (byLabel) picked = [byLabel.code];
    }
    if (picked.length === 0) return { type: 'retry', reason: msg.pickFromList };
    const set = new Set(data.signs);
    for (const c of picked) {
      if (set.has(c)) set.delete(c);
      else set.add(c);
    }
    return { type: 'go', to: 'signs', data: { ...data, signs: codes.filter((c) => set.has(c)) } };
  },
};

export const nameStep: S = {
  prompt: () => reply(msg.askName, unknownChoice),
  answer(a, data) {
    if (a.choice === UNKNOWN || skipped(a.text)) return goAfter('name', { ...data, name: null });
    const name = parseName(a.text);
    return name ? goAfter('name', { ...data, name }) : { type: 'retry', reason: msg.badName };
  },
};

export const ageStep: S = {
  prompt: () => reply(msg.askAge, unknownChoice),
  answer(a, data, _svc, ctx) {
    if (a.choice === UNKNOWN || skipped(a.text)) return goAfter('age', { ...data, age: null });
    const age = parseAge(a.text, ctx.now);
    return age ? goAfter('age', { ...data, age }) : { type: 'retry', reason: msg.badAge };
  },
};

export const phoneStep: S = {
  prompt: () => reply(msg.askPhone, unknownChoice),
  answer(a, data) {
    if (a.choice === UNKNOWN || skipped(a.text)) return goAfter('phone', { ...data, phone: null });
    const phone = parsePhone(a.text);
    return phone ? goAfter('phone', { ...data, phone }) : { type: 'retry', reason: msg.badPhone };
  },
};

export const situationStep: S = {
  prompt: () => reply(msg.askSituation),
  answer(a, data) {
    const text = a.text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
    const n = charCount(text);
    if (n < LIMITS.situation.min) return { type: 'retry', reason: msg.situationTooShort };
    if (n > LIMITS.situation.max) return { type: 'retry', reason: msg.situationTooLong(n) };
    return goAfter('situation', { ...data, situation: text });
  },
};

export const urgencyStep: S = {
  prompt: () => reply(msg.askUrgency, URGENCIES.map((u) => ({ label: u.label, value: u.value }))),
  answer(a, data) {
    const urgency = URGENCIES.find((u) => u.value === a.choice);
    if (!urgency) return { type: 'retry', reason: msg.pickFromList };
    return goAfter('urgency', { ...data, urgency: urgency.value }, urgency.value === 'immediate' ? [msg.immediateWarning] : []);
  },
};
