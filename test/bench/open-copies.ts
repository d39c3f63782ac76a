import { loadDistrict } from '../../src/domain/district';
import type { Report } from '../../src/domain/report/report';
import type { ReportScope } from '../../src/domain/report/scope';
import { OPEN_STATUSES } from '../../src/domain/report/status';
import { demoRandom, demoReport, demoSlots, type DemoRecent } from '../../src/demo/demo-reports';
import { reportRepository } from '../../src/store/report/report';
import { startTestApp, testConfig } from '../support/app';
import { addUser, tokenOf } from '../support/console';
import { stopSharedServer, testDatabase } from '../support/database';
import { percentile } from './stats';

/**
 * The reads of the open copies (src/store/report/open-copies.ts) at a district's realistic number
 * of open cases: the open reports of a 100,000-report demo district (`REPORTS`, default 100,000),
 * stored alone (the open copies are all these reads touch). Times the repository calls behind the
 * open queue, its counts, the today page and the alert sweep, `ROUNDS` times each, and the same
 * queue read right after a change (what a reader pays when another instance just wrote), and the
 * console's open queue over HTTP.
 *
 *   nice -n 10 npx tsx test/bench/open-copies.ts
 */
async function main(): Promise<void> {
  const reports = Number(process.env.REPORTS ?? 100_000);
  const rounds = Number(process.env.ROUNDS ?? 30);
  const district = loadDistrict('seodaemun');
  const now = new Date();
  const rnd = demoRandom(28);
  const ctx = {
    district,
    partners: [{ id: 'p-bench', name: '벤치 협력기관', kind: 'utility' }],
    now,
    recent: [] as DemoRecent,
  };
  const open = demoSlots(reports, district, now, rnd)
    .map((slot, i) => demoReport(ctx, slot, `${slot.receivedAt.getFullYear()}-${String(i + 1).padStart(6, '0')}`, rnd))
    .filter((r) => OPEN_STATUSES.includes(r.status));

  const db = await testDatabase('bench_open_copies');
  const repo = reportRepository(db.connection);
  await repo.ensureIndexes();
  for (let i = 0; i < open.length; i += 500) await repo.insertMany(open.slice(i, i + 500), 'hot');

  const staff: ReportScope = { kind: 'district', district: district.id };
  const dong: ReportScope = { kind: 'dong', district: district.id, dongCode: district.dongs[5]!.code };
  const filter = { statuses: [...OPEN_STATUSES] };
  const page = { skip: 0, limit: 50 };
  const since = new Date(now.getTime() - 10 * 60_000);
  const cases: [string, () => Promise<unknown>][] = [
    ['open queue, page 1 (search)', () => repo.search(staff, filter, page)],
    ['dong queue (search)', () => repo.search(dong, filter, page)],
    ['open count', () => repo.count(staff, filter)],
    ['today page (openCasework)', () => repo.openCasework(staff)],
    ['alert sweep (alertable)', () => repo.alertable(district.id, since)],
  ];
  const line = (name: string, times: number[]) => {
    times.sort((a, b) => a - b);
    console.log(
      `${name.padEnd(44)} p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms   p99 ${percentile(times, 99).toFixed(1).padStart(7)} ms`,
    );
  };
  console.log(
    `${open.length} open copies (the open reports of ${reports.toLocaleString('en')} demo reports), ${rounds} rounds`,
  );
  await repo.search(staff, filter, page); // warm-up
  for (const [name, run] of cases) {
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    line(name, times);
  }
  // After a change (a staff action's copy write): the next read reloads the district's copies.
  const times: number[] = [];
  let target = (await repo.current((await repo.search(staff, filter, page)).items[0]!.id))!;
  for (let i = 0; i < Math.min(rounds, 10); i++) {
    const next = { ...target, situation: `${target.situation} ${i}` } as Report;
    await repo.change(target, next);
    target = (await repo.current(target.id))!;
    const t = performance.now();
    await repo.search(staff, filter, page);
    times.push(performance.now() - t);
  }
  line('open queue right after a change', times);

  // The console's open queue over HTTP, signed in as staff (what the p50 target measures).
  const config = testConfig();
  const app = await startTestApp(db.connection, { config });
  await addUser({ config, repos: app.repos }, 'bench-open-copies', 'staff');
  const token = await tokenOf(app.baseUrl, 'bench-open-copies');
  const http: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    const res = await fetch(`${app.baseUrl}/api/reports`, { headers: { authorization: `Bearer ${token}` } });
    await res.json();
    if (res.status !== 200) throw new Error(`GET /api/reports: HTTP ${res.status}`);
    http.push(performance.now() - t);
  }
  line('GET /api/reports (staff open queue, HTTP)', http);
  await app.close();
  await db.drop();
  await stopSharedServer();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
