import { signLabel, type District } from '../domain/district';
import { consultDeadline, sameDayState } from '../domain/same-day';
import { type CaseCalendar, defaultCalendar, nextStep, STEP_LABELS } from '../domain/casework/next-step';
import type { Actor } from '../domain/workflow/apply-action';
import type { Report } from '../domain/report/report';
import { maskAddress, maskName, maskPhone } from './masking';
import { dueText } from './views/format';
import { isCorrection } from '../domain/report/correction';

/**
 * What a role may see of a report. Staff see everything the call center needs; a dong center
 * gets the household and the case, but no reporter chat ids and no partner-internal ids.
 */
export function reportView(
  report: Report,
  actor: Actor,
  district: District,
  now: Date,
  calendar: CaseCalendar = defaultCalendar(),
) {
  const dong = report.assignedDongCode ? district.dongByCode(report.assignedDongCode) : undefined;
  const step = nextStep(report, now, calendar);
  const common = {
    receiptNo: report.receiptNo,
    receivedAt: report.receivedAt.toISOString(),
    status: report.status,
    urgency: report.urgency,
    sameDay: sameDayState(report, now),
    /** The same-day rule's deadline as it reads now: "…(금) 23:59까지", or once passed "2일 지남". */
    sameDayDue: dueText(consultDeadline(report.receivedAt), now),
    /** What happens next, whose, by when (domain/casework/next-step.ts); null once closed. */
    nextStep: step
      ? {
          kind: step.kind,
          label: STEP_LABELS[step.kind],
          owner:
            step.owner.kind === 'dong'
              ? {
                  kind: 'dong' as const,
                  dongCode: step.owner.dongCode,
                  name: district.dongByCode(step.owner.dongCode)?.name ?? '',
                }
              : { kind: 'callcenter' as const, staff: step.owner.staff },
          opensAt: step.opensAt.toISOString(),
          dueAt: step.dueAt.toISOString(),
          /** "…(금) 23:59까지", or once passed "3일 지남". */
          dueText: dueText(step.dueAt, now),
          state: step.state,
          urgent: step.urgent,
        }
      : null,
    assignedDong: dong ? { code: dong.code, name: dong.name } : null,
    address: { text: report.address.text, dongName: report.address.dongName },
    signs: report.signs.map((code) => ({ code, label: signLabel(district, code) })),
    person: report.person,
    situation: report.situation,
    consultation: report.consultation ?? null,
    visit: report.visit ?? null,
    followUpDue: report.followUpDue ?? null,
    assignee: report.assignee ?? null,
    crisisLevel: report.crisisLevel ?? null,
    followUp: report.followUp ?? null,
    visitRequestedAt: report.visitRequestedAt ?? null,
    missedVisits: report.missedVisits ?? 0,
    closedAt: report.closedAt ?? null,
    /** Photos sent with the report: a dong center sees them as it sees the address (its own cases, in full). */
    photoIds: report.photoIds ?? [],
  };
  if (actor.role === 'dong') {
    return {
      ...common,
      partner: { name: report.partner.name },
      history: report.history.map((h) => ({
        ...maskedCorrection(h),
        by: h.by.startsWith('partner:') ? 'partner' : h.by,
      })),
    };
  }
  return {
    ...common,
    partner: report.partner,
    reporter: report.reporter,
    // the field worker's own call-back number: the call center's, never a dong center's
    reporterContact: report.reporterContact ?? null,
    address: report.address,
    duplicate: report.duplicateOf ? { of: report.duplicateOf, state: report.duplicateState ?? null } : null,
    history: report.history,
  };
}
export type ReportView = ReturnType<typeof reportView>;

/** A correction's old and new values as a dong center reads them: names, phones and addresses masked (masking.ts). */
function maskedCorrection(h: Report['history'][number]): Report['history'][number] {
  if (!isCorrection(h.action)) return h;
  const mask =
    h.action === 'correct_name'
      ? maskName
      : h.action === 'correct_phone'
        ? maskPhone
        : h.action === 'correct_address'
          ? maskAddress
          : (v: string) => v;
  return { ...h, from: h.from ? (mask(h.from) ?? '') : h.from, to: h.to ? (mask(h.to) ?? '') : h.to };
}

/** One line of the queue: enough to pick a case, nothing more. */
export function queueItem(report: Report, actor: Actor, district: District, now: Date, calendar?: CaseCalendar) {
  const v = reportView(report, actor, district, now, calendar);
  return {
    receiptNo: v.receiptNo,
    receivedAt: v.receivedAt,
    status: v.status,
    urgency: v.urgency,
    sameDay: v.sameDay,
    nextStep: v.nextStep,
    assignedDong: v.assignedDong,
    signs: v.signs,
    partnerName: v.partner.name,
    duplicate: 'duplicate' in v ? v.duplicate : null,
    assignee: v.assignee,
    // the call center phones people and needs the whole name; a dong center's list is masked
    // (its staff open the case for the household's details)
    personName: actor.role === 'dong' ? maskName(v.person.name) : v.person.name,
    addressText: actor.role === 'dong' ? maskAddress(v.address.text) : v.address.text,
    followUpNext: v.status === 'follow_up' ? (v.followUp?.nextDue ?? v.followUpDue) : null,
  };
}
