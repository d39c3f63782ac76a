import { pathToFileURL } from 'node:url';
import { demoCommands } from '../../src/cli/demo-commands';
import { startJobs } from '../../src/jobs/start-jobs';
import { connectDatabase } from '../../src/store/connect';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, file, tokenOf } from '../support/console';
import { startTestServer } from '../support/database';
import { ms } from './stats';
import { runLastNightsRetention } from './last-night';
import { backupTaker } from '../../src/store/backup/take-backup';

/**
 * Staff racing on one report (issue 28, item 4): `staff` console users post a 1차 상담 on the same
 * report at the same moment, alternating between two service instances on one database, at
 * BENCH_RACE_REPORTS stored demo reports (default 100,000), with the instances' background jobs
 * off and then on. Every action must be answered 200 and be in the report's history once.
 *
 * Alone: `BENCH_RACE_REPORTS=100000 npx tsx test/bench/racing-actions.ts`.
 */
/** Jobs off; on, within a minute of their start; on, after their start-up passes settled. */
export type RaceJobs = 'off' | 'on, just started' | 'on, steady';

export interface RaceRound {
  jobs: RaceJobs;
  round: number;
  totalMs: number;
  slowestMs: number;
  ok: number;
  inHistory: number;
}

export interface RaceBenchResult {
  reports: number;
  staff: number;
  rounds: RaceRound[];
}

/**
 * Two instances over one database (their own connections), `staff` signed-in staff, `rounds`
 * races with jobs off, then on right after their start, then on once their start-up passes settled.
 */
export async function raceStaff(opts: {
  uri: string;
  dbName: string;
  reports: number;
  staff?: number;
  rounds?: number;
  /**
   * Seconds between the jobs' start and the steady rounds (BENCH_RACE_SETTLE_SECONDS, default 90):
   * the start-up passes that read whole collections wait 60 s (JOBS_WHOLE_READS_AFTER_SECONDS) and
   * then take seconds at 100,000 reports, so a steady round at 60 s met them (one took 3.9 s).
   */
  settleSeconds?: number;
}): Promise<RaceBenchResult> {
  const settleMs = 1000 * (opts.settleSeconds ?? Number(process.env.BENCH_RACE_SETTLE_SECONDS ?? 90));
  const staff = opts.staff ?? 10;
  const roundsEach = opts.rounds ?? 3;
  const conns = [await connectDatabase(opts.uri, opts.dbName), await connectDatabase(opts.uri, opts.dbName)];
  const config = testConfig();
  const apps: RunningApp[] = [];
  try {
    for (const c of conns) apps.push(await startTestApp(c, { config }));
    const [a] = apps as [RunningApp, RunningApp];
    const partner = await a.repos.partners.create({ name: '경합 벤치마크 기관', kind: 'other', now: new Date() });
    const tokens: string[] = [];
    for (let i = 0; i < staff; i++) {
      await addUser({ config, repos: a.repos }, `race-staff-${i}`, 'staff');
      tokens.push(await tokenOf(apps[i % 2]!.baseUrl, `race-staff-${i}`));
    }
    const rounds: RaceRound[] = [];
    const race = async (jobs: RaceJobs, round: number) => {
      const report = await file(a.repos, partner.id, new Date());
      const t0 = performance.now();
      const answered = await Promise.all(
        tokens.map(async (token, i) => {
          const started = performance.now();
          const res = await fetch(`${apps[i % 2]!.baseUrl}/api/reports/${report.receiptNo}/actions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'consult', result: `상담 ${round}-${i}: 안부 확인` }),
          });
          await res.text();
          return { status: res.status, ms: performance.now() - started };
        }),
      );
      const totalMs = performance.now() - t0;
      const stored = await a.repos.reports.current(report.id);
      // each staff member's consultation once: one history entry per user
      const by = new Set((stored?.history ?? []).filter((h) => h.action === 'consult').map((h) => h.by));
      const inHistory = tokens.filter((_, i) => by.has(`user:race-staff-${i}`)).length;
      const ok = answered.filter((x) => x.status === 200).length;
      rounds.push({ jobs, round, totalMs, slowestMs: Math.max(...answered.map((x) => x.ms)), ok, inHistory });
      process.stderr.write(
        `race (jobs ${jobs}) ${round}: ${ms(totalMs)}, ${ok}/${staff} answered 200, ${inHistory} in the history\n`,
      );
    };
    for (let r = 1; r <= roundsEach; r++) await race('off', r);
    const jobs = apps.map((app, i) =>
      startJobs({
        config,
        takeBackup: backupTaker(conns[i]!),
        repos: app.repos,
        district: app.district,
        health: app.health,
      }),
    );
    const jobsStarted = performance.now();
    try {
      for (let r = 1; r <= roundsEach; r++) await race('on, just started', r);
      const wait = settleMs - (performance.now() - jobsStarted);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      for (let r = 1; r <= roundsEach; r++) await race('on, steady', r);
    } finally {
      await Promise.all(jobs.map((j) => j.stop()));
    }
    return { reports: opts.reports, staff, rounds };
  } finally {
    for (const app of apps) await app.close();
    for (const c of conns) await c.close();
  }
}

/** On a FerretDB of its own, after the demo seed of `reports` reports. */
export async function runRaceBench(opts: {
  reports: number;
  staff?: number;
  rounds?: number;
}): Promise<RaceBenchResult> {
  const server = await startTestServer({ ownServer: true });
  const dbName = `sagak_bench_race_${process.pid}`;
  const conn = await connectDatabase(server.uri, dbName);
  try {
    const config = testConfig();
    const app = await startTestApp(conn, { config });
    try {
      await app.repos.dongCenters.seed(app.district.id, app.district.dongs, new Date());
      if (opts.reports > 0)
        await demoCommands.run(['seed', '--reports', String(opts.reports), '--seed', '8'], {
          config,
          repos: app.repos,
        });
      // as in the main bench: the instances start as a restarted service, last night's pass done
      const seconds = await runLastNightsRetention(config, app.repos);
      process.stderr.write(`the nightly retention pass: ${seconds.toFixed(1)} s\n`);
    } finally {
      await app.close();
    }
    return await raceStaff({ ...opts, uri: server.uri, dbName });
  } finally {
    await conn.dropDatabase().catch(() => {});
    await conn.close();
    await server.remove();
  }
}

export function printRaceBench(r: RaceBenchResult): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out();
  out(
    `## Staff racing on one report: ${r.staff} staff post a 1차 상담 at once through two instances, at ${r.reports.toLocaleString('en')} stored reports`,
  );
  out('| jobs | round | all answered after | slowest answer | answered 200 | in the history | target: all in < 2 s |');
  out('|---|---|---|---|---|---|---|');
  for (const x of r.rounds)
    out(
      `| ${x.jobs} | ${x.round} | ${ms(x.totalMs)} | ${ms(x.slowestMs)} | ${x.ok} of ${r.staff} | ${x.inHistory} of ${r.staff} | ${x.totalMs < 2000 && x.ok === r.staff && x.inHistory === r.staff ? 'met' : '**missed**'} |`,
    );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runRaceBench({ reports: Number(process.env.BENCH_RACE_REPORTS ?? 100_000) }).then(
    (r) => {
      printRaceBench(r);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
