import type { Outcome, TurnContext } from '../flow';
import type { Draft } from './draft';
import type { ReportEffect } from './effects';
import { need } from './effects';
import { msg } from './messages';
import { receiptPromise } from './promise';

/** Steps before the reporter is known: the report becomes urgent and the address is asked as soon as they are done. */
const IDENTITY_STEPS = new Set(['invite', 'reporterName', 'reporterPhone']);

/**
 * "긴급 신고" pressed in a running report (offered when danger was typed): it becomes 즉시 위험.
 * Without an address yet, the address is asked next (and filed at once, as an urgent report is);
 * with one, the report is filed now with what is known and the questions go on where they were,
 * the later answers added to it.
 */
export function makeUrgent(stepId: string, data: Draft, ctx: TurnContext): Outcome<Draft, ReportEffect> {
  if (data.urgency === 'immediate' || data.filedReceiptNo)
    return { type: 'go', to: stepId, data, notes: [msg.alreadyUrgent] };
  const urgent = { ...data, urgency: 'immediate' as const, pendingUrgency: undefined };
  if (IDENTITY_STEPS.has(stepId)) return { type: 'go', to: stepId, data: urgent, notes: [msg.urgentNoted] };
  if (stepId === 'address' || urgent.address === undefined)
    return { type: 'go', to: 'address', data: { ...urgent, editing: false }, notes: [msg.immediateWarning] };
  const known = {
    ...urgent,
    address: urgent.address,
    dong: urgent.dong ?? null,
    dongBy: urgent.dong ? urgent.dongBy : ('reporter' as const),
    dongCandidates: undefined,
    dongReason: undefined,
  };
  return need({ kind: 'fileUrgentReport', draft: known }, (filed): Outcome<Draft, ReportEffect> => {
    if (!filed.ok)
      return { type: 'end', reply: { texts: [msg.mayNotFile(filed.refusal, filed.partnerName)], choices: [] } };
    const next = { ...known, filedReceiptNo: filed.receiptNo, filedReportId: filed.reportId };
    // the dong question is not asked of an urgent report; the call center assigns it
    const to =
      stepId === 'dongConfirm' || stepId === 'dongChoice' ? 'signs' : stepId === 'editField' ? 'summary' : stepId;
    return {
      type: 'go',
      to,
      data: { ...next, editing: to === 'summary' ? false : next.editing },
      notes: [msg.immediateWarning, msg.urgentFiled(filed.receiptNo, receiptPromise(true, ctx.now, filed.onCall))],
    };
  });
}
