import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { summaryCsv, weeklyListCsv } from '../domain/weekly/csv';
import { buildDistrictSummary } from '../domain/weekly/district-summary';
import { parseWeek, weekOfDate, weekRangeKo } from '../domain/weekly/iso-week';
import { buildWeeklyList } from '../domain/weekly/weekly-list';
import { summaryXlsx, weeklyListXlsx } from '../sheets/weekly-xlsx';
import type { AuthedRequest } from './auth';
import type { ConsoleDeps } from './deps';
import { recordAccess } from './access-log';
import { html } from '../http/html';
import { layout } from './views/layout';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/**
 * A list is chosen by a date (the week holding it); `week` (an ISO week id) is still read for
 * links and scripts written before, never asked for.
 */
const query = z.object({
  date: z.string().max(20).optional(),
  week: z
    .string()
    .regex(/^\d{4}-W\d{2}$/)
    .optional(),
  dong: z.union([z.literal(''), z.string().regex(/^\d{10}$/)]).optional(),
  format: z.enum(['xlsx', 'csv']),
});

const BAD_DATE_KO = '날짜를 달력에서 골라 주세요 (예: 2026-12-01). 그 날짜가 든 주(월~일)의 명단을 내려받습니다.';
const BAD_FORMAT_KO = '형식은 엑셀(XLSX) 또는 CSV 중에서 골라 주세요.';

/**
 * Downloads of the weekly lists built by src/domain/weekly (the same files the dong centers
 * receive): a dong user gets only its own dong's list; staff any dong's, or the district summary.
 */
export function mountWeeklyRoutes(router: Router, deps: ConsoleDeps<'accessRecords' | 'reports'>): void {
  router.get('/console/summary', (_req, res) => res.redirect(303, '/console/weekly'));

  /** The page: a date picker (the week holding the date, shown as "11월 30일(월) ~ 12월 6일(일)"), the dong, the format. */
  const weeklyPage = (req: Request, opts: { date?: string; error?: string }) => {
    const { auth } = req as AuthedRequest;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(deps.now());
    const date = opts.date && weekOfDate(opts.date) ? opts.date : today;
    const week = weekOfDate(date)!;
    const own = auth.actor.role === 'dong' ? deps.district.dongByCode(auth.actor.dongCode) : undefined;
    const body = html`<p><a href="/console">← 목록</a></p><h1>주간 명단 내려받기</h1>
${opts.error ? html`<p class="alert form-error" role="alert">${opts.error}</p>` : ''}
<form method="get" action="/console/weekly/download" class="card grid">
  <div><label for="w-date">날짜 (그 날짜가 든 주)</label><input id="w-date" name="date" type="date" value="${date}" required>
  <p class="muted" id="w-range">선택한 주: <strong>${weekRangeKo(week)}</strong></p></div>
  <div><label for="w-dong">동</label><select id="w-dong" name="dong">
    ${own ? html`<option value="${own.code}">${own.name}</option>` : html`<option value="">구 전체 현황 (동별·기관별 집계)</option>${deps.district.dongs.map((d) => html`<option value="${d.code}">${d.name}</option>`)}`}
  </select></div>
  <div><label for="w-format">형식</label><select id="w-format" name="format"><option value="xlsx">엑셀 (XLSX)</option><option value="csv">CSV</option></select></div>
  <div class="actions"><button type="submit">내려받기</button></div>
</form>
<script src="/console/static/weekly.js" defer></script>`;
    return layout({ title: '주간 명단', user: auth.user, csrf: auth.csrfToken, body });
  };

  router.get('/console/weekly', (req, res) => {
    const date = typeof req.query.date === 'string' ? req.query.date : undefined;
    if (date !== undefined && !weekOfDate(date))
      return void res
        .status(400)
        .type('html')
        .send(weeklyPage(req, { error: BAD_DATE_KO }));
    res.type('html').send(weeklyPage(req, { date }));
  });

  router.get('/console/weekly/download', async (req: Request, res: Response) => {
    const { auth } = req as AuthedRequest;
    const parsed = query.safeParse(req.query);
    if (!parsed.success)
      return res
        .status(400)
        .type('html')
        .send(
          weeklyPage(req, {
            error: parsed.error.issues.some((i) => i.path[0] === 'format') ? BAD_FORMAT_KO : BAD_DATE_KO,
          }),
        );
    const week =
      parsed.data.date !== undefined
        ? weekOfDate(parsed.data.date)
        : parsed.data.week
          ? parseWeek(parsed.data.week)
          : undefined;
    if (!week)
      return res
        .status(400)
        .type('html')
        .send(weeklyPage(req, { error: BAD_DATE_KO }));
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
      await recordAccess(deps, req, {
        action: 'download',
        receiptNos,
        scope: `week=${week.id} dong=${dongCode}`,
        detail: format,
      });
      name = `${list.dong.name}_${week.id}_주간신고목록`;
      body = format === 'xlsx' ? await weeklyListXlsx(list) : weeklyListCsv(list);
    } else {
      const summary = await buildDistrictSummary(repoDeps, week);
      await recordAccess(deps, req, {
        action: 'download',
        scope: `week=${week.id} district-summary`,
        rowCount: summary.byDong.length + summary.byPartner.length,
        detail: format,
      });
      name = `${deps.district.name}_${week.id}_현황`;
      body = format === 'xlsx' ? await summaryXlsx(summary) : summaryCsv(summary);
    }
    res.set(
      'Content-Disposition',
      `attachment; filename="weekly.${format}"; filename*=UTF-8''${encodeURIComponent(`${name}.${format}`)}`,
    );
    return res.type(format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8').send(body);
  });
}
