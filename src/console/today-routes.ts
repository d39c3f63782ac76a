import type { Request, Router } from 'express';
import { dongWorklist } from '../domain/casework/dong-today';
import { todayWorklist } from '../domain/casework/today';
import { scopeOf } from '../domain/workflow/apply-action';
import { recordAccess } from './access-log';
import type { AuthedRequest } from './auth';
import type { ConsoleDeps } from './deps';
import { dongTodayPage, dongTodaySections, type DongTodayPageModel } from './views/dong-today';
import { todayPage, todaySections, type TodayPageModel } from './views/today';

/**
 * The call center's day: GET /console/today (the staff landing page) and
 * GET /console/today.json, which the page polls to refresh itself and to notice new urgent
 * reports. Polling rather than server-sent events: FerretDB has no change streams, so a push
 * would still be a poll on the server, and a plain GET passes every proxy and instance.
 */
export function mountTodayRoutes(router: Router, deps: ConsoleDeps<'accessRecords' | 'reports'>): void {
  /** What both days share: the actor's open casework (its scope in the query) and the page frame. */
  const frame = async (req: Request) => {
    const { auth } = req as AuthedRequest;
    const reports = await deps.repos.reports.openCasework(scopeOf(auth.actor, deps.district.id));
    const rules = { visitReportBusinessDays: deps.config.TODAY_VISIT_REPORT_BUSINESS_DAYS };
    const page = {
      user: auth.user,
      csrf: auth.csrfToken,
      district: deps.district,
      pollSeconds: deps.config.TODAY_POLL_SECONDS,
      visitReportBusinessDays: rules.visitReportBusinessDays,
    };
    return { auth, reports, rules, page };
  };
  const model = async (req: Request): Promise<TodayPageModel> => {
    const { reports, rules, page } = await frame(req);
    return { ...page, worklist: todayWorklist(reports, deps.now(), rules) };
  };
  /** A dong center's day: its own dong's cases only. */
  const dongModel = async (req: Request): Promise<DongTodayPageModel> => {
    const { auth, reports, rules, page } = await frame(req);
    const dongName = (auth.user.dongCode && deps.district.dongByCode(auth.user.dongCode)?.name) || '';
    return { ...page, dongName, worklist: dongWorklist(reports, deps.now(), rules) };
  };
  const isDong = (req: Request) => (req as AuthedRequest).auth.user.role === 'dong';

  // The page lists names: each load is an access record. Its refreshes (every few seconds) are
  // recorded when the cases shown change, not on every poll, so the records stay reviewable.
  const lastShown = new Map<string, string>();
  const record = async (req: Request, receiptNos: string[], refresh: boolean) => {
    const actor = (req as AuthedRequest).auth.actor.id;
    const shown = [...new Set(receiptNos)].sort();
    const key = shown.join(',');
    if (refresh && lastShown.get(actor) === key) return;
    if (lastShown.size > 5_000) lastShown.clear();
    lastShown.set(actor, key);
    await recordAccess(deps, req, { action: 'search', receiptNos: shown, scope: refresh ? 'today refresh' : 'today', detail: 'today' });
  };
  const shownOf = (lists: { report: { receiptNo: string } }[][]) => lists.flatMap((l) => l.slice(0, 100).map((x) => x.report.receiptNo));

  router.get('/console/today', async (req, res) => {
    if (isDong(req)) {
      const m = await dongModel(req);
      await record(req, shownOf(Object.values(m.worklist)), false);
      return void res.type('html').send(dongTodayPage(m));
    }
    const m = await model(req);
    const { immediateUnconsulted: _i, ...sections } = m.worklist;
    await record(req, shownOf(Object.values(sections)), false);
    res.type('html').send(todayPage(m));
  });

  router.get('/console/today.json', async (req, res) => {
    if (isDong(req)) {
      const m = await dongModel(req);
      const w = m.worklist;
      await record(req, shownOf(Object.values(w)), true);
      return res.json({ generatedAt: deps.now().toISOString(), counts: { late: w.late.length, visits: w.visits.length, followUps: w.followUps.length }, immediate: [], html: dongTodaySections(m).value });
    }
    const m = await model(req);
    const w = m.worklist;
    const { immediateUnconsulted: _i, ...sections } = w;
    await record(req, shownOf(Object.values(sections)), true);
    return res.json({
      generatedAt: deps.now().toISOString(),
      counts: { immediate: w.immediateUnconsulted.length, overdue: w.overdue.length, consult: w.consult.length, calls: w.calls.length, visits: w.visits.length, duplicates: w.duplicates.length },
      // receipt numbers only: the page names no one in a notification
      immediate: w.immediateUnconsulted.map((r) => r.receiptNo),
      html: todaySections(m).value,
    });
  });
}
