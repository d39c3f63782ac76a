import { connectDatabase } from '../../src/store/connect';
import { startTestServer } from '../support/database';
import { benchKakaoIntake } from './kakao-intake';
import { benchWebchatIntake } from './webchat-intake';
import { benchSlackIntake } from './slack-intake';
import { benchTelegramIntake } from './telegram-intake';
import { benchWeekly } from './weekly';
import { runQueueBench } from './queue';
import { printImportBench, runImportBench } from './import';

/**
 * `npm run bench`: a benchmark, not a test. Starts its own FerretDB (or uses BENCH_MONGODB_URI)
 * and prints tables of figures. BENCH_REPORTERS sets the number of simulated reporters,
 * BENCH_WEEKLY_REPORTS the stored reports of the weekly-list bench, BENCH_QUEUE_REPORTS those of
 * the console-queue bench (0 skips either).
 */
async function main(): Promise<void> {
  const reporters = Number(process.env.BENCH_REPORTERS ?? 50);
  const server = process.env.BENCH_MONGODB_URI ? undefined : await startTestServer({ ownServer: true });
  const uri = process.env.BENCH_MONGODB_URI ?? server!.uri;
  const conn = await connectDatabase(uri, `sagak_bench_${process.pid}`);
  console.log(`# Sagak benchmarks — ${new Date().toISOString()}, Node ${process.version}, ${uri.startsWith('mongodb://127.0.0.1') ? 'FerretDB 1.24.2 (SQLite)' : 'external MongoDB'}`);
  try {
    await benchKakaoIntake(conn, reporters);
    await benchWebchatIntake(conn, reporters);
    await benchSlackIntake(conn, reporters);
    await benchTelegramIntake(conn, reporters);
  } finally {
    await conn.dropDatabase().catch(() => {});
    await conn.close();
    await server?.stop();
  }
  // A 20,000-row XLSX previewed and committed, chat turns timed meanwhile (its own database server)
  const importRows = Number(process.env.BENCH_IMPORT_ROWS ?? 20_000);
  if (importRows > 0) printImportBench(await runImportBench({ rows: importRows, openReports: Number(process.env.BENCH_IMPORT_OPEN ?? 2_000) }));

  const weeklyReports = Number(process.env.BENCH_WEEKLY_REPORTS ?? 100_000);
  if (weeklyReports > 0) await benchWeekly({ reports: weeklyReports }); // its own database server

  // 10,000 by default: at 100,000 FerretDB's full scans exceed the driver's 20 s socket timeout (see README)
  const queueReports = Number(process.env.BENCH_QUEUE_REPORTS ?? 10_000);
  if (queueReports > 0) {
    const q = await runQueueBench({ reports: queueReports, requests: 10, log: () => {} });
    console.log(`\n## Console queue: GET /api/reports over HTTP with ${q.reports} stored reports (inserted in ${q.insertSeconds.toFixed(1)} s)`);
    console.log('| filter | requests | failed | p50 | p99 | matching reports |');
    console.log('|---|---|---|---|---|---|');
    for (const r of q.queries) console.log(`| ${r.name} | ${r.requests} | ${r.failed} | ${r.p50Ms.toFixed(0)} ms | ${r.p99Ms.toFixed(0)} ms | ${r.total} |`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
