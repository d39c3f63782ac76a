import type { District } from '../../domain/district';
import { REPORT_STATUSES, STATUS_LABELS } from '../../domain/report/status';
import { URGENCY_CODES, URGENCY_LABELS } from '../../domain/report/urgency';
import type { ConsoleUser } from '../../domain/auth/console-user';
import { html, type SafeHtml } from '../../http/html';
import { ko } from '../messages';
import type { QueueSort } from '../../domain/report/scope';
import type { queueItem } from '../report-view';
import { overdueText, seoulShortDateTime, shortDeadlineText } from './format';
import { SAME_DAY_LABELS } from '../../domain/same-day';
import { nameOf, type StaffNames } from '../people';
import { layout } from './layout';

export interface QueuePageModel {
  user: ConsoleUser;
  csrf: string;
  district: District;
  items: ReturnType<typeof queueItem>[];
  total: number;
  page: number;
  pageSize: number;
  filters: Record<string, string>;
  partners?: { id: string; name: string }[];
  counts: { today: number; overdue: number };
  error?: string;
  /** Console users' names by username (the 담당 column). */
  names: StaffNames;
  /** The page's time: how late an overdue step is. */
  now: Date;
}

const option = (value: string, label: string, selected: string | undefined): SafeHtml =>
  html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;

/** What the search box looks in: a dong center does not search by the reporter (the partner's worker). */
const searchHint = (staff: boolean) => `접수번호·대상자 이름·전화번호·주소·상황${staff ? '·신고자 이름' : ''}`;

/** Filters other than the search text that are set, to say so on the collapsed panel. */
const activeFilters = (f: Record<string, string>) =>
  Object.keys(f).filter((k) => k !== 'q' && k !== 'sort' && f[k]).length;

function filterForm(m: QueuePageModel): SafeHtml {
  const f = m.filters;
  const staff = m.user.role !== 'dong';
  const n = activeFilters(f);
  return html`<form method="post" action="/console/filters" class="card search" role="search" aria-label="신고 찾기">
  <input type="hidden" name="_csrf" value="${m.csrf}">
  <div class="searchbar"><label for="f-q">검색</label><input id="f-q" name="q" type="search" maxlength="100" value="${f.q ?? ''}" placeholder="${searchHint(staff)}" aria-describedby="f-q-hint"><button type="submit">검색</button><button type="submit" name="reset" value="1" class="secondary">초기화</button></div>
  <p class="muted hint" id="f-q-hint">${searchHint(staff)}에서 찾습니다.</p>
  <details class="filters"${n ? html` open` : ''}><summary>상세 검색 조건${n ? ` (${n}개 적용 중)` : ''}</summary>
  <div class="grid">
  <div><label for="f-status">상태</label><select id="f-status" name="status">
    ${option('', '진행 중 전체', f.status)}${option('all', '종결 포함 전체', f.status)}
    ${REPORT_STATUSES.map((s) => option(s, STATUS_LABELS[s], f.status))}</select></div>
  <div><label for="f-urgency">긴급도</label><select id="f-urgency" name="urgency">
    ${option('', '전체', f.urgency)}${URGENCY_CODES.map((u) => option(u, URGENCY_LABELS[u], f.urgency))}</select></div>
  ${
    staff
      ? html`<div><label for="f-dong">관할 동</label><select id="f-dong" name="dong">
    ${option('', '전체', f.dong)}${option('none', '미배정', f.dong)}${m.district.dongs.map((d) => option(d.code, d.name, f.dong))}</select></div>
  <div><label for="f-assignee">담당 상담원</label><select id="f-assignee" name="assignee">
    ${option('', '전체', f.assignee)}${option('me', '내 담당', f.assignee)}${option('none', '담당 미배정', f.assignee)}</select></div>
  <div><label for="f-partner">신고 기관</label><select id="f-partner" name="partner">
    ${option('', '전체', f.partner)}${(m.partners ?? []).map((p) => option(p.id, p.name, f.partner))}</select></div>`
      : ''
  }
  <div><label for="f-sign">위기 징후</label><select id="f-sign" name="sign">
    ${option('', '전체', f.sign)}${m.district.signs.map((s) => option(s.code, s.label, f.sign))}</select></div>
  <div><label for="f-from">접수일 부터</label><input id="f-from" name="from" type="date" value="${f.from ?? ''}"></div>
  <div><label for="f-to">접수일 까지</label><input id="f-to" name="to" type="date" value="${f.to ?? ''}"></div>
  ${f.sort ? html`<input type="hidden" name="sort" value="${f.sort}">` : ''}
  ${staff ? html`<div><label class="check"><input type="checkbox" name="duplicates" value="1"${f.duplicates ? html` checked` : ''}> 중복 의심만</label></div>` : ''}
  <div class="actions"><button type="submit">조건 적용</button></div>
  </div></details>
</form>`;
}

const SORT_LABELS: Record<QueueSort, string> = {
  urgency: '긴급한 할 일부터, 기한 순',
  received: '접수 오래된 순',
  received_desc: '접수 최신 순',
  name: '대상자 이름 순',
  address: '주소 순',
  dong: '관할 동 순',
};
const sortParam = (m: QueuePageModel) => (m.filters.sort ? `&sort=${m.filters.sort}` : '');

/** A column header that orders the queue by it; the current order is announced to screen readers. */
function sortable(label: string, sort: QueueSort, m: QueuePageModel, current: QueueSort[] = [sort]): SafeHtml {
  const active = current.includes((m.filters.sort as QueueSort | undefined) ?? 'urgency');
  return html`<th scope="col"${active ? html` aria-sort="${m.filters.sort === 'received_desc' ? 'descending' : 'ascending'}"` : ''}><a href="/console?sort=${sort}">${label}${active ? (m.filters.sort === 'received_desc' ? ' ▼' : ' ▲') : ''}</a></th>`;
}

/**
 * The case's next step in one line: what, and by when or how late ("3일 지남"). Whose it is stands
 * in the 관할 동 and 담당 columns; a dong sees the call center's steps as "콜센터 처리 중".
 */
function stepCell(item: QueuePageModel['items'][number], dong: boolean, now: Date): SafeHtml | string {
  const s = item.nextStep;
  const follow = item.followUpNext ? html` <small>다음 안부 ${item.followUpNext}</small>` : '';
  if (!s) return html`<small>${STATUS_LABELS[item.status]}</small>`;
  if (dong && s.owner.kind !== 'dong') return html`<small>콜센터 처리 중</small>`;
  // a report of today (or of a holiday) waiting for its first call says so, as the same-day rule words it
  const sameDay = !dong && s.kind === 'first_consult' && (item.sameDay === 'today' || item.sameDay === 'pending');
  const when =
    s.state === 'overdue'
      ? html`<span class="badge late">${overdueText(s.dueAt, now)}</span>`
      : sameDay
        ? html`<span class="badge sd-${item.sameDay}">${SAME_DAY_LABELS[item.sameDay]}</span>`
        : html`<small>${shortDeadlineText(s.dueAt)}</small>`;
  return html`<span class="badge step">${s.label}</span> ${when}${follow}`;
}

/** The district's own name at the start of every address says nothing in its list: "서울 서대문구 연희동 …" → "연희동 …". */
const localAddress = (text: string, district: District) =>
  text.replace(/^\s*(서울특별시|서울시|서울)\s*/, '').replace(new RegExp(`^${district.name}\\s*`), '') || text;

function row(item: QueuePageModel['items'][number], m: QueuePageModel, first: boolean): SafeHtml {
  const dong = m.user.role === 'dong';
  const overdue = item.nextStep?.state === 'overdue' && !(dong && item.nextStep.owner.kind !== 'dong');
  const address = localAddress(item.addressText, m.district);
  return html`<tr class="u-${item.urgency}${overdue ? ' overdue' : ''}">
  <td data-label="접수번호" class="nw"><a href="/console/reports/${item.receiptNo}"${first ? html` id="queue-first"` : ''}>${item.receiptNo}</a>${item.duplicate?.state === 'suspected' ? html` <span class="badge dup" title="${`중복 의심: ${item.duplicate.of}`}">중복?</span>` : ''}</td>
  <td data-label="긴급도" class="nw"><span class="badge u-${item.urgency}">${URGENCY_LABELS[item.urgency]}</span></td>
  <td data-label="접수" class="nw">${seoulShortDateTime(item.receivedAt, m.now)}</td>
  <td data-label="대상자" class="nw">${item.personName ?? '이름 모름'}</td>
  <td data-label="주소" class="addr"><span title="${item.addressText}">${address}</span></td>
  <td data-label="다음 할 일" class="nw">${stepCell(item, dong, m.now)}</td>
  ${dong ? '' : html`<td data-label="관할 동" class="nw">${item.assignedDong?.name ?? html`<span class="muted">미배정</span>`}</td>`}
  <td data-label="담당" class="nw">${item.assignee ? nameOf(m.names, item.assignee) : html`<span class="muted">-</span>`}</td>
  <td data-label="신고 기관" class="partner"><span title="${item.partnerName}">${item.partnerName}</span></td>
</tr>`;
}

export function queuePage(m: QueuePageModel): string {
  const pages = Math.max(1, Math.ceil(m.total / m.pageSize));
  const dongName = m.user.dongCode ? m.district.dongByCode(m.user.dongCode)?.name : null;
  const dong = m.user.role === 'dong';
  const sort = (m.filters.sort as QueueSort | undefined) ?? 'urgency';
  return layout({
    title: ko.queue,
    user: m.user,
    csrf: m.csrf,
    dongName,
    wide: true,
    skip: m.items.length ? { href: '#queue-first', label: '첫 신고로 바로가기' } : undefined,
    body: html`<div class="queue-head"><h1>${ko.queue}</h1>
${
  dong
    ? ''
    : html`<section class="sameday" aria-label="당일 접수·상담 원칙">
  <p class="stat today"><a href="/console/today?step=first_consult"><strong>${m.counts.today}</strong> 오늘 접수 · 1차 상담 대기</a></p>
  <p class="stat overdue"><a href="/console/today"><strong>${m.counts.overdue}</strong> 상담 기한 지남 (근무일 기준)</a></p>
</section>`
}
<p class="links"><a href="/console/today">오늘 할 일</a> · <a href="/console/weekly">${dong ? '주간 명단 내려받기' : '동별 주간 명단 · 구 전체 현황 내려받기'}</a> · <a href="/console/export.xlsx" download>${Object.keys(m.filters).some((k) => k !== 'sort') ? '검색 결과' : '이 목록'} 엑셀로 내려받기</a></p></div>
${m.error ? html`<p class="alert form-error" role="alert">${m.error}</p>` : ''}
${filterForm(m)}
<p class="count" aria-live="polite">${m.total}건 · ${SORT_LABELS[sort]}${m.filters.q ? ` · 검색어 「${m.filters.q}」` : ''}</p>
${
  m.items.length
    ? html`<table class="queue list"><thead><tr><th scope="col">접수번호</th>${sortable('긴급도', 'urgency', m)}${sortable('접수', m.filters.sort === 'received' ? 'received_desc' : 'received', m, ['received', 'received_desc'])}${sortable('대상자', 'name', m)}${sortable('주소', 'address', m)}<th scope="col">다음 할 일</th>${dong ? '' : sortable('관할 동', 'dong', m)}<th scope="col">담당</th><th scope="col">신고 기관</th></tr></thead>
<tbody>${m.items.map((i, n) => row(i, m, n === 0))}</tbody></table>`
    : html`<p>${ko.noReports}</p>`
}
${
  pages > 1
    ? html`<nav class="pager" aria-label="페이지">${m.page > 1 ? html`<a href="/console?page=${m.page - 1}${sortParam(m)}">이전</a>` : ''} <span>${m.page} / ${pages}</span> ${m.page < pages ? html`<a href="/console?page=${m.page + 1}${sortParam(m)}">다음</a>` : ''}</nav>`
    : ''
}`,
  });
}
