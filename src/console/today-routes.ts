import type { Request, Response, Router } from 'express';
import { todayWorklist } from '../domain/casework/today';
import { scopeOf } from '../domain/workflow/apply-action';
import type { AuthedRequest } from './auth';
import type { ConsoleDeps } from './deps';
import { todayPage, todaySections, type TodayPageModel } from './views/today';

/**
 * The call center's day: GET /console/today (the staff landing page) and
 * GET /console/today.json, which the page polls to refresh itself and to notice new urgent
 * reports. Polling rather than server-sent events: FerretDB has no change streams, so a push
 * would still be a poll on the server, and a plain GET passes every proxy and instance.
 */
export function mountTodayRoutes(router: Router, deps: ConsoleDeps): void {
  const model = async (req: Request): Promise<TodayPageModel> => {
    const { auth } = req as AuthedRequest;
    const now = deps.now();
    const reports = await deps.repos.reports.openCasework(scopeOf(auth.actor, deps.district.id));
    const rules = { visitReportBusinessDays: deps.config.TODAY_VISIT_REPORT_BUSINESS_DAYS };
    return {
      user: auth.user,
      csrf: auth.csrfToken,
      district: deps.district,
      worklist: todayWorklist(reports, now, rules),
      pollSeconds: deps.config.TODAY_POLL_SECONDS,
      visitReportBusinessDays: rules.visitReportBusinessDays,
    };
  };
  const staffOnly = (req: Request, res: Response) => {
    if ((req as AuthedRequest).auth.user.role !== 'dong') return true;
    res.redirect(303, '/console');
    return false;
  };

  router.get('/console/today', async (req, res) => {
    if (!staffOnly(req, res)) return;
    res.type('html').send(todayPage(await model(req)));
  });

  router.get('/console/today.json', async (req, res) => {
    if ((req as AuthedRequest).auth.user.role === 'dong') return res.status(403).json({ error: 'forbidden' });
    const m = await model(req);
    const w = m.worklist;
    return res.json({
      generatedAt: deps.now().toISOString(),
      counts: { immediate: w.immediateUnconsulted.length, overdue: w.overdue.length, consult: w.consult.length, calls: w.calls.length, visits: w.visits.length, duplicates: w.duplicates.length },
      // receipt numbers only: the page names no one in a notification
      immediate: w.immediateUnconsulted.map((r) => r.receiptNo),
      html: todaySections(m).value,
    });
  });
}
