import { STEP_LABELS, type NextStep, type StepKind } from '../../domain/casework/next-step';
import { PAGE_KINDS, type TodayLine, type TodayOwner, type TodayWorklist } from '../../domain/casework/today';
import type { District } from '../../domain/district';
import { CALL_OUTCOME_LABELS } from '../../domain/report/follow-up';
import { URGENCY_LABELS } from '../../domain/report/urgency';
import type { ConsoleUser } from '../../domain/auth/console-user';
import { html, type SafeHtml } from '../../http/html';
import { maskAddress, maskName } from '../masking';
import { nameOf, type StaffNames } from '../people';
import { deadlineText, dueText, seoulDateTime } from './format';
import { layout } from './layout';
import type { PendingUrgent } from '../../domain/urgent/on-call';
import { ackButton } from './urgent-wait';

export interface TodayPageModel {
  user: ConsoleUser;
  csrf: string;
  district: District;
  owner: TodayOwner;
  /** The dong center's name on a dong page. */
  dongName: string;
  worklist: TodayWorklist;
  /** A tile's link narrows the page to one step kind. */
  only?: StepKind;
  pollSeconds: number;
  /** Alert deliveries to this page's owner that failed recently and are not sent yet. */
  failedAlerts: { receiptNo: string; target: string; error: string }[];
  /** Console users' names by username (담당 shows the person). */
  names: StaffNames;
  /** Urgent alerts waiting for a 확인 (call center only), oldest first. */
  urgentWaits: Pick<PendingUrgent, 'receiptNo' | 'step' | 'dueAt' | 'openedAt' | 'route'>[];
  /** The result of a 확인 just pressed. */
  notice?: string;
  /** The page's time: an overdue step says how long ago it fell due. */
  now?: Date;
}

/** Lines shown per section; the rest are found in the queue. */
const SHOWN = 100;

function when(step: NextStep, r: TodayLine['report'], now?: Date): SafeHtml {
  // overdue: how long ago, not a date that reads as still to come ("3일 지남", views/format.ts)
  const late =
    step.state === 'overdue'
      ? html`<strong class="late">기한 지남</strong>${now ? ` (${dueText(step.dueAt, now).replace(/ 지남$/, '')})` : ''}`
      : '';
  const due =
    step.state === 'overdue'
      ? ''
      : step.kind === 'check_in_call'
        ? `예정일 ${deadlineText(step.dueAt)}`
        : `기한 ${deadlineText(step.dueAt)}`;
  const extra: string[] = [];
  if (step.kind === 'recall') extra.push(`1차 통화 ${CALL_OUTCOME_LABELS.no_answer} (${seoulDateTime(step.opensAt)})`);
  if (step.kind === 'report_visit') {
    extra.push(`요청 ${seoulDateTime(step.opensAt)}`);
    if (r.missedVisits) extra.push(`재방문 (부재 ${r.missedVisits}회)`);
  }
  if (step.kind === 'check_in_call') {
    const f = r.followUp;
    if (f?.lastOutcome) extra.push(`최근 ${CALL_OUTCOME_LABELS[f.lastOutcome]}`);
    if (f?.missedInRow) extra.push(`연속 부재 ${f.missedInRow}회`);
  }
  if (r.duplicateState === 'suspected' && step.kind !== 'check_duplicate') extra.push(`중복 의심 (${r.duplicateOf})`);
  return html`${due}${late}${extra.length ? ` · ${extra.join(' · ')}` : ''}`;
}

function lineItem(line: TodayLine, m: TodayPageModel): SafeHtml {
  const r = line.report;
  const s = line.step;
  const dong = m.owner.kind === 'dong';
  // a dong page masks as its queue does (seen over a shoulder); the case page shows it whole
  const who = dong
    ? `${maskName(r.person.name) ?? '이름 모름'} · ${maskAddress(r.address.text)}`
    : `${r.person.name ?? '이름 모름'} · ${r.assignedDongCode ? (m.district.dongByCode(r.assignedDongCode)?.name ?? '') : '관할 동 미배정'}${s.owner.kind === 'callcenter' && s.owner.staff ? ` · 담당 ${nameOf(m.names, s.owner.staff)}` : ''}`;
  return html`<li class="u-${r.urgency} st-${s.state}" data-receipt="${r.receiptNo}" data-step="${s.kind}"><a href="/console/reports/${r.receiptNo}">
<span class="no">${r.receiptNo}</span> <span class="badge step">${STEP_LABELS[s.kind]}</span> <span class="badge u-${r.urgency}">${URGENCY_LABELS[r.urgency]}</span>
<span class="who">${who}</span>
<span class="when">${when(s, r, m.now)}</span></a></li>`;
}

function section(id: string, title: string, lines: TodayLine[], m: TodayPageModel, empty: string): SafeHtml {
  return html`<section class="card today-section s-${id}" id="s-${id}" aria-labelledby="h-${id}"><h2 id="h-${id}">${title} <span class="n">${lines.length}건</span></h2>
${lines.length ? html`<ul class="today-list">${lines.slice(0, SHOWN).map((l) => lineItem(l, m))}</ul>${lines.length > SHOWN ? html`<p>외 ${lines.length - SHOWN}건은 <a href="/console">신고 목록</a>에서 찾으세요.</p>` : ''}` : html`<p class="empty">${empty}</p>`}
</section>`;
}

/** The tiles, sections and failed alerts: rendered in the page and again for every refresh of the JSON endpoint. */
export function todaySections(m: TodayPageModel): SafeHtml {
  const w = m.worklist;
  const kinds = PAGE_KINDS[m.owner.kind];
  const tile = (kind: StepKind) =>
    html`<li class="stat s-${kind}${m.only === kind ? ' on' : ''}"><a href="/console/today?step=${kind}"><strong data-count="${kind}">${w.counts[kind]}</strong> ${STEP_LABELS[kind]}</a></li>`;
  const filtered = m.only
    ? html`<p class="filter">「${STEP_LABELS[m.only]}」만 보는 중 · <a href="/console/today">전체 보기</a></p>`
    : '';
  const failed = m.failedAlerts.length
    ? html`<section class="card alert-failed" id="s-failed-alerts"><h2>보내지 못한 알림 <span class="n">${m.failedAlerts.length}건</span></h2><ul>${m.failedAlerts.slice(0, 20).map((f) => html`<li><a href="/console/reports/${f.receiptNo}">${f.receiptNo}</a> · ${f.target} · ${f.error}</li>`)}</ul><p><a href="/console/alerts">알림 기록 보기</a></p></section>`
    : '';
  const waits = m.urgentWaits.length
    ? html`<section class="card urgent-wait today-section" id="s-urgent-ack" aria-labelledby="h-urgent-ack"><h2 id="h-urgent-ack">확인 대기 긴급 알림 <span class="n">${m.urgentWaits.length}건</span></h2>
<ul class="today-list wait-list">${m.urgentWaits.map(
        (w) =>
          html`<li data-receipt="${w.receiptNo}"><a href="/console/reports/${w.receiptNo}"><span class="no">${w.receiptNo}</span></a> <span>접수 ${seoulDateTime(w.openedAt)} · ${w.route === 'call_center' ? (w.step ? `확인 없어 재알림 ${w.step}회 보냄` : '콜센터 알림 보냄') : `당직 알림 ${w.step + 1}차까지 보냄`} · ${w.dueAt ? `다음 재알림 ${seoulDateTime(w.dueAt)}` : '알릴 곳을 모두 거침'}</span> ${ackButton(w.receiptNo, m.csrf, 'today')}</li>`,
      )}</ul></section>`
    : '';
  return html`${waits}<ul class="today-counts" aria-label="오늘 할 일 요약">
  <li class="stat urgent"><a href="#s-urgent"><strong data-count="urgent">${w.urgent.length}</strong> 즉시 위험</a></li>
  ${kinds.map(tile)}
  <li class="stat s-overdue"><a href="#s-rest"><strong data-count="overdue">${w.overdue}</strong> 기한 지남</a></li>
</ul>
${filtered}${failed}
${section('urgent', '즉시 위험', w.urgent, m, '지금 처리할 즉시 위험 신고가 없습니다.')}
${section('rest', '기한 순 할 일', w.rest, m, '오늘 할 일이 없습니다.')}`;
}

export function todayPage(m: TodayPageModel): string {
  const dong = m.owner.kind === 'dong';
  const links = dong
    ? html`<a href="/console">우리 동 신고 목록</a> · <a href="/console/weekly">주간 명단</a> · 방문 결과는 신고를 열어 입력합니다.`
    : html`<a href="/console">전체 신고 목록</a>`;
  const urgentNos = m.worklist.urgent
    .filter((l) => l.step.kind === 'first_consult' || l.step.kind === 'check_duplicate')
    .map((l) => l.report.receiptNo);
  return layout({
    title: '오늘 할 일',
    user: m.user,
    csrf: m.csrf,
    body: html`<h1>오늘 할 일${dong ? html` <small>${m.dongName}</small>` : ''}</h1>
${m.notice ? html`<p class="notice" role="status">${m.notice}</p>` : ''}
<div class="today-tools" data-poll-seconds="${m.pollSeconds}" data-immediate="${urgentNos.join(' ')}" data-step="${m.only ?? ''}" id="today-live">
  <p class="links">${links}</p>
  ${dong ? '' : html`<button type="button" class="secondary" id="notify-on" hidden>새 즉시 위험 신고 알림 켜기 (소리·알림)</button>`}
  <p class="muted" id="today-updated" aria-live="off">자동으로 새로 고칩니다 (${m.pollSeconds}초마다).</p>
</div>
<p id="today-alert" class="alert" role="alert" hidden><a href="#s-urgent" id="today-alert-link"></a></p>
<div id="today-sections">${todaySections(m)}</div>
<script src="/console/static/today.js" defer></script>`,
  });
}
