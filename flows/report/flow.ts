import { randomUUID } from 'node:crypto';
import type { Flow } from '../flow';
import { draftSchema, type Draft } from './draft';
import { msg } from './messages';
import type { ReportFlowServices } from './services';
import { dongChoiceStep, dongConfirmStep, addressStep } from './steps-address';
import { ageStep, nameStep, phoneStep, reporterNameStep, reporterPhoneStep, signsStep, situationStep, urgencyStep } from './steps-details';
import { inviteStep } from './steps-identity';
import { editFieldStep, submittingStep, summaryStep } from './steps-summary';
import { reply } from '../types';

/**
 * The report intake: identity (invite code, then the reporter's own contact, both once), urgency,
 * address and dong, signs, the person, the situation, summary.
 */
export const reportFlow: Flow<Draft, ReportFlowServices> = {
  id: 'report',
  version: 2,
  dataSchema: draftSchema,
  async start(svc, ctx) {
    const data: Draft = { submissionId: randomUUID(), partnerId: '', signs: [] };
    const link = await svc.partnerOf(ctx.channel, ctx.userId);
    if (!link) return { type: 'go', to: 'invite', data };
    if (!link.active) return { type: 'end', reply: reply(msg.partnerRevoked(link.partnerName)) };
    const linked = { ...data, partnerId: link.partnerId, reporterContact: link.contact };
    return { type: 'go', to: link.contact ? 'urgency' : 'reporterName', data: linked };
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
};
