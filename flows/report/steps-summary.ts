import type { ActionStep, Step } from '../flow';
import { reply, type Reply } from '../types';
import { formatAge } from '../../src/domain/report/age';
import { URGENCY_LABELS } from '../../src/domain/report/urgency';
import { isComplete, type Draft } from './draft';
import { CANCEL, EDIT, EMERGENCY, msg, SUBMIT, UNKNOWN } from './messages';
import type { ReportFlowServices } from './services';

type S = Step<Draft, ReportFlowServices>;

const FIELDS = [
  { label: '주소', step: 'address' },
  { label: '위기 징후', step: 'signs' },
  { label: '이름', step: 'name' },
  { label: '나이', step: 'age' },
  { label: '연락처', step: 'phone' },
  { label: '상황', step: 'situation' },
  { label: '긴급도', step: 'urgency' },
] as const;

export function summaryText(d: Draft, svc: ReportFlowServices): string {
  const or = (v: string | null | undefined) => v ?? UNKNOWN;
  const signs = d.signs.map((c) => svc.district.signs.find((s) => s.code === c)?.label ?? c).join(', ');
  return [
    `· 주소: ${or(d.address)}`,
    `· 관할 동: ${d.dong?.name ?? '콜센터 배정'}`,
    `· 위기 징후: ${signs || '없음'}`,
    `· 이름: ${or(d.name)}`,
    `· 나이: ${d.age ? formatAge(d.age) : UNKNOWN}`,
    `· 연락처: ${or(d.phone)}`,
    `· 상황: ${or(d.situation)}`,
    `· 긴급도: ${(d.urgency ? URGENCY_LABELS[d.urgency] : UNKNOWN)}`,
  ].join('\n');
}

export const summaryStep: S = {
  prompt: (d, svc): Reply =>
    reply([msg.summaryTitle, summaryText(d, svc), msg.summaryActions], [
      { label: SUBMIT, value: SUBMIT },
      { label: EDIT, value: EDIT },
      { label: CANCEL, value: CANCEL },
    ]),
  answer(a, data) {
    if (a.choice === EDIT) return { type: 'go', to: 'editField', data };
    if (a.choice !== SUBMIT) return { type: 'retry', reason: msg.pickFromList };
    if (!isComplete(data)) return { type: 'go', to: 'address', data };
    return { type: 'go', to: 'submitting', data };
  },
};

/**
 * Files the report. The conversation is stored at this step first, so a racing "취소" either
 * came first (nothing is filed) or finds the report filed; filing is idempotent on the draft's
 * submissionId, so a run cut short is simply run again by the next message.
 */
export const submittingStep: ActionStep<Draft, ReportFlowServices> = {
  prompt: () => reply(msg.submitting),
  async run(data, svc, ctx) {
    if (!isComplete(data)) return { type: 'go', to: 'address', data };
    const filed = await svc.submitReport(data, { channel: ctx.channel, userId: ctx.userId });
    if (!filed.ok) return { type: 'end', reply: reply(filed.refusal) };
    const texts = [msg.received(filed.receiptNo, data.dong?.name ?? '관할')];
    if (data.urgency === 'immediate') texts.push(EMERGENCY);
    return { type: 'end', reply: reply(texts) };
  },
};

export const editFieldStep: S = {
  prompt: () => reply(msg.chooseField, FIELDS.map((f) => ({ label: f.label, value: f.step }))),
  answer(a, data) {
    const field = FIELDS.find((f) => f.step === a.choice);
    if (!field) return { type: 'retry', reason: msg.pickFromList };
    return { type: 'go', to: field.step, data: { ...data, editing: true } };
  },
};
