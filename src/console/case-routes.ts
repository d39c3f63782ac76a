import type { Request, Response, Router } from 'express';
import { resolveDong, type DongResolution } from '../domain/dong-resolver';
import { withParticle } from '../domain/text/particle';
import { FIELD_KO, REFUSAL_KO } from '../domain/workflow/report-actions';
import { seoulDate } from '../domain/time';
import { filterScope, recordAccess } from './access-log';
import type { AuthedRequest } from './auth';
import { addressTouched, correctionActions, formValues, oneStepActions, type FormValues } from './case-forms';
import type { ConsoleDeps } from './deps';
import { html } from '../http/html';
import { ko } from './messages';
import { queueXlsx } from './queue-xlsx';
import { reportFilterSchema, toReportFilter } from './report-filters';
import { reportService } from './report-service';
import type { FormState } from './views/case-forms';
import { detailPage } from './views/detail';
import { seoulDateTime } from './views/format';
import { layout } from './views/layout';
import { visitSheetPage } from './views/visit-sheet';

/** Rows in one XLSX export: the district's open caseload and a long search fit; more is said in the sheet. */
export const EXPORT_MAX_ROWS = 5_000;

const send = (res: Response, status: number, page: string) => res.status(status).type('html').send(page);
const one = (v: FormValues[string] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();

/**
 * The case page's combined forms (corrections; consult + assign + visit request in one submit),
 * its printable visit request sheet (방문 의뢰서), and the queue's XLSX export.
 */
export function mountCaseRoutes(
  router: Router,
  deps: ConsoleDeps<'accessRecords' | 'alertTargets' | 'consoleUsers' | 'onCall' | 'reports' | 'reporterNews'>,
): void {
  const reports = reportService(deps);
  const resolve = (text: string): Promise<DongResolution> =>
    deps.resolveAddress ? deps.resolveAddress(text) : resolveDong(deps.district, text);

  const notFound = (req: Request, res: Response) => {
    const { auth } = req as unknown as AuthedRequest;
    return send(
      res,
      404,
      layout({
        title: ko.notFound,
        user: auth.user,
        csrf: auth.csrfToken,
        body: html`<h1>${ko.notFound}</h1><p><a href="/console">목록으로</a></p>`,
      }),
    );
  };

  /** After a combined form: the changes made go to the access records, and the case page says which. */
  async function recordAndShow(req: Request, res: Response, receiptNo: string, applied: string[]) {
    if (applied.length)
      await recordAccess(deps, req, { action: 'change', receiptNos: [receiptNo], detail: applied.join(',') });
    return res.redirect(303, `/console/reports/${receiptNo}?done=${applied.length ? applied.join(',') : 'unchanged'}`);
  }

  /** The case page again, with a combined form's values and why it was not saved. */
  async function showAgain(req: Request<{ receiptNo: string }>, res: Response, status: number, state: FormState) {
    const { auth } = req as unknown as AuthedRequest;
    const report = await reports.detail(auth.actor, req.params.receiptNo);
    if (!report) return notFound(req, res);
    const counsellors = await reports.counsellors();
    const told = await deps.repos.reporterNews.ofReport(deps.district.id, report.receiptNo);
    await recordAccess(deps, req, { action: 'view', receiptNos: [report.receiptNo] });
    return send(
      res,
      status,
      detailPage({ user: auth.user, csrf: auth.csrfToken, district: deps.district, report, counsellors, told, state }),
    );
  }

  router.post('/console/reports/:receiptNo/correct', async (req: Request<{ receiptNo: string }>, res) => {
    const { auth } = req as unknown as AuthedRequest;
    const stored = await reports.stored(auth.actor, req.params.receiptNo);
    if (!stored) return notFound(req, res);
    if (auth.user.role === 'dong')
      return send(
        res,
        403,
        layout({
          title: '오류',
          user: auth.user,
          csrf: auth.csrfToken,
          body: html`<h1>${REFUSAL_KO.forbidden_role}</h1><p><a href="/console/reports/${stored.receiptNo}">신고로 돌아가기</a></p>`,
        }),
      );
    const values = formValues(req.body as Record<string, unknown>);
    const state = (error: string, more: Partial<FormState> = {}): FormState => ({
      form: 'correct',
      values,
      error,
      ...more,
    });
    const address = one(values.address);
    const addressChanged = addressTouched(values, stored);
    let dongCode = addressChanged ? one(values.addressDong) || null : stored.address.dongCode;
    if (addressChanged && !dongCode && address.length >= 2) {
      // the corrected address finds its dong as a chat report's does; when it cannot, staff choose
      const found = await resolve(address);
      if (found.kind === 'outside')
        return showAgain(
          req,
          res,
          400,
          state(
            `${withParticle(found.place, '은/는')} ${deps.district.name} 밖입니다. ${deps.district.name} 안의 주소로 고쳐 주세요.`,
          ),
        );
      if (found.kind !== 'resolved') {
        const offered = found.dongs.length ? found.dongs : deps.district.dongs;
        return showAgain(
          req,
          res,
          400,
          state('주소만으로 행정동을 정할 수 없습니다. 주소의 행정동을 골라 주세요.', {
            dongChoices: offered.map((d) => ({ code: d.code, name: d.name })),
          }),
        );
      }
      dongCode = found.dong.code;
    }
    const actions = correctionActions(values, dongCode, stored);
    if ('field' in actions)
      return showAgain(req, res, 400, state(`${ko.invalidInput} ${FIELD_KO[actions.field] ?? ''}`.trim()));
    // a corrected address in another dong than the one the case is assigned to: ask before moving the case
    const assigned = stored.assignedDongCode;
    if (addressChanged && assigned && dongCode && dongCode !== assigned) {
      const move = one(values.moveDong);
      if (move !== 'yes' && move !== 'no') {
        const from = deps.district.dongByCode(assigned)?.name ?? assigned;
        const to = deps.district.dongByCode(dongCode)?.name ?? dongCode;
        return showAgain(req, res, 409, {
          form: 'correct',
          values: { ...values, addressDong: dongCode },
          confirmDong: { fromName: from, toName: to, toCode: dongCode },
        });
      }
      if (move === 'yes') actions.push({ type: 'assign', dongCode });
    }
    const out = await reports.actAll(auth.actor, req.params.receiptNo, actions);
    if (out.status === 404) return notFound(req, res);
    if (out.status !== 200) return showAgain(req, res, out.status, state(out.messageKo));
    return recordAndShow(req, res, out.report.receiptNo, out.applied ?? []);
  });

  router.post('/console/reports/:receiptNo/handle', async (req: Request<{ receiptNo: string }>, res) => {
    const { auth } = req as unknown as AuthedRequest;
    const values = formValues(req.body as Record<string, unknown>);
    const out = await reports.actAll(auth.actor, req.params.receiptNo, oneStepActions(values));
    if (out.status === 404) return notFound(req, res);
    // nothing was applied: the page comes back with what was typed and why
    if (out.status !== 200) return showAgain(req, res, out.status, { form: 'handle', values, error: out.messageKo });
    return recordAndShow(req, res, out.report.receiptNo, out.applied ?? []);
  });

  router.get('/console/reports/:receiptNo/visit-sheet', async (req: Request<{ receiptNo: string }>, res) => {
    const { auth } = req as unknown as AuthedRequest;
    const report = await reports.detail(auth.actor, req.params.receiptNo);
    if (!report) return notFound(req, res);
    await recordAccess(deps, req, { action: 'view', receiptNos: [report.receiptNo], detail: 'visit_sheet' });
    return send(
      res,
      200,
      visitSheetPage({ district: deps.district, report, printedAt: deps.now(), printedBy: auth.user.username }),
    );
  });

  // The queue (or the current search) as a workbook: the same filters, order and masking as the screen.
  router.get('/console/export.xlsx', async (req, res) => {
    const { auth } = req as AuthedRequest;
    const input = reportFilterSchema.safeParse(auth.filters);
    const data = input.success ? input.data : {};
    const filter = toReportFilter(data, deps.district, auth.user.username);
    const now = deps.now();
    const { rows, total } = await reports.exportRows(auth.actor, 'error' in filter ? {} : filter, EXPORT_MAX_ROWS);
    const searched = Object.keys(auth.filters).some((k) => k !== 'sort');
    const title = `${deps.district.name} 복지사각지대 신고 ${searched ? '검색 결과' : '목록'}`;
    const body = await queueXlsx({
      district: deps.district,
      rows,
      total,
      dong: auth.user.role === 'dong',
      title,
      now,
      asOf: seoulDateTime(now),
    });
    await recordAccess(deps, req, {
      action: 'download',
      receiptNos: rows.map((r) => r.item.receiptNo),
      rowCount: rows.length,
      scope: filterScope(data),
      detail: 'xlsx',
    });
    res.attachment(`신고${searched ? '검색' : '목록'}-${seoulDate(now)}.xlsx`);
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(body);
  });
}
