import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { ACCESS_ACTION_LABELS } from '../domain/access/access-record';
import { FLAG_LABELS, monthlyReview, monthRange } from '../domain/access/monthly-review';
import { currentLockouts, ipKey, pairKey } from '../domain/auth/throttle';
import { seoulDate } from '../domain/time';
import { recordAccess } from './access-log';
import type { AuthedRequest } from './auth';
import type { ConsoleDeps } from './deps';
import { html } from './html';
import { layout } from './views/layout';

const LIST_LIMIT = 500;
const seoulTime = (d: Date) => d.toLocaleString('ko-KR', { timeZone: 'Asia/Seoul', hour12: false });

/** Admin-only pages: sign-in lockouts, the access records and their monthly review. */
export function mountAdminRoutes(router: Router, deps: ConsoleDeps<'accessRecords' | 'loginAttempts'>): void {
  router.use('/console/admin', (req, res, next) => {
    const { auth } = req as AuthedRequest;
    if (auth.user.role === 'admin') return next();
    res.status(403).type('html').send(layout({ title: '권한 없음', user: auth.user, csrf: auth.csrfToken, body: html`<h1>관리자만 볼 수 있는 화면입니다.</h1><p><a href="/console">목록으로</a></p>` }));
  });

  const limits = () => deps.auth.limits;

  router.get('/console/admin/lockouts', async (req, res) => {
    const { auth } = req as AuthedRequest;
    const now = deps.now();
    const lockouts = currentLockouts(await deps.repos.loginAttempts.allSince(new Date(now.getTime() - limits().windowMs)), limits(), now);
    const cleared = typeof req.query.cleared === 'string' ? Number(req.query.cleared) : undefined;
    const body = html`<p><a href="/console/admin/access">접속기록</a> · <a href="/console">목록</a></p><h1>로그인 제한</h1>
<p>같은 아이디를 같은 주소에서 ${limits().freeFailures}번 넘게 틀리면 다시 시도할 때까지 기다리는 시간이 두 배씩 늘어납니다(최대 ${Math.round(limits().maxDelayMs / 60_000)}분). 한 주소에서 ${Math.round(limits().windowMs / 60_000)}분 동안 ${limits().perIp}번, 한 아이디로 ${limits().perAccount}번 실패하면 그 주소·아이디에서 이미 틀린 적이 있는 곳은 막힙니다. 그 주소에서 틀린 적이 없는 사용자는 바른 비밀번호로 언제나 로그인할 수 있습니다.</p>
${cleared !== undefined && Number.isInteger(cleared) ? html`<p class="notice" role="status">제한을 풀었습니다 (기록 ${cleared}건 삭제).</p>` : ''}
${lockouts.length === 0
  ? html`<p class="card">지금 제한된 로그인이 없습니다.</p>`
  : html`<table class="queue"><thead><tr><th>구분</th><th>아이디</th><th>주소</th><th>실패</th><th>제한 끝</th><th></th></tr></thead><tbody>
${lockouts.map(
  (l) => html`<tr><td data-label="구분">${l.kind === 'pair' ? '아이디·주소' : '주소 (거기서 틀린 아이디만)'}</td><td data-label="아이디">${l.username ?? '(그 주소에서 틀린 아이디)'}</td><td data-label="주소">${l.ip}</td><td data-label="실패">${l.failures}</td><td data-label="제한 끝">${seoulTime(l.until)}</td>
<td><form method="post" action="/console/admin/lockouts/clear"><input type="hidden" name="_csrf" value="${auth.csrfToken}"><input type="hidden" name="ip" value="${l.ip}">${l.username !== null ? html`<input type="hidden" name="username" value="${l.username}">` : ''}<button type="submit" class="secondary">제한 풀기</button></form></td></tr>`,
)}</tbody></table>`}`;
    res.type('html').send(layout({ title: '로그인 제한', user: auth.user, csrf: auth.csrfToken, body }));
  });

  router.post('/console/admin/lockouts/clear', async (req: Request, res: Response) => {
    const parsed = z.object({ ip: z.string().min(1).max(100), username: z.string().min(1).max(64).optional() }).safeParse(req.body);
    if (!parsed.success) return res.status(400).type('html').send(layout({ title: '오류', body: html`<h1>입력값을 확인해 주세요.</h1>` }));
    const { ip, username } = parsed.data;
    const removed = await deps.repos.loginAttempts.clear(username ? pairKey(username, ip) : ipKey(ip));
    await recordAccess(deps, req, { action: 'unlock', scope: username ? `user:${username} ${ip}` : ip, rowCount: removed });
    return res.redirect(303, `/console/admin/lockouts?cleared=${removed}`);
  });

  const monthQuery = z.object({ month: z.string().regex(/^\d{4}-\d{2}$/).optional(), actor: z.string().max(80).optional() });

  router.get('/console/admin/access', async (req, res) => {
    const { auth } = req as AuthedRequest;
    const q = monthQuery.safeParse(req.query);
    const month = (q.success && q.data.month) || seoulDate(deps.now()).slice(0, 7);
    const actor = q.success && q.data.actor ? q.data.actor : undefined;
    const range = monthRange(month);
    if (!range) return res.status(400).type('html').send(layout({ title: '오류', user: auth.user, csrf: auth.csrfToken, body: html`<h1>월을 YYYY-MM 형식으로 적어 주세요.</h1>` }));
    const records = await deps.repos.accessRecords.between(range.from, range.to, { actor, limit: LIST_LIMIT });
    await recordAccess(deps, req, { action: 'review', scope: `access list month=${month}${actor ? ` actor=${actor}` : ''}`, rowCount: records.length });
    const body = html`<p><a href="/console/admin/lockouts">로그인 제한</a> · <a href="/console">목록</a></p><h1>접속기록</h1>
<form method="get" action="/console/admin/access" class="card grid">
  <div><label for="a-month">월</label><input id="a-month" name="month" value="${month}" pattern="\\d{4}-\\d{2}"></div>
  <div><label for="a-actor">계정</label><input id="a-actor" name="actor" value="${actor ?? ''}" placeholder="user:kim"></div>
  <div class="actions"><button type="submit">보기</button><a href="/console/admin/access/monthly?month=${month}">월간 점검 보고서</a></div>
</form>
<p>최근 ${records.length}건${records.length === LIST_LIMIT ? ` (최대 ${LIST_LIMIT}건; 전체는 npm run admin -- access list)` : ''}. 기록은 고칠 수도 지울 수도 없고, 각 기록이 앞 기록의 해시를 담아 사슬을 이룹니다 (npm run admin -- access verify).</p>
<table class="queue"><thead><tr><th>번호</th><th>시각</th><th>계정</th><th>주소</th><th>경로</th><th>행위</th><th>대상</th></tr></thead><tbody>
${records.map(
  (r) => html`<tr><td data-label="번호">${r.seq}</td><td data-label="시각">${seoulTime(r.at)}</td><td data-label="계정">${r.actor}</td><td data-label="주소">${r.address}</td><td data-label="경로">${r.channel}</td><td data-label="행위">${ACCESS_ACTION_LABELS[r.action] ?? r.action}${r.detail ? ` (${r.detail})` : ''}</td><td data-label="대상">${r.receiptNos.slice(0, 10).join(', ')}${r.receiptNos.length > 10 ? ` 외 ${r.receiptNos.length - 10}건` : ''}${r.scope ? html`<br><small>${r.scope}</small>` : ''}</td></tr>`,
)}</tbody></table>`;
    return res.type('html').send(layout({ title: '접속기록', user: auth.user, csrf: auth.csrfToken, body }));
  });

  router.get('/console/admin/access/monthly', async (req, res) => {
    const { auth } = req as AuthedRequest;
    const q = monthQuery.safeParse(req.query);
    const month = (q.success && q.data.month) || seoulDate(deps.now()).slice(0, 7);
    const range = monthRange(month);
    if (!range) return res.status(400).type('html').send(layout({ title: '오류', user: auth.user, csrf: auth.csrfToken, body: html`<h1>월을 YYYY-MM 형식으로 적어 주세요.</h1>` }));
    const review = monthlyReview(month, await deps.repos.accessRecords.between(range.from, range.to), { downloads: deps.config.ACCESS_REVIEW_MAX_DOWNLOADS, cases: deps.config.ACCESS_REVIEW_MAX_CASES });
    await recordAccess(deps, req, { action: 'review', scope: `access monthly month=${month}`, rowCount: review.records });
    const head = await deps.repos.accessRecords.head();
    const body = html`<p><a href="/console/admin/access?month=${month}">← 접속기록</a></p><h1>접속기록 월간 점검 ${month}</h1>
<p>기록 ${review.records}건. 근무시간은 평일(공휴일 제외) 08:00–19:00, 내려받기 ${deps.config.ACCESS_REVIEW_MAX_DOWNLOADS}건·열람 ${deps.config.ACCESS_REVIEW_MAX_CASES}건을 넘으면 확인 대상입니다.</p>
<h2>확인 필요</h2>
${review.flags.length ? html`<ul>${review.flags.map((f) => html`<li><strong>${f.actor}</strong>: ${FLAG_LABELS[f.kind]} ${f.count}건</li>`)}</ul>` : html`<p>확인이 필요한 항목이 없습니다.</p>`}
<h2>계정별</h2>
<table class="queue"><thead><tr><th>계정</th><th>역할</th><th>기록</th><th>사례 수</th><th>열람</th><th>내려받기</th><th>변경</th><th>근무시간 외</th><th>로그인 실패</th></tr></thead><tbody>
${review.lines.map(
  (l) => html`<tr><td data-label="계정">${l.actor}</td><td data-label="역할">${l.role}</td><td data-label="기록">${l.records}</td><td data-label="사례 수">${l.cases}</td><td data-label="열람">${l.views}</td><td data-label="내려받기">${l.downloads}</td><td data-label="변경">${l.changes}</td><td data-label="근무시간 외">${l.outsideHours}</td><td data-label="로그인 실패">${l.failedSignIns}</td></tr>`,
)}</tbody></table>
<h2>체인 끝</h2>
<p>아래 값을 날짜와 함께 시스템 밖(종이, 점검 문서)에 보관하세요. 나중에 <code>access verify --head</code>로 그때까지의 기록이 바뀌거나 잘리지 않았음을 확인합니다.</p>
<p><code>${head.seq}:${head.hash}</code></p>`;
    return res.type('html').send(layout({ title: `접속기록 월간 점검 ${month}`, user: auth.user, csrf: auth.csrfToken, body }));
  });
}
