import type { District } from '../district';
import type { ReportScope } from '../report/scope';
import type { HistoryEntry, Report, VisitReport } from '../report/report';
import type { ReportRepository } from '../report/repository';
import type { ReportStatus } from '../report/status';
import { ACTIONS_BY_ROLE, ALLOWED_FROM, type ReportAction } from './report-actions';
import { DETAILS_TO_FOLLOW } from '../report/report';
import { addDaysTo, CALL_OUTCOME_LABELS, recordCall, startFollowUp, type FollowUp } from '../report/follow-up';
import { CRISIS_LABELS, type CrisisLevel } from '../report/crisis';
import { URGENCY_LABELS, URGENCY_RANK } from '../report/urgency';
import { seoulDate } from '../time';
import { addressKey } from '../address-key';
import { ageText, formatPhone, sexText } from '../report/correction';

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
  | {
      ok: false;
      code:
        | 'not_allowed'
        | 'no_dong'
        | 'unknown_dong'
        | 'no_duplicate'
        | 'unknown_service'
        | 'forbidden_role'
        | 'changed'
        | 'bad_visit_time'
        | 'bad_revisit_day';
      reason: string;
    };

type RefusalCode =
  | 'no_dong'
  | 'unknown_dong'
  | 'no_duplicate'
  | 'unknown_service'
  | 'bad_visit_time'
  | 'bad_revisit_day';

/** A follow-up schedule for a case entering follow-up: the cadence from its crisis level. */
function scheduleFor(
  district: District,
  level: CrisisLevel | null | undefined,
  now: Date,
  current?: FollowUp | null,
): FollowUp {
  if (current?.cadenceSetByStaff)
    return { ...startFollowUp(current.cadenceDays, seoulDate(now)), cadenceSetByStaff: true };
  return startFollowUp(district.followUpCadenceDays[level ?? 'low'], seoulDate(now));
}

interface Change {
  status: ReportStatus;
  set: Record<string, unknown>;
  entry: Omit<HistoryEntry, 'at' | 'by' | 'action'>;
}

/** Nothing would change (the same dong, the same name): no revision and no history entry is written. */
const NO_CHANGE = { noop: true } as const;

function changeFor(
  action: ReportAction,
  report: Report,
  district: District,
  actor: Actor,
  now: Date,
): Change | { refuse: RefusalCode } | typeof NO_CHANGE {
  const by = actor.id;
  switch (action.type) {
    case 'consult': {
      const services = action.services ?? [];
      // a retired service stays valid on a case that already had it (the form keeps it checked)
      const known = (code: string) =>
        district.services.some((s) => s.code === code) || (report.consultation?.services ?? []).includes(code);
      if (services.some((code) => !known(code))) return { refuse: 'unknown_service' };
      const set: Record<string, unknown> = {
        consultation: {
          at: now,
          by,
          result: action.result,
          supportLinked: action.supportLinked ?? null,
          callOutcome: action.callOutcome ?? null,
          services,
        },
      };
      // changes the call showed are named in the history note, so the timeline tells why
      const changes: string[] = [];
      if (action.urgency && action.urgency !== report.urgency) {
        Object.assign(set, { urgency: action.urgency, urgencyRank: URGENCY_RANK[action.urgency] });
        changes.push(`긴급도 ${URGENCY_LABELS[report.urgency]} → ${URGENCY_LABELS[action.urgency]}`);
      }
      if (action.crisisLevel && action.crisisLevel !== report.crisisLevel) {
        set.crisisLevel = action.crisisLevel;
        changes.push(
          `위기도 ${report.crisisLevel ? CRISIS_LABELS[report.crisisLevel] : '미정'} → ${CRISIS_LABELS[action.crisisLevel]}`,
        );
      }
      // whoever consults a case nobody has taken becomes its 담당
      if (!report.assignee && (actor.role === 'staff' || actor.role === 'admin') && actor.id.startsWith('user:'))
        set.assignee = actor.id.slice('user:'.length);
      const outcome = action.callOutcome ? `[${CALL_OUTCOME_LABELS[action.callOutcome]}] ` : '';
      const status = report.status === 'received' ? 'consulted' : report.status;
      return {
        status,
        set,
        entry: {
          from: report.status,
          to: status,
          note: `${outcome}${action.result}${changes.length ? ` (${changes.join(', ')})` : ''}`,
        },
      };
    }
    case 'set_assignee':
      if ((report.assignee ?? null) === action.assignee) return NO_CHANGE;
      return {
        status: report.status,
        set: { assignee: action.assignee },
        entry: { from: report.assignee ?? '', to: action.assignee ?? '' },
      };
    case 'follow_up_call': {
      const current = report.followUp ?? scheduleFor(district, report.crisisLevel ?? report.visit?.crisisLevel, now);
      const { followUp, needsVisit } = recordCall(current, action.outcome, seoulDate(now), now);
      const label = CALL_OUTCOME_LABELS[action.outcome];
      if (needsVisit && report.assignedDongCode) {
        // three unanswered calls in a row: someone has to go and look
        return {
          status: 'visit_requested',
          set: { followUp, visitRequestedAt: now },
          entry: {
            from: report.status,
            to: 'visit_requested',
            note: `[${label}] 3회 연속 부재: 방문 요청${action.note ? ` — ${action.note}` : ''}`,
          },
        };
      }
      if (needsVisit) {
        // no dong center to send: the call stays due tomorrow and the history says what is missing
        const waiting: FollowUp = {
          ...followUp,
          missedInRow: current.missedInRow + 1,
          nextDue: addDaysTo(seoulDate(now), 1),
        };
        return {
          status: 'follow_up',
          set: { followUp: waiting, followUpDue: waiting.nextDue },
          entry: {
            from: report.status,
            to: 'follow_up',
            note: `[${label}] 3회 연속 부재: 관할 동을 배정하고 방문을 요청하세요${action.note ? ` — ${action.note}` : ''}`,
          },
        };
      }
      return {
        status: 'follow_up',
        set: { followUp, followUpDue: followUp.nextDue },
        entry: {
          from: report.status,
          to: 'follow_up',
          note: `[${label}] 다음 ${followUp.nextDue}${action.note ? ` — ${action.note}` : ''}`,
        },
      };
    }
    case 'set_cadence': {
      const base = report.followUp ?? scheduleFor(district, report.crisisLevel, now);
      const from = base.lastCallAt ? seoulDate(base.lastCallAt) : seoulDate(now);
      const followUp: FollowUp = {
        ...base,
        cadenceDays: action.cadenceDays,
        cadenceSetByStaff: true,
        nextDue: startFollowUp(action.cadenceDays, from).nextDue,
      };
      return {
        status: 'follow_up',
        set: { followUp, followUpDue: followUp.nextDue },
        entry: { from: `${base.cadenceDays}`, to: `${action.cadenceDays}`, note: action.reason },
      };
    }
    case 'end_follow_up':
      return {
        status: 'closed',
        set: { closedAt: now },
        entry: { from: 'follow_up', to: 'closed', note: action.reason },
      };
    case 'assign': {
      const dong = district.dongByCode(action.dongCode);
      if (!dong) return { refuse: 'unknown_dong' };
      const status = report.status === 'received' || report.status === 'consulted' ? 'assigned' : report.status;
      if (report.assignedDongCode === dong.code && status === report.status) return NO_CHANGE;
      return {
        status,
        set: { assignedDongCode: dong.code },
        entry: { from: report.assignedDongCode ?? '', to: dong.code },
      };
    }
    case 'request_visit':
      if (!report.assignedDongCode) return { refuse: 'no_dong' };
      return {
        status: 'visit_requested',
        set: { visitRequestedAt: now },
        entry: { from: report.status, to: 'visit_requested', note: action.reason },
      };
    case 'visit_result': {
      const level = action.crisisLevel && action.crisisLevel !== 'unknown' ? action.crisisLevel : null;
      const visitedAt = action.visitedAt ? new Date(`${action.visitedAt}:00+09:00`) : null;
      if (
        visitedAt &&
        (visitedAt.getTime() > now.getTime() + 5 * 60_000 || visitedAt.getTime() < now.getTime() - 30 * 86_400_000)
      )
        return { refuse: 'bad_visit_time' };
      if (action.revisitOn && (action.revisitOn < seoulDate(now) || action.revisitOn > addDaysTo(seoulDate(now), 60)))
        return { refuse: 'bad_revisit_day' };
      const visit: VisitReport = {
        at: now,
        by,
        reached: action.reached,
        investigationResult: action.investigationResult,
        supportProvided: action.supportProvided ?? null,
        // a visit where nobody was met asks only when and what was seen: nothing entered, no level, no follow-up decided
        enteredInSystem: action.reached ? (action.enteredInSystem ?? false) : false,
        crisisLevel: action.reached ? level : null,
        followUpNeeded: action.reached ? (action.followUpNeeded ?? false) : false,
        visitedAt,
        revisitOn: action.reached ? null : (action.revisitOn ?? null),
      };
      const set: Record<string, unknown> = { visit };
      if (level) set.crisisLevel = level;
      if (!action.reached) {
        // nobody was met (부재): the loop is not closed, the case goes back for a second visit
        const missed = (report.missedVisits ?? 0) + 1;
        Object.assign(set, { missedVisits: missed, visitRequestedAt: now });
        const plan = action.revisitOn ? ` · 재방문 예정 ${action.revisitOn}` : '';
        return {
          status: 'visit_requested',
          set,
          entry: {
            from: report.status,
            to: 'visit_requested',
            note: `[부재 ${missed}회] 재방문 필요${plan} — ${action.investigationResult}`,
          },
        };
      }
      const status = visit.followUpNeeded ? 'follow_up' : 'visited';
      if (status === 'follow_up') {
        const followUp = scheduleFor(district, level ?? report.crisisLevel, now, report.followUp);
        Object.assign(set, { followUp, followUpDue: followUp.nextDue });
      }
      return { status, set, entry: { from: report.status, to: status, note: action.investigationResult } };
    }
    case 'follow_up': {
      const base = report.followUp ?? scheduleFor(district, report.crisisLevel ?? report.visit?.crisisLevel, now);
      const followUp: FollowUp = { ...base, nextDue: action.dueDate };
      return {
        status: 'follow_up',
        set: { followUpDue: action.dueDate, followUp },
        entry: { from: report.status, to: 'follow_up', note: action.note },
      };
    }
    case 'close':
      return {
        status: 'closed',
        set: { closedAt: now },
        entry: { from: report.status, to: 'closed', note: action.reason },
      };
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
        entry: {
          from: report.status,
          to: 'closed',
          note: `merged into ${report.duplicateOf}${action.note ? `: ${action.note}` : ''}`,
        },
      };
    case 'keep_separate':
      if (report.duplicateState !== 'suspected') return { refuse: 'no_duplicate' };
      return {
        status: report.status,
        set: { duplicateState: 'separate' },
        entry: { from: 'suspected', to: 'separate', note: action.note },
      };
    case 'acknowledge_urgent':
      return { status: report.status, set: {}, entry: { note: action.note ?? '긴급 알림 확인' } };
    case 'correct_name':
      return correction(report, report.person.name ?? '', action.name ?? '', {
        person: { ...report.person, name: action.name },
      });
    case 'correct_phone': {
      const phone = action.phone === null ? null : formatPhone(action.phone);
      return correction(report, report.person.phone ?? '', phone ?? '', { person: { ...report.person, phone } });
    }
    case 'correct_sex':
      return correction(report, sexText(report.person.sex), sexText(action.sex), {
        person: { ...report.person, sex: action.sex },
      });
    case 'correct_age':
      return correction(report, ageText(report.person.age), ageText(action.age), {
        person: { ...report.person, age: action.age },
      });
    case 'correct_address': {
      const dong = action.dongCode ? district.dongByCode(action.dongCode) : undefined;
      if (action.dongCode && !dong) return { refuse: 'unknown_dong' };
      const address = {
        text: action.text,
        dongCode: dong?.code ?? null,
        dongName: dong?.name ?? null,
        resolvedBy: 'staff',
      };
      const dongChanged = report.address.dongCode !== address.dongCode;
      if (report.address.text === action.text && !dongChanged) return NO_CHANGE;
      // the dong the address lies in is named in the note; the case's assigned dong is its own action (assign)
      const note = dongChanged
        ? `행정동 ${report.address.dongName ?? '미확인'} → ${address.dongName ?? '미확인'}`
        : undefined;
      return {
        status: report.status,
        set: { address, addressKey: addressKey(action.text) },
        entry: { from: report.address.text, to: action.text, ...(note ? { note } : {}) },
      };
    }
    case 'add_details': {
      // Only what the reporter gave changes; signs add up; the situation replaces the placeholder
      // an urgent report was filed with, or is appended to what staff already read.
      const set: Record<string, unknown> = {};
      if (action.signs?.length) set.signs = [...new Set([...report.signs, ...action.signs])];
      const person = { ...report.person };
      if (action.name !== undefined) person.name = action.name;
      if (action.age !== undefined) person.age = action.age;
      if (action.sex !== undefined) person.sex = action.sex;
      if (action.phone !== undefined) person.phone = action.phone;
      set.person = person;
      if (action.situation) {
        set.situation =
          report.situation === DETAILS_TO_FOLLOW
            ? action.situation
            : `${report.situation}\n[추가] ${action.situation}`.slice(0, 1000);
      }
      // the timeline says in words which answers arrived (staff read it, so in Korean)
      const added = [
        action.signs?.length ? '위기 징후' : '',
        action.name !== undefined ? '이름' : '',
        action.age !== undefined ? '나이' : '',
        action.phone !== undefined ? '연락처' : '',
        action.situation ? '상황' : '',
      ].filter(Boolean);
      return { status: report.status, set, entry: { note: `채팅으로 더한 내용: ${added.join(', ') || '없음'}` } };
    }
  }
}

/** One field put right: its history entry holds the old and new value as staff read them. */
function correction(report: Report, from: string, to: string, set: Record<string, unknown>): Change | typeof NO_CHANGE {
  if (from === to) return NO_CHANGE;
  return { status: report.status, set, entry: { from, to } };
}

/** Actions that begin a new step even when the status stays (a second consultation, a new dong). */
const STEP_ACTIONS: readonly string[] = ['consult', 'assign', 'request_visit', 'visit_result', 'reopen'];

type Refusal = Extract<ActionResult, { ok: false; reason: string }>;

/**
 * The report after one action, decided in memory from its current state (role, allowed statuses,
 * the change and its history entry), or why it is refused. `applyReportAction` stores the result
 * as the next revision; the demo seed builds its synthetic histories with it.
 */
export function decideAction(
  report: Report,
  action: ReportAction,
  district: District,
  actor: Actor,
  now: Date,
): { ok: true; report: Report; unchanged?: true } | Refusal {
  if (!ACTIONS_BY_ROLE[actor.role].includes(action.type)) {
    return { ok: false, code: 'forbidden_role', reason: `role ${actor.role} may not ${action.type}` };
  }
  if (report.anonymisedAt) {
    // nothing is left to act on: the person's name, phone, address and texts are gone
    return { ok: false, code: 'not_allowed', reason: 'the case was anonymised after its retention period' };
  }
  if (!ALLOWED_FROM[action.type].includes(report.status)) {
    return {
      ok: false,
      code: 'not_allowed',
      reason: `${action.type} is not allowed while the report is ${report.status}`,
    };
  }
  const change = changeFor(action, report, district, actor, now);
  // "홍제1동 → 홍제1동" is no event: nothing is written, so nothing is shown
  if ('noop' in change) return { ok: true, report, unchanged: true };
  if ('refuse' in change) {
    const reason = {
      no_dong: 'assign a dong before requesting a visit',
      unknown_dong: 'no such dong in this district',
      no_duplicate: 'the report is not flagged as a possible duplicate',
      unknown_service: "a linked service is not in the district's list",
      bad_visit_time: 'the visit time is in the future or more than 30 days ago',
      bad_revisit_day: 'the planned revisit is not within the next 60 days',
    }[change.refuse];
    return { ok: false, code: change.refuse, reason };
  }
  const entry: HistoryEntry = { at: now, by: actor.id, action: action.type, ...change.entry };
  // the next step's clock (domain/casework/next-step.ts) starts when the case moves on
  const moved = change.status !== report.status || STEP_ACTIONS.includes(action.type);
  const stepSince = moved ? { stepSince: now } : {};
  return {
    ok: true,
    report: {
      ...report,
      ...(change.set as Partial<Report>),
      ...stepSince,
      status: change.status,
      history: [...report.history, entry],
    },
  };
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
  return applyFrom(deps, actor, found, action, now);
}

/**
 * `applyReportAction` for a report known by its id: reads only by `_id`, never scanning the
 * reports (the chat adds an urgent report's details this way on every such turn).
 */
export async function applyReportActionTo(
  deps: { reports: ReportRepository; district: District },
  actor: Actor,
  reportId: string,
  action: ReportAction,
  now: Date,
): Promise<ActionResult> {
  const found = await deps.reports.current(reportId);
  if (!found) return { ok: false, code: 'not_found' };
  return applyFrom(deps, actor, found, action, now);
}

/**
 * The attempts of one action, from the latest revision just read: on a lost race, from the
 * revision that won (which holds the whole report), so racing staff do not each read the report
 * again from the start.
 */
async function applyFrom(
  deps: { reports: ReportRepository; district: District },
  actor: Actor,
  latest: Report,
  action: ReportAction,
  now: Date,
): Promise<ActionResult> {
  let report: Report | undefined = latest;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (!report || !withinReach(report, actor, deps.district.id)) return { ok: false, code: 'not_found' };
    const decided = decideAction(report, action, deps.district, actor, now);
    if (!decided.ok) return decided;
    if (decided.unchanged) return { ok: true, report };
    const next = decided.report;
    if (await deps.reports.change(report, next)) return { ok: true, report: { ...next, rev: (report.rev ?? 1) + 1 } };
    // Another change came first: back off a little (racing writers spread out) and decide again.
    await backOff(attempt);
    report = await deps.reports.latestAfter(report);
  }
  return { ok: false, code: 'changed', reason: 'the report changed meanwhile; reload and retry' };
}

/**
 * Several actions on one report applied together or not at all (the case page's one-step form:
 * consult, assign the dong, request the visit; or several corrections): each is decided in order
 * from the state the previous one left, each keeps its own history entry, and all are stored as
 * one revision — the store has no multi-document transactions, and needs none for one document.
 * The first refusal refuses the whole set, with nothing written. Racing changes are handled as
 * for one action: the set is decided again from the newer revision.
 */
export async function applyReportActions(
  deps: { reports: ReportRepository; district: District },
  actor: Actor,
  receiptNo: string,
  actions: readonly ReportAction[],
  now: Date,
): Promise<ActionResult & { applied?: ReportAction['type'][] }> {
  let report = await deps.reports.byReceiptNo(deps.district.id, receiptNo);
  if (!report) return { ok: false, code: 'not_found' };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (!report || !withinReach(report, actor, deps.district.id)) return { ok: false, code: 'not_found' };
    let next = report;
    const applied: ReportAction['type'][] = [];
    for (const action of actions) {
      const decided = decideAction(next, action, deps.district, actor, now);
      if (!decided.ok) return decided;
      if (decided.unchanged) continue;
      next = decided.report;
      applied.push(action.type);
    }
    if (applied.length === 0) return { ok: true, report, applied };
    if (await deps.reports.change(report, next))
      return { ok: true, report: { ...next, rev: (report.rev ?? 1) + 1 }, applied };
    await backOff(attempt);
    report = await deps.reports.latestAfter(report);
  }
  return { ok: false, code: 'changed', reason: 'the report changed meanwhile; reload and retry' };
}

/** Whether the actor may act on the report at all: its district; a dong's own cases; a reporter's own reports. */
function withinReach(report: Report, actor: Actor, district: string): boolean {
  if (report.district !== district) return false;
  if (actor.role === 'dong') return report.assignedDongCode === actor.dongCode;
  if (actor.role === 'reporter')
    return report.reporter.channel === actor.channel && report.reporter.userId === actor.userId;
  return true;
}

/** Enough for dozens of simultaneous actions on one report; each retry reads the claims that won, by `_id`. */
const MAX_ATTEMPTS = 60;

/** A short random pause after a lost race, longer with each attempt, so racing writers spread out. */
const backOff = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));

/** The reports an actor may see: its dong's for a dong user, the district's for everyone else. */
export function scopeOf(actor: Actor, district: string): ReportScope {
  return actor.role === 'dong' ? { kind: 'dong', district, dongCode: actor.dongCode } : { kind: 'district', district };
}
