import { partnerMayFile } from '../../src/domain/partner-may-file';
import type { Step } from '../flow';
import { choicesOf, reply } from '../types';
import type { Draft } from './draft';
import { CANCEL, msg } from './messages';
import { need, type ReportEffect, type ReportFlowEnv } from './effects';
import { afterIdentity } from './steps-details';

type S = Step<Draft, ReportFlowEnv, ReportEffect>;

/** Unlinked users link their chat identity to a partner with its invite code, then give their call-back contact once. */
export const inviteStep: S = {
  prompt: (_d, svc) => reply([msg.askInvite, msg.unlinkedHelp(svc.district.name)], choicesOf(CANCEL)),
  answer(a, data) {
    const code = a.text.toUpperCase().replace(/[\s-]/g, '');
    if (!/^[A-Z0-9]{6,16}$/.test(code)) return { type: 'retry', reason: msg.badInvite };
    return need({ kind: 'linkByInviteCode', code }, (link) => {
      if (!link) return { type: 'retry', reason: msg.badInvite };
      const mayFile = partnerMayFile(link);
      if (mayFile !== 'ok') return { type: 'retry', reason: msg.mayNotFile(mayFile, link.partnerName) };
      const next = { ...data, partnerId: link.partnerId, reporterContact: link.contact };
      if (link.contact)
        return {
          type: 'go',
          to: afterIdentity(next),
          data: next,
          notes: [msg.linked(link.partnerName), ...(next.urgency === 'immediate' ? [msg.immediateWarning] : [])],
        };
      return { type: 'go', to: 'reporterName', data: next, notes: [msg.linked(link.partnerName)] };
    });
  },
};
