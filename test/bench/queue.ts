import { pathToFileURL } from 'node:url';
import { loadDistrict } from '../../src/domain/district';
import { addressKey } from '../../src/domain/address-key';
import { URGENCY_RANK } from '../../src/domain/report/urgency';
import { formatReceiptNo } from '../../src/domain/receipt';
import { cacheDir, ensureFerretDbBinary } from '../../src/store/embedded/ferretdb-binary';
import type { Report } from '../../src/domain/report/report';
import { REPORT_STATUSES } from '../../src/domain/report/status';
import { startTestApp, testConfig } from '../support/app';
import { addUser, tokenOf } from '../support/console';
import { startTestServer } from '../support/database';
import { connectDatabase } from '../../src/store/connect';

export interface QueueBenchResult {
  reports: number;
  insertSeconds: number;
  queries: { name: string; requests: number; failed: number; p50Ms: number; p99Ms: number; total: number }[];
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * Inserts `reports` reports in batches, then times GET /api/reports over HTTP with the filters
 * staff and dong centers typically use. A bounded number of requests per filter, run in turn.
 */
export async function runQueueBench(opts: { reports?: number; requests?: number; batch?: number; log?: (s: string) => void } = {}): Promise<QueueBenchResult> {
  const count = opts.reports ?? 100_000;
  const requests = opts.requests ?? 40;
  const batch = opts.batch ?? 2_000;
  const say = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  if (!process.env.TEST_MONGODB_URI) await ensureFerretDbBinary(cacheDir(process.env.SAGAK_CACHE_DIR));
  const server = await startTestServer();
  const connection = await connectDatabase(server.uri, `sagak_bench_queue_${process.pid}`);
  await connection.dropDatabase();
  const config = testConfig();
  const app = await startTestApp(connection, { config });
  try {
    const district = loadDistrict('seodaemun');
    const urgencies = ['immediate', 'prompt', 'prompt', 'normal', 'normal', 'normal', 'normal', 'normal'] as const;
    const now = Date.now();
    const started = performance.now();
    for (let offset = 0; offset < count; offset += batch) {
      const docs: Omit<Report, 'id'>[] = [];
      for (let i = offset; i < Math.min(count, offset + batch); i++) {
        const dong = district.dongs[i % district.dongs.length]!;
        const urgency = urgencies[i % urgencies.length]!;
        const address = `서울 서대문구 ${dong.name} ${(i * 7919) % 997}-${i % 13}`;
        const status = REPORT_STATUSES[(i * 31) % REPORT_STATUSES.length]!;
        const receivedAt = new Date(now - ((i * 2_654_435_761) % (365 * 86_400_000)));
        docs.push({
          district: 'seodaemun',
          receiptNo: formatReceiptNo(2026, i + 1),
          submissionId: `bench-${i}`,
          receivedAt,
          partner: { id: '0123456789abcdef01234567', name: '서대문우체국', kind: 'post' },
          reporter: { channel: 'kakao', userId: `bench-user-${i % 500}` },
          address: { text: address, dongCode: dong.code, dongName: dong.name, resolvedBy: 'dong-name' },
          signs: [district.signs[i % district.signs.length]!.code],
          person: { name: '홍길동', age: null, phone: null },
          situation: `벤치마크 신고 ${i}: 우편물이 쌓여 있습니다`,
          urgency,
          urgencyRank: URGENCY_RANK[urgency],
          status,
          assignedDongCode: dong.code,
          addressKey: addressKey(address),
          duplicateOf: null,
          duplicateState: null,
          history: [{ at: receivedAt, by: 'partner:bench', action: 'received', to: 'received' }],
        });
      }
      await app.repos.reports.model.insertMany(docs, { ordered: false, lean: true });
      if ((offset / batch) % 10 === 0) say(`inserted ${Math.min(count, offset + batch)} / ${count}`);
    }
    const insertSeconds = (performance.now() - started) / 1000;
    say(`inserted ${count} reports in ${insertSeconds.toFixed(1)} s`);

    await addUser({ config, repos: app.repos }, 'bench-staff', 'staff');
    await addUser({ config, repos: app.repos }, 'bench-dong', 'dong', district.dongs[3]!.name);
    const tokens = { staff: await tokenOf(app.baseUrl, 'bench-staff'), dong: await tokenOf(app.baseUrl, 'bench-dong') };
    const month = new Date(now - 30 * 86_400_000).toISOString().slice(0, 10);
    const scenarios: { name: string; who: keyof typeof tokens; qs: string }[] = [
      { name: 'staff: open queue, page 1', who: 'staff', qs: '' },
      { name: 'staff: received + immediate', who: 'staff', qs: 'status=received&urgency=immediate' },
      { name: 'staff: one dong, last 30 days', who: 'staff', qs: `dong=${district.dongs[5]!.code}&from=${month}` },
      { name: 'staff: open queue, page 20', who: 'staff', qs: 'page=20' },
      { name: 'staff: text search', who: 'staff', qs: `q=${encodeURIComponent(`${district.dongs[2]!.name} 5`)}&status=all` },
      { name: 'dong: own queue', who: 'dong', qs: '' },
    ];
    const queries: QueueBenchResult['queries'] = [];
    for (const s of scenarios) {
      const times: number[] = [];
      let total = 0;
      let failed = 0;
      for (let i = 0; i < requests; i++) {
        const t0 = performance.now();
        const res = await fetch(`${app.baseUrl}/api/reports?${s.qs}`, { headers: { authorization: `Bearer ${tokens[s.who]}` } });
        const body = (await res.json()) as { total: number };
        times.push(performance.now() - t0);
        // A failure (the database timing out) is counted and timed, not hidden.
        if (res.status === 200) total = body.total;
        else failed++;
      }
      times.sort((a, b) => a - b);
      const row = { name: s.name, requests, failed, p50Ms: Math.round(pct(times, 50)), p99Ms: Math.round(pct(times, 99)), total };
      say(`${row.name.padEnd(32)} p50 ${String(row.p50Ms).padStart(6)} ms  p99 ${String(row.p99Ms).padStart(6)} ms  (${total} matching${failed ? `, ${failed} failed` : ''})`);
      queries.push(row);
    }
    return { reports: count, insertSeconds, queries };
  } finally {
    await app.close();
    await connection.dropDatabase().catch(() => {});
    await connection.close();
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const reports = Number(process.env.BENCH_REPORTS ?? 100_000);
  const requests = Number(process.env.BENCH_REQUESTS ?? 20);
  runQueueBench({ reports, requests }).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exit(1);
    },
  );
}
