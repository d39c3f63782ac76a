import { cpus, loadavg, totalmem } from 'node:os';
import { demoCommands } from '../../src/cli/demo-commands';
import { loadDistrict } from '../../src/domain/district';
import { addWeeks, weekOf } from '../../src/domain/weekly/iso-week';
import { connectDatabase } from '../../src/store/connect';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, tokenOf } from '../support/console';
import { startTestServer } from '../support/database';
import { runBaseline, runChat, runSolo, startBaseline, type ChatRun, type SoloRun } from './chat';
import { runQueue, type QueueRow } from './queue';
import { memoryNow, mb, ms, type MemoryReading, type Summary } from './stats';
import { runWeekly, type WeeklyRun } from './weekly';
import { benchWebchatIntake } from './webchat-intake';
import { benchSlackIntake } from './slack-intake';
import { benchTelegramIntake } from './telegram-intake';
import { runAsService } from './service-process';
import { printBackupBench, runBackupBench } from './backup';
import { startJobs } from '../../src/jobs/start-jobs';
import { runLastNightsRetention } from './last-night';

import { consoleCookie } from '../support/console';
import { printRaceBench, raceStaff, type RaceBenchResult } from './racing-actions';
import { idleDatabaseCpu, runToday, startTodayPollers, type TodayTimes } from './service-jobs';
import { backupTaker } from '../../src/store/backup/take-backup';

/** One reporter's filings per point, the median reported: a filing is 15 turns of 5–40 ms each, so three tries let one hiccup decide. */
const SOLO_TRIES = 7;

/**
 * `npm run bench`: a benchmark, not a test. One run, one embedded FerretDB it starts itself (or
 * BENCH_MONGODB_URI), one service on a loopback port. Everything is measured at two points —
 * the empty district, then after `admin demo seed --reports BENCH_REPORTS` (default 100,000) —
 * and printed as markdown tables with the issue's targets.
 *
 * BENCH_REPORTS: demo reports for the second point (default 100000)
 * BENCH_CONCURRENCY: concurrent reporters, comma-separated (default "20,50"; the first is the target's)
 * BENCH_QUEUE_REQUESTS: requests per console queue filter (default 10)
 * BENCH_ARCHIVE_SEARCH=1: also a console text search over all statuses (reads the whole archive: slow on FerretDB)
 * BENCH_CHANNELS=1: also the web chat, Slack and Telegram intake benches (at 0 reports, before the rest)
 * BENCH_IMPORT_ROWS / BENCH_IMPORT_OPEN: the list import bench, at the end (default 20000 / 2000; 0 rows skips it)
 * BENCH_BACKUP_REPORTS: the backup/restore bench's stored reports, last (default BENCH_REPORTS; 0 skips it;
 *   alone: `BENCH_BACKUP_REPORTS=2000 npx tsx test/bench/backup.ts`)
 * BENCH_RACE=0 skips ten staff racing on one report through two instances (after the last point,
 *   on the same database; alone: `BENCH_RACE_REPORTS=100000 npx tsx test/bench/racing-actions.ts`).
 * BENCH_JOBS=off: only the jobs-off figures. By default each point is measured three times: jobs off
 *   (the service's request handling alone), then a fresh instance with its background jobs on at their
 *   default intervals (purge, archive sweep, retention, weekly and alert and news sweeps, lists refresh)
 *   and two today pages polling every 15 s — right after its start, and again in steady state
 *   (BENCH_STEADY_SECONDS later, default 120), with FerretDB's CPU over BENCH_IDLE_SECONDS (default 60)
 *   of no requests at all in between.
 */
const target = Number(process.env.BENCH_REPORTS ?? 100_000);
const levels = (process.env.BENCH_CONCURRENCY ?? '20,50').split(',').map(Number);
const queueRequests = Number(process.env.BENCH_QUEUE_REQUESTS ?? 10);
const jobsOn = process.env.BENCH_JOBS !== 'off';
const steadySeconds = Number(process.env.BENCH_STEADY_SECONDS ?? 120);
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);

interface Point {
  label: string;
  working: number;
  archive: number;
  baseline: Map<number, Summary>;
  chat: Map<number, ChatRun>;
  solo: SoloRun;
  queue: QueueRow[];
  weekly: WeeklyRun;
  /** The call center's and a dong's today page, refreshed in turn. */
  today: TodayTimes;
  memory: MemoryReading;
  peakRss: number;
  load: string;
}

const loadNow = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
const say = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const server = process.env.BENCH_MONGODB_URI ? undefined : await startTestServer({ ownServer: true });
  const uri = process.env.BENCH_MONGODB_URI ?? server!.uri;
  const conn = await connectDatabase(uri, `sagak_bench_${process.pid}`);
  const started = performance.now();
  const loadAtStart = loadNow();
  try {
    await conn.dropDatabase();
    if (process.env.BENCH_CHANNELS === '1') {
      await benchWebchatIntake(conn, levels[0]!);
      await benchSlackIntake(conn, levels[0]!);
      await benchTelegramIntake(conn, levels[0]!);
    }
    // The service's own settings (the Kakao reply budget included), over the same connection.
    const config = testConfig();
    const district = loadDistrict(config.DISTRICT);
    const app = await startTestApp(conn, { config });
    const baseline = await startBaseline(conn);
    try {
      await app.repos.dongCenters.seed(district.id, district.dongs, new Date());
      const partner = await app.repos.partners.create({ name: '벤치마크 기관', kind: 'other', now: new Date() });
      await addUser({ config, repos: app.repos }, 'bench-staff', 'staff');
      await addUser({ config, repos: app.repos }, 'bench-dong', 'dong', district.dongs[3]!.name);
      const tokens = {
        staff: await tokenOf(app.baseUrl, 'bench-staff'),
        dong: await tokenOf(app.baseUrl, 'bench-dong'),
      };
      const todayCookies = [
        await consoleCookie(app.baseUrl, 'bench-staff'),
        await consoleCookie(app.baseUrl, 'bench-dong'),
      ];
      // The week the weekly job sends on Monday: the last full week.
      const week = addWeeks(weekOf(new Date()), -1);
      // warm-up: filings at the first level and as many baseline calls, so neither side pays
      // first-use costs (JIT, connection pool, SQLite's page cache) in the first point's figures
      await runSolo(app, partner.inviteCode, 1, 'warmup');
      const warm = await runChat(app, partner.inviteCode, partner.id, levels[0]!, 'warmup');
      await runBaseline(baseline.url, levels[0]!);
      await runToday(app, todayCookies, 3);

      // Stored reports at each point: the seed's own count (counting the archive would scan it), plus the filings.
      const stored = { working: 0, archive: 0 };
      const filed = () => 1 + [...levelsFiled].reduce((a, b) => a + b, 0);
      const levelsFiled: number[] = [warm.stored];
      const measure = async (label: string, app: RunningApp): Promise<Point> => {
        say(`— measuring at ${label} (load ${loadNow()})`);
        const load = loadNow();
        // One reporter alone first: "just started" is then within seconds of the start, and no
        // point's filing meets the jobs' follow-up of the many filings measured next.
        const solo = await runSolo(app, partner.inviteCode, SOLO_TRIES, label.replace(/\W/g, ''));
        levelsFiled.push(SOLO_TRIES);
        say(`  one reporter alone: filing ${ms(solo.filing)}, 조회 ${ms(solo.lookup)}`);
        const base = new Map<number, Summary>();
        const chat = new Map<number, ChatRun>();
        for (const n of levels) {
          base.set(n, await runBaseline(baseline.url, n));
          chat.set(n, await runChat(app, partner.inviteCode, partner.id, n, label.replace(/\W/g, '')));
          levelsFiled.push(chat.get(n)!.stored);
          say(
            `  chat ${n} reporters: p50 ${ms(chat.get(n)!.turns.p50)}, p99 ${ms(chat.get(n)!.turns.p99)} (floor p99 ${ms(base.get(n)!.p99)})`,
          );
        }
        const queue = await runQueue(app, district, tokens, {
          requests: queueRequests,
          archiveSearch: process.env.BENCH_ARCHIVE_SEARCH === '1',
        });
        say(`  open queue p50 ${ms(queue[0]!.p50)}`);
        const weekly = await runWeekly(app.repos.reports, district, week);
        say(`  weekly: one dong ${ms(weekly.oneDong)}, all dongs ${ms(weekly.allDongs)}`);
        const today = await runToday(app, todayCookies, 10);
        say(`  today pages: p50 ${ms(today.p50)}, p99 ${ms(today.p99)}`);
        return {
          label,
          working: stored.working + filed(),
          archive: stored.archive,
          baseline: base,
          chat,
          solo,
          queue,
          weekly,
          today,
          memory: memoryNow(),
          peakRss: Math.max(...[...chat.values()].map((c) => c.peakRss)),
          load: `${load} → ${loadNow()}`,
        };
      };

      // A fresh instance over the same database (a restart) with every background job on.
      const withJobs = async (label: string): Promise<JobsOn> => {
        const instance = await startTestApp(conn, { config });
        const jobs = startJobs({
          config,
          takeBackup: backupTaker(conn),
          repos: instance.repos,
          district: instance.district,
          health: instance.health,
        });
        try {
          let pollers = startTodayPollers(instance, todayCookies);
          const start = await measure(`${label}, jobs on, just started`, instance);
          const startPolls = await pollers.stop();
          say(`  waiting ${steadySeconds} s for the start-up work, then ${idleSeconds} s without requests`);
          await new Promise((r) => setTimeout(r, steadySeconds * 1000));
          const idleCpu = await idleDatabaseCpu(idleSeconds * 1000);
          say(`  FerretDB CPU while idle: ${idleCpu === null ? '–' : `${idleCpu.toFixed(1)} core-s/min`}`);
          pollers = startTodayPollers(instance, todayCookies);
          const steady = await measure(`${label}, jobs on, steady`, instance);
          return { start, steady, idleCpu, polls: { start: startPolls, steady: await pollers.stop() } };
        } finally {
          await jobs.stop();
          await instance.close();
        }
      };

      const empty = await measure('0 reports', app);
      // a point whose jobs-on run fails (the database timing out) is printed with its error, not lost
      const tryJobs = (label: string) =>
        withJobs(label).catch((err: Error) => ({ error: `${err.name}: ${err.message}`.slice(0, 300) }));
      const emptyJobs = jobsOn ? await tryJobs('0 reports') : undefined;
      say(`— seeding ${target.toLocaleString('en')} demo reports (npm run admin -- demo seed)`);
      const t = performance.now();
      let retentionSeconds = Number.NaN;
      const seeded = await demoCommands.run(['seed', '--reports', String(target), '--seed', '8'], {
        config,
        repos: app.repos,
      });
      const seedSeconds = (performance.now() - t) / 1000;
      say(seeded.text);
      const result = seeded.json as { hot: number; archive: number };
      Object.assign(stored, { working: result.hot, archive: result.archive });
      retentionSeconds = await runLastNightsRetention(config, app.repos);
      say(`  the nightly retention pass at this point: ${retentionSeconds.toFixed(1)} s`);
      const full = await measure(`${target.toLocaleString('en')} reports`, app);
      const fullJobs = jobsOn ? await tryJobs(`${target.toLocaleString('en')} reports`) : undefined;
      // ten staff on one report through two instances, on this same database (issue 28, item 4)
      let race: RaceBenchResult | undefined;
      if (process.env.BENCH_RACE !== '0')
        race = await raceStaff({ uri, dbName: `sagak_bench_${process.pid}`, reports: target });
      print([empty, full], { seedSeconds, loadAtStart, minutes: (performance.now() - started) / 60_000 });
      if (emptyJobs && fullJobs) printJobsOn([empty, full], [emptyJobs, fullJobs], retentionSeconds);
      if (race) printRaceBench(race);
    } finally {
      baseline.close();
      await app.close();
    }
  } finally {
    await conn.dropDatabase().catch(() => {});
    await conn.close();
    await server?.remove();
  }
  // A 20,000-row XLSX previewed and committed, chat turns timed meanwhile (its own database server,
  // and its own process with the service's heap cap: its peak RSS is the service's, not the bench's)
  const importRows = Number(process.env.BENCH_IMPORT_ROWS ?? 20_000);
  if (importRows > 0)
    await runAsService('test/bench/import.ts', {
      BENCH_IMPORT_ROWS: String(importRows),
      BENCH_IMPORT_OPEN: process.env.BENCH_IMPORT_OPEN ?? '2000',
    });
  // `admin backup` of the district at BENCH_BACKUP_REPORTS reports and its restore on another server
  const backupReports = Number(process.env.BENCH_BACKUP_REPORTS ?? target);
  if (backupReports > 0) printBackupBench(await runBackupBench({ reports: backupReports }));
}

interface JobsOn {
  start: Point;
  steady: Point;
  /** FerretDB's core-seconds per minute with no requests, in steady state (null: external database). */
  idleCpu: number | null;
  /** The today pages' own refreshes while each phase ran. */
  polls: { start: TodayTimes; steady: TodayTimes };
}

const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

/** The jobs-on figures beside the jobs-off ones, and issue 28's targets. */
function printJobsOn(
  off: [Point, Point],
  results: [JobsOn | { error: string }, JobsOn | { error: string }],
  retentionSeconds: number,
): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out();
  out(
    `The nightly retention pass (RETENTION_CRON) at ${off[1].label}: ${retentionSeconds.toFixed(1)} s, run before the jobs-on instance starts.`,
  );
  const failed = results
    .map((r, i) => ('error' in r ? `| ${off[i]!.label} | jobs-on run failed: ${r.error} |` : null))
    .filter((x) => x !== null);
  if (failed.length) {
    out();
    out('| point | |');
    out('|---|---|');
    for (const f of failed) out(f!);
  }
  if ('error' in results[0] || 'error' in results[1]) return;
  const on = results as [JobsOn, JobsOn];
  const [first, last] = [levels[0]!, levels[levels.length - 1]!];
  const openQueue = (p: Point) => Math.max(...p.queue.filter((q) => q.openQueue).map((q) => q.p50));
  out();
  out('## The service as it runs: background jobs on (default intervals) beside jobs off');
  out(
    'Jobs on: a fresh instance over the same database with every background job started as `main.ts` starts them, and two today pages refreshing every 15 s; "just started" is measured from its start, "steady" after the start-up work settled.',
  );
  out();
  out(
    `| point | jobs | turns/s (${first}) | chat p50 / p99 (${first}) | chat p99 (${last}) / floor p99 | filing alone | open queue p50 | today page p50 / p99 | one dong's weekly list | peak RSS | FerretDB RSS |`,
  );
  out('|---|---|---|---|---|---|---|---|---|---|---|');
  const row = (p: Point, jobs: string) => {
    const c = p.chat.get(first)!;
    out(
      `| ${p.label.split(', jobs')[0]} | ${jobs} | ${c.turns.perSecond.toFixed(1)} | ${ms(c.turns.p50)} / ${ms(c.turns.p99)} | ${ms(p.chat.get(last)!.turns.p99)} / ${ms(p.baseline.get(last)!.p99)} | ${ms(p.solo.filing)} | ${ms(openQueue(p))} | ${ms(p.today.p50)} / ${ms(p.today.p99)} | ${ms(p.weekly.oneDong)} | ${mb(p.peakRss)} | ${mb(p.memory.databaseRss)} |`,
    );
  };
  off.forEach((p, i) => {
    row(p, 'off');
    row(on[i]!.start, 'on, just started');
    row(on[i]!.steady, 'on, steady');
  });
  out();
  out(
    "| point | FerretDB CPU with no requests, steady (core-s per minute) | today pages' own refreshes: just started p50 / p99 | steady p50 / p99 |",
  );
  out('|---|---|---|---|');
  off.forEach((p, i) => {
    const j = on[i]!;
    out(
      `| ${p.label} | ${j.idleCpu === null ? '–' : `${j.idleCpu.toFixed(1)} (${((j.idleCpu / 60) * 100).toFixed(0)}% of a core)`} | ${ms(j.polls.start.p50)} / ${ms(j.polls.start.p99)} (${j.polls.start.count}) | ${ms(j.polls.steady.p50)} / ${ms(j.polls.steady.p99)} (${j.polls.steady.count}) |`,
    );
  });
  const [emptyOff] = off;
  const [empty, full] = on;
  const targets: [string, string, boolean][] = [];
  // "its empty-database time": the service as it runs on an empty district in the same phase (the
  // issue's own comparison: `npm start` on an empty database and at 100,000), beside the
  // jobs-off figure at 0 reports
  for (const [phase, p, e] of [
    ['steady', full.steady, empty.steady],
    ['just started', full.start, empty.start],
  ] as const) {
    const f = p.solo.filing / e.solo.filing;
    targets.push([
      `a filing ≤ 1.5 × its empty-database time (${phase})`,
      `${ms(p.solo.filing)} vs ${ms(e.solo.filing)} (×${f.toFixed(2)}; vs ${ms(emptyOff.solo.filing)} with jobs off: ×${(p.solo.filing / emptyOff.solo.filing).toFixed(2)})`,
      f <= 1.5,
    ]);
  }
  const s = full.steady;
  targets.push([
    `chat p99 ≤ 1 s with ${first} reporters`,
    ms(s.chat.get(first)!.turns.p99),
    s.chat.get(first)!.turns.p99 <= 1000,
  ]);
  const floor = s.baseline.get(last)!.p99;
  targets.push([
    `chat p99 with ${last} reporters ≤ 2 × the floor's p99 (${ms(floor)})`,
    `${ms(s.chat.get(last)!.turns.p99)} (×${(s.chat.get(last)!.turns.p99 / floor).toFixed(2)})`,
    s.chat.get(last)!.turns.p99 <= 2 * floor,
  ]);
  if (full.idleCpu !== null)
    targets.push([
      'idle FerretDB CPU ≤ 5% of a core (3 core-s/min)',
      `${full.idleCpu.toFixed(1)} core-s/min`,
      full.idleCpu <= 3,
    ]);
  targets.push(['open queue p50 ≤ 300 ms', ms(openQueue(s)), openQueue(s) <= 300]);
  targets.push(['today page ≤ 500 ms (p50)', ms(s.today.p50), s.today.p50 <= 500]);
  targets.push(["one dong's weekly list ≤ 3 s", ms(s.weekly.oneDong), s.weekly.oneDong <= 3000]);
  out();
  out(`## Targets with jobs on at ${full.steady.label.split(', jobs')[0]} (issue 28)`);
  out('| target | measured | |');
  out('|---|---|---|');
  for (const [name, value, ok] of targets) out(`| ${name} | ${value} | ${verdict(ok)} |`);
}

function print(points: Point[], run: { seedSeconds: number; loadAtStart: string; minutes: number }): void {
  const [empty, full] = points as [Point, Point];
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(`# Sagak benchmarks — ${new Date().toISOString()}`);
  out();
  out(
    `Node ${process.version}, ${process.env.BENCH_MONGODB_URI ? 'external MongoDB' : 'embedded FerretDB 1.24.2 (SQLite)'}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${mb(totalmem())} memory.`,
  );
  out(
    `Client, service and database on this machine. Load average (1 / 5 / 15 min) at start ${run.loadAtStart}, at end ${loadNow()}.`,
  );
  out(
    `Demo seed of ${target.toLocaleString('en')} reports: ${run.seedSeconds.toFixed(0)} s. Whole run: ${run.minutes.toFixed(1)} min.`,
  );
  out();
  out('## Stored reports and memory at each point');
  out(
    '| point | working set (`reports`) | archive | load avg during | bench process peak RSS | RSS / heap after | FerretDB RSS after |',
  );
  out('|---|---|---|---|---|---|---|');
  for (const p of points)
    out(
      `| ${p.label} | ${p.working} | ${p.archive} | ${p.load} | ${mb(p.peakRss)} | ${mb(p.memory.rss)} / ${mb(p.memory.heapUsed)} | ${mb(p.memory.databaseRss)} |`,
    );
  out();
  out('## Chat: full Kakao filings (14 turns each) through POST /kakao/skill, concurrently');
  out(
    'The floor is a bare Express endpoint doing one read and one write on the same database, with as many requests at the same concurrency, in the same run.',
  );
  out();
  out(
    '| point | reporters | path | turns | turns/s | p50 | p95 | p99 | filing p50 (max) | "try again" answers | filings with a receipt / stored |',
  );
  out('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const p of points) {
    for (const n of levels) {
      const b = p.baseline.get(n)!;
      const c = p.chat.get(n)!;
      out(
        `| ${p.label} | ${n} | floor: 1 read + 1 write | ${b.count} | ${b.perSecond.toFixed(0)} | ${ms(b.p50)} | ${ms(b.p95)} | ${ms(b.p99)} | | | |`,
      );
      out(
        `| ${p.label} | ${n} | /kakao/skill | ${c.turns.count} | ${c.turns.perSecond.toFixed(1)} | ${ms(c.turns.p50)} | ${ms(c.turns.p95)} | ${ms(c.turns.p99)} | ${ms(c.filingP50)} (${ms(c.filingMax)}) | ${c.tryAgains} | ${c.reporters - c.astray} of ${c.reporters} / ${c.stored} |`,
      );
    }
  }
  out();
  out('| point | one reporter alone: full filing | 조회 |');
  out('|---|---|---|');
  for (const p of points) out(`| ${p.label} | ${ms(p.solo.filing)} | ${ms(p.solo.lookup)} |`);
  out();
  out('## Console: GET /api/reports over HTTP, signed in');
  out(`| filter | ${points.map((p) => `${p.label}: p50 / p99`).join(' | ')} | matching at ${full.label} |`);
  out(`|---|${points.map(() => '---|').join('')}---|`);
  empty.queue.forEach((row, i) => {
    const cells = points.map(
      (p) =>
        `${ms(p.queue[i]!.p50)} / ${ms(p.queue[i]!.p99)}${p.queue[i]!.failed ? ` (${p.queue[i]!.failed} failed)` : ''}`,
    );
    out(`| ${row.name} (${row.requests} requests) | ${cells.join(' | ')} | ${full.queue[i]!.total} |`);
  });
  out();
  out(`## Weekly lists for ${full.weekly.week} (queries + XLSX)`);
  out('| point | one dong (median of 3) | its rows | all dongs | rows (dongs with reports this week) |');
  out('|---|---|---|---|---|');
  for (const p of points)
    out(
      `| ${p.label} | ${ms(p.weekly.oneDong)} | ${p.weekly.oneDongRows} | ${ms(p.weekly.allDongs)} | ${p.weekly.allRows} (${p.weekly.dongsWithRows}) |`,
    );
  out();
  const [first, last] = [levels[0]!, levels[levels.length - 1]!];
  const chatFirst = full.chat.get(first)!.turns.p99;
  const chatLast = full.chat.get(last)!.turns.p99;
  const floorLast = full.baseline.get(last)!.p99;
  const openQueueP50 = Math.max(...full.queue.filter((q) => q.openQueue).map((q) => q.p50));
  const targets: [string, string, boolean][] = [
    [`chat turn p99 ≤ 1 s with ${first} reporters`, ms(chatFirst), chatFirst <= 1000],
    [
      `chat turn p99 with ${last} reporters ≤ 2 × the floor's p99 (${ms(floorLast)})`,
      `${ms(chatLast)} (×${(chatLast / floorLast).toFixed(2)})`,
      chatLast <= 2 * floorLast,
    ],
    [
      'a full filing (one reporter alone) ≤ 1.5 × its time at 0 reports',
      `${ms(full.solo.filing)} vs ${ms(empty.solo.filing)} (×${(full.solo.filing / empty.solo.filing).toFixed(2)})`,
      full.solo.filing <= 1.5 * empty.solo.filing,
    ],
    [
      `a full filing with ${first} reporters (p50) ≤ 1.5 × its time at 0 reports`,
      `${ms(full.chat.get(first)!.filingP50)} vs ${ms(empty.chat.get(first)!.filingP50)} (×${(full.chat.get(first)!.filingP50 / empty.chat.get(first)!.filingP50).toFixed(2)})`,
      full.chat.get(first)!.filingP50 <= 1.5 * empty.chat.get(first)!.filingP50,
    ],
    ['console open queue p50 ≤ 500 ms (slowest open-queue filter)', ms(openQueueP50), openQueueP50 <= 500],
    ["one dong's weekly list ≤ 5 s", ms(full.weekly.oneDong), full.weekly.oneDong <= 5000],
    ["all dongs' weekly lists ≤ 60 s", ms(full.weekly.allDongs), full.weekly.allDongs <= 60_000],
  ];
  out(`## Targets at ${full.label}`);
  out('| target | measured | |');
  out('|---|---|---|');
  for (const [name, value, ok] of targets) out(`| ${name} | ${value} | ${verdict(ok)} |`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
