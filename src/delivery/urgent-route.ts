import { createHmac, timingSafeEqual } from 'node:crypto';
import { startSweepLoop, type SweepLoopOptions } from './sweep-loop';
import { signLabel, type District } from '../domain/district';
import type { Report } from '../domain/report/report';
import {
  callCenterTargetsAtStep,
  onCallAt,
  targetsAtStep,
  type OnCallSetup,
  type OnCallTarget,
  type PendingUrgent,
  type UrgentRoute,
  type UrgentStep,
} from '../domain/urgent/on-call';
import { applyReportActionTo } from '../domain/workflow/apply-action';
import { log } from '../log';
import type { Repositories } from '../ports';
import { CALL_CENTER } from '../domain/alert-target/alert-targets';
import type { StaffTargetKind, TargetKind, WeeklyDelivery } from '../domain/weekly/weekly-delivery';
import { kickAlerts } from './alert-kick';
import type { OutgoingList, Sender } from './sender';
import { advance, ALERT_WEEK, targetsOf, type Outcome } from './weekly-delivery';

/**
 * The urgent route (docs/urgent-on-call.md). A report that becomes 즉시 위험 (filed by chat or a
 * list, or raised by staff) opens one wait for a 확인 (`urgent_pending`): while the on-call target
 * is on duty it is alerted at once; otherwise (working hours) the call center's own urgent alert
 * is step 0. Unacknowledged after URGENT_ACK_MINUTES the alert goes again to everyone alerted so
 * far and to the next target of the escalation list. Every step is claimed by inserting
 * `<district>:<receiptNo>:<step>` (urgent_steps): an escalation and a 확인 racing for the same step
 * cannot both win, and two instances never escalate a step twice. Each step's sends reuse the
 * alerts' delivery records and attempt claims (weekly-delivery.ts `advance`), so each target gets
 * each step once, retried with the same back-off.
 */

/** The delivery records' owner for on-call alerts (beside "callcenter" and the dong codes). */
export const ON_CALL_OWNER = 'oncall';
/** Steps an alert can have at most (the chain is at most this long, see MAX_CHAIN). */
export const MAX_CHAIN = 10;
const MAX_STEPS = MAX_CHAIN + 2;
/** A step's sends are worked (and retried) for this long; after it the wait only takes a 확인. */
const DELIVERY_WINDOW_MS = 12 * 3_600_000;
/** A 확인 claim whose recorder stopped before finishing it is finished by the sweep after this. */
const ACK_LEASE_MS = 2 * 60_000;

export interface UrgentDeps {
  repos: Pick<Repositories, 'reports' | 'onCall' | 'weeklyDeliveries' | 'dongCenters' | 'alertTargets'>;
  district: District;
  senders: Record<TargetKind, Sender>;
  /** This instance, as recorded in the attempts it claims. */
  owner: string;
  now: () => Date;
  consoleUrl: string;
  ackMinutes: number;
  /** Signs the 확인 link; without it the alerts carry the console link only. */
  ackSecret?: string;
}

export interface RouteDeps {
  repos: Pick<Repositories, 'onCall' | 'alertTargets'>;
  district: District;
  /** Which target kinds can deliver (their credentials are set). */
  configured: Record<StaffTargetKind, boolean>;
  now: () => Date;
  ackMinutes: number;
  /** The alert sweep's window (ALERT_WINDOW_HOURS): an older report raised to 즉시 위험 gets its call-center alert from the wait. */
  alertWindowMs?: number;
}

/**
 * When a report becomes 즉시 위험 (filed, imported, raised by staff): opens its one wait for a 확인.
 * Out of hours with a working on-call target, that target is alerted at once (step 0); otherwise
 * the call center's own urgent alert is step 0 (the alert sweep sends it; this sends nothing now).
 * The wait's insert and the step-0 claim (unique inserts) make this once per report, whatever
 * races it. True when the on-call alert is queued (now or by an earlier try of the same turn),
 * which is the only case the reporter is told "당직 담당자에게 바로 알렸습니다".
 */
export async function routeUrgent(
  deps: RouteDeps,
  report: Pick<Report, 'id' | 'receiptNo'> & { receivedAt?: Date },
): Promise<boolean> {
  const setup = await deps.repos.onCall.setup(deps.district.id);
  const now = deps.now();
  const route: UrgentRoute = onCallNow(setup, deps.configured, now) ? 'on_call' : 'call_center';
  const targets = route === 'on_call' ? targetsAtStep(setup.chain, 0)! : await callCenterTargets(deps);
  // in hours, step 0 was the call center's alert: the wait sends nothing until its first escalation —
  // unless the alert sweep will not (a report older than its window, raised to 즉시 위험 now)
  const unseen =
    !!report.receivedAt &&
    !!deps.alertWindowMs &&
    now.getTime() - new Date(report.receivedAt).getTime() >= deps.alertWindowMs;
  const sent = route === 'on_call' || unseen ? [{ step: 0, targets }] : [];
  const dueAt = stepTargets(route, targets, setup, 1) ? dueAfter(now, deps.ackMinutes) : null;
  const store = deps.repos.onCall;
  // The wait first (its insert keeps two openers apart), then step 0 (its insert says whether the
  // report ever had a wait): a process stopping between the two leaves an open wait, never none.
  const wait = {
    district: deps.district.id,
    receiptNo: report.receiptNo,
    reportId: report.id,
    openedAt: now,
    route,
    step: 0,
    stepAt: now,
    dueAt,
    sent,
  };
  if (!(await store.openPending(wait))) {
    // open already (a repeated turn, another instance, a double submit): as it was opened
    const open = await store.pendingOf(deps.district.id, report.receiptNo);
    kickAlerts();
    return open?.route === 'on_call';
  }
  if (
    !(await store.claimStep({
      district: deps.district.id,
      receiptNo: report.receiptNo,
      step: 0,
      kind: 'alert',
      at: now,
      by: null,
      targets,
    }))
  ) {
    // the report had its wait before (acknowledged, or its case closed): one wait per report, ever.
    // (A repeated chat turn after a quick 확인 lands here too: it is told what its first try was.)
    await store.endWait(deps.district.id, report.receiptNo);
    return route === 'on_call';
  }
  kickAlerts();
  return route === 'on_call';
}

/** The call center's urgent-alert targets now, each with its own privacy level. */
async function callCenterTargets(deps: {
  repos: Pick<Repositories, 'alertTargets'>;
  district: District;
}): Promise<OnCallTarget[]> {
  const rec = await deps.repos.alertTargets.of(deps.district.id, CALL_CENTER);
  return targetsOf(rec).map((t) => ({ kind: t.target, address: t.address, privacy: rec.privacy[t.target] }));
}

/** The targets of a wait's step; `callCenter` is a `call_center` wait's step-0 snapshot. */
function stepTargets(
  route: UrgentRoute,
  callCenter: OnCallTarget[],
  setup: OnCallSetup,
  step: number,
): OnCallTarget[] | undefined {
  return route === 'on_call'
    ? targetsAtStep(setup.chain, step)
    : callCenterTargetsAtStep(callCenter, setup.chain, step);
}

/** The on-call target is on duty and its kind can deliver. */
export function onCallNow(setup: OnCallSetup, configured: Record<StaffTargetKind, boolean>, at: Date): boolean {
  const first = setup.chain[0];
  return !!first && configured[first.kind] && onCallAt(setup.hours, at);
}

const dueAfter = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);

/** The 확인 link's token: the receipt number, the step whose alert carried it, and an HMAC of both. */
export function ackToken(secret: string, district: string, receiptNo: string, step: number): string {
  return `${receiptNo}.${step}.${ackMac(secret, district, receiptNo, step)}`;
}
const ackMac = (secret: string, district: string, receiptNo: string, step: number) =>
  createHmac('sha256', secret).update(`urgent-ack:${district}:${receiptNo}:${step}`).digest('base64url');

/** The receipt number and step of a genuine token; undefined for anything else. */
export function verifyAckToken(
  secret: string,
  district: string,
  token: string,
): { receiptNo: string; step: number } | undefined {
  const m = /^([A-Za-z0-9-]{1,40})\.(\d{1,2})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return undefined;
  const receiptNo = m[1]!;
  const step = Number(m[2]);
  const expected = Buffer.from(ackMac(secret, district, receiptNo, step));
  const got = Buffer.from(m[3]!);
  return got.length === expected.length && timingSafeEqual(got, expected) ? { receiptNo, step } : undefined;
}

const KIND_KO: Record<StaffTargetKind, string> = {
  slack: 'Slack',
  telegram: 'Telegram',
  email: '이메일',
  webhook: '웹훅',
};

/**
 * The message of one step: receipt number, links and (at `full`) what the reader needs to act.
 * The 확인 link carries no personal data, only the receipt number and its signature.
 */
export function composeUrgent(
  p: Pick<PendingUrgent, 'receiptNo' | 'openedAt'> & { route?: UrgentRoute },
  step: number,
  privacy: 'full' | 'minimal',
  deps: Pick<UrgentDeps, 'district' | 'consoleUrl' | 'ackSecret' | 'ackMinutes'>,
  report?: Report,
): OutgoingList {
  const base = deps.consoleUrl.replace(/\/$/, '');
  const link = `${base}/console/reports/${p.receiptNo}`;
  const ackUrl = deps.ackSecret
    ? `${base}/console/urgent-ack/${ackToken(deps.ackSecret, deps.district.id, p.receiptNo, step)}`
    : null;
  const again = step > 0 ? ` (재알림 ${step}회 · ${deps.ackMinutes * step}분째 확인 없음)` : '';
  // call_center: step 0 is the call center's alert (sent here only for a report the alert sweep no longer sees), later steps say nobody acknowledged
  const kind = p.route !== 'call_center' ? 'urgent_on_call' : step === 0 ? 'immediate' : 'urgent_unacknowledged';
  const label = { urgent_on_call: '당직', immediate: '긴급도 상향', urgent_unacknowledged: '확인 없음' }[kind];
  const subject = `[${deps.district.name}] ${label} · 즉시 위험 신고 ${p.receiptNo}${again}`;
  const data: Record<string, unknown> = {
    kind,
    receiptNo: p.receiptNo,
    step,
    link,
    ackUrl,
    district: deps.district.id,
    urgency: 'immediate',
    receivedAt: p.openedAt.toISOString(),
  };
  const intro = {
    urgent_on_call: '근무시간 외 즉시 위험 신고입니다.',
    immediate: '즉시 위험으로 바뀐 신고입니다.',
    urgent_unacknowledged: '즉시 위험 신고의 알림을 아무도 확인하지 않았습니다.',
  }[kind];
  const lines = [subject, `${intro} 확인하고 조치해 주세요.`];
  if (privacy === 'full' && report) {
    const signs = report.signs.map((code) => signLabel(deps.district, code));
    Object.assign(data, {
      signs,
      address: report.address.text,
      person: { name: report.person.name, phone: report.person.phone },
      situation: report.situation,
    });
    lines.push(
      `위기 징후: ${signs.join(', ') || '(추가 중)'}`,
      `주소: ${report.address.text}`,
      `대상자: ${report.person.name ?? '이름 모름'} · 연락처 ${report.person.phone ?? '모름'}`,
      `상황: ${report.situation}`,
    );
  }
  lines.push(`콘솔: ${link}`);
  lines.push(ackUrl ? `확인(로그인 없이 확인만): ${ackUrl}` : '확인은 콘솔의 신고 화면에서 눌러 주세요.');
  lines.push(`${deps.ackMinutes}분 안에 확인이 없으면 다음 담당자에게도 알립니다.`);
  return { subject, text: lines.join('\n'), data };
}

export interface UrgentResult {
  receiptNo: string;
  step: number;
  target: TargetKind;
  outcome: Outcome;
  error?: string;
}

/**
 * One pass: each waiting alert escalates when its time is up, then each of its steps' sends is
 * advanced (sent once, retried after its back-off). Reads the small wait collection; the
 * delivery records only while some alert waits.
 */
export async function sweepUrgent(deps: UrgentDeps): Promise<UrgentResult[]> {
  const pending = await deps.repos.onCall.pending(deps.district.id);
  if (!pending.length) return [];
  const now = deps.now();
  const setup = await deps.repos.onCall.setup(deps.district.id);
  const active = pending.filter(
    (p) => now.getTime() - p.stepAt.getTime() < DELIVERY_WINDOW_MS || (p.dueAt && p.dueAt <= now),
  );
  if (!active.length) return [];
  const since = new Date(Math.min(...active.map((p) => p.openedAt.getTime())) - 60_000);
  const known = new Map(
    (await deps.repos.weeklyDeliveries.recentOfWeek(deps.district.id, ALERT_WEEK, since))
      .filter((d) => d.dongCode === ON_CALL_OWNER)
      .map((d) => [`${d.target}:${d.run}`, d]),
  );
  const results: UrgentResult[] = [];
  for (const waiting of active) {
    let p: PendingUrgent | undefined = waiting;
    try {
      if (p.dueAt && p.dueAt <= now) p = await escalate(deps, p, setup, now);
      if (!p || now.getTime() - p.stepAt.getTime() >= DELIVERY_WINDOW_MS) continue;
      results.push(...(await deliver(deps, p, setup, known)));
    } catch (err) {
      log.warn(
        { error: (err as Error).name, detail: (err as Error).message, receiptNo: waiting.receiptNo },
        'urgent alert pass failed; the next pass retries',
      );
    }
  }
  return results;
}

/** Claims the next step (or learns who did); undefined when the alert is acknowledged or the case closed. */
async function escalate(
  deps: UrgentDeps,
  p: PendingUrgent,
  setup: OnCallSetup,
  now: Date,
): Promise<PendingUrgent | undefined> {
  const store = deps.repos.onCall;
  const next = p.step + 1;
  const taken = await store.stepOf(deps.district.id, p.receiptNo, next);
  if (!taken) {
    const report = await deps.repos.reports.current(p.reportId);
    if (!report || report.status === 'closed') {
      // a closed case needs no one woken: the wait ends without a 확인
      await store.closePending(p.id);
      return undefined;
    }
    const callCenter =
      p.route === 'call_center' ? ((await store.stepOf(deps.district.id, p.receiptNo, 0))?.targets ?? []) : [];
    const targets = stepTargets(p.route, callCenter, setup, next);
    if (!targets) {
      // the list is exhausted: the alert stays on the today page until someone acknowledges it
      const done = { step: p.step, stepAt: p.stepAt, dueAt: null, sent: p.sent };
      await store.advancePending(p.id, done);
      return { ...p, ...done };
    }
    if (
      await store.claimStep({
        district: deps.district.id,
        receiptNo: p.receiptNo,
        step: next,
        kind: 'alert',
        at: now,
        by: null,
        targets,
      })
    ) {
      const moved = {
        step: next,
        stepAt: now,
        dueAt: dueAfter(now, deps.ackMinutes),
        sent: [...p.sent.filter((s) => s.step !== next), { step: next, targets }],
      };
      await store.advancePending(p.id, moved);
      log.info(
        { receiptNo: p.receiptNo, step: next, targets: targets.length },
        'urgent alert not acknowledged: escalated',
      );
      return { ...p, ...moved };
    }
  }
  const claim = taken ?? (await store.stepOf(deps.district.id, p.receiptNo, next));
  if (!claim) return undefined; // cannot happen (the insert said it exists); the next pass looks again
  if (claim.kind === 'ack') {
    // acknowledged: its recorder finishes it; one that stopped half-way is finished here
    if (now.getTime() - claim.at.getTime() >= ACK_LEASE_MS) await finishAck(deps, p, claim);
    return undefined;
  }
  // another instance escalated: take its step as it recorded it (the same values it writes)
  const moved = {
    step: next,
    stepAt: claim.at,
    dueAt: dueAfter(claim.at, deps.ackMinutes),
    sent: [...p.sent.filter((s) => s.step !== next), { step: next, targets: claim.targets }],
  };
  await store.advancePending(p.id, moved);
  return { ...p, ...moved };
}

/** Every send of every claimed step, each advanced once (exactly-once by the attempt claims). */
async function deliver(
  deps: UrgentDeps,
  p: PendingUrgent,
  setup: OnCallSetup,
  known: Map<string, WeeklyDelivery>,
): Promise<UrgentResult[]> {
  let report: Promise<Report | undefined> | undefined;
  const sends = p.sent.flatMap((s) =>
    s.targets.map((t, i) => ({ step: s.step, target: t, run: `urgent:${p.receiptNo}:${s.step}:${i}` })),
  );
  const out: UrgentResult[] = [];
  // a step's targets at once: a slow webhook never holds the others
  await Promise.all(
    sends.map(async ({ step, target, run }: { step: number; target: OnCallTarget; run: string }) => {
      const key = { district: deps.district.id, week: ALERT_WEEK, dongCode: ON_CALL_OWNER, target: target.kind, run };
      const d =
        known.get(`${target.kind}:${run}`) ??
        (await deps.repos.weeklyDeliveries.ensure(key, target.address, deps.now()));
      if (d.status === 'sent') return;
      const r = await advance({ ...deps, repos: deps.repos }, d, d.address, async () => {
        // each target's own privacy (the call center's targets keep theirs), else the on-call setup's
        const privacy = target.privacy ?? setup.privacy;
        if (privacy === 'full') report ??= deps.repos.reports.current(p.reportId);
        return composeUrgent(p, step, privacy, deps, privacy === 'full' ? await report : undefined);
      });
      out.push({ receiptNo: p.receiptNo, step, target: target.kind, ...r });
    }),
  );
  return out;
}

export type AckResult =
  | { ok: true; at: Date }
  | { ok: false; code: 'already'; by: string; at: Date }
  | { ok: false; code: 'none' };

/**
 * 확인 of an urgent alert, exactly once: the acknowledgement claims the next free step, the same
 * slot the escalation would take. A loser learns who acknowledged first; an escalation that took
 * the slot first only moves the 확인 one step on (that alert was due and went out before it).
 */
export async function acknowledgeUrgent(
  deps: { repos: Pick<Repositories, 'onCall' | 'reports'>; district: District; now: () => Date },
  receiptNo: string,
  by: string,
): Promise<AckResult> {
  const store = deps.repos.onCall;
  const p = await store.pendingOf(deps.district.id, receiptNo);
  if (!p) return previousAck(deps, receiptNo);
  const at = deps.now();
  for (let step = p.step + 1; step <= MAX_STEPS; step++) {
    const claim: UrgentStep = { district: deps.district.id, receiptNo, step, kind: 'ack', at, by, targets: [] };
    if (await store.claimStep(claim)) {
      await finishAck(deps, p, claim);
      return { ok: true, at };
    }
    const taken = await store.stepOf(deps.district.id, receiptNo, step);
    if (taken?.kind === 'ack') return { ok: false, code: 'already', by: taken.by ?? '', at: taken.at };
  }
  return { ok: false, code: 'none' };
}

/** Who acknowledged an alert no longer waiting; 'none' when it never waited (or closed unacknowledged). */
export async function previousAck(
  deps: { repos: Pick<Repositories, 'onCall'>; district: District },
  receiptNo: string,
): Promise<AckResult> {
  for (let step = 1; step <= MAX_STEPS; step++) {
    const s = await deps.repos.onCall.stepOf(deps.district.id, receiptNo, step);
    if (!s) break;
    if (s.kind === 'ack') return { ok: false, code: 'already', by: s.by ?? '', at: s.at };
  }
  return { ok: false, code: 'none' };
}

/** Records the 확인 in the case history (who, when) and ends the wait. */
async function finishAck(
  deps: { repos: Pick<Repositories, 'onCall' | 'reports'>; district: District },
  p: PendingUrgent,
  claim: UrgentStep,
): Promise<void> {
  const by = claim.by ?? 'unknown';
  const note = by.startsWith('user:')
    ? `긴급 알림 확인 (콘솔, ${p.step + 1}차 알림 뒤)`
    : `긴급 알림 확인 (알림의 확인 링크, ${p.step + 1}차 알림 뒤)`;
  for (let attempt = 0; attempt < 5; attempt++) {
    const done = await applyReportActionTo(
      { reports: deps.repos.reports, district: deps.district },
      { id: by, role: 'staff' },
      p.reportId,
      { type: 'acknowledge_urgent', note },
      claim.at,
    );
    if (done.ok || done.code !== 'changed') break;
  }
  await deps.repos.onCall.closePending(p.id);
}

/** Runs a pass every `seconds` and right after any alert kick (never two at once here); returns the stop function. */
export function startUrgentSweep(deps: UrgentDeps, seconds: number, opts?: SweepLoopOptions): () => Promise<void> {
  return startSweepLoop('urgent sweep', () => sweepUrgent(deps), seconds, opts);
}

export { KIND_KO as ON_CALL_KIND_LABELS };
