import type { Request, Response, Router } from 'express';
import { ImportFileError } from '../import/errors';
import { reportsByReceipts, reportsOfImport } from '../import/import-reports';
import { urgentOpener } from '../delivery/urgent-open';
import { commitImport, previewImport, type ImportDeps } from '../import/list-import-service';
import { MAPPED_FIELDS, mappingSchema } from '../domain/list-import/mapping';
import { IMPORT_KO } from '../import/messages';
import { listProgress } from '../domain/list-progress';
import { rejectedRowsXlsx } from '../import/rejected-xlsx';
import { log } from '../log';
import type { AuthedRequest } from './auth';
import type { ConsoleDeps } from './deps';
import { html } from '../http/html';
import { recordAccess } from './access-log';
import { importPage, importsPage } from './views/imports';
import { layout } from './views/layout';
import type { ListImport } from '../domain/list-import/list-import';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ID = /^[a-f0-9]{24}$/;
const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];

/**
 * The list import pages under /console/imports (upload itself: import-upload.ts). Staff and
 * admin only: a list holds households of every dong.
 */
export function mountImportRoutes(
  router: Router,
  deps: ConsoleDeps<
    'accessRecords' | 'alertTargets' | 'counter' | 'importFiles' | 'imports' | 'onCall' | 'partners' | 'reports'
  >,
): void {
  // rows filed as 즉시 위험 enter the urgent route (src/delivery/urgent-open.ts)
  const importDeps: ImportDeps = { repos: deps.repos, district: deps.district, openUrgent: urgentOpener(deps) };
  const page = (res: Response, status: number, body: string) => res.status(status).type('html').send(body);
  const refuse = (req: Request, res: Response, status: number, message: string) => {
    const { auth } = req as AuthedRequest;
    page(
      res,
      status,
      layout({
        title: '오류',
        user: auth.user,
        csrf: auth.csrfToken,
        body: html`<h1>${message}</h1><p><a href="/console">목록으로</a></p>`,
      }),
    );
  };

  router.use('/console/imports', (req, res, next) => {
    if ((req as AuthedRequest).auth.actor.role === 'dong') return refuse(req, res, 403, IMPORT_KO.forbidden);
    next();
  });

  router.get('/console/imports', async (req, res) => {
    page(res, 200, await importsPage(deps, (req as AuthedRequest).auth));
  });

  const load = async (req: Request<{ id: string }>, res: Response) => {
    const item = ID.test(req.params.id) ? await deps.repos.imports.byId(req.params.id) : undefined;
    if (!item || item.district !== deps.district.id) refuse(req, res, 404, IMPORT_KO.notFound);
    return item;
  };

  const progressOf = async (item: ListImport) => {
    const [created, linked] = await Promise.all([
      reportsOfImport(deps.repos.reports, deps.district.id, item.id),
      reportsByReceipts(deps.repos.reports, deps.district.id, item.commit?.linked ?? []),
    ]);
    return listProgress(item.listName, [...created, ...linked], deps.district);
  };

  const show = async (
    req: Request<{ id: string }>,
    res: Response,
    status = 200,
    opts: { error?: string; problems?: string[] } = {},
  ) => {
    const item = await load(req, res);
    if (!item) return;
    const { auth } = req as unknown as AuthedRequest;
    const notices: Record<string, string> = { duplicate: IMPORT_KO.duplicateFile, committed: IMPORT_KO.committed };
    const notice = typeof req.query.notice === 'string' ? notices[req.query.notice] : undefined;
    const progress = item.status === 'committed' || item.status === 'committing' ? await progressOf(item) : undefined;
    // the page lists refused rows and the addresses of rows whose dong is to be chosen
    const shown = (item.preview?.rejected.length ?? 0) + (item.preview?.unresolved.length ?? 0);
    await recordAccess(deps, req, {
      action: 'view',
      scope: `import=${item.id}`,
      rowCount: shown,
      detail: 'list_import',
    });
    page(res, status, importPage(deps, auth, item, { notice, progress, ...opts }));
  };

  router.get('/console/imports/:id', (req: Request<{ id: string }>, res) => show(req, res));

  router.post('/console/imports/:id/mapping', async (req: Request<{ id: string }>, res) => {
    const item = await load(req, res);
    if (!item) return;
    const body = req.body as Record<string, unknown>;
    const columns = Object.fromEntries(
      MAPPED_FIELDS.map((f) => [f, typeof body[`col_${f}`] === 'string' && body[`col_${f}`] ? body[`col_${f}`] : null]),
    );
    const parsed = mappingSchema.safeParse({
      columns,
      extra: list(body.extra),
      defaultSigns: list(body.signs),
      defaultUrgency: body.defaultUrgency,
    });
    if (!parsed.success)
      return show(req, res, 400, { problems: ['명단의 위기 징후를 하나 이상 고르고, 열을 다시 확인해 주세요.'] });
    try {
      const result = await previewImport(importDeps, item, parsed.data, deps.now());
      if (!result.ok) return show(req, res, 400, { problems: result.problems });
    } catch (err) {
      if (err instanceof ImportFileError) return show(req, res, 400, { error: err.messageKo });
      throw err;
    }
    return res.redirect(303, `/console/imports/${item.id}#pv-h`);
  });

  router.post('/console/imports/:id/dongs', async (req: Request<{ id: string }>, res) => {
    const item = await load(req, res);
    if (!item) return;
    if (!item.mapping || !item.preview) return show(req, res, 409, { error: IMPORT_KO.notPreviewed });
    const choices = { ...item.dongChoices };
    for (const [key, value] of Object.entries(req.body as Record<string, unknown>)) {
      const row = /^dong_(\d{1,6})$/.exec(key)?.[1];
      if (row && typeof value === 'string' && (value === '' || deps.district.dongByCode(value))) choices[row] = value;
    }
    await deps.repos.imports.update(item.id, { dongChoices: choices });
    await previewImport(importDeps, { ...item, dongChoices: choices }, item.mapping, deps.now());
    return res.redirect(303, `/console/imports/${item.id}#pv-h`);
  });

  router.post('/console/imports/:id/commit', async (req: Request<{ id: string }>, res) => {
    const item = await load(req, res);
    if (!item) return;
    if (item.status === 'committed') return res.redirect(303, `/console/imports/${item.id}`);
    const { auth } = req as unknown as AuthedRequest;
    const result = await commitImport(importDeps, item, auth.actor.id, deps.now);
    if (!result.ok)
      return show(req, res, 409, {
        error:
          result.code === 'busy'
            ? '다른 사용자가 이 명단을 접수하고 있습니다. 잠시 후 새로 고쳐 주세요.'
            : IMPORT_KO.notPreviewed,
      });
    log.info({ importId: item.id, counts: result.counts }, 'list import committed');
    const { create, unresolved, link } = result.counts;
    await recordAccess(deps, req, {
      action: 'change',
      receiptNos: result.item.commit?.linked ?? [],
      scope: `import=${item.id}`,
      rowCount: create + unresolved + link,
      detail: 'list_commit',
    });
    return res.redirect(303, `/console/imports/${item.id}?notice=committed`);
  });

  router.get('/console/imports/:id/rejected.xlsx', async (req: Request<{ id: string }>, res) => {
    const item = await load(req, res);
    if (!item) return;
    if (!item.fileId) return refuse(req, res, 410, IMPORT_KO.fileGone);
    const body = await rejectedRowsXlsx(importDeps, item, deps.now());
    await recordAccess(deps, req, {
      action: 'download',
      scope: `import=${item.id} rejected`,
      rowCount: item.preview?.counts.rejected ?? 0,
      detail: 'xlsx',
    });
    res.set(
      'Content-Disposition',
      `attachment; filename="rejected.xlsx"; filename*=UTF-8''${encodeURIComponent(`${item.listName}_제외된행.xlsx`)}`,
    );
    res.type(XLSX_TYPE).send(body);
  });
}
