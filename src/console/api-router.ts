import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { countSignIn } from '../metrics/metrics';
import cookieParser from 'cookie-parser';
import { signIn } from '../domain/auth/sign-in';
import { codeOf, sendError } from '../http/errors';
import { normalizeBody } from '../http/normalize-input';
import { log } from '../log';
import { filterScope, recordAccess } from './access-log';
import { authenticated, clientIp, csrfProtected, loginBody, type AuthedRequest } from './auth';
import type { ConsoleDeps } from './deps';
import { openApiDocument } from './openapi';
import { mountAccountApi } from './account-routes';
import { paging, reportFilterSchema, toReportFilter } from './report-filters';
import { reportService } from './report-service';

const bad = (res: Response, message: string) => res.status(400).json({ error: 'bad_request', message });

/** The repositories this router uses: app.ts hands it these and no others. */
export const API_ROUTER_REPOS = [
  'accessRecords',
  'alertTargets',
  'consoleUsers',
  'onCall',
  'reports',
  'sessions',
] as const;

/**
 * The JSON API under /api: sign-in, the report queue, one report, actions. Bearer tokens or the
 * console's cookie (then with the CSRF header on changes). Every input is zod-validated.
 */
export function apiRouter(deps: ConsoleDeps<(typeof API_ROUTER_REPOS)[number]>): Router {
  const router = Router();
  const reports = reportService(deps);
  router.use('/api', express.json({ limit: '32kb' }), normalizeBody, cookieParser());
  router.use('/api', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  router.post('/api/auth/login', async (req, res) => {
    const parsed = loginBody.safeParse(req.body);
    if (!parsed.success) return bad(res, 'username and password are required strings');
    const result = await signIn(deps.auth, { ...parsed.data, ip: clientIp(req) }, deps.now());
    countSignIn(result);
    await recordAccess(deps, req, {
      action: result.ok ? 'sign_in' : 'sign_in_failed',
      actor: `user:${parsed.data.username}`,
      role: result.ok ? result.user.role : '',
      detail: result.ok ? '' : result.code,
    });
    if (!result.ok && result.code === 'rate_limited') {
      log.warn({ event: 'login_rate_limited' }, 'sign-in refused by the rate limit');
      res.set('Retry-After', String(Math.ceil(result.retryAfterMs / 1000)));
      return res.status(429).json({ error: 'rate_limited', message: 'too many failed sign-ins; try again later' });
    }
    if (!result.ok)
      return res.status(401).json({ error: 'invalid_credentials', message: 'wrong username or password' });
    return res.json({ token: result.token, expiresAt: result.expiresAt.toISOString(), role: result.user.role });
  });

  const authed = authenticated(deps, (_req, res) => res.status(401).json({ error: 'unauthenticated' }));
  const csrf = csrfProtected((_req, res) =>
    res.status(403).json({ error: 'csrf', message: 'missing or wrong CSRF token' }),
  );
  router.use(['/api/reports', '/api/auth/logout', '/api/auth/password'], authed, csrf);
  mountAccountApi(router, deps);

  router.post('/api/auth/logout', async (req, res) => {
    await deps.repos.sessions.remove((req as AuthedRequest).auth.tokenHash);
    res.status(204).end();
  });

  router.get('/api/reports', async (req: Request, res) => {
    const input = reportFilterSchema.safeParse(req.query);
    if (!input.success) return bad(res, `${input.error.issues[0]!.path.join('.')}: ${input.error.issues[0]!.message}`);
    const filter = toReportFilter(input.data, deps.district, (req as AuthedRequest).auth.user.username, {
      reporterName: (req as AuthedRequest).auth.user.role !== 'dong',
    });
    if ('error' in filter) return bad(res, filter.error);
    const page = paging(input.data);
    const { items, total } = await reports.queue((req as AuthedRequest).auth.actor, filter, page);
    await recordAccess(deps, req, {
      action: 'search',
      receiptNos: items.map((i) => i.receiptNo),
      scope: filterScope(input.data),
    });
    return res.json({ items, total, page: page.page, pageSize: page.limit });
  });

  router.get('/api/reports/:receiptNo', async (req: Request<{ receiptNo: string }>, res) => {
    const view = await reports.detail((req as unknown as AuthedRequest).auth.actor, req.params.receiptNo);
    if (!view) return res.status(404).json({ error: 'not_found' });
    await recordAccess(deps, req, { action: 'view', receiptNos: [view.receiptNo] });
    return res.json(view);
  });

  router.post('/api/reports/:receiptNo/actions', async (req: Request<{ receiptNo: string }>, res) => {
    const out = await reports.act((req as unknown as AuthedRequest).auth.actor, req.params.receiptNo, req.body);
    if (out.status === 200) {
      await recordAccess(deps, req, {
        action: 'change',
        receiptNos: [out.report.receiptNo],
        detail: String((req.body as { type?: unknown })?.type),
      });
      return res.json(out.report);
    }
    const { status, ...body } = out;
    return res.status(status).json(body);
  });

  // the same codes as the rest of the service: a malformed path is 400, the database down is 503
  const onError: ErrorRequestHandler = (err: { type?: string; status?: number; name?: string }, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err.type === 'entity.parse.failed') return bad(res, 'the body is not valid JSON');
    const code = codeOf(err);
    if (code === 'internal' || code === 'unavailable')
      log.error({ error: err.name, code }, 'console API request failed');
    sendError(req, res, code);
  };
  router.use('/api', onError);
  return router;
}
