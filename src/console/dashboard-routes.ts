import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { countPeriod } from '../domain/counts/count-period';
import { countsXlsx } from '../sheets/counts-xlsx';
import { periodOf, PERIOD_ERRORS_KO, recentWeeks, type Period } from '../domain/counts/period';
import { heardBack } from '../domain/reporter-news/heard-back';
import { seoulDate, seoulParts } from '../domain/time';
import type { AuthedRequest } from './auth';
import { dashboardCharts } from './charts/dashboard-charts';
import type { ConsoleDeps } from './deps';
import { dashboardPage } from './views/dashboard';
import { sendForbidden } from './forbidden';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const periodQuery = z.object({ from: z.string().max(10).optional(), to: z.string().max(10).optional() });

/** The period asked for in ?from=&to= (Seoul dates), else the last eight weeks. */
export function requestedPeriod(query: unknown, now: Date): Period | { error: string } {
  const q = periodQuery.safeParse(query);
  if (!q.success) return { error: PERIOD_ERRORS_KO.bad_date };
  if (!q.data.from && !q.data.to) return recentWeeks(now, 8);
  const p = periodOf(q.data.from ?? '', q.data.to ?? '');
  return 'error' in p ? { error: PERIOD_ERRORS_KO[p.error] } : p;
}

function presets(now: Date) {
  const { year, month } = seoulParts(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
  const [py, pm] = month === 1 ? [year - 1, 12] : [year, month - 1];
  const recent = recentWeeks(now, 8);
  return [
    { label: '최근 8주', from: recent.from, to: recent.to },
    { label: '이번 달', from: `${year}-${pad(month)}-01`, to: seoulDate(now) },
    { label: '지난 달', from: `${py}-${pad(pm)}-01`, to: `${py}-${pad(pm)}-${pad(lastDay(py, pm))}` },
    { label: '올해', from: `${year}-01-01`, to: seoulDate(now) },
  ];
}

/**
 * The dashboard (/console/dashboard) and its XLSX, for the call center and admins: the counts
 * module's numbers for any period. A dong center sees its own lists, not the district's numbers.
 */
export function mountDashboardRoutes(router: Router, deps: ConsoleDeps<'reports' | 'reporterNews'>): void {
  const source = { reports: deps.repos.reports, district: deps.district };
  const refuseDong = (req: Request, res: Response): boolean => {
    const { auth } = req as AuthedRequest;
    if (auth.actor.role !== 'dong') return false;
    sendForbidden(req, res, '구 전체 현황은 콜센터와 관리자만 볼 수 있습니다.');
    return true;
  };

  router.get('/console/dashboard', async (req, res) => {
    if (refuseDong(req, res)) return;
    const { auth } = req as AuthedRequest;
    const now = deps.now();
    const asked = requestedPeriod(req.query, now);
    const period = 'error' in asked ? recentWeeks(now, 8) : asked;
    const counts = await countPeriod(source, period, now);
    const heard = heardBack(
      await deps.repos.reporterNews.ofReceivedBetween(deps.district.id, period.start, period.end),
    );
    const page = dashboardPage({
      user: auth.user,
      csrf: auth.csrfToken,
      counts,
      heard,
      charts: dashboardCharts(counts),
      presets: presets(now),
      error: 'error' in asked ? asked.error : undefined,
    });
    res
      .status('error' in asked ? 400 : 200)
      .type('html')
      .send(page);
  });

  router.get('/console/dashboard/export.xlsx', async (req, res) => {
    if (refuseDong(req, res)) return;
    const period = requestedPeriod(req.query, deps.now());
    if ('error' in period) return res.status(400).type('text').send(period.error);
    const counts = await countPeriod(source, period, deps.now());
    const name = `${deps.district.name}_현황_${period.from}_${period.to}.xlsx`;
    res.set('Content-Disposition', `attachment; filename="counts.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`);
    return res.type(XLSX_TYPE).send(await countsXlsx(counts));
  });
}
