import { signLabel, type District } from '../domain/district';
import { startSweepLoop, type SweepLoopOptions } from './sweep-loop';
import type { Report } from '../domain/report/report';
import { CRISIS_PHRASES } from '../domain/report/crisis';
import { URGENCY_LABELS } from '../domain/report/urgency';
import type { Repositories } from '../ports';
import {
  CALL_CENTER,
  DEFAULT_PRIVACY,
  type AlertTargets,
  type PrivacyLevel,
} from '../domain/alert-target/alert-targets';
import type { StaffTargetKind, TargetKind } from '../domain/weekly/weekly-delivery';
import type { OutgoingList, Sender } from './sender';
import { advance, ALERT_WEEK, targetsOf, type Outcome } from './weekly-delivery';

/**
 * Alerts that reach people outside the console: a 즉시 위험 report to the call center at once, a
 * visit request to the dong center, a visit result back to the call center. They reuse the weekly
 * lists' delivery records and attempt claims (unique-index inserts), so each alert goes to each
 * target once, is retried with the same back-off, and is listed in the delivery log.
 */
export type AlertKind = 'immediate' | 'visit_request' | 'visit_result';

export interface AlertEvent {
  kind: AlertKind;
  report: Report;
  /** Whose targets: the call center, or the dong center's code. */
  owner: string;
  /** The delivery record's run: one per event, so a second visit request is a second alert. */
  run: string;
}

export interface AlertDeps {
  repos: Pick<Repositories, 'reports' | 'dongCenters' | 'weeklyDeliveries' | 'alertTargets'>;
  district: District;
  senders: Record<TargetKind, Sender>;
  owner: string;
  now: () => Date;
  /** The console's address as people open it, for the link in every alert. */
  consoleUrl: string;
  /** Events older than this are not alerted any more (a restart after a long stop does not flood). */
  windowMs: number;
}

export interface AlertResult {
  kind: AlertKind;
  receiptNo: string;
  owner: string;
  target: TargetKind;
  outcome: Outcome;
  error?: string;
}

/** The events a report has had since a time, newest state as stored. */
export function eventsOf(report: Report, since: Date): AlertEvent[] {
  const out: AlertEvent[] = [];
  const no = report.receiptNo;
  if (report.urgency === 'immediate' && report.receivedAt >= since)
    out.push({ kind: 'immediate', report, owner: CALL_CENTER, run: `immediate:${no}` });
  const asked = report.visitRequestedAt ? new Date(report.visitRequestedAt) : null;
  if (asked && asked >= since && report.assignedDongCode) {
    out.push({
      kind: 'visit_request',
      report,
      owner: report.assignedDongCode,
      run: `visit_request:${no}:${asked.getTime()}`,
    });
  }
  const visited = report.visit?.at ? new Date(report.visit.at) : null;
  if (visited && visited >= since)
    out.push({ kind: 'visit_result', report, owner: CALL_CENTER, run: `visit_result:${no}:${visited.getTime()}` });
  return out;
}

const TITLES: Record<AlertKind, string> = {
  immediate: '즉시 위험 신고',
  visit_request: '방문 요청',
  visit_result: '방문 결과',
};

/** The latest reason a visit was asked for, from the history (a staff note or the 3 missed calls). */
const visitReason = (r: Report) => [...(r.history ?? [])].reverse().find((h) => h.to === 'visit_requested')?.note;

/**
 * The message for one event on one target. `minimal` carries the receipt number and the link
 * only; `full` what the reader needs to act (for a visit: why, where, who, how urgent).
 */
export function composeAlert(
  e: AlertEvent,
  privacy: PrivacyLevel,
  district: District,
  consoleUrl: string,
): OutgoingList {
  const r = e.report;
  const link = `${consoleUrl.replace(/\/$/, '')}/console/reports/${r.receiptNo}`;
  const dong = r.assignedDongCode ? (district.dongByCode(r.assignedDongCode)?.name ?? '') : '관할 동 미배정';
  const subject = `[${district.name}] ${TITLES[e.kind]} ${r.receiptNo}`;
  // a webhook's JSON body: the same facts as fields, no more than the privacy level allows
  const data: Record<string, unknown> = {
    kind: e.kind,
    receiptNo: r.receiptNo,
    link,
    district: district.id,
    urgency: r.urgency,
    dong: dong || null,
  };
  if (privacy === 'minimal') return { subject, text: `${subject}\n콘솔에서 확인해 주세요: ${link}`, data };
  Object.assign(data, {
    signs: r.signs.map((code) => signLabel(district, code)),
    address: r.address.text,
    person: { name: r.person.name, phone: r.person.phone },
    situation: r.situation,
  });
  const signs = r.signs.map((code) => signLabel(district, code)).join(', ');
  const person = `${r.person.name ?? '이름 모름'} · 연락처 ${r.person.phone ?? '모름'}`;
  const lines: string[] = [`${subject} (${dong})`];
  if (e.kind === 'immediate') {
    lines.push(
      `위기 징후: ${signs}`,
      `주소: ${r.address.text}`,
      `대상자: ${person}`,
      `상황: ${r.situation}`,
      `신고 기관: ${r.partner.name}`,
    );
  } else if (e.kind === 'visit_request') {
    const reason = visitReason(r);
    lines.push(
      `긴급도: ${URGENCY_LABELS[r.urgency]}`,
      `요청 사유: ${reason ?? '전화 상담이 어려움'}`,
      `주소: ${r.address.text}`,
      `대상자: ${person}`,
      `위기 징후: ${signs}`,
      `상황: ${r.situation}`,
    );
  } else {
    const v = r.visit!;
    lines.push(
      v.reached
        ? `결과: 대상자 만남 · ${v.crisisLevel ? CRISIS_PHRASES[v.crisisLevel] : '위기도 모름'} · 사후관리 ${v.followUpNeeded ? '필요' : '불필요'}`
        : `결과: 부재 (재방문 필요)${v.revisitOn ? ` · 재방문 예정 ${v.revisitOn}` : ''}`,
      `조사 결과: ${v.investigationResult}`,
    );
    if (v.supportProvided) lines.push(`지원 내용: ${v.supportProvided}`);
  }
  lines.push(`확인: ${link}`);
  return { subject, text: lines.join('\n'), data };
}

function targetsFor(
  owner: string,
  records: Map<string, AlertTargets>,
  dongTargets: { target: StaffTargetKind; address: string }[] | undefined,
) {
  const rec = records.get(owner);
  const privacy = rec?.privacy ?? DEFAULT_PRIVACY;
  const list = owner === CALL_CENTER ? (rec ? targetsOf(rec) : []) : (dongTargets ?? []);
  return list.map((t) => ({ ...t, privacy: privacy[t.target] }));
}

/**
 * One pass: every event of the window to every target of its owner, each delivery recorded and
 * claimed as the weekly lists are; failed ones are retried here after their back-off.
 */
export async function sweepAlerts(deps: AlertDeps): Promise<AlertResult[]> {
  const now = deps.now();
  const since = new Date(now.getTime() - deps.windowMs);
  const reports = await deps.repos.reports.alertable(deps.district.id, since);
  const events = reports.flatMap((r) => eventsOf(r, since));
  if (!events.length) return [];
  const known = new Map(
    (
      await deps.repos.weeklyDeliveries.recentOfWeek(
        deps.district.id,
        ALERT_WEEK,
        new Date(since.getTime() - deps.windowMs),
      )
    ).map((d) => [`${d.dongCode}:${d.target}:${d.run}`, d]),
  );
  const records = await deps.repos.alertTargets.all(deps.district.id);
  const centers = new Map((await deps.repos.dongCenters.list(deps.district.id)).map((c) => [c.code, targetsOf(c)]));
  const results: AlertResult[] = [];
  for (const e of events) {
    // an event's targets at once: a slow or failing one (a webhook timing out) never holds the others
    await Promise.all(
      targetsFor(e.owner, records, centers.get(e.owner)).map(async (t) => {
        const key = { district: deps.district.id, week: ALERT_WEEK, dongCode: e.owner, target: t.target, run: e.run };
        const d =
          known.get(`${e.owner}:${t.target}:${e.run}`) ??
          (await deps.repos.weeklyDeliveries.ensure(key, t.address, deps.now()));
        if (d.status === 'sent') return;
        const message = composeAlert(e, t.privacy, deps.district, deps.consoleUrl);
        const r = await advance({ ...deps, repos: deps.repos }, d, t.address, async () => message);
        results.push({ kind: e.kind, receiptNo: e.report.receiptNo, owner: e.owner, target: t.target, ...r });
      }),
    );
  }
  return results;
}

/** Runs a sweep every `seconds` (never two at once in this instance); returns the stop function. */
export function startAlertSweep(deps: AlertDeps, seconds: number, opts?: SweepLoopOptions): () => Promise<void> {
  return startSweepLoop('alert sweep', () => sweepAlerts(deps), seconds, opts);
}
