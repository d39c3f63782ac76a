import type { Step } from '../flow';
import { reply, type Choice } from '../types';
import { charCount, LIMITS } from '../../src/domain/report/text-limits';
import { URGENCIES } from '../../src/domain/report/urgency';
import type { Draft } from './draft';
import { DONE_SIGNS, EMERGENCY_CALLS, msg, UNKNOWN } from './messages';
import { goAfter } from './order';
import { isUnknownAnswer, parseAge, parseName, parsePhone } from './parse';
import { need, type ReportEffect, type ReportFlowEnv } from './effects';

type S = Step<Draft, ReportFlowEnv, ReportEffect>;

const unknownChoice: Choice[] = [{ label: UNKNOWN, value: UNKNOWN }];
const unknown = (a: { text: string; choice?: string }) => a.choice === UNKNOWN || isUnknownAnswer(a.text);

function signLabels(data: Draft, svc: ReportFlowEnv): string[] {
  return data.signs.map((code) => svc.district.signs.find((s) => s.code === code)?.label ?? code);
}

/** Multiple choice: each press (or typed label) toggles a sign; the buttons show what is chosen. */
export const signsStep: S = {
  prompt: (d, svc) =>
    reply(msg.askSigns(signLabels(d, svc)), [
      ...callsFor(d),
      ...svc.district.signs.map((s) => {
        const selected = d.signs.includes(s.code);
        return { label: selected ? `✓${s.label}`.slice(0, 14) : s.label, value: s.code, selected };
      }),
      { label: DONE_SIGNS, value: DONE_SIGNS },
    ]),
  answer(a, data, svc) {
    if (a.choice === DONE_SIGNS) {
      return data.signs.length > 0 ? goAfter('signs', data) : { type: 'retry', reason: msg.signsNeedOne };
    }
    const codes = svc.district.signs.map((s) => s.code);
    if (!a.choice || !codes.includes(a.choice)) return { type: 'retry', reason: msg.pickSign };
    const set = new Set(data.signs);
    if (set.has(a.choice)) set.delete(a.choice);
    else set.add(a.choice);
    return { type: 'go', to: 'signs', data: { ...data, signs: codes.filter((c) => set.has(c)) } };
  },
};

export const nameStep: S = {
  prompt: () => reply(msg.askName, unknownChoice),
  answer(a, data) {
    if (unknown(a)) return goAfter('name', { ...data, name: null });
    const name = parseName(a.text);
    return name ? goAfter('name', { ...data, name }) : { type: 'retry', reason: msg.badName };
  },
};

export const ageStep: S = {
  prompt: () => reply(msg.askAge, unknownChoice),
  answer(a, data, _svc, ctx) {
    if (unknown(a)) return goAfter('age', { ...data, age: null });
    const age = parseAge(a.text, ctx.now);
    return age ? goAfter('age', { ...data, age }) : { type: 'retry', reason: msg.badAge };
  },
};

export const phoneStep: S = {
  prompt: () => reply(msg.askPhone, unknownChoice),
  answer(a, data) {
    if (unknown(a)) return goAfter('phone', { ...data, phone: null });
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

/** Asked first: "즉시 위험" answers at once with the 112/119 call buttons (they ride on the next prompt). */
export const urgencyStep: S = {
  prompt: () => reply(msg.askUrgency, URGENCIES.map((u) => ({ label: u.label, value: u.value }))),
  answer(a, data) {
    const urgency = URGENCIES.find((u) => u.value === a.choice);
    if (!urgency) return { type: 'retry', reason: msg.pickFromList };
    return goAfter('urgency', { ...data, urgency: urgency.value }, urgency.value === 'immediate' ? [msg.immediateWarning] : []);
  },
};

/** The call buttons a prompt carries while the report is urgent. */
export const callsFor = (d: Draft): Choice[] => (d.urgency === 'immediate' ? EMERGENCY_CALLS : []);

/** The reporter's own name (asked once at linking, or from the summary's "내 연락처"). */
export const reporterNameStep: S = {
  prompt: () => reply(msg.askReporterName),
  answer(a, data) {
    const name = parseName(a.text);
    if (!name || /[○◯〇●◎＊*]/.test(name)) return { type: 'retry', reason: msg.badReporterName };
    return { type: 'go', to: 'reporterPhone', data: { ...data, pendingReporterName: name } };
  },
};

/** The reporter's call-back phone; saved on their chat identity so the next report only confirms it. */
export const reporterPhoneStep: S = {
  prompt: (d) => reply(msg.askReporterPhone(d.pendingReporterName ?? '')),
  answer(a, data) {
    const phone = parsePhone(a.text);
    if (!phone || !data.pendingReporterName) return { type: 'retry', reason: msg.badReporterPhone };
    const contact = { name: data.pendingReporterName, phone };
    return need({ kind: 'saveReporterContact', contact }, () => {
      const next = { ...data, reporterContact: contact, pendingReporterName: undefined };
      if (data.editing) return { type: 'go', to: 'summary', data: { ...next, editing: false }, notes: [msg.reporterContactSaved] };
      return { type: 'go', to: 'urgency', data: next, notes: [msg.reporterContactSaved] };
    });
  },
};
