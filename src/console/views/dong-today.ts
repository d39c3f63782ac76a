import { DONG_TODAY_SECTION_LABELS, DONG_TODAY_SECTIONS, visitReportBy, type DongTodaySection, type DongWorklist } from '../../domain/casework/dong-today';
import type { TodayLine } from '../../domain/casework/today';
import type { District } from '../../domain/district';
import { CALL_OUTCOME_LABELS } from '../../domain/report/follow-up';
import { URGENCY_LABELS } from '../../domain/report/urgency';
import type { ConsoleUser } from '../../store/console-user/console-user';
import { html, type SafeHtml } from '../html';
import { maskAddress, maskName } from '../masking';
import { seoulDateTime, seoulDayText } from './format';
import { layout } from './layout';
import { todayCount, todaySection } from './today-sections';

export interface DongTodayPageModel {
  user: ConsoleUser;
  csrf: string;
  district: District;
  dongName: string;
  worklist: DongWorklist;
  pollSeconds: number;
  visitReportBusinessDays: number;
}

const EMPTY: Record<DongTodaySection, string> = {
  late: '늦어진 방문 결과가 없습니다.',
  visits: '방문 요청이 없습니다.',
  followUps: '오늘 안부 확인 예정인 사후관리 대상이 없습니다.',
};

function when(section: DongTodaySection, line: TodayLine, m: DongTodayPageModel): SafeHtml {
  const r = line.report;
  const again = r.missedVisits ? html` · <strong class="late">재방문 (부재 ${r.missedVisits}회)</strong>` : '';
  switch (section) {
    case 'late':
      return html`요청 ${seoulDateTime(line.due as Date)} · <strong class="late">${m.visitReportBusinessDays}근무일 지남</strong>${again}`;
    case 'visits':
      return html`요청 ${seoulDateTime(line.due as Date)} · 결과 보고 ${seoulDayText(visitReportBy(line.due as Date, { visitReportBusinessDays: m.visitReportBusinessDays }))}까지${again}`;
    case 'followUps': {
      const f = r.followUp;
      return html`안부 전화 예정 ${seoulDayText(line.due as string)}${line.lateDays ? html` <strong class="late">${line.lateDays}일 지남</strong>` : ''}${f?.lastOutcome ? ` · 최근 ${CALL_OUTCOME_LABELS[f.lastOutcome]}` : ''}${f?.missedInRow ? ` · 연속 부재 ${f.missedInRow}회` : ''}`;
    }
  }
}

function lineItem(section: DongTodaySection, line: TodayLine, m: DongTodayPageModel): SafeHtml {
  const r = line.report;
  // masked as in the dong's queue (the list may be seen over a shoulder); the case page shows it whole
  return html`<li class="u-${r.urgency}"><a href="/console/reports/${r.receiptNo}">
<span class="no">${r.receiptNo}</span> <span class="badge u-${r.urgency}">${URGENCY_LABELS[r.urgency]}</span>
<span class="who">${maskName(r.person.name) ?? '이름 모름'} · ${maskAddress(r.address.text)}</span>
<span class="when">${when(section, line, m)}</span></a></li>`;
}

/** Counts and sections, for the page and each refresh of /console/today.json. */
export function dongTodaySections(m: DongTodayPageModel): SafeHtml {
  const w = m.worklist;
  return html`<ul class="today-counts" aria-label="오늘 할 일 요약">
  ${DONG_TODAY_SECTIONS.map((s) => todayCount(s, DONG_TODAY_SECTION_LABELS[s], w[s].length))}
</ul>
${DONG_TODAY_SECTIONS.map((s) => todaySection(s, DONG_TODAY_SECTION_LABELS[s], w[s], (l) => lineItem(s, l, m), EMPTY[s]))}`;
}

export function dongTodayPage(m: DongTodayPageModel): string {
  return layout({
    title: '오늘 할 일',
    user: m.user,
    csrf: m.csrf,
    body: html`<h1>오늘 할 일 <small>${m.dongName}</small></h1>
<div class="today-tools" data-poll-seconds="${m.pollSeconds}" data-immediate="" id="today-live">
  <p class="links"><a href="/console">우리 동 신고 목록</a> · 방문 결과는 신고를 열어 입력합니다.</p>
  <p class="muted" id="today-updated" aria-live="off">자동으로 새로 고칩니다 (${m.pollSeconds}초마다).</p>
</div>
<div id="today-sections">${dongTodaySections(m)}</div>
<script src="/console/static/today.js" defer></script>`,
  });
}
