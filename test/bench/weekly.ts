import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadDistrict } from '../../src/domain/district';
import { buildDistrictSummary } from '../../src/domain/weekly/district-summary';
import { parseWeek } from '../../src/domain/weekly/iso-week';
import { buildWeeklyList, buildWeeklyLists } from '../../src/domain/weekly/weekly-list';
import { weeklyListXlsx } from '../../src/domain/weekly/xlsx';
import { ensureIndexes, repositories } from '../../src/services';
import { connectDatabase } from '../../src/store/connect';
import { OPEN_STATUSES, REPORT_STATUSES } from '../../src/domain/report/status';
import { startTestServer } from '../support/database';

export interface WeeklyBenchResult {
  reports: number;
  insertMs: number;
  weekReports: number;
  listsMs: number;
  perDongMs: number;
  xlsxMs: number;
  summaryMs: number;
  plans: Record<string, unknown>;
}

const DAY = 86_400_000;

/**
 * 100,000 stored reports spread over a year and the district's dongs, then the time to build
 * every dong's weekly list (queries, then XLSX) and the district summary, with the query plans.
 * Uses TEST_MONGODB_URI when set, else a fresh FerretDB like the tests.
 */
export async function benchWeekly(opts: { reports?: number; batch?: number; week?: string; print?: (line: string) => void } = {}): Promise<WeeklyBenchResult> {
  const total = opts.reports ?? 100_000;
  const batch = opts.batch ?? 2_000;
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const week = parseWeek(opts.week ?? '2026-W47')!;
  const district = loadDistrict('seodaemun');
  const server = await startTestServer();
  // the service's own connection settings: the weekly queries must work within them
  const connection = await connectDatabase(server.uri, `sagak_bench_weekly_${process.pid}`);
  try {
    await connection.dropDatabase();
    const repos = repositories(connection);
    await ensureIndexes(repos);

    // a year of reports ending with the measured week; the older, the likelier closed
    const yearStart = week.end.getTime() - 364 * DAY;
    const t0 = performance.now();
    for (let done = 0; done < total; done += batch) {
      const docs = [];
      for (let i = done; i < Math.min(total, done + batch); i++) {
        const receivedAt = new Date(yearStart + ((i * 7919) % 364) * DAY + (i % 86_400) * 1000);
        const old = receivedAt < week.start;
        const dong = district.dongs[i % district.dongs.length]!;
        docs.push({
          district: district.id,
          receiptNo: `B${String(i).padStart(7, '0')}`,
          submissionId: randomUUID(),
          receivedAt,
          partner: { id: `p${i % 12}`, name: `협약기관 ${i % 12}`, kind: 'utility' },
          reporter: { channel: 'kakao', userId: `u${i % 500}` },
          address: { text: `서대문구 테스트로 ${i}`, dongCode: dong.code, dongName: dong.name, resolvedBy: 'dong-name' },
          signs: ['utility_arrears'],
          person: { name: `대상자${i}`, age: { kind: 'decade', value: 70 }, phone: '010-0000-0000' },
          situation: '벤치마크용 신고입니다.',
          urgency: 'normal',
          status: old && i % 10 !== 0 ? 'closed' : REPORT_STATUSES[i % (OPEN_STATUSES.length - 1)],
          assignedDongCode: i % 50 === 0 ? null : dong.code,
          consultation: i % 3 === 0 ? { at: receivedAt, by: 'staff', result: '상담', supportLinked: null } : null,
          visit: null,
          history: [{ at: receivedAt, by: 'bench', action: 'received', to: 'received' }],
        });
      }
      await repos.reports.model.collection.insertMany(docs, { ordered: false });
    }
    const insertMs = performance.now() - t0;
    print(`inserted ${total} reports in ${(insertMs / 1000).toFixed(1)} s`);

    const deps = { reports: repos.reports, district };
    const t1 = performance.now();
    const lists = [...(await buildWeeklyLists(deps, week)).values()];
    const listsMs = performance.now() - t1;
    const tp = performance.now();
    const one = await buildWeeklyList(deps, district.dongs[0]!.code, week);
    const perDongMs = performance.now() - tp;
    if (one.thisWeek.length !== lists[0]!.thisWeek.length) throw new Error('per-dong and district-wide lists differ');
    const t2 = performance.now();
    for (const list of lists) await weeklyListXlsx(list);
    const xlsxMs = performance.now() - t2;
    const weekReports = lists.reduce((n, l) => n + l.thisWeek.length, 0);
    const carried = lists.reduce((n, l) => n + l.carried.length, 0);
    print(`${district.dongs.length} weekly lists for ${week.id}: ${weekReports} reports this week, ${carried} carried open; queries ${listsMs.toFixed(0)} ms (2 district-wide queries), XLSX ${xlsxMs.toFixed(0)} ms`);
    print(`one dong's list by its own 2 queries: ${perDongMs.toFixed(0)} ms`);
    const t3 = performance.now();
    const summary = await buildDistrictSummary(deps, week);
    const summaryMs = performance.now() - t3;
    print(`district summary: ${summary.total.received} reports in ${summaryMs.toFixed(0)} ms`);

    const code = district.dongs[0]!.code;
    const plans = {
      weeklyList: await repos.reports.model.find({ district: district.id, assignedDongCode: code, receivedAt: { $gte: week.start, $lt: week.end } }).explain(),
      openBefore: await repos.reports.model.find({ district: district.id, assignedDongCode: code, status: { $in: OPEN_STATUSES }, receivedAt: { $lt: week.start } }).explain(),
      districtSummary: await repos.reports.model.find({ district: district.id, receivedAt: { $gte: week.start, $lt: week.end } }).explain(),
    };
    for (const [name, plan] of Object.entries(plans)) print(`plan ${name}: ${describePlan(plan)}`);
    return { reports: total, insertMs, weekReports, listsMs, perDongMs, xlsxMs, summaryMs, plans };
  } finally {
    await connection.dropDatabase().catch(() => {});
    await connection.close();
    await server.stop();
  }
}

/** MongoDB: the winning plan's stages and index; FerretDB: its SQL plan and whether the filter was pushed down. */
function describePlan(plan: unknown): string {
  const p = plan as { queryPlanner?: { winningPlan?: unknown; Plan?: unknown }; filterPushdown?: boolean };
  if (p.queryPlanner?.winningPlan) {
    const stages: string[] = [];
    const walk = (s: { stage?: string; indexName?: string; inputStage?: unknown; queryPlan?: unknown } | undefined): void => {
      if (!s) return;
      if (s.stage) stages.push(s.indexName ? `${s.stage}(${s.indexName})` : s.stage);
      walk((s.inputStage ?? s.queryPlan) as typeof s);
    };
    walk(p.queryPlanner.winningPlan as Parameters<typeof walk>[0]);
    return stages.join(' <- ');
  }
  return `${JSON.stringify(p.queryPlanner?.Plan ?? p.queryPlanner)} filterPushdown=${p.filterPushdown}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchWeekly().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(1);
    },
  );
}
