import type { District } from '../district';
import type { ReportScope } from '../report/scope';
import type { HistoryEntry, Report } from '../report/report';
import type { ReportRepository } from '../report/repository';
import type { ReportStatus } from '../report/status';
import { ACTIONS_BY_ROLE, ALLOWED_FROM, type ReportAction } from './report-actions';
import { DETAILS_TO_FOLLOW } from '../report/report';

export type Role = 'admin' | 'staff' | 'dong';

/** Who acts, and what they may see: a dong user's scope is its own dong, enforced in the query. */
export type Actor =
  | { id: string; role: 'admin' | 'staff' }
  | { id: string; role: 'dong'; dongCode: string }
  /** The field worker who filed the report, by chat: may act on their own reports only. */
  | { id: string; role: 'reporter'; channel: string; userId: string };

export type ActionResult =
  | { ok: true; report: Report }
  | { ok: false; code: 'not_found' }
  | { ok: false; code: 'not_allowed' | 'no_dong' | 'unknown_dong' | 'no_duplicate' | 'forbidden_role' | 'changed'; reason: string };

interface Change {
  status: ReportStatus;
  set: Record<string, unknown>;
  entry: Omit<HistoryEntry, 'at' | 'by' | 'action'>;
}

function changeFor(action: ReportAction, report: Report, district: District, actor: Actor, now: Date): Change | { refuse: 'no_dong' | 'unknown_dong' | 'no_duplicate' } {
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
    case 'merge_duplicate':
      // The earlier report carries on; this one closes, pointing at it.
      if (report.duplicateState !== 'suspected' || !report.duplicateOf) return { refuse: 'no_duplicate' };
      return {
        status: 'closed',
        set: { closedAt: now, duplicateState: 'merged' },
        entry: { from: report.status, to: 'closed', note: `merged into ${report.duplicateOf}${action.note ? `: ${action.note}` : ''}` },
      };
    case 'keep_separate':
      if (report.duplicateState !== 'suspected') return { refuse: 'no_duplicate' };
      return { status: report.status, set: { duplicateState: 'separate' }, entry: { from: 'suspected', to: 'separate', note: action.note } };
    case 'add_details': {
      // Only what the reporter gave changes; signs add up; the situation replaces the placeholder
      // an urgent report was filed with, or is appended to what staff already read.
      const set: Record<string, unknown> = {};
      if (action.signs?.length) set.signs = [...new Set([...report.signs, ...action.signs])];
      const person = { ...report.person };
      if (action.name !== undefined) person.name = action.name;
      if (action.age !== undefined) person.age = action.age;
      if (action.phone !== undefined) person.phone = action.phone;
      set.person = person;
      if (action.situation) {
        set.situation = report.situation === DETAILS_TO_FOLLOW ? action.situation : `${report.situation}\n[추가] ${action.situation}`.slice(0, 1000);
      }
      return { status: report.status, set, entry: { note: 'details added by the reporter' } };
    }
  }
}

/**
 * Applies one action to one report: decided from the report's latest revision, stored as the next
 * revision with its history entry (fields and history together, in one document). When another
 * change took that revision first, the action is decided again from the new state — so racing
 * actions are applied one after another, each with its own history entry in the order applied,
 * or refused (409) when the state no longer allows them. A dong actor sees only its own dong's
 * reports: another dong's report is "not found", never shown.
 */
export async function applyReportAction(
  deps: { reports: ReportRepository; district: District },
  actor: Actor,
  receiptNo: string,
  action: ReportAction,
  now: Date,
): Promise<ActionResult> {
  const found = await deps.reports.byReceiptNo(deps.district.id, receiptNo);
  if (!found) return { ok: false, code: 'not_found' };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const report = await deps.reports.current(found.id);
    if (!report || (actor.role === 'dong' && report.assignedDongCode !== actor.dongCode)) return { ok: false, code: 'not_found' };
    if (actor.role === 'reporter' && (report.reporter.channel !== actor.channel || report.reporter.userId !== actor.userId)) {
      return { ok: false, code: 'not_found' };
    }
    if (!ACTIONS_BY_ROLE[actor.role].includes(action.type)) {
      return { ok: false, code: 'forbidden_role', reason: `role ${actor.role} may not ${action.type}` };
    }
    if (!ALLOWED_FROM[action.type].includes(report.status)) {
      return { ok: false, code: 'not_allowed', reason: `${action.type} is not allowed while the report is ${report.status}` };
    }
    const change = changeFor(action, report, deps.district, actor, now);
    if ('refuse' in change) {
      const reason = {
        no_dong: 'assign a dong before requesting a visit',
        unknown_dong: 'no such dong in this district',
        no_duplicate: 'the report is not flagged as a possible duplicate',
      }[change.refuse];
      return { ok: false, code: change.refuse, reason };
    }
    const entry: HistoryEntry = { at: now, by: actor.id, action: action.type, ...change.entry };
    const next: Report = { ...report, ...(change.set as Partial<Report>), status: change.status, history: [...report.history, entry] };
    if (await deps.reports.change(report, next)) return { ok: true, report: { ...next, rev: (report.rev ?? 1) + 1 } };
    // Another change came first: back off a little (racing writers spread out) and decide again.
    await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
  }
  return { ok: false, code: 'changed', reason: 'the report changed meanwhile; reload and retry' };
}

/** Enough for dozens of simultaneous actions on one report; each retry re-reads one small document. */
const MAX_ATTEMPTS = 60;

/** The reports an actor may see: its dong's for a dong user, the district's for everyone else. */
export function scopeOf(actor: Actor, district: string): ReportScope {
  return actor.role === 'dong' ? { kind: 'dong', district, dongCode: actor.dongCode } : { kind: 'district', district };
}
