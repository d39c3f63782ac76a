import type { Flow } from '../flow';
import { partnerMayFile } from '../../src/domain/partner-may-file';
import { reply } from '../types';
import { REPORT_COMMANDS } from './commands';
import { draftSchema, type Draft } from './draft';
import { need, type ReportEffect, type ReportFlowEnv } from './effects';
import { idleReply } from './idle';
import { msg } from './messages';
import { dongChoiceStep, dongConfirmStep, addressStep } from './steps-address';
import { ageStep, nameStep, phoneStep, reporterNameStep, reporterPhoneStep, signsStep, situationStep, urgencyStep } from './steps-details';
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
  start(_env, ctx) {
    const data: Draft = { submissionId: ctx.freshId, partnerId: '', signs: [] };
    return need({ kind: 'partnerOf' }, (link) => {
      if (!link) return { type: 'go', to: 'invite', data };
      const may = partnerMayFile(link);
      if (may !== 'ok') return { type: 'end', reply: reply(msg.mayNotFile(may, link.partnerName)) };
      const linked = { ...data, partnerId: link.partnerId, reporterContact: link.contact };
      return { type: 'go', to: link.contact ? 'urgency' : 'reporterName', data: linked };
    });
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
    summary: summaryStep,
    editField: editFieldStep,
    submitting: submittingStep,
  },
  commands: REPORT_COMMANDS,
};
