import { formatAgeSex } from '../../domain/report/age';
import { serviceLabel, type District } from '../../domain/district';
import { SAME_DAY_LABELS } from '../../domain/same-day';
import { STATUS_LABELS } from '../../domain/report/status';
import { URGENCY_LABELS } from '../../domain/report/urgency';
import { CRISIS_LABELS, CRISIS_LEVELS, VISIT_CRISIS_ANSWERS, VISIT_CRISIS_LABELS } from '../../domain/report/crisis';
import { CALL_OUTCOME_LABELS, CALL_OUTCOMES, CONSULT_OUTCOMES } from '../../domain/report/follow-up';
import { URGENCY_CODES } from '../../domain/report/urgency';
import {
  ACTIONS_BY_ROLE,
  ALLOWED_FROM,
  SYSTEM_ACTIONS,
  type ReportActionType,
} from '../../domain/workflow/report-actions';
import type { ConsoleUser } from '../../domain/auth/console-user';
import { MILESTONE_LABELS } from '../../domain/reporter-news/news-text';
import type { NewsOutcome } from '../../domain/reporter-news/news';
import { html, type SafeHtml } from '../../http/html';
import { ACTION_LABELS, HISTORY_LABELS } from '../messages';
import { actorName, nameOf, type StaffNames } from '../people';
import type { ReportView } from '../report-view';
import { seoulDateTime } from './format';
import { layout } from './layout';
import type { PendingUrgent } from '../../domain/urgent/on-call';
import { urgentWaitCard } from './urgent-wait';
import { particleFor, withParticle } from '../../domain/text/particle';
import { correctionCard, NEXT_LABEL, oneStepCard, type FormState } from './case-forms';
import { CORRECTION_ACTIONS, isCorrection } from '../../domain/report/correction';

export interface DetailPageModel {
  user: ConsoleUser;
  csrf: string;
  district: District;
  report: ReportView;
  error?: string;
  notice?: string;
  /** Call-center usernames a case can be given to (담당 상담원). */
  counsellors?: string[];
  /** Console users' names by username: history and 담당 name people, not login IDs. */
  names?: StaffNames;
  /** What the reporter was told of this case, milestone by milestone (src/delivery/reporter-news.ts). */
  told?: NewsOutcome[];
  /** The case's urgent alert waiting for its 확인 (docs/urgent-on-call.md). */
  urgentWait?: Pick<PendingUrgent, 'step' | 'dueAt'>;
  /** A combined form shown again with what was typed (refused, or a dong change to confirm). */
  state?: FormState;
}

const VIA_LABELS: Record<string, string> = {
  slack: 'Slack',
  telegram: 'Telegram',
  kakao: '카카오톡',
  chat: '다음 대화에서',
};
const REASON_LABELS: Record<string, string> = {
  reporter_off: '신고자가 알림을 끔',
  partner_revoked: '기관 등록이 해지됨',
  no_identity: '신고자의 채팅 계정이 삭제됨',
  not_seen: '30일 동안 채팅을 열지 않음',
};

/** 신고자에게 알린 소식: each milestone's news, when and how it reached the reporter, or why not. */
function toldCard(told: NewsOutcome[]): SafeHtml {
  const state = (o: NewsOutcome) => {
    if (o.outcome === 'told') return html`${VIA_LABELS[o.via ?? ''] ?? o.via} 알림 보냄`;
    if (o.outcome === 'shown') return html`다음 대화에서 보여 줌`;
    const why = o.reason ? (REASON_LABELS[o.reason] ?? o.reason) : '';
    return o.outcome === 'failed'
      ? html`<strong class="late">보내지 못함</strong> <small class="err">${why}</small>`
      : html`보내지 않음 <small>${why}</small>`;
  };
  return html`<section class="card" aria-labelledby="told-h"><h2 id="told-h">신고자에게 알린 소식</h2>
${
  told.length === 0
    ? html`<p class="muted">아직 알린 소식이 없습니다. 상담, 동 배정, 방문, 사후관리 시작, 종결 때 신고한 채팅으로 알립니다 (이름·상황·위기도·지원 내용은 알리지 않습니다).</p>`
    : html`<table class="queue told"><thead><tr><th>단계</th><th>알린 때</th><th>결과</th><th>보낸 내용</th></tr></thead><tbody>${told.map(
        (o) =>
          html`<tr><td data-label="단계">${MILESTONE_LABELS[o.milestone]}</td><td data-label="알린 때"><time datetime="${o.decidedAt.toISOString()}">${seoulDateTime(o.decidedAt)}</time></td><td data-label="결과">${state(o)}</td><td data-label="보낸 내용" class="pre">${o.outcome === 'told' || o.outcome === 'shown' ? (o.text ?? '') : ''}</td></tr>`,
      )}</tbody></table>`
}</section>`;
}

const field = (id: string, label: string, input: SafeHtml) =>
  html`<div><label for="${id}">${label}</label>${input}</div>`;
const textarea = (id: string, name: string, required: boolean, max: number) =>
  html`<textarea id="${id}" name="${name}" rows="3" maxlength="${max}"${required ? html` required` : ''}></textarea>`;
const select = (
  id: string,
  name: string,
  options: [string, string][],
  selected: string,
  required: boolean,
  empty = '선택',
) =>
  html`<select id="${id}" name="${name}"${required ? html` required` : ''}><option value="">${empty}</option>${options.map(
    ([v, l]) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${l}</option>`,
  )}</select>`;
const yesNo = (id: string, name: string) =>
  html`<select id="${id}" name="${name}" required><option value="">선택</option><option value="yes">예</option><option value="no">아니오</option></select>`;

function actionFields(type: ReportActionType, m: DetailPageModel): SafeHtml {
  const id = (n: string) => `${type}-${n}`;
  switch (type) {
    case 'consult':
      return html`${field(
        id('outcome'),
        '통화 결과',
        select(
          id('outcome'),
          'callOutcome',
          CONSULT_OUTCOMES.map((o) => [o, CALL_OUTCOME_LABELS[o]]),
          '',
          false,
        ),
      )}
${field(id('result'), '상담 결과', textarea(id('result'), 'result', true, 2000))}
${field(
  id('urgency'),
  '긴급도',
  select(
    id('urgency'),
    'urgency',
    URGENCY_CODES.map((u) => [u, URGENCY_LABELS[u]]),
    m.report.urgency,
    false,
  ),
)}
${field(
  id('crisis'),
  '위기도',
  select(
    id('crisis'),
    'crisisLevel',
    CRISIS_LEVELS.map((c) => [c, CRISIS_LABELS[c]]),
    m.report.crisisLevel ?? '',
    false,
  ),
)}
<fieldset class="checks"><legend>연계한 서비스</legend>${[
        ...m.district.services,
        ...m.district.retiredServices.filter((sv) => m.report.consultation?.services?.includes(sv.code)),
      ].map(
        (sv) =>
          html`<label class="check"><input type="checkbox" name="services" value="${sv.code}"${m.report.consultation?.services?.includes(sv.code) ? html` checked` : ''}> ${sv.label}</label>`,
      )}</fieldset>
${field(id('support'), '연계 내용 메모 (선택)', textarea(id('support'), 'supportLinked', false, 1000))}`;
    case 'set_assignee':
      return field(
        id('who'),
        '담당 상담원',
        select(
          id('who'),
          'assignee',
          (m.counsellors ?? []).map((u) => [
            u,
            u === m.user.username ? `${nameOf(m.names ?? new Map(), u)} (나)` : nameOf(m.names ?? new Map(), u),
          ]),
          m.report.assignee ?? '',
          false,
          '담당 없음',
        ),
      );
    case 'follow_up_call':
      return html`${field(
        id('outcome'),
        '통화 결과',
        select(
          id('outcome'),
          'outcome',
          CALL_OUTCOMES.map((o) => [o, CALL_OUTCOME_LABELS[o]]),
          '',
          true,
        ),
      )}${field(id('note'), '메모 (선택)', textarea(id('note'), 'note', false, 1000))}`;
    case 'set_cadence':
      return html`${field(id('days'), '안부 전화 주기 (일)', html`<input id="${id('days')}" name="cadenceDays" type="number" min="1" max="365" required value="${m.report.followUp?.cadenceDays ?? ''}">`)}${field(id('reason'), '사유', textarea(id('reason'), 'reason', true, 1000))}`;
    case 'end_follow_up':
      return field(id('reason'), '종료 사유', textarea(id('reason'), 'reason', true, 1000));
    case 'assign':
      return field(
        id('dong'),
        '배정할 동 주민센터',
        html`<select id="${id('dong')}" name="dongCode" required><option value="">선택</option>${m.district.dongs.map(
          (d) =>
            html`<option value="${d.code}"${d.code === m.report.assignedDong?.code ? html` selected` : ''}>${d.name}</option>`,
        )}</select>`,
      );
    case 'request_visit':
      return field(id('reason'), '요청 사유 (선택)', textarea(id('reason'), 'reason', false, 1000));
    case 'visit_result':
      // one form for a visit where the household was met; a visit where nobody was met is its own, shorter form (visitMissedForm)
      return html`<input type="hidden" name="reached" value="yes">
${field(id('inv'), '조사 결과', textarea(id('inv'), 'investigationResult', true, 2000))}
${field(id('support'), '지원 내용 (선택)', textarea(id('support'), 'supportProvided', false, 1000))}
${field(id('entered'), '사통망 입력', yesNo(id('entered'), 'enteredInSystem'))}
${field(id('crisis'), '위기도', html`<select id="${id('crisis')}" name="crisisLevel" required><option value="">선택</option>${VISIT_CRISIS_ANSWERS.map((c) => html`<option value="${c}">${VISIT_CRISIS_LABELS[c]}</option>`)}</select>`)}
${field(id('fu'), '사후관리 필요', yesNo(id('fu'), 'followUpNeeded'))}
${field(id('when'), '방문한 때 (지금이 아니면)', html`<input id="${id('when')}" name="visitedAt" type="datetime-local">`)}`;
    case 'follow_up':
      return html`${field(id('due'), '다음 안부 확인일', html`<input id="${id('due')}" name="dueDate" type="date" required>`)}${field(id('note'), '메모 (선택)', textarea(id('note'), 'note', false, 1000))}`;
    case 'close':
    case 'reopen':
      return field(id('reason'), '사유', textarea(id('reason'), 'reason', true, 1000));
    case 'merge_duplicate':
    case 'keep_separate':
      return field(id('note'), '메모 (선택)', textarea(id('note'), 'note', false, 1000));
    case 'add_details':
      return html``; // the reporter's, by chat: never a console form
    case 'acknowledge_urgent':
      return html``; // its own 확인 button (urgentAckCard), shown while an urgent alert waits
    case 'correct_name':
    case 'correct_phone':
    case 'correct_sex':
    case 'correct_age':
    case 'correct_address':
      return html``; // one correction form for all (views/case-forms.ts)
  }
}

function consultationCard(c: NonNullable<ReportView['consultation']>, m: DetailPageModel): SafeHtml {
  const services = (c.services ?? []).map((code) => serviceLabel(m.district, code));
  return html`<section class="card"><h2>1차 상담</h2>
${c.callOutcome ? html`<p>통화 결과: <strong>${CALL_OUTCOME_LABELS[c.callOutcome]}</strong></p>` : ''}
<p class="pre">${c.result}</p>
${services.length ? html`<p>연계 서비스: ${services.join(', ')}</p>` : ''}
${c.supportLinked ? html`<p>연계: ${c.supportLinked}</p>` : ''}</section>`;
}

function followUpCard(f: NonNullable<ReportView['followUp']>, status: string): SafeHtml {
  return html`<section class="card" aria-labelledby="fu-h"><h2 id="fu-h">사후관리 (안부 전화)</h2><dl class="facts">
<dt>다음 안부 전화</dt><dd>${status === 'follow_up' ? f.nextDue : '방문 결과 대기'}</dd>
<dt>주기</dt><dd>${f.cadenceDays}일마다${f.cadenceSetByStaff ? ' (직접 변경)' : ' (위기도 기준)'}</dd>
<dt>통화 기록</dt><dd>${f.calls}회${f.lastOutcome ? html` · 최근 ${CALL_OUTCOME_LABELS[f.lastOutcome]}` : ''}${f.missedInRow ? html` · 연속 부재 ${f.missedInRow}회` : ''}</dd>
</dl></section>`;
}

/** A visit where nobody was met (부재): only when, what was seen, and when the dong center goes again. */
function visitMissedForm(m: DetailPageModel): SafeHtml {
  const label = '부재 방문 기록 (대상자를 못 만남)';
  return html`<details class="card action"><summary>${label}</summary>
<form method="post" action="/console/reports/${m.report.receiptNo}/actions">
<input type="hidden" name="_csrf" value="${m.csrf}"><input type="hidden" name="type" value="visit_result"><input type="hidden" name="reached" value="no">
${field('missed-when', '방문한 때 (지금이 아니면)', html`<input id="missed-when" name="visitedAt" type="datetime-local">`)}
${field('missed-seen', '본 것 (우편물, 인기척, 이웃 이야기 등)', textarea('missed-seen', 'investigationResult', true, 2000))}
${field('missed-again', '재방문 예정일 (선택)', html`<input id="missed-again" name="revisitOn" type="date">`)}
<button type="submit">부재 기록</button>
</form></details>`;
}

/** Which action form does the next step (domain/casework/next-step.ts): shown first and open. */
const STEP_ACTION: Record<string, ReportActionType> = {
  check_duplicate: 'merge_duplicate',
  assign_dong: 'assign',
  request_visit: 'request_visit',
  report_visit: 'visit_result',
  check_in_call: 'follow_up_call',
  review_close: 'close',
};

function actionForm(t: ReportActionType, m: DetailPageModel, next: boolean): SafeHtml {
  const r = m.report;
  return html`${next ? NEXT_LABEL : ''}<details class="card action${next ? ' next' : ''}"${next ? html` open` : ''}><summary>${ACTION_LABELS[t]}</summary>
<form method="post" action="/console/reports/${r.receiptNo}/actions" data-confirm="${t === 'close' || t === 'merge_duplicate' ? `${ACTION_LABELS[t]} 처리할까요?` : ''}">
<input type="hidden" name="_csrf" value="${m.csrf}"><input type="hidden" name="type" value="${t}">
${actionFields(t, m)}
<button type="submit">${ACTION_LABELS[t]}</button>
</form></details>${t === 'visit_result' ? visitMissedForm(m) : ''}`;
}

function actionForms(m: DetailPageModel): SafeHtml {
  const r = m.report;
  const dup = 'duplicate' in r ? r.duplicate : null;
  const available = ACTIONS_BY_ROLE[m.user.role].filter(
    (t) =>
      !SYSTEM_ACTIONS.includes(t) &&
      !isCorrection(t) &&
      ALLOWED_FROM[t].includes(r.status) &&
      ((t !== 'merge_duplicate' && t !== 'keep_separate') || dup?.state === 'suspected'),
  );
  if (!available.length) return html``;
  // the common job (consult, then the dong and the visit) is one form; the next step's form comes first, open
  const oneStep = available.includes('consult');
  // the next step is highlighted for whoever owns it: a dong center's visit report is not the call center's to do
  const mine =
    r.nextStep && (m.user.role === 'dong' ? r.nextStep.owner.kind === 'dong' : r.nextStep.owner.kind === 'callcenter');
  const kind = mine ? r.nextStep?.kind : undefined;
  const oneStepIsNext = oneStep && (kind === 'first_consult' || kind === 'recall' || m.state?.form === 'handle');
  const nextAction = oneStepIsNext ? undefined : STEP_ACTION[kind ?? ''];
  const first = nextAction && available.includes(nextAction) ? nextAction : undefined;
  const rest = available.filter((t) => t !== first && !(oneStep && t === 'consult'));
  const forms = { csrf: m.csrf, district: m.district, report: r, state: m.state };
  return html`<section aria-labelledby="actions-h" class="actions-list"><h2 id="actions-h">처리</h2>
${oneStepIsNext ? oneStepCard(forms, true) : ''}
${first ? actionForm(first, m, true) : ''}
${oneStep && !oneStepIsNext ? oneStepCard(forms, false) : ''}
${rest.map((t) => actionForm(t, m, false))}</section>`;
}

const stateLabel = (s: string | undefined) => (s ? ((STATUS_LABELS as Record<string, string>)[s] ?? s) : '');

/** An entry that changed nothing ("홍제1동 → 홍제1동", written before such changes were dropped): not shown. */
const isNoOp = (h: { action: string; from?: string; to?: string; note?: string }) =>
  ['assign', 'set_assignee', ...CORRECTION_ACTIONS].includes(h.action) &&
  h.from !== undefined &&
  h.from === h.to &&
  !h.note;

/** A merge's note is stored as "merged into 2026-000205[: why]": staff read "2026-000205와 병합". */
function noteText(h: { action: string; note?: string }): string {
  const merged = h.action === 'merge_duplicate' ? /^merged into (\S+?)(?::\s*(.*))?$/s.exec(h.note ?? '') : null;
  if (!merged) return h.note ?? '';
  return `${withParticle(merged[1]!, '와/과')} 병합${merged[2] ? ` — ${merged[2]}` : ''}`;
}

function timeline(m: DetailPageModel): SafeHtml {
  const dong = (code: string | undefined) =>
    code && /^\d{10}$/.test(code) ? (m.district.dongByCode(code)?.name ?? code) : stateLabel(code);
  // a change of 담당 names the counsellors, not their login IDs
  const value = (action: string, v: string | undefined) =>
    action === 'set_assignee' && v ? nameOf(m.names ?? new Map(), v) : dong(v);
  return html`<section aria-labelledby="timeline-h"><h2 id="timeline-h">처리 이력</h2>
<ol class="timeline">${m.report.history
    .filter((h) => !isNoOp(h))
    .map(
      (h) => html`<li><time datetime="${new Date(h.at).toISOString()}">${seoulDateTime(h.at)}</time>
<strong>${HISTORY_LABELS[h.action] ?? h.action}</strong> · ${actorName(m.names ?? new Map(), h.by)}
${
  isCorrection(h.action)
    ? html`<span class="change">${h.from || '(없음)'} → ${h.to || '(없음)'}</span>`
    : h.from || h.to
      ? html`<span class="change">${h.from ? value(h.action, h.from) : ''} → ${value(h.action, h.to)}</span>`
      : ''
}
${h.note ? html`<p class="note">${noteText(h)}</p>` : ''}</li>`,
    )}</ol></section>`;
}

/** The report's photos as thumbnails, each a link to the photo itself (served by an authenticated route; every view recorded). */
function photosCard(receiptNo: string, photoIds: string[]): SafeHtml | string {
  if (photoIds.length === 0) return '';
  return html`<section class="card" aria-labelledby="photos-h"><h2 id="photos-h">사진 (${photoIds.length}장)</h2>
<ul class="photos">${photoIds.map(
    (id, i) =>
      html`<li><a href="/console/reports/${receiptNo}/photos/${id}" target="_blank" rel="noopener"><img src="/console/reports/${receiptNo}/photos/${id}" alt="신고 사진 ${i + 1}" width="160" height="120"></a></li>`,
  )}</ul></section>`;
}

export function detailPage(m: DetailPageModel): string {
  const r = m.report;
  const dup = 'duplicate' in r ? r.duplicate : null;
  const ageText = formatAgeSex(r.person.age, r.person.sex) || '모름';
  return layout({
    title: `신고 ${r.receiptNo}`,
    user: m.user,
    csrf: m.csrf,
    dongName: m.user.dongCode ? m.district.dongByCode(m.user.dongCode)?.name : null,
    body: html`<p class="no-print"><a href="/console">← 목록</a></p>
<div class="case-head"><h1>신고 ${r.receiptNo}</h1>
<p class="case-tools no-print"><a href="/console/reports/${r.receiptNo}/visit-sheet" class="button secondary">방문 의뢰서</a> <button type="button" class="secondary" data-print>인쇄</button></p></div>
${m.notice ? html`<p class="notice" role="status">${m.notice}</p>` : ''}
${m.error ? html`<p class="alert form-error" role="alert">${m.error}</p>` : ''}
${m.urgentWait ? urgentWaitCard(r.receiptNo, m.urgentWait, m.csrf) : ''}
${dup?.state === 'suspected' ? html`<p class="alert dup" role="note">30일 안에 들어온 신고 <a href="/console/reports/${dup.of}">${dup.of}</a>${particleFor(dup.of, '와/과')} 같은 주소입니다. 같은 가구라면 병합하세요.</p>` : ''}
<section class="card" aria-labelledby="summary-h"><h2 id="summary-h">신고 내용</h2>
<dl class="facts">
  <dt>상태</dt><dd>${STATUS_LABELS[r.status]}</dd>
  <dt>긴급도</dt><dd><span class="badge u-${r.urgency}">${URGENCY_LABELS[r.urgency]}</span></dd>
  <dt>주소</dt><dd>${r.address.text}</dd>
  <dt>대상자</dt><dd>${r.person.name ?? '이름 모름'} · 나이 ${ageText} · 연락처 ${r.person.phone ? html`<a href="tel:${r.person.phone.replace(/[^\d+]/g, '')}">${r.person.phone}</a>` : '모름'}</dd>
  <dt>접수</dt><dd>${seoulDateTime(r.receivedAt)}</dd>
  ${r.nextStep ? html`<dt>다음 할 일</dt><dd><span class="badge step">${r.nextStep.label}</span> · ${r.nextStep.owner.kind === 'dong' ? r.nextStep.owner.name : `콜센터${r.nextStep.owner.staff ? ` (담당 ${nameOf(m.names ?? new Map(), r.nextStep.owner.staff)})` : ''}`} · ${r.nextStep.state === 'overdue' ? html`<span class="badge sd-overdue">기한 ${r.nextStep.dueText}</span>` : r.nextStep.dueText}</dd>` : ''}
  ${m.user.role === 'dong' ? '' : html`<dt>당일 상담</dt><dd>${r.sameDay === 'done' ? SAME_DAY_LABELS.done : html`<span class="badge sd-${r.sameDay}">${SAME_DAY_LABELS[r.sameDay]}</span> (기한 ${r.sameDayDue})`}</dd>`}
  <dt>관할 동</dt><dd>${r.assignedDong?.name ?? '미배정'}</dd>
  <dt>담당 상담원</dt><dd>${r.assignee ? nameOf(m.names ?? new Map(), r.assignee) : '담당 없음'}</dd>
  <dt>위기도</dt><dd>${r.crisisLevel ? CRISIS_LABELS[r.crisisLevel] : '미정'}</dd>
  <dt>위기 징후</dt><dd>${r.signs.map((s) => s.label).join(', ')}</dd>
  <dt>상황</dt><dd class="pre">${r.situation}</dd>
  <dt>신고 기관</dt><dd>${r.partner.name}</dd>
  ${'reporterContact' in r && r.reporterContact ? html`<dt>신고자 연락처</dt><dd>${r.reporterContact.name} · <a href="tel:${r.reporterContact.phone.replace(/\D/g, '')}">${r.reporterContact.phone}</a></dd>` : ''}
</dl></section>
${photosCard(r.receiptNo, r.photoIds)}
${m.user.role === 'dong' ? '' : correctionCard({ csrf: m.csrf, district: m.district, report: r, state: m.state })}
${r.consultation ? consultationCard(r.consultation, m) : ''}
${r.followUp && (r.status === 'follow_up' || r.status === 'visit_requested') ? followUpCard(r.followUp, r.status) : ''}
${
  r.visit
    ? html`<section class="card"><h2>방문 결과</h2><dl class="facts"><dt>대상자 만남</dt><dd>${r.visit.reached ? '예' : '아니오'}</dd><dt>조사 결과</dt><dd class="pre">${r.visit.investigationResult}</dd><dt>지원 내용</dt><dd>${r.visit.supportProvided ?? '-'}</dd>${r.visit.reached ? html`<dt>사통망 입력</dt><dd>${r.visit.enteredInSystem ? '예' : '아니오'}</dd><dt>위기도</dt><dd>${r.visit.crisisLevel ? CRISIS_LABELS[r.visit.crisisLevel] : '모름'}</dd>` : html`${r.visit.visitedAt ? html`<dt>방문한 때</dt><dd>${seoulDateTime(r.visit.visitedAt)}</dd>` : ''}<dt>재방문 예정</dt><dd>${r.visit.revisitOn ?? '미정'}</dd>`}</dl></section>`
    : ''
}
${m.told ? toldCard(m.told) : ''}
${actionForms(m)}
${timeline(m)}`,
  });
}
