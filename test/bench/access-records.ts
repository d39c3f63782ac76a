import { startTestServer } from '../support/database';
import { connectDatabase } from '../../src/store/connect';
import { accessRecordRepository } from '../../src/store/access-record/access-record';
import { percentile } from './stats';

/**
 * `npx tsx test/bench/access-records.ts`: how long a page waits for its access record, one at a
 * time and with BENCH_CONCURRENT pages at once, on a collection already holding BENCH_EXISTING
 * records (FerretDB scans, so the size must not matter on the request path).
 */
const existing = Number(process.env.BENCH_EXISTING ?? 20_000);
const concurrent = Number(process.env.BENCH_CONCURRENT ?? 50);
const server = await startTestServer({ ownServer: true });
const conn = await connectDatabase(server.uri, 'bench_access');
const repo = accessRecordRepository(conn);
await repo.ensureIndexes();
const entry = (i: number) => ({
  at: new Date(),
  actor: `user:u${i % 20}`,
  role: 'staff',
  address: '10.0.0.1',
  channel: 'api' as const,
  action: 'view' as const,
  receiptNos: [`2026-${String(i).padStart(6, '0')}`],
  scope: '',
  rowCount: 1,
  detail: '',
});
for (let i = 0; i < existing; i += 1000)
  await Promise.all(Array.from({ length: 1000 }, (_, j) => repo.append(entry(i + j))));
const timed = async (i: number) => {
  const t = performance.now();
  await repo.append(entry(i));
  return performance.now() - t;
};
const sequential: number[] = [];
for (let i = 0; i < 200; i++) sequential.push(await timed(i));
const parallel: number[] = [];
for (let round = 0; round < 5; round++)
  parallel.push(...(await Promise.all(Array.from({ length: concurrent }, (_, i) => timed(i)))));
// the floor: the same pages each inserting one plain document, no chain
const plain = conn.collection('bench_plain');
const floor: number[] = [];
for (let round = 0; round < 5; round++)
  floor.push(
    ...(await Promise.all(
      Array.from({ length: concurrent }, async (_, i) => {
        const t = performance.now();
        await plain.insertOne(entry(i));
        return performance.now() - t;
      }),
    )),
  );
const row = (name: string, raw: number[]) => {
  const xs = [...raw].sort((a, b) => a - b);
  return `| ${name} | ${xs.length} | ${percentile(xs, 50).toFixed(1)} | ${percentile(xs, 95).toFixed(1)} | ${percentile(xs, 99).toFixed(1)} |`;
};
console.log(
  `\n### Access records (${existing} stored before)\n\n| writes | n | p50 ms | p95 ms | p99 ms |\n| --- | --- | --- | --- | --- |`,
);
console.log(row('one page at a time', sequential));
console.log(row(`${concurrent} pages at once`, parallel));
console.log(row(`floor: ${concurrent} plain inserts at once`, floor));
await conn.close();
await server.remove();
process.exit(0);
