import type { Request, Router } from 'express';
import { z } from 'zod';
import { defaultCalendar, STEP_KINDS } from '../domain/casework/next-step';
import { todayWorklist, type TodayOwner } from '../domain/casework/today';
import { scopeOf } from '../domain/workflow/apply-action';
import { ALERT_WEEK } from '../delivery/weekly-delivery';
import { CALL_CENTER } from '../domain/alert-target/alert-targets';
import { recordAccess } from './access-log';
import { ON_CALL_OWNER } from '../delivery/urgent-route';
import { ackQueryNotice } from './urgent-ack-routes';
import type { AuthedRequest } from './auth';
import type { ConsoleDeps } from './deps';
import { staffNames } from './people';
import { todayPage, todaySections, type TodayPageModel } from './views/today';

const query = z.object({ step: z.enum(STEP_KINDS).optional().catch(undefined) });

/** Failed alert deliveries shown on the today page: those of the last two days not sent since. */
const FAILED_WINDOW_MS = 2 * 86_400_000;

/**
 * The day of the call center and of each dong center: GET /console/today (the landing page) and
 * GET /console/today.json, which the page polls to refresh itself and to notice new urgent
 * reports. Both read every open case's next step (domain/casework/next-step.ts): a case is on
 * the page whose owner its step names, from the time the step opens. Polling rather than
 * server-sent events: FerretDB has no change streams, so a push would still be a poll on the
 * server, and a plain GET passes every proxy and instance.
 */
export function mountTodayRoutes(
  router: Router,
  deps: ConsoleDeps<'accessRecords' | 'consoleUsers' | 'onCall' | 'reports' | 'weeklyDeliveries'>,
): void {
  const calendar = defaultCalendar(deps.config.TODAY_VISIT_REPORT_BUSINESS_DAYS);
  const model = async (req: Request): Promise<TodayPageModel> => {
    const { auth } = req as AuthedRequest;
    const now = deps.now();
    const actor = auth.actor;
    const owner: TodayOwner =
      actor.role === 'dong' ? { kind: 'dong', dongCode: actor.dongCode } : { kind: 'callcenter' };
    const reports = await deps.repos.reports.openCasework(scopeOf(actor, deps.district.id));
    const only = query.parse(req.query).step;
    const ownerKey = owner.kind === 'dong' ? owner.dongCode : CALL_CENTER;
    const recent = await deps.repos.weeklyDeliveries.recentOfWeek(
      deps.district.id,
      ALERT_WEEK,
      new Date(now.getTime() - FAILED_WINDOW_MS),
    );
    const failedAlerts = recent
      // the call center also sees the on-call route's failures (src/delivery/urgent-route.ts)
      .filter(
        (d) =>
          d.status === 'failed' &&
          (d.dongCode === ownerKey || (ownerKey === CALL_CENTER && d.dongCode === ON_CALL_OWNER)),
      )
      .map((d) => ({ receiptNo: d.run.split(':')[1] ?? '', target: d.target, error: d.lastError ?? '' }))
      .filter((f) => /^[A-Z0-9-]+$/i.test(f.receiptNo));
    return {
      user: auth.user,
      csrf: auth.csrfToken,
      district: deps.district,
      owner,
      dongName: (owner.kind === 'dong' && deps.district.dongByCode(owner.dongCode)?.name) || '',
      worklist: todayWorklist(reports, owner, now, calendar, only),
      only,
      pollSeconds: deps.config.TODAY_POLL_SECONDS,
      failedAlerts,
      names: staffNames(await deps.repos.consoleUsers.list()),
      // urgent alerts waiting for a 확인: the call center's (a handful, one small collection)
      urgentWaits: owner.kind === 'callcenter' ? await deps.repos.onCall.pending(deps.district.id) : [],
      notice: ackQueryNotice(req.query),
      now,
    };
  };

  // The page lists names: each load is an access record. Its refreshes (every few seconds) are
  // recorded when the cases shown change, not on every poll, so the records stay reviewable.
  const lastShown = new Map<string, string>();
  const record = async (req: Request, m: TodayPageModel, refresh: boolean) => {
    const actor = (req as AuthedRequest).auth.actor.id;
    const shown = [
      ...new Set([...m.worklist.urgent, ...m.worklist.rest].slice(0, 200).map((l) => l.report.receiptNo)),
    ].sort();
    const key = shown.join(',');
    if (refresh && lastShown.get(actor) === key) return;
    if (lastShown.size > 5_000) lastShown.clear();
    lastShown.set(actor, key);
    await recordAccess(deps, req, {
      action: 'search',
      receiptNos: shown,
      scope: refresh ? 'today refresh' : 'today',
      detail: 'today',
    });
  };

  router.get('/console/today', async (req, res) => {
    const m = await model(req);
    await record(req, m, false);
    res.type('html').send(todayPage(m));
  });

  router.get('/console/today.json', async (req, res) => {
    const m = await model(req);
    const w = m.worklist;
    await record(req, m, true);
    return res.json({
      generatedAt: deps.now().toISOString(),
      counts: { urgent: w.urgent.length, overdue: w.overdue, ...w.counts },
      // receipt numbers only: the page names no one in a notification; new urgent cases not yet consulted
      immediate:
        m.owner.kind === 'dong'
          ? []
          : w.urgent
              .filter((l) => l.step.kind === 'first_consult' || l.step.kind === 'check_duplicate')
              .map((l) => l.report.receiptNo),
      html: todaySections(m).value,
    });
  });
}
