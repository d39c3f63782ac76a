import type { Step } from '../flow';
import { reply, type Choice } from '../types';
import { charCount, LIMITS } from '../../src/domain/report/text-limits';
import { URGENCIES, type Urgency } from '../../src/domain/report/urgency';
import type { Outcome } from '../flow';
import type { Draft } from './draft';
import { DONE_SIGNS, EMERGENCY_CALLS, msg, UNKNOWN, YES } from './messages';
import { goAfter } from './order';
import {
  findDanger,
  isUnknownAnswer,
  matchSigns,
  parseAgeAnswer,
  parsePersonName,
  parseReporterName,
  parseUrgency,
} from './parse';
import { parsePhone } from '../../src/domain/report-fields/parse';
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
      { label: DONE_SIGNS, value: DONE_SIGNS, role: 'done' as const },
    ]),
  answer(a, data, svc) {
    if (
      a.choice === DONE_SIGNS ||
      (!a.choice && /^(완료|다\s?골랐(어요|습니다)?|끝|없어요|그게\s?다예요|이상입니다)$/.test(a.text))
    ) {
      return data.signs.length > 0 ? goAfter('signs', data) : { type: 'retry', reason: msg.signsNeedOne };
    }
    const codes = svc.district.signs.map((s) => s.code);
    // "모름" / "건너뛰기", as 도움말 promises: the signs chosen so far (maybe none) and on
    if (unknown(a)) return goAfter('signs', data, data.signs.length ? [] : [msg.signsSkipped]);
    if (!a.choice) {
      // typed signs, several in one message ("우편물이 쌓여 있고 혼자 사세요"): added, never toggled off
      const typed = matchSigns(a.text, svc.district.signs, svc.district.signWords);
      if (typed.length === 0) return { type: 'retry', reason: msg.pickSign };
      const set = new Set([...data.signs, ...typed]);
      const labels = typed.map((c) => svc.district.signs.find((s) => s.code === c)!.label);
      return {
        type: 'go',
        to: 'signs',
        data: { ...data, signs: codes.filter((c) => set.has(c)) },
        notes: [msg.signsTyped(labels)],
      };
    }
    if (!codes.includes(a.choice)) return { type: 'retry', reason: msg.pickSign };
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
    const name = parsePersonName(a.text);
    return name ? goAfter('name', { ...data, name }) : { type: 'retry', reason: msg.badName };
  },
};

export const ageStep: S = {
  prompt: () => reply(msg.askAge, unknownChoice),
  answer(a, data, _svc, ctx) {
    if (unknown(a)) return goAfter('age', { ...data, age: null });
    // "70대 할머니": the age and the sex, both kept
    const said = parseAgeAnswer(a.text, ctx.now);
    if (!said) return { type: 'retry', reason: msg.badAge };
    return goAfter('age', { ...data, age: said.age, ...(said.sex ? { sex: said.sex } : {}) });
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

const urgencyChoices = (): Choice[] => URGENCIES.map((u) => ({ label: u.label, value: u.value }));
const URGENCY_MEANING: Record<Urgency, string> = {
  immediate: '지금 생명·안전이 위험',
  prompt: '며칠 안에 확인 필요',
  normal: '급하지 않음',
};

/** The urgency is set: 즉시 위험 answers at once with the 112/119 call buttons (they ride on the next prompt). */
export function chooseUrgency(data: Draft, urgency: Urgency): Outcome<Draft, ReportEffect> {
  return goAfter(
    'urgency',
    { ...data, urgency, pendingUrgency: undefined },
    urgency === 'immediate' ? [msg.immediateWarning] : [],
  );
}

/**
 * Asked first. A button, or the words people type: "천천히", "급하지 않아요" → 일반; "급해요",
 * "빨리", "위험해요", "지금" are asked back once (urgencyConfirm); a danger phrase is 즉시 위험.
 */
export const urgencyStep: S = {
  prompt: () => reply(msg.askUrgency, urgencyChoices()),
  answer(a, data, svc) {
    const urgency = URGENCIES.find((u) => u.value === a.choice);
    if (urgency) return chooseUrgency(data, urgency.value);
    if (findDanger(a.text, svc.district.dangerPhrases)) return chooseUrgency(data, 'immediate');
    const typed = parseUrgency(a.text);
    if (!typed) return { type: 'retry', reason: msg.pickFromList };
    if (!typed.confirm) return chooseUrgency(data, typed.urgency);
    return { type: 'go', to: 'urgencyConfirm', data: { ...data, pendingUrgency: typed.urgency } };
  },
};

/** "급해요" read as 빠른 확인 필요 (or "위험해요" as 즉시 위험): confirmed with 맞음, or another urgency pressed. */
export const urgencyConfirmStep: S = {
  prompt: (d) => {
    const pending = d.pendingUrgency ?? 'prompt';
    const label = URGENCIES.find((u) => u.value === pending)!.label;
    return reply(msg.confirmUrgency(label, URGENCY_MEANING[pending]), [
      { label: YES, value: YES },
      ...urgencyChoices(),
    ]);
  },
  answer(a, data, svc) {
    const pressed = URGENCIES.find((u) => u.value === a.choice);
    if (pressed) return chooseUrgency(data, pressed.value);
    if ((a.choice === YES || /^(네|예|응|맞아요|맞습니다|그래요)$/.test(a.text)) && data.pendingUrgency)
      return chooseUrgency(data, data.pendingUrgency);
    if (findDanger(a.text, svc.district.dangerPhrases)) return chooseUrgency(data, 'immediate');
    const typed = parseUrgency(a.text);
    if (typed) return chooseUrgency(data, typed.urgency);
    return { type: 'retry', reason: msg.pickFromList };
  },
};

/** The call buttons a prompt carries while the report is urgent. */
export const callsFor = (d: Draft): Choice[] => (d.urgency === 'immediate' ? EMERGENCY_CALLS : []);

/** The reporter's own name (asked once at linking, or from the summary's "내 연락처"). */
export const reporterNameStep: S = {
  prompt: () => reply(msg.askReporterName),
  answer(a, data) {
    const name = parseReporterName(a.text);
    if (!name) return { type: 'retry', reason: msg.badReporterName };
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
      if (data.editing)
        return { type: 'go', to: 'summary', data: { ...next, editing: false }, notes: [msg.reporterContactSaved] };
      return { type: 'go', to: afterIdentity(next), data: next, notes: [msg.reporterContactSaved] };
    });
  },
};

/** Where a report goes once the reporter is known: the urgency question, or the address when the report started urgent. */
export const afterIdentity = (d: Draft): 'urgency' | 'address' => (d.urgency === 'immediate' ? 'address' : 'urgency');
