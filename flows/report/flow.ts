import type { Flow } from '../flow';
import { partnerMayFile } from '../../src/domain/partner-may-file';
import { reply } from '../types';
import { REPORT_COMMANDS } from './commands';
import { draftSchema, type Draft } from './draft';
import { need, type ReportEffect, type ReportFlowEnv } from './effects';
import { idleReply } from './idle';
import { EMERGENCY_CALLS, msg, URGENT } from './messages';
import { findDanger } from './parse';
import { dongChoiceStep, dongConfirmStep, addressStep } from './steps-address';
import {
  afterIdentity,
  ageStep,
  chooseUrgency,
  nameStep,
  phoneStep,
  reporterNameStep,
  reporterPhoneStep,
  signsStep,
  situationStep,
  urgencyConfirmStep,
  urgencyStep,
} from './steps-details';
import { makeUrgent } from './urgent';
import { takePhotos } from './photos';
import { inviteStep } from './steps-identity';
import { editFieldStep, submittingStep, summaryStep } from './steps-summary';

export const START_WORDS = ['신고', '새 신고', '사각지대 신고', '시작', '신고하기', '/start', 'start'];

/**
 * The report intake: identity (invite code, then the reporter's own contact, both once), urgency,
 * address and dong, signs, the person, the situation, summary.
 */
export const reportFlow: Flow<Draft, ReportFlowEnv, ReportEffect> = {
  id: 'report',
  version: 2,
  dataSchema: draftSchema,
  startWords: START_WORDS,
  idle: idleReply,
  /** `mode` "urgent" (the "긴급 신고" offered when danger is typed): 즉시 위험 from the start, the address asked first. */
  start(_env, ctx, mode) {
    const urgent = mode === 'urgent';
    const data: Draft = {
      submissionId: ctx.freshId,
      partnerId: '',
      signs: [],
      ...(urgent ? { urgency: 'immediate' as const } : {}),
    };
    return need({ kind: 'partnerOf' }, (link) => {
      if (!link) return { type: 'go', to: 'invite', data, notes: urgent ? [msg.urgentNoted] : [] };
      const may = partnerMayFile(link);
      if (may !== 'ok') return { type: 'end', reply: reply(msg.mayNotFile(may, link.partnerName)) };
      const linked = { ...data, partnerId: link.partnerId, reporterContact: link.contact };
      if (!link.contact)
        return { type: 'go', to: 'reporterName', data: linked, notes: urgent ? [msg.urgentNoted] : [] };
      return { type: 'go', to: afterIdentity(linked), data: linked, notes: urgent ? [msg.immediateWarning] : [] };
    });
  },
  /**
   * Danger typed in any message, at any step or none (the district's phrases): the warning and
   * the 112/119 buttons first, and, unless the report is already urgent, "긴급 신고".
   */
  alarm(text, running, env) {
    if (!findDanger(text, env.district.dangerPhrases)) return undefined;
    // the urgency question takes a danger phrase as 즉시 위험 itself
    const urgent =
      running &&
      (running.data.urgency === 'immediate' ||
        running.data.filedReceiptNo ||
        running.stepId === 'urgency' ||
        running.stepId === 'urgencyConfirm');
    const offer = urgent ? [] : [{ label: URGENT, value: URGENT }];
    if (!running)
      return {
        notes: [msg.dangerHeard, msg.dangerOfferIdle],
        choices: [...EMERGENCY_CALLS, ...offer, { label: '신고', value: '신고' }],
      };
    return {
      notes: [msg.dangerHeard, ...(urgent ? [] : [msg.dangerOfferRunning])],
      choices: [...EMERGENCY_CALLS, ...offer],
    };
  },
  /** A photo at any step: kept with the report (flows/report/photos.ts), never an answer. */
  photo: takePhotos,
  amend(how, stepId, data, _env, ctx) {
    if (how !== 'urgent') return { type: 'go', to: stepId, data };
    if (stepId === 'urgency' || stepId === 'urgencyConfirm') return chooseUrgency(data, 'immediate');
    return makeUrgent(stepId, data, ctx);
  },
  steps: {
    invite: inviteStep,
    reporterName: reporterNameStep,
    reporterPhone: reporterPhoneStep,
    address: addressStep,
    dongConfirm: dongConfirmStep,
    dongChoice: dongChoiceStep,
    signs: signsStep,
    name: nameStep,
    age: ageStep,
    phone: phoneStep,
    situation: situationStep,
    urgency: urgencyStep,
    urgencyConfirm: urgencyConfirmStep,
    summary: summaryStep,
    editField: editFieldStep,
    submitting: submittingStep,
  },
  commands: REPORT_COMMANDS,
};
