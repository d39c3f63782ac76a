import { urgentOpener } from '../delivery/urgent-open';
import type { Report } from '../domain/report/report';
import type { ConsoleDeps } from './deps';

/**
 * What a staff action means for the case's urgent wait (docs/urgent-on-call.md): a 1차 상담 that
 * raises the case to 즉시 위험 opens its one wait for a 확인 (out of hours, the on-call target at
 * once); closing the case ends its wait (no one need be woken, no 확인 recorded). Called after
 * every successful action from the console's pages and API, with the actions it applied.
 */
export function urgentAfterAction(
  deps: Pick<ConsoleDeps<'onCall' | 'alertTargets'>, 'config' | 'repos' | 'district' | 'now'>,
) {
  const open = urgentOpener(deps);
  return async (actions: readonly { type: string; urgency?: string }[], report: Report): Promise<void> => {
    if (report.urgency === 'immediate' && actions.some((a) => a.type === 'consult' && a.urgency === 'immediate'))
      await open(report);
    if (report.status === 'closed') await deps.repos.onCall.endWait(deps.district.id, report.receiptNo);
  };
}
