import { z } from 'zod';
import { isBusinessDay } from '../same-day';
import { seoulDate } from '../time';
import { STAFF_TARGET_KINDS, type StaffTargetKind } from '../weekly/weekly-delivery';

/**
 * The urgent route out of hours (당직): who is alerted at once when a 즉시 위험 report arrives
 * while the call center is closed, in which hours, and whom an unacknowledged alert escalates to.
 * The targets are the staff target kinds (src/domain/weekly/weekly-delivery.ts).
 */
export const ON_CALL_KINDS = STAFF_TARGET_KINDS;
export type OnCallKind = StaffTargetKind;

/** One place an urgent alert goes: a Slack channel, a Telegram chat, e-mail addresses or a webhook URL. */
export interface OnCallTarget {
  kind: OnCallKind;
  address: string;
  /** What this target's message carries; unset: the on-call setup's privacy (the call center's targets keep their own). */
  privacy?: 'full' | 'minimal';
}

/**
 * How an urgent report's wait for a 확인 began: `on_call` — the on-call target was on duty and
 * alerted at once; `call_center` — otherwise (working hours, or no working on-call target): the
 * call center's own urgent alert (sent by the alert sweep) is step 0, and an unacknowledged one is
 * re-sent to the call center and escalated along the chain.
 */
export type UrgentRoute = 'on_call' | 'call_center';

/**
 * When the on-call target is on duty: on business days from `from` to `to` (Seoul time, across
 * midnight when `from` is later than `to`), and all day on weekends and public holidays when
 * `offDays` is true. The default is exactly the call center's closed hours (firstCallDay's 09–18).
 */
export interface OnCallHours {
  from: string;
  to: string;
  offDays: boolean;
}

export const DEFAULT_ON_CALL_HOURS: OnCallHours = { from: '18:00', to: '09:00', offDays: true };

/** The on-call setup of a district: the hours, the on-call target (the list's first) and the escalation list after it. */
export interface OnCallSetup {
  district: string;
  hours: OnCallHours;
  /** [0] is the on-call target; [1..] the escalation list, in order. Empty: no on-call route. */
  chain: OnCallTarget[];
  /** What the alerts carry (as for the other targets): `minimal` = receipt number and links only. */
  privacy: 'full' | 'minimal';
  updatedAt: Date;
}

const hhmm = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (00:00–23:59)');

/** The hours as an admin types them (console form, CLI): "18:00-09:00". */
export const onCallHoursSchema = z
  .object({ from: hhmm, to: hhmm, offDays: z.boolean() })
  .refine((h) => h.from !== h.to, { message: 'from and to must differ', path: ['to'] });

/** A "18:00-09:00" range into from/to; undefined when it is not one. */
export function parseHoursRange(text: string): { from: string; to: string } | undefined {
  const m = /^\s*(\d{1,2}:\d{2})\s*[-~–]\s*(\d{1,2}:\d{2})\s*$/.exec(text);
  if (!m) return undefined;
  const pad = (t: string) => (t.length === 4 ? `0${t}` : t);
  return { from: pad(m[1]!), to: pad(m[2]!) };
}

const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const seoulMinutes = (d: Date) => {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Seoul',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return get('hour') * 60 + get('minute');
};

/**
 * Whether the on-call target is on duty at `at`. A window across midnight belongs to the day it
 * starts on: Friday 18:00–Saturday 09:00 is Friday's, so Saturday 02:00 is on duty even with
 * `offDays` false.
 */
export function onCallAt(hours: OnCallHours, at: Date): boolean {
  const today = seoulDate(at);
  if (hours.offDays && !isBusinessDay(today)) return true;
  const now = seoulMinutes(at);
  const from = minutesOf(hours.from);
  const to = minutesOf(hours.to);
  if (from < to) return isBusinessDay(today) && now >= from && now < to;
  // across midnight: the evening part is today's window, the early part yesterday's
  if (now >= from) return isBusinessDay(today);
  if (now < to) return isBusinessDay(seoulDate(new Date(at.getTime() - 86_400_000)));
  return false;
}

/**
 * The targets alerted at escalation step `step` (0 = the first alert): everyone alerted so far
 * again, and the next one in the list for the first time. A chain of one target is alerted once
 * more at step 1. Undefined when the chain has no such step (the alert waits for its 확인).
 */
export function targetsAtStep(chain: readonly OnCallTarget[], step: number): OnCallTarget[] | undefined {
  if (!chain.length || step < 0) return undefined;
  const steps = Math.max(2, chain.length);
  if (step >= steps) return undefined;
  return chain.slice(0, Math.min(step, chain.length - 1) + 1);
}

/**
 * The targets of step `step` of a `call_center` wait: step 0 is the call center's own alert (sent by
 * the alert sweep, not again); step k ≥ 1 re-sends to the call center and to the first k targets
 * of the escalation chain. An empty chain still re-sends once (step 1). Undefined past the last step.
 */
export function callCenterTargetsAtStep(
  callCenter: readonly OnCallTarget[],
  chain: readonly OnCallTarget[],
  step: number,
): OnCallTarget[] | undefined {
  if (step < 0) return undefined;
  if (step === 0) return [...callCenter];
  if (step > Math.max(1, chain.length)) return undefined;
  const out = [...callCenter, ...chain.slice(0, step)];
  return out.length ? out : undefined;
}

/** "18:00–09:00 · 주말·공휴일 종일" */
export function hoursLabel(h: OnCallHours): string {
  return `평일 ${h.from}–${h.to}${h.offDays ? ' · 주말·공휴일 종일' : ''}`;
}

/**
 * An urgent alert waiting for its 확인. The collection holds only alerts not yet acknowledged
 * (an acknowledged one is removed), so the sweep reads a handful of documents each pass and never
 * the reports. Only the winner of a step's claim writes `step`/`sent`, and a later step can only
 * be claimed after reading the earlier one, so the plain updates never go backwards.
 */
export interface PendingUrgent {
  id: string;
  district: string;
  receiptNo: string;
  reportId: string;
  openedAt: Date;
  /** On call out of hours, or the call center's alert in hours (an older wait without one was on call). */
  route: UrgentRoute;
  /** The latest escalation step claimed (0 = the first alert). */
  step: number;
  stepAt: Date;
  /** When the next step is due if nobody acknowledges; null after the chain's last step. */
  dueAt: Date | null;
  /** What each claimed step sent to (a snapshot: an admin's edit never re-sends a step). */
  sent: { step: number; targets: OnCallTarget[] }[];
}

/**
 * A step of one urgent alert, claimed by inserting it: either the next alert (escalation) or the
 * 확인. Both compete for the same `_id`, so an acknowledgement and an escalation racing for one
 * step cannot both win, and two people acknowledging at once record one 확인.
 */
export interface UrgentStep {
  district: string;
  receiptNo: string;
  step: number;
  kind: 'alert' | 'ack';
  at: Date;
  /** Who acknowledged (a console user id or the alert link's label); null for an alert. */
  by: string | null;
  targets: OnCallTarget[];
}
