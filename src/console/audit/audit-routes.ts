import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { monthlyReview, monthRange } from '../../domain/access/monthly-review';
import { parseReviewNote, REVIEW_NOTE_KO } from '../../domain/access/review-note';
import { recordRow } from '../access-words';
import { accessRecordsXlsx, monthlyReviewXlsx, XLSX_TYPE } from './access-xlsx';
import { staffNames } from '../people';
import { accessListPage, monthlyReviewPage, type ReviewFormState } from '../views/access';
import { seoulDateTime } from '../views/format';
import { currentLockouts, ipKey, pairKey } from '../../domain/auth/throttle';
import { seoulDate } from '../../domain/time';
import { recordAccess } from '../access-log';
import type { AuthedRequest } from '../auth';
import type { ConsoleDeps } from '../deps';
import { html } from '../../http/html';
import { layout } from '../views/layout';
import { sendForbidden } from '../forbidden';

const LIST_LIMIT = 500;

/** Admin-only pages: sign-in lockouts, the access records and their monthly review. */
export function mountAdminRoutes(
  router: Router,
  deps: ConsoleDeps<'accessRecords' | 'accessReviews' | 'consoleUsers' | 'loginAttempts'>,
): void {
  router.use('/console/admin', (req, res, next) => {
    const { auth } = req as AuthedRequest;
    if (auth.user.role === 'admin') return next();
    sendForbidden(req, res, '관리자만 볼 수 있는 화면입니다.');
  });

  const limits = () => deps.auth.limits;

  router.get('/console/admin/lockouts', async (req, res) => {
    const { auth } = req as AuthedRequest;
    const now = deps.now();
    const lockouts = currentLockouts(
      await deps.repos.loginAttempts.allSince(new Date(now.getTime() - limits().windowMs)),
      limits(),
      now,
    );
    const cleared = typeof req.query.cleared === 'string' ? Number(req.query.cleared) : undefined;
    const body = html`<p><a href="/console/admin/access">접속기록</a> · <a href="/console">목록</a></p><h1>로그인 제한</h1>
<p>같은 아이디를 같은 주소에서 ${limits().freeFailures}번 넘게 틀리면 다시 시도할 때까지 기다리는 시간이 두 배씩 늘어납니다(최대 ${Math.round(limits().maxDelayMs / 60_000)}분). 한 주소에서 ${Math.round(limits().windowMs / 60_000)}분 동안 ${limits().perIp}번, 한 아이디로 ${limits().perAccount}번 실패하면 그 주소·아이디에서 이미 틀린 적이 있는 곳은 막힙니다. 그 주소에서 틀린 적이 없는 사용자는 바른 비밀번호로 언제나 로그인할 수 있습니다.</p>
${cleared !== undefined && Number.isInteger(cleared) ? html`<p class="notice" role="status">제한을 풀었습니다 (기록 ${cleared}건 삭제).</p>` : ''}
${
  lockouts.length === 0
    ? html`<p class="card">지금 제한된 로그인이 없습니다.</p>`
    : html`<table class="queue"><thead><tr><th>구분</th><th>아이디</th><th>주소</th><th>실패</th><th>제한 끝</th><th></th></tr></thead><tbody>
${lockouts.map(
  (
    l,
  ) => html`<tr><td data-label="구분">${l.kind === 'pair' ? '아이디·주소' : '주소 (거기서 틀린 아이디만)'}</td><td data-label="아이디">${l.username ?? '(그 주소에서 틀린 아이디)'}</td><td data-label="주소">${l.ip}</td><td data-label="실패">${l.failures}</td><td data-label="제한 끝">${seoulDateTime(l.until)}</td>
<td><form method="post" action="/console/admin/lockouts/clear"><input type="hidden" name="_csrf" value="${auth.csrfToken}"><input type="hidden" name="ip" value="${l.ip}">${l.username !== null ? html`<input type="hidden" name="username" value="${l.username}">` : ''}<button type="submit" class="secondary">제한 풀기</button></form></td></tr>`,
)}</tbody></table>`
}`;
    res.type('html').send(layout({ title: '로그인 제한', user: auth.user, csrf: auth.csrfToken, body }));
  });

  router.post('/console/admin/lockouts/clear', async (req: Request, res: Response) => {
    const parsed = z
      .object({ ip: z.string().min(1).max(100), username: z.string().min(1).max(64).optional() })
      .safeParse(req.body);
    if (!parsed.success)
      return res
        .status(400)
        .type('html')
        .send(layout({ title: '오류', body: html`<h1>입력값을 확인해 주세요.</h1>` }));
    const { ip, username } = parsed.data;
    const removed = await deps.repos.loginAttempts.clear(username ? pairKey(username, ip) : ipKey(ip));
    await recordAccess(deps, req, {
      action: 'unlock',
      scope: username ? `user:${username} ${ip}` : ip,
      rowCount: removed,
    });
    return res.redirect(303, `/console/admin/lockouts?cleared=${removed}`);
  });

  const monthQuery = z.object({
    month: z
      .string()
      .regex(/^\d{4}-\d{2}$/)
      .optional(),
    actor: z.string().trim().max(80).optional(),
  });
  const badMonth = (req: Request, res: Response) => {
    const { auth } = req as AuthedRequest;
    return res
      .status(400)
      .type('html')
      .send(
        layout({
          title: '오류',
          user: auth.user,
          csrf: auth.csrfToken,
          body: html`<h1>월을 2026-11처럼 적어 주세요.</h1><p><a href="/console/admin/access">접속기록</a></p>`,
        }),
      );
  };
  /** The month and account asked for; an account may be given as its login ID (kim) or as recorded (user:kim). */
  const asked = (req: Request) => {
    const q = monthQuery.safeParse(req.query);
    const month = (q.success && q.data.month) || seoulDate(deps.now()).slice(0, 7);
    const actorInput = q.success && q.data.actor ? q.data.actor : '';
    const actor = actorInput ? (actorInput.includes(':') ? actorInput : `user:${actorInput}`) : undefined;
    return { month, actorInput, actor, range: monthRange(month) };
  };
  const names = async () => staffNames(await deps.repos.consoleUsers.list());
  const download = (res: Response, fileName: string, body: Buffer) => {
    res.set(
      'Content-Disposition',
      `attachment; filename="access.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    );
    return res.type(XLSX_TYPE).send(body);
  };

  router.get('/console/admin/access', async (req, res) => {
    const { auth } = req as AuthedRequest;
    const { month, actorInput, actor, range } = asked(req);
    if (!range) return badMonth(req, res);
    const records = await deps.repos.accessRecords.between(range.from, range.to, { actor, limit: LIST_LIMIT });
    await recordAccess(deps, req, {
      action: 'review',
      scope: `access list month=${month}${actor ? ` actor=${actor}` : ''}`,
      rowCount: records.length,
    });
    const who = await names();
    const notes = await deps.repos.accessReviews.list();
    return res.type('html').send(
      accessListPage({
        user: auth.user,
        csrf: auth.csrfToken,
        month,
        actor: actorInput,
        rows: records.map((r) => recordRow(r, deps.district, who)),
        limit: LIST_LIMIT,
        notes,
        names: who,
      }),
    );
  });

  router.get('/console/admin/access/export.xlsx', async (req, res) => {
    const { month, actor, range } = asked(req);
    if (!range) return badMonth(req, res);
    const records = await deps.repos.accessRecords.between(range.from, range.to, { actor });
    await recordAccess(deps, req, {
      action: 'download',
      scope: `access export month=${month}${actor ? ` actor=${actor}` : ''}`,
      rowCount: records.length,
      detail: 'xlsx',
    });
    const who = await names();
    const body = await accessRecordsXlsx(
      `접속기록 ${month}`,
      `${deps.district.name} · ${records.length}건 · 내려받은 때 ${seoulDateTime(deps.now())}`,
      records.map((r) => recordRow(r, deps.district, who)),
    );
    return download(res, `${deps.district.name}_접속기록_${month}.xlsx`, body);
  });

  const review = async (month: string, range: { from: Date; to: Date }) =>
    monthlyReview(month, await deps.repos.accessRecords.between(range.from, range.to), {
      downloads: deps.config.ACCESS_REVIEW_MAX_DOWNLOADS,
      cases: deps.config.ACCESS_REVIEW_MAX_CASES,
    });
  const showMonthly = async (
    req: Request,
    res: Response,
    month: string,
    range: { from: Date; to: Date },
    status: number,
    form: ReviewFormState,
  ) => {
    const { auth } = req as AuthedRequest;
    const r = await review(month, range);
    await recordAccess(deps, req, { action: 'review', scope: `access monthly month=${month}`, rowCount: r.records });
    const page = monthlyReviewPage({
      user: auth.user,
      csrf: auth.csrfToken,
      review: r,
      head: await deps.repos.accessRecords.head(),
      limits: { downloads: deps.config.ACCESS_REVIEW_MAX_DOWNLOADS, cases: deps.config.ACCESS_REVIEW_MAX_CASES },
      names: await names(),
      notes: await deps.repos.accessReviews.list(),
      today: seoulDate(deps.now()),
      form,
    });
    return res.status(status).type('html').send(page);
  };

  router.get('/console/admin/access/monthly', async (req, res) => {
    const { month, range } = asked(req);
    if (!range) return badMonth(req, res);
    return showMonthly(req, res, month, range, 200, {
      values: {},
      notice: req.query.kept === '1' ? '점검 결과를 기록했습니다.' : undefined,
    });
  });

  router.get('/console/admin/access/monthly.xlsx', async (req, res) => {
    const { month, range } = asked(req);
    if (!range) return badMonth(req, res);
    const r = await review(month, range);
    await recordAccess(deps, req, {
      action: 'download',
      scope: `access monthly-export month=${month}`,
      rowCount: r.records,
      detail: 'xlsx',
    });
    const notes = (await deps.repos.accessReviews.list()).filter((n) => n.month === month);
    const body = await monthlyReviewXlsx(
      r,
      await names(),
      notes,
      `${deps.district.name} · 기록 ${r.records}건 · 내려받은 때 ${seoulDateTime(deps.now())}`,
    );
    return download(res, `${deps.district.name}_접속기록_월간점검_${month}.xlsx`, body);
  });

  // 점검 결과: the review's result is itself kept (and access-recorded), never edited from here
  router.post('/console/admin/access/monthly/review', async (req, res) => {
    const { auth } = req as AuthedRequest;
    const body = req.body as Record<string, unknown>;
    const today = seoulDate(deps.now());
    const monthRaw = typeof body.month === 'string' ? body.month : '';
    const range = monthRange(monthRaw);
    if (!range) return badMonth(req, res);
    const parsed = parseReviewNote(body, today);
    const values = Object.fromEntries(
      (['reviewer', 'reviewedOn', 'findings', 'actions'] as const).map(
        (k) => [k, typeof body[k] === 'string' ? (body[k] as string) : ''] as const,
      ),
    );
    if (!parsed.ok)
      return showMonthly(req, res, monthRaw, range, 400, {
        values,
        error: { field: parsed.field, message: REVIEW_NOTE_KO[parsed.code] },
      });
    const head = await deps.repos.accessRecords.head();
    await deps.repos.accessReviews.add({ ...parsed.value, recordedBy: auth.actor.id, recordedAt: deps.now(), head });
    await recordAccess(deps, req, { action: 'review', scope: `review note month=${parsed.value.month}` });
    return res.redirect(303, `/console/admin/access/monthly?month=${parsed.value.month}&kept=1`);
  });
}
