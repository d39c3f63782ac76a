import { TODAY_SECTION_LABELS, TODAY_SECTIONS, type TodayLine, type TodaySection, type TodayWorklist } from '../../domain/casework/today';
import type { District } from '../../domain/district';
import { CALL_OUTCOME_LABELS } from '../../domain/report/follow-up';
import { STATUS_LABELS } from '../../domain/report/status';
import { URGENCY_LABELS } from '../../domain/report/urgency';
import type { ConsoleUser } from '../../store/console-user/console-user';
import { html, type SafeHtml } from '../html';
import { deadlineText, seoulDateTime } from './format';
import { layout } from './layout';
import { todayCount, todaySection } from './today-sections';

export interface TodayPageModel {
  user: ConsoleUser;
  csrf: string;
  district: District;
  worklist: TodayWorklist;
  pollSeconds: number;
  visitReportBusinessDays: number;
}

const EMPTY: Record<TodaySection, string> = {
  overdue: '기한이 지난 상담이 없습니다.',
  consult: '상담을 기다리는 신고가 없습니다.',
  calls: '오늘 할 안부 전화가 없습니다.',
  visits: '늦어진 방문 결과가 없습니다.',
  duplicates: '중복 의심 신고가 없습니다.',
};

function when(section: TodaySection, line: TodayLine, m: { visitReportBusinessDays: number }): SafeHtml | string {
  switch (section) {
    case 'overdue':
    case 'consult':
      return html`기한 ${deadlineText(line.due as Date)}`;
    case 'calls': {
      const last = line.report.followUp?.lastOutcome;
      return html`예정 ${line.due as string}${line.lateDays ? html` <strong class="late">${line.lateDays}일 지남</strong>` : ''}${last ? ` · 최근 ${CALL_OUTCOME_LABELS[last]}` : ''}${line.report.followUp?.missedInRow ? ` · 연속 부재 ${line.report.followUp.missedInRow}회` : ''}`;
    }
    case 'visits':
      return html`요청 ${seoulDateTime(line.due as Date)} · ${m.visitReportBusinessDays}근무일 경과${line.report.missedVisits ? ` · 부재 ${line.report.missedVisits}회 (재방문)` : ''}`;
    case 'duplicates':
      return html`${line.report.duplicateOf} 와(과) 같은 주소 · ${STATUS_LABELS[line.report.status]}`;
  }
}

function lineItem(section: TodaySection, line: TodayLine, m: TodayPageModel): SafeHtml {
  const r = line.report;
  const dong = r.assignedDongCode ? (m.district.dongByCode(r.assignedDongCode)?.name ?? '') : '관할 동 미배정';
  return html`<li class="u-${r.urgency}"><a href="/console/reports/${r.receiptNo}">
<span class="no">${r.receiptNo}</span> <span class="badge u-${r.urgency}">${URGENCY_LABELS[r.urgency]}</span>
<span class="who">${r.person.name ?? '이름 모름'} · ${dong}${r.assignee ? ` · 담당 ${r.assignee}` : ''}</span>
<span class="when">${when(section, line, m)}</span></a></li>`;
}

/** The sections and counts: rendered in the page and again for every refresh of the JSON endpoint. */
export function todaySections(m: TodayPageModel): SafeHtml {
  const w = m.worklist;
  return html`<ul class="today-counts" aria-label="오늘 할 일 요약">
  <li class="stat urgent"><a href="#s-consult"><strong data-count="immediate">${w.immediateUnconsulted.length}</strong> 즉시 위험 · 상담 전</a></li>
  ${TODAY_SECTIONS.map((s) => todayCount(s, TODAY_SECTION_LABELS[s], w[s].length))}
</ul>
${TODAY_SECTIONS.map((s) => todaySection(s, TODAY_SECTION_LABELS[s], w[s], (l) => lineItem(s, l, m), EMPTY[s]))}`;
}

export function todayPage(m: TodayPageModel): string {
  return layout({
    title: '오늘 할 일',
    user: m.user,
    csrf: m.csrf,
    body: html`<h1>오늘 할 일</h1>
<div class="today-tools" data-poll-seconds="${m.pollSeconds}" data-immediate="${m.worklist.immediateUnconsulted.map((r) => r.receiptNo).join(' ')}" id="today-live">
  <p class="links"><a href="/console">전체 신고 목록</a></p>
  <button type="button" class="secondary" id="notify-on" hidden>새 즉시 위험 신고 알림 켜기 (소리·알림)</button>
  <p class="muted" id="today-updated" aria-live="off">자동으로 새로 고칩니다 (${m.pollSeconds}초마다).</p>
</div>
<p id="today-alert" class="alert" role="alert" hidden></p>
<div id="today-sections">${todaySections(m)}</div>
<script src="/console/static/today.js" defer></script>`,
  });
}
