import type { PeriodCounts } from '../../domain/counts/count-period';
import { percentText } from '../../domain/counts/definitions';
import { periodLabel } from '../../domain/counts/period';
import { COUNT_COLUMNS, countTextCells } from '../../domain/counts/summary-table';
import { sameDayRate, visitRate, type CountLine } from '../../domain/counts/tally';
import type { ConsoleUser } from '../../domain/auth/console-user';
import type { HeardBack } from '../../domain/reporter-news/heard-back';
import type { DashboardCharts } from '../charts/dashboard-charts';
import { html, type SafeHtml } from '../../http/html';
import { layout } from './layout';

export interface DashboardModel {
  user: ConsoleUser;
  csrf: string;
  counts: PeriodCounts;
  /** How soon chat reporters heard back (src/domain/reporter-news/heard-back.ts). */
  heard?: HeardBack;
  charts: DashboardCharts;
  presets: { label: string; from: string; to: string }[];
  error?: string;
}

function table(id: string, caption: string, lines: CountLine[], total?: CountLine, note?: string): SafeHtml {
  const row = (l: CountLine, isTotal = false) =>
    html`<tr${isTotal ? html` class="total"` : ''}>${countTextCells(l).map((c, i) => (i === 0 ? html`<th scope="row">${c}</th>` : html`<td data-label="${COUNT_COLUMNS[i]!.header}">${c}</td>`))}</tr>`;
  return html`<section class="card" aria-labelledby="${id}"><h2 id="${id}">${caption}</h2>${note ? html`<p class="muted">${note}</p>` : ''}
<div class="scroll"><table class="counts"><thead><tr>${COUNT_COLUMNS.map((c) => html`<th scope="col">${c.header}</th>`)}</tr></thead>
<tbody>${lines.map((l) => row(l))}${total ? row(total, true) : ''}</tbody></table></div></section>`;
}

const figure = (caption: string, chart: SafeHtml, note?: string) =>
  html`<figure class="card chart-card">${chart}<figcaption>${caption}${note ? html` <span class="muted">${note}</span>` : ''}</figcaption></figure>`;

/** The district's numbers at a glance: headline counts, four charts, the tables behind them. */
export function dashboardPage(m: DashboardModel): string {
  const c = m.counts;
  const t = c.total;
  const q = `from=${c.period.from}&to=${c.period.to}`;
  return layout({
    title: '현황',
    user: m.user,
    csrf: m.csrf,
    body: html`<p><a href="/console">← 목록</a></p>
<h1>${c.district.name} 신고 처리 현황</h1>
${m.error ? html`<p class="alert form-error" role="alert">${m.error}</p>` : ''}
<form method="get" action="/console/dashboard" class="card grid period">
  <div><label for="d-from">접수일 부터</label><input id="d-from" name="from" type="date" value="${c.period.from}" required></div>
  <div><label for="d-to">접수일 까지</label><input id="d-to" name="to" type="date" value="${c.period.to}" required></div>
  <div class="actions"><button type="submit">조회</button></div>
  <p class="wide presets">${m.presets.map((p) => html`<a href="/console/dashboard?from=${p.from}&amp;to=${p.to}">${p.label}</a> `)}</p>
</form>
<p class="period-line"><strong>${periodLabel(c.period)}</strong> 접수 기준 · <a href="/console/dashboard/export.xlsx?${q}" download>엑셀(XLSX)로 내려받기</a></p>
<section class="kpis" aria-label="기간 합계">
  <p class="stat"><strong>${t.received}</strong>접수</p>
  <p class="stat"><strong>${t.consultedSameDay}</strong>당일 상담 (${percentText(sameDayRate(t))})${t.sameDayPending ? html`<br><small>진행 중 ${t.sameDayPending}건 (기한 전, 비율에서 제외)</small>` : ''}</p>
  <p class="stat"><strong>${t.visited}</strong>방문 (${percentText(visitRate(t))})</p>
  <p class="stat"><strong>${t.absent}</strong>부재</p>
  <p class="stat"><strong>${t.followUp}</strong>사후관리 중</p>
  <p class="stat"><strong>${t.closed}</strong>종결</p>
  <p class="stat"><strong>${t.open}</strong>미처리</p>
  ${t.merged ? html`<p class="stat muted"><strong>${t.merged}</strong>중복 병합 (제외)</p>` : ''}
</section>
${
  m.heard
    ? html`<section class="kpis heard" aria-label="신고자가 소식을 받은 신고">
  <p class="stat"><strong>${m.heard.withinDay}</strong>1일 안에 신고자가 소식 받음</p>
  <p class="stat"><strong>${m.heard.withinWeek}</strong>7일 안에 신고자가 소식 받음</p>
  <p class="stat muted"><strong>${m.heard.any}</strong>소식을 한 번이라도 받음</p>
</section>`
    : ''
}
<p class="muted">당일 상담: 접수한 근무일 안에 1차 상담을 한 신고(방문 요청만 한 신고는 제외). 당일 상담률은 상담 기한이 지난 신고만 셉니다: 기한 전이고 아직 상담하지 않은 신고는 진행 중으로 따로 보입니다. 방문: 최근 방문에서 대상자를 만난 신고(부재는 방문에서 제외). 중복으로 병합된 신고는 먼저 들어온 신고로 셉니다. 소식 받음: 채팅으로 신고한 사람이 상담·배정·방문 등 첫 소식을 알림이나 다음 대화에서 받기까지 걸린 시간(접수 시각부터).</p>
<div class="charts">
${figure('주별 접수 건수 (긴급도별)', m.charts.weeklyUrgency)}
${figure('주별 당일 상담률', m.charts.sameDayRate, '접수가 없는 주는 비어 있습니다.')}
${figure('동별 접수·방문·사후관리 결과', m.charts.dongOutcomes)}
${figure('협약기관별 신고 건수', m.charts.partnerActivity, c.byPartner.length > 15 ? '상위 15곳' : undefined)}
</div>
${table('t-dong', '동별 현황', c.byDong, t)}
${table('t-partner', '협약기관별 현황', c.byPartner, t)}
${table('t-sign', '위기 징후별 현황', c.bySign, undefined, '한 신고에 징후가 여럿이면 각 징후에 모두 셉니다.')}
${table('t-month', '월별 현황', c.byMonth, t)}
${table('t-week', '주별 현황', c.byWeek, t)}`,
  });
}
