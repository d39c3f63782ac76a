import { FLAG_LABELS, type MonthlyReview } from '../../domain/access/monthly-review';
import type { ReviewNote } from '../../domain/access/review-note';
import type { ConsoleUser } from '../../domain/auth/console-user';
import type { RecordRow } from '../access-words';
import { roleText } from '../access-words';
import { html, type SafeHtml } from '../../http/html';
import { actorWithId, type StaffNames } from '../people';
import { seoulDateTime } from './format';
import { layout } from './layout';

/** Receipt numbers never break at their hyphen. */
const receipts = (text: string) => text.split(', ').map((t, i) => html`${i ? ', ' : ''}<span class="nw">${t}</span>`);

const monthText = (m: string) => `${Number(m.slice(0, 4))}년 ${Number(m.slice(5, 7))}월`;

/** The access records of a month, in words, with the XLSX and print next to them. */
export function accessListPage(m: {
  user: ConsoleUser;
  csrf: string;
  month: string;
  actor: string;
  rows: RecordRow[];
  limit: number;
  notes: ReviewNote[];
  names: StaffNames;
}): string {
  const q = `month=${m.month}${m.actor ? `&actor=${encodeURIComponent(m.actor)}` : ''}`;
  const body = html`<p class="links"><a href="/console/admin/lockouts">로그인 제한</a> · <a href="/console/admin/access/monthly?month=${m.month}">월간 점검 보고서</a> · <a href="/console">목록</a></p><h1>접속기록 ${monthText(m.month)}</h1>
<form method="get" action="/console/admin/access" class="card grid">
  <div><label for="a-month">월</label><input id="a-month" name="month" value="${m.month}" required inputmode="numeric" pattern="\\d{4}-\\d{2}" placeholder="2026-11" data-pattern-ko="월을 2026-11처럼 적어 주세요."></div>
  <div><label for="a-actor">계정 (아이디)</label><input id="a-actor" name="actor" value="${m.actor}" placeholder="kim" autocapitalize="none"></div>
  <div class="actions"><button type="submit">보기</button></div>
</form>
<p class="links"><a href="/console/admin/access/export.xlsx?${q}" download>엑셀(XLSX)로 내려받기</a> · <button type="button" class="link" data-print>인쇄</button></p>
<p>${m.rows.length}건${m.rows.length === m.limit ? ` (화면에는 최대 ${m.limit}건; 엑셀에는 모두)` : ''}. 기록은 고칠 수도 지울 수도 없고, 각 기록이 앞 기록의 해시를 담아 사슬을 이룹니다 (npm run admin -- access verify).</p>
<table class="queue access"><thead><tr><th scope="col">번호</th><th scope="col">시각</th><th scope="col">계정</th><th scope="col">접속 주소</th><th scope="col">경로</th><th scope="col">행위</th><th scope="col">대상</th></tr></thead><tbody>
${m.rows.map(
  (r) =>
    html`<tr><td data-label="번호">${r.seq}</td><td data-label="시각" class="nw">${r.at}</td><td data-label="계정" class="nw">${r.who}<br><small>${r.role}</small></td><td data-label="접속 주소" class="nw">${r.address}</td><td data-label="경로" class="nw">${r.channel}</td><td data-label="행위" class="nw">${r.action}</td><td data-label="대상">${receipts(r.targets)}${r.scope ? html`${r.targets ? html`<br>` : ''}<small>${r.scope}</small>` : ''}</td></tr>`,
)}</tbody></table>
${notesList(m.notes, m.names)}`;
  return layout({ title: '접속기록', user: m.user, csrf: m.csrf, body, wide: true });
}

/** The review notes kept so far (점검 결과 기록), newest first. */
function notesList(notes: ReviewNote[], names: StaffNames): SafeHtml {
  return html`<section class="card" aria-labelledby="notes-h"><h2 id="notes-h">점검 결과 기록</h2>
${
  notes.length
    ? html`<table class="queue notes"><thead><tr><th scope="col">점검한 달</th><th scope="col">점검일</th><th scope="col">점검자</th><th scope="col">발견 사항</th><th scope="col">조치</th><th scope="col">기록</th></tr></thead><tbody>
${notes.map((n) => html`<tr><td data-label="점검한 달" class="nw"><a href="/console/admin/access/monthly?month=${n.month}">${monthText(n.month)}</a></td><td data-label="점검일" class="nw">${n.reviewedOn}</td><td data-label="점검자">${n.reviewer}</td><td data-label="발견 사항" class="pre">${n.findings}</td><td data-label="조치" class="pre">${n.actions || '-'}</td><td data-label="기록"><small>${actorWithId(names, n.recordedBy)} · ${seoulDateTime(n.recordedAt)}<br>사슬 끝 ${n.head.seq}번</small></td></tr>`)}
</tbody></table>`
    : html`<p>아직 기록한 점검 결과가 없습니다.</p>`
}</section>`;
}

export interface ReviewFormState {
  values: Partial<Record<'reviewer' | 'reviewedOn' | 'findings' | 'actions', string>>;
  error?: { field: string; message: string };
  notice?: string;
}

/** The monthly review in words, its XLSX and print, and the form that keeps its result. */
export function monthlyReviewPage(m: {
  user: ConsoleUser;
  csrf: string;
  review: MonthlyReview;
  head: { seq: number; hash: string };
  limits: { downloads: number; cases: number };
  names: StaffNames;
  notes: ReviewNote[];
  today: string;
  form: ReviewFormState;
}): string {
  const r = m.review;
  const v = m.form.values;
  const err = m.form.error;
  const invalid = (field: string) =>
    err?.field === field ? html` aria-invalid="true" aria-describedby="rv-error"` : '';
  const body = html`<p class="links"><a href="/console/admin/access?month=${r.month}">← 접속기록</a></p><h1>접속기록 월간 점검 ${monthText(r.month)}</h1>
<p class="links"><a href="/console/admin/access/monthly.xlsx?month=${r.month}" download>엑셀(XLSX)로 내려받기</a> · <button type="button" class="link" data-print>인쇄</button></p>
${m.form.notice ? html`<p class="notice" role="status">${m.form.notice}</p>` : ''}
<p>기록 ${r.records}건. 근무시간은 평일(공휴일 제외) 08:00–19:00, 내려받기 ${m.limits.downloads}건·열람 ${m.limits.cases}건을 넘으면 확인 대상입니다.</p>
<h2>확인 필요</h2>
${r.flags.length ? html`<ul>${r.flags.map((f) => html`<li><strong>${actorWithId(m.names, f.actor)}</strong>: ${FLAG_LABELS[f.kind]} ${f.count}건</li>`)}</ul>` : html`<p>확인이 필요한 항목이 없습니다.</p>`}
<h2>계정별</h2>
<table class="queue"><thead><tr><th scope="col">계정</th><th scope="col">역할</th><th scope="col">기록</th><th scope="col">사례 수</th><th scope="col">열람</th><th scope="col">내려받기</th><th scope="col">변경</th><th scope="col">근무시간 외</th><th scope="col">로그인 실패</th></tr></thead><tbody>
${r.lines.map(
  (l) =>
    html`<tr><td data-label="계정">${actorWithId(m.names, l.actor)}</td><td data-label="역할">${roleText(l.role)}</td><td data-label="기록">${l.records}</td><td data-label="사례 수">${l.cases}</td><td data-label="열람">${l.views}</td><td data-label="내려받기">${l.downloads}</td><td data-label="변경">${l.changes}</td><td data-label="근무시간 외">${l.outsideHours}</td><td data-label="로그인 실패">${l.failedSignIns}</td></tr>`,
)}</tbody></table>
<h2>사슬 끝</h2>
<p>아래 값을 날짜와 함께 시스템 밖(종이, 점검 문서)에 보관하세요. 나중에 <code>access verify --head</code>로 그때까지의 기록이 바뀌거나 잘리지 않았음을 확인합니다. 점검 결과를 기록하면 그때의 값도 함께 남습니다.</p>
<p><code class="secret">${m.head.seq}:${m.head.hash}</code></p>
<section class="card" aria-labelledby="rv-h"><h2 id="rv-h">점검 결과 기록</h2>
${err ? html`<p class="alert form-error" role="alert" id="rv-error">${err.message}</p>` : ''}
<form method="post" action="/console/admin/access/monthly/review" class="grid">
  <input type="hidden" name="_csrf" value="${m.csrf}"><input type="hidden" name="month" value="${r.month}">
  <div><label for="rv-reviewer">점검자</label><input id="rv-reviewer" name="reviewer" required minlength="2" maxlength="40" value="${v.reviewer ?? m.user.name ?? ''}"${invalid('reviewer')}></div>
  <div><label for="rv-date">점검일</label><input id="rv-date" name="reviewedOn" type="date" required max="${m.today}" value="${v.reviewedOn ?? m.today}"${invalid('reviewedOn')}></div>
  <div class="wide"><label for="rv-findings">발견 사항</label><textarea id="rv-findings" name="findings" rows="3" required minlength="2" maxlength="2000" placeholder="이상 없음"${invalid('findings')}>${v.findings ?? ''}</textarea></div>
  <div class="wide"><label for="rv-actions">조치 (없으면 비워 둡니다)</label><textarea id="rv-actions" name="actions" rows="3" maxlength="2000"${invalid('actions')}>${v.actions ?? ''}</textarea></div>
  <div class="actions"><button type="submit">점검 결과 기록</button></div>
</form>
<p class="muted">기록한 점검 결과는 고치거나 지울 수 없고, 접속기록 화면과 이 보고서의 엑셀에 함께 남습니다.</p></section>
${notesList(
  m.notes.filter((n) => n.month === r.month),
  m.names,
)}`;
  return layout({ title: `접속기록 월간 점검 ${r.month}`, user: m.user, csrf: m.csrf, body });
}
