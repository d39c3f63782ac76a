import type { ActionStep, Step } from '../flow';
import { choicesOf, reply, type Reply } from '../types';
import { formatAgeSex } from '../../src/domain/report/age';
import { URGENCY_LABELS } from '../../src/domain/report/urgency';
import { receiptPromise } from './promise';
import { isComplete, type Draft } from './draft';
import { CANCEL, EDIT, EMERGENCY_CALLS, LOOKUP, msg, NEW_REPORT, SUBMIT, UNKNOWN } from './messages';
import { need, type ReportEffect, type ReportFlowEnv } from './effects';
import { callsFor } from './steps-details';

type S = Step<Draft, ReportFlowEnv, ReportEffect>;

const ALL_FIELDS = [
  { label: '긴급도', step: 'urgency' },
  { label: '주소', step: 'address' },
  { label: '위기 징후', step: 'signs' },
  { label: '이름', step: 'name' },
  { label: '나이', step: 'age' },
  { label: '연락처', step: 'phone' },
  { label: '상황', step: 'situation' },
  { label: '내 연락처', step: 'reporterName' },
] as const;
/** Once an urgent report is filed, its urgency and address are the call center's to correct. */
const fieldsFor = (d: Draft) =>
  d.filedReceiptNo ? ALL_FIELDS.filter((f) => f.step !== 'urgency' && f.step !== 'address') : ALL_FIELDS;

export function summaryText(d: Draft, svc: ReportFlowEnv): string {
  const or = (v: string | null | undefined) => v ?? UNKNOWN;
  const signs = d.signs.map((c) => svc.district.signs.find((s) => s.code === c)?.label ?? c).join(', ');
  const lines = [
    `· 긴급도: ${d.urgency ? URGENCY_LABELS[d.urgency] : UNKNOWN}`,
    `· 주소: ${or(d.address)}`,
    `· 관할 동: ${d.dong?.name ?? '콜센터 배정'}`,
    `· 위기 징후: ${signs || '없음'}`,
    `· 이름: ${or(d.name)}`,
    `· 나이: ${formatAgeSex(d.age, d.sex) || UNKNOWN}`,
    `· 연락처: ${or(d.phone)}`,
    `· 상황: ${or(d.situation)}`,
  ];
  if (d.photoIds?.length) lines.push(`· 사진: ${d.photoIds.length}장`);
  if (d.reporterContact) lines.push(`· 내 연락처(콜센터만 봄): ${d.reporterContact.name} ${d.reporterContact.phone}`);
  return lines.join('\n');
}

/** After a receipt: start another report or look the reports up, in one press. */
export const AFTER_RECEIPT = choicesOf(NEW_REPORT, LOOKUP);

export const summaryStep: S = {
  prompt: (d, svc): Reply =>
    d.filedReceiptNo
      ? reply(
          [msg.summaryTitleFiled(d.filedReceiptNo), summaryText(d, svc), msg.summaryActionsFiled],
          [{ label: SUBMIT, value: SUBMIT }, { label: EDIT, value: EDIT }, ...callsFor(d)],
        )
      : reply(
          [msg.summaryTitle, summaryText(d, svc), msg.summaryActions],
          [
            { label: SUBMIT, value: SUBMIT },
            { label: EDIT, value: EDIT },
            { label: CANCEL, value: CANCEL },
            ...callsFor(d),
          ],
        ),
  answer(a, data) {
    if (a.choice === EDIT) return { type: 'go', to: 'editField', data };
    if (a.choice !== SUBMIT) return { type: 'retry', reason: msg.pickFromList };
    if (!data.filedReceiptNo && !isComplete(data)) return { type: 'go', to: 'urgency', data };
    return { type: 'go', to: 'submitting', data };
  },
};

/**
 * Files the report. The conversation is stored at this step first, so a racing "취소" either
 * came first (nothing is filed) or finds the report filed; filing is idempotent on the draft's
 * submissionId, so a run cut short is simply run again by the next message. An urgent report
 * filed at once gets the later answers added instead (the workflow's add_details action).
 */
export const submittingStep: ActionStep<Draft, ReportFlowEnv, ReportEffect> = {
  prompt: () => reply(msg.submitting),
  run(data, _env, ctx) {
    const { filedReceiptNo } = data;
    if (filedReceiptNo) {
      return need(
        { kind: 'addReportDetails', filed: { receiptNo: filedReceiptNo, reportId: data.filedReportId }, draft: data },
        (added) => {
          const text = added.ok ? msg.detailsAdded(filedReceiptNo) : msg.detailsRefused(filedReceiptNo);
          return { type: 'end', reply: reply(text, [...AFTER_RECEIPT, ...EMERGENCY_CALLS]) };
        },
      );
    }
    if (!isComplete(data)) return { type: 'go', to: 'urgency', data };
    return need({ kind: 'submitReport', draft: data }, (filed) => {
      if (!filed.ok) return { type: 'end', reply: reply(msg.mayNotFile(filed.refusal, filed.partnerName)) };
      const urgent = data.urgency === 'immediate';
      // urgent: what happens now comes first (the call buttons follow it), then the receipt
      const texts = urgent
        ? [
            receiptPromise(true, ctx.now, filed.onCall),
            msg.received(filed.receiptNo, data.dong?.name ?? null, msg.promiseUrgent),
          ]
        : [msg.received(filed.receiptNo, data.dong?.name ?? null, receiptPromise(false, ctx.now))];
      return { type: 'end', reply: reply(texts, [...AFTER_RECEIPT, ...(urgent ? EMERGENCY_CALLS : [])]) };
    });
  },
};

export const editFieldStep: S = {
  prompt: (d) =>
    reply(
      msg.chooseField,
      fieldsFor(d).map((f) => ({ label: f.label, value: f.step })),
    ),
  answer(a, data) {
    const field = fieldsFor(data).find((f) => f.step === a.choice);
    if (!field) return { type: 'retry', reason: msg.pickFromList };
    return { type: 'go', to: field.step, data: { ...data, editing: true } };
  },
};
