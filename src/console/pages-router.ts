import { randomBytes } from 'node:crypto';
import { countSignIn } from '../metrics/metrics';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import express, { Router, type Request, type Response } from 'express';
import { signIn } from '../domain/auth/sign-in';
import { OPEN_STATUSES } from '../domain/report/status';
import { overdueBefore } from '../domain/same-day';
import { seoulDate, seoulMidnight } from '../domain/time';
import { scopeOf } from '../domain/workflow/apply-action';
import { actionFromForm } from './action-form';
import { filterScope, recordAccess } from './access-log';
import { normalizeBody } from '../http/normalize-input';
import { html } from '../http/html';
import {
  authenticated,
  clientIp,
  cookieOptions,
  csrfProtected,
  loginBody,
  sameToken,
  SESSION_COOKIE,
  type AuthedRequest,
} from './auth';
import type { ConsoleDeps } from './deps';
import { ACTION_LABELS, ko } from './messages';
import { paging, reportFilterSchema, toReportFilter } from './report-filters';
import { reportService } from './report-service';
import type { ReportActionType } from '../domain/workflow/report-actions';
import { detailPage } from './views/detail';
import { staffNames } from './people';
import { layout } from './views/layout';
import { loginPage } from './views/login';
import { queuePage } from './views/queue';
import { mountWeeklyRoutes } from './weekly-routes';
import { mountCaseRoutes } from './case-routes';
import { mountImportRoutes } from './import-routes';
import { mountDashboardRoutes } from './dashboard-routes';
import { mountAdminRoutes as mountManagementRoutes, mountPasswordLinkRoutes } from './manage/routes';
import { mountTodayRoutes } from './today-routes';
import { mountAlertTargetRoutes } from './alert-targets/routes';
import { ackQueryNotice, mountUrgentAckLinkRoutes, mountUrgentAckRoutes } from './urgent-ack-routes';
import { targetWarnings } from './alert-targets/warnings';
import { mountAlertLogRoutes } from './alert-log-routes';
import { mountAccountRoutes } from './account-routes';
import { mountAdminRoutes } from './audit/audit-routes';

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'static');
const LOGIN_CSRF_COOKIE = 'sagak_login_csrf';
const FILTER_KEYS = [
  'status',
  'urgency',
  'dong',
  'sign',
  'from',
  'to',
  'q',
  'duplicates',
  'assignee',
  'partner',
  'sort',
] as const;

/** Headers for pages that carry personal data: no caching, no framing, only our own scripts. */
function securityHeaders(_req: Request, res: Response, next: () => void) {
  res.set({
    'Content-Security-Policy':
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  });
  next();
}

const send = (res: Response, status: number, page: string) => res.status(status).type('html').send(page);

/** The repositories this router uses: app.ts hands it these and no others. */
export const CONSOLE_ROUTER_REPOS = [
  'accessRecords',
  'accessReviews',
  'alertTargets',
  'backupRuns',
  'consoleUsers',
  'counter',
  'districtLists',
  'dongCenters',
  'identities',
  'importFiles',
  'imports',
  'loginAttempts',
  'onCall',
  'partners',
  'passwordResets',
  'photos',
  'reporterNews',
  'reports',
  'sessions',
  'weeklyDeliveries',
] as const;

/** The web console under /console: server-rendered Korean pages, forms with CSRF tokens. */
export function consoleRouter(deps: ConsoleDeps<(typeof CONSOLE_ROUTER_REPOS)[number]>): Router {
  const router = Router();
  const reports = reportService(deps);
  router.use('/console/static', express.static(STATIC_DIR, { index: false, maxAge: '1h' }));
  router.use(
    '/console',
    securityHeaders,
    express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 50 }),
    normalizeBody,
    cookieParser(),
  );

  // Sign-in: a double-submit token (cookie + field) guards the form before any session exists. A
  // missing or empty token never matches, so a cross-site form is refused before it is counted.
  const showLogin = (res: Response, status: number, error?: string, username?: string) => {
    const token = randomBytes(24).toString('base64url');
    res.cookie(LOGIN_CSRF_COOKIE, token, { ...cookieOptions(deps, 3_600_000), path: '/console/login' });
    send(res, status, loginPage({ csrf: token, error, username }));
  };
  router.get('/console/login', (_req, res) => showLogin(res, 200));
  router.post('/console/login', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    if (!sameToken(body._csrf, (req.cookies as Record<string, string | undefined>)[LOGIN_CSRF_COOKIE]))
      return showLogin(res, 403, ko.expiredForm);
    const parsed = loginBody.safeParse(body);
    if (!parsed.success) return showLogin(res, 400, ko.invalidLogin);
    const result = await signIn(deps.auth, { ...parsed.data, ip: clientIp(req) }, deps.now());
    countSignIn(result);
    await recordAccess(deps, req, {
      action: result.ok ? 'sign_in' : 'sign_in_failed',
      actor: `user:${parsed.data.username}`,
      role: result.ok ? result.user.role : '',
      detail: result.ok ? '' : result.code,
    });
    if (!result.ok && result.code === 'rate_limited')
      res.set('Retry-After', String(Math.ceil(result.retryAfterMs / 1000)));
    if (!result.ok)
      return showLogin(
        res,
        result.code === 'rate_limited' ? 429 : 401,
        result.code === 'rate_limited' ? ko.rateLimited : ko.invalidLogin,
        parsed.data.username,
      );
    res.clearCookie(LOGIN_CSRF_COOKIE, { path: '/console/login' });
    res.cookie(SESSION_COOKIE, result.token, cookieOptions(deps, result.expiresAt.getTime() - deps.now().getTime()));
    // everyone starts the day on its worklist: the call center's, or the dong center's own
    return res.redirect(303, '/console/today');
  });

  mountPasswordLinkRoutes(router, deps);
  // the urgent alert's own 확인 link: no sign-in, one thing only (urgent-ack-routes.ts)
  mountUrgentAckLinkRoutes(router, deps);
  router.use(
    '/console',
    authenticated(deps, (_req, res) => res.redirect(303, '/console/login')),
  );
  router.use(
    '/console',
    csrfProtected((_req, res) => send(res, 403, layout({ title: '오류', body: errorBody(ko.expiredForm) }))),
  );
  // every staff and admin page warns while alerts would go nowhere (alert-targets/warnings.ts)
  const warnings = targetWarnings(deps);
  router.use('/console', warnings.middleware);

  router.post('/console/logout', async (req, res) => {
    await deps.repos.sessions.remove((req as AuthedRequest).auth.tokenHash);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/console/login');
  });

  router.get('/console', async (req, res) => {
    const { auth } = req as AuthedRequest;
    const pageNo = reportFilterSchema.shape.page.safeParse(req.query.page);
    // the order is no secret, so a column header may carry it in the URL
    const sortQ = reportFilterSchema.shape.sort.safeParse(req.query.sort);
    const sort = (sortQ.success ? sortQ.data : undefined) ?? auth.filters.sort;
    const input = reportFilterSchema.safeParse({
      ...auth.filters,
      sort,
      page: pageNo.success ? pageNo.data : undefined,
    });
    const data = input.success ? input.data : {};
    const filter = toReportFilter(data, deps.district, auth.user.username, { reporterName: auth.user.role !== 'dong' });
    const page = paging(data);
    const safeFilter = 'error' in filter ? {} : filter;
    const now = deps.now();
    const scope = scopeOf(auth.actor, deps.district.id);
    const [queue, today, overdue, partners, users] = await Promise.all([
      reports.queue(auth.actor, safeFilter, page),
      deps.repos.reports.count(scope, {
        statuses: [...OPEN_STATUSES],
        unconsulted: true,
        receivedFrom: seoulMidnight(seoulDate(now)),
      }),
      deps.repos.reports.count(scope, {
        statuses: [...OPEN_STATUSES],
        unconsulted: true,
        receivedBefore: overdueBefore(now),
      }),
      auth.user.role === 'dong' ? Promise.resolve([]) : deps.repos.partners.list(),
      deps.repos.consoleUsers.list(),
    ]);
    await recordAccess(deps, req, {
      action: 'search',
      receiptNos: queue.items.map((i) => i.receiptNo),
      scope: filterScope(data),
    });
    send(
      res,
      200,
      queuePage({
        user: auth.user,
        csrf: auth.csrfToken,
        district: deps.district,
        ...queue,
        page: page.page,
        pageSize: page.limit,
        filters: { ...auth.filters, ...(sort ? { sort } : {}) },
        partners: partners.map((p) => ({ id: p.id, name: p.name })),
        counts: { today, overdue },
        names: staffNames(users),
        now,
      }),
    );
  });

  // Filters live in the session, so search text (an address, a name) never appears in a URL.
  router.post('/console/filters', async (req, res) => {
    const { auth } = req as AuthedRequest;
    const body = req.body as Record<string, unknown>;
    const filters: Record<string, string> = {};
    if (!body.reset) {
      for (const key of FILTER_KEYS)
        if (typeof body[key] === 'string' && body[key] !== '') filters[key] = body[key] as string;
      const input = reportFilterSchema.safeParse(filters);
      if (!input.success || 'error' in toReportFilter(input.data, deps.district, auth.user.username)) {
        return send(
          res,
          400,
          layout({ title: '오류', user: auth.user, csrf: auth.csrfToken, body: errorBody(ko.invalidInput) }),
        );
      }
    }
    await deps.repos.sessions.setFilters(auth.tokenHash, filters);
    return res.redirect(303, '/console');
  });

  router.get('/console/reports/:receiptNo', async (req: Request<{ receiptNo: string }>, res) => {
    const { auth } = req as unknown as AuthedRequest;
    const report = await reports.detail(auth.actor, req.params.receiptNo);
    if (!report)
      return send(
        res,
        404,
        layout({ title: ko.notFound, user: auth.user, csrf: auth.csrfToken, body: errorBody(ko.notFound) }),
      );
    // an own-property allow-list: `?done=constructor` must not reach Object.prototype
    const done = doneNotice(req.query.done);
    const counsellors = auth.user.role === 'dong' ? [] : await reports.counsellors();
    const told = await deps.repos.reporterNews.ofReport(deps.district.id, report.receiptNo);
    const names = staffNames(await deps.repos.consoleUsers.list());
    // an urgent alert waiting for its 확인 (a handful of waits, read by _id)
    const urgentWait =
      auth.user.role === 'dong' ? undefined : await deps.repos.onCall.pendingOf(deps.district.id, report.receiptNo);
    const acked = ackQueryNotice(req.query);
    await recordAccess(deps, req, { action: 'view', receiptNos: [report.receiptNo] });
    return send(
      res,
      200,
      detailPage({
        user: auth.user,
        csrf: auth.csrfToken,
        district: deps.district,
        report,
        notice: acked ?? done,
        counsellors,
        told,
        names,
        urgentWait,
      }),
    );
  });

  // A report's photo, for whoever may open the report (a dong user: its own dong's cases, as the
  // address); every view is an access record, written before a byte is sent.
  router.get(
    '/console/reports/:receiptNo/photos/:photoId',
    async (req: Request<{ receiptNo: string; photoId: string }>, res) => {
      const { auth } = req as unknown as AuthedRequest;
      const report = await reports.detail(auth.actor, req.params.receiptNo);
      if (!report || !report.photoIds.includes(req.params.photoId))
        return send(
          res,
          404,
          layout({ title: ko.notFound, user: auth.user, csrf: auth.csrfToken, body: errorBody(ko.notFound) }),
        );
      const [meta, bytes] = await Promise.all([
        deps.repos.photos.meta(req.params.photoId),
        deps.repos.photos.bytes(req.params.photoId),
      ]);
      if (!meta || !bytes)
        return send(
          res,
          404,
          layout({ title: ko.notFound, user: auth.user, csrf: auth.csrfToken, body: errorBody(ko.notFound) }),
        );
      await recordAccess(deps, req, {
        action: 'view',
        receiptNos: [report.receiptNo],
        detail: `photo ${req.params.photoId.slice(0, 12)}`,
      });
      res.set({
        'Content-Type': meta.contentType,
        'Content-Disposition': 'inline',
        'Content-Length': String(bytes.length),
      });
      return res.status(200).end(bytes);
    },
  );

  router.post('/console/reports/:receiptNo/actions', async (req: Request<{ receiptNo: string }>, res) => {
    const { auth } = req as unknown as AuthedRequest;
    const action = actionFromForm(req.body as Record<string, unknown>);
    const out = await reports.act(auth.actor, req.params.receiptNo, action);
    if (out.status === 200) {
      await recordAccess(deps, req, {
        action: 'change',
        receiptNos: [out.report.receiptNo],
        detail: String(action.type),
      });
      return res.redirect(303, `/console/reports/${out.report.receiptNo}?done=${String(action.type)}`);
    }
    const report = out.status === 404 ? undefined : await reports.detail(auth.actor, req.params.receiptNo);
    if (!report || out.status === 404)
      return send(
        res,
        404,
        layout({ title: ko.notFound, user: auth.user, csrf: auth.csrfToken, body: errorBody(ko.notFound) }),
      );
    const counsellors = auth.user.role === 'dong' ? [] : await reports.counsellors();
    const names = staffNames(await deps.repos.consoleUsers.list());
    return send(
      res,
      out.status,
      detailPage({
        user: auth.user,
        csrf: auth.csrfToken,
        district: deps.district,
        report,
        error: out.messageKo,
        counsellors,
        names,
      }),
    );
  });

  mountCaseRoutes(router, deps);
  mountWeeklyRoutes(router, deps);
  mountImportRoutes(router, deps);
  mountTodayRoutes(router, deps);
  mountUrgentAckRoutes(router, deps);
  mountAlertLogRoutes(router, deps);
  mountAccountRoutes(router, deps);
  mountDashboardRoutes(router, deps);
  mountManagementRoutes(router, deps, warnings.forget);
  mountAdminRoutes(router, deps);
  mountAlertTargetRoutes(router, deps, warnings);
  return router;
}

/** "1차 상담 기록 · 동 주민센터 배정: 처리했습니다." for `?done=consult,assign` (an own-property allow-list: `?done=constructor` must not reach Object.prototype). */
function doneNotice(done: unknown): string | undefined {
  if (done === 'unchanged') return ko.unchanged;
  if (typeof done !== 'string') return undefined;
  const labels = done
    .split(',')
    .filter((t) => Object.hasOwn(ACTION_LABELS, t))
    .map((t) => ACTION_LABELS[t as ReportActionType]);
  return labels.length ? `${labels.join(' · ')}: ${ko.done}` : undefined;
}

function errorBody(message: string) {
  return html`<h1>${message}</h1><p><a href="/console">목록으로</a></p>`;
}
