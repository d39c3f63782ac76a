import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { summaryCsv, weeklyListCsv } from '../domain/weekly/csv';
import { buildDistrictSummary } from '../domain/weekly/district-summary';
import { parseWeek, weekOf } from '../domain/weekly/iso-week';
import { buildWeeklyList } from '../domain/weekly/weekly-list';
import { summaryXlsx, weeklyListXlsx } from '../domain/weekly/xlsx';
import type { AuthedRequest } from './auth';
import type { ConsoleDeps } from './deps';
import { recordAccess } from './access-log';
import { html } from './html';
import { layout } from './views/layout';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const query = z.object({
  week: z.string().regex(/^\d{4}-W\d{2}$/),
  dong: z.union([z.literal(''), z.string().regex(/^\d{10}$/)]).optional(),
  format: z.enum(['xlsx', 'csv']),
});

/**
 * Downloads of the weekly lists built by src/domain/weekly (the same files the dong centers
 * receive): a dong user gets only its own dong's list; staff any dong's, or the district summary.
 */
export function mountWeeklyRoutes(router: Router, deps: ConsoleDeps<'accessRecords' | 'reports'>): void {
  router.get('/console/summary', (_req, res) => res.redirect(303, '/console/weekly'));

  router.get('/console/weekly', (req, res) => {
    const { auth } = req as AuthedRequest;
    const week = weekOf(deps.now()).id;
    const own = auth.actor.role === 'dong' ? deps.district.dongByCode(auth.actor.dongCode) : undefined;
    const body = html`<p><a href="/console">← 목록</a></p><h1>주간 명단 내려받기</h1>
<form method="get" action="/console/weekly/download" class="card grid">
  <div><label for="w-week">주 (ISO 주차)</label><input id="w-week" name="week" value="${week}" pattern="\\d{4}-W\\d{2}" required></div>
  <div><label for="w-dong">동</label><select id="w-dong" name="dong">
    ${own ? html`<option value="${own.code}">${own.name}</option>` : html`<option value="">구 전체 현황 (동별·기관별 집계)</option>${deps.district.dongs.map((d) => html`<option value="${d.code}">${d.name}</option>`)}`}
  </select></div>
  <div><label for="w-format">형식</label><select id="w-format" name="format"><option value="xlsx">엑셀 (XLSX)</option><option value="csv">CSV</option></select></div>
  <div class="actions"><button type="submit">내려받기</button></div>
</form>`;
    res.type('html').send(layout({ title: '주간 명단', user: auth.user, csrf: auth.csrfToken, body }));
  });

  router.get('/console/weekly/download', async (req: Request, res: Response) => {
    const { auth } = req as AuthedRequest;
    const parsed = query.safeParse(req.query);
    const week = parsed.success ? parseWeek(parsed.data.week) : undefined;
    if (!parsed.success || !week) return res.status(400).type('text').send('week (YYYY-Www), dong and format (xlsx|csv) are required');
    const { format } = parsed.data;
    let dongCode = parsed.data.dong || undefined;
    if (auth.actor.role === 'dong') {
      if (dongCode && dongCode !== auth.actor.dongCode) return res.status(404).type('text').send('not found');
      dongCode = auth.actor.dongCode;
    }
    const repoDeps = { reports: deps.repos.reports, district: deps.district };
    let name: string;
    let body: Buffer | string;
    if (dongCode) {
      if (!deps.district.dongByCode(dongCode)) return res.status(400).type('text').send('unknown dong');
      const list = await buildWeeklyList(repoDeps, dongCode, week);
      const receiptNos = [...list.thisWeek, ...list.carried].map((r) => r.receiptNo);
      await recordAccess(deps, req, { action: 'download', receiptNos, scope: `week=${week.id} dong=${dongCode}`, detail: format });
      name = `${list.dong.name}_${week.id}_주간신고목록`;
      body = format === 'xlsx' ? await weeklyListXlsx(list) : weeklyListCsv(list);
    } else {
      const summary = await buildDistrictSummary(repoDeps, week);
      await recordAccess(deps, req, { action: 'download', scope: `week=${week.id} district-summary`, rowCount: summary.byDong.length + summary.byPartner.length, detail: format });
      name = `${deps.district.name}_${week.id}_현황`;
      body = format === 'xlsx' ? await summaryXlsx(summary) : summaryCsv(summary);
    }
    res.set('Content-Disposition', `attachment; filename="weekly.${format}"; filename*=UTF-8''${encodeURIComponent(`${name}.${format}`)}`);
    return res.type(format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8').send(body);
  });
}
