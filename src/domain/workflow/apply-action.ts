import type { District } from '../district';
import type { HistoryEntry, Report, ReportRepository, ReportStatus } from '../../store/report/report';
import { ACTIONS_BY_ROLE, ALLOWED_FROM, type ReportAction } from './report-actions';

export type Role = 'admin' | 'staff' | 'dong';

/** Who acts, and what they may see: a dong user's scope is its own dong, enforced in the query. */
export type Actor = { id: string; role: 'admin' | 'staff' } | { id: string; role: 'dong'; dongCode: string };

export type ActionResult =
  | { ok: true; report: Report }
  | { ok: false; code: 'not_found' }
  | { ok: false; code: 'not_allowed' | 'no_dong' | 'unknown_dong' | 'forbidden_role' | 'changed'; reason: string };

interface Change {
  status: ReportStatus;
  set: Record<string, unknown>;
  entry: Omit<HistoryEntry, 'at' | 'by' | 'action'>;
}

function changeFor(action: ReportAction, report: Report, district: District, actor: Actor, now: Date): Change | { refuse: 'no_dong' | 'unknown_dong' } {
  const by = actor.id;
  switch (action.type) {
    case 'consult':
      return {
        status: report.status === 'received' ? 'consulted' : report.status,
        set: { consultation: { at: now, by, result: action.result, supportLinked: action.supportLinked ?? null } },
        entry: { from: report.status, to: report.status === 'received' ? 'consulted' : report.status, note: action.result },
      };
    case 'assign': {
      const dong = district.dongByCode(action.dongCode);
      if (!dong) return { refuse: 'unknown_dong' };
      const status = report.status === 'received' || report.status === 'consulted' ? 'assigned' : report.status;
      return { status, set: { assignedDongCode: dong.code }, entry: { from: report.assignedDongCode ?? '', to: dong.code } };
    }
    case 'request_visit':
      if (!report.assignedDongCode) return { refuse: 'no_dong' };
      return { status: 'visit_requested', set: {}, entry: { from: report.status, to: 'visit_requested', note: action.reason } };
    case 'visit_result': {
      const { type: _t, ...visit } = action;
      const status = action.followUpNeeded ? 'follow_up' : 'visited';
      return {
        status,
        set: { visit: { ...visit, supportProvided: visit.supportProvided ?? null, at: now, by } },
        entry: { from: report.status, to: status, note: action.investigationResult },
      };
    }
    case 'follow_up':
      return { status: 'follow_up', set: { followUpDue: action.dueDate }, entry: { from: report.status, to: 'follow_up', note: action.note } };
    case 'close':
      return { status: 'closed', set: { closedAt: now }, entry: { from: report.status, to: 'closed', note: action.reason } };
    case 'reopen': {
      const status = report.assignedDongCode ? 'assigned' : 'received';
      return { status, set: { closedAt: null }, entry: { from: 'closed', to: status, note: action.reason } };
    }
  }
}

/**
 * Applies one action to one report in a single-document update that changes the fields and
 * appends the history entry together, conditional on the status it was decided from. A dong
 * actor's query is scoped to its dong, so another dong's report is "not found", never shown.
 */
export async function applyReportAction(
  deps: { reports: ReportRepository; district: District },
  actor: Actor,
  receiptNo: string,
  action: ReportAction,
  now: Date,
): Promise<ActionResult> {
  const report = await deps.reports.byReceiptNo(deps.district.id, receiptNo);
  if (!report || (actor.role === 'dong' && report.assignedDongCode !== actor.dongCode)) return { ok: false, code: 'not_found' };
  if (!ACTIONS_BY_ROLE[actor.role].includes(action.type)) {
    return { ok: false, code: 'forbidden_role', reason: `role ${actor.role} may not ${action.type}` };
  }
  if (!ALLOWED_FROM[action.type].includes(report.status)) {
    return { ok: false, code: 'not_allowed', reason: `${action.type} is not allowed while the report is ${report.status}` };
  }
  const change = changeFor(action, report, deps.district, actor, now);
  if ('refuse' in change) {
    const reason = change.refuse === 'no_dong' ? 'assign a dong before requesting a visit' : 'no such dong in this district';
    return { ok: false, code: change.refuse, reason };
  }
  const entry: HistoryEntry = { at: now, by: actor.id, action: action.type, ...change.entry };
  const updated = await deps.reports.applyChange(report.id, report.status, { ...change.set, status: change.status }, entry);
  if (!updated) return { ok: false, code: 'changed', reason: 'the report changed meanwhile; reload and retry' };
  return { ok: true, report: updated };
}
