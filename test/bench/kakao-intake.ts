import express from 'express';
import type { Server } from 'node:http';
import type mongoose from 'mongoose';
import { Schema } from 'mongoose';
import { startTestApp, testConfig } from '../support/app';
import { KakaoUser } from '../support/kakao-client';
import { concurrently, expectStored, timedReport, tryAgains } from './channel-report';
import { mb, ms, summarize } from './stats';

/** The floor of any stateful turn: one read and one write on the same database over HTTP. */
function baselineApp(conn: mongoose.Connection) {
  const Model = conn.models.BenchBaseline ?? conn.model('BenchBaseline', new Schema({ _id: String, n: Number }, { versionKey: false }));
  const app = express();
  app.post('/baseline', express.json(), async (req, res) => {
    const id = String((req.body as { user?: string }).user);
    const doc = await Model.findById(id).lean<{ n?: number }>();
    await Model.updateOne({ _id: id }, { $set: { n: (doc?.n ?? 0) + 1 } }, { upsert: true });
    res.json({ ok: true });
  });
  return app;
}

/** The same number of requests as the reports make (12 per reporter), `reporters` at a time. */
async function runBaseline(url: string, users: number, turnsPerUser: number, latencies: number[]) {
  return concurrently(users, async (u) => {
    for (let i = 0; i < turnsPerUser; i++) {
      const t = performance.now();
      const res = await fetch(`${url}/baseline`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: `b${u}` }) });
      await res.json();
      latencies.push(performance.now() - t);
    }
  });
}

export async function benchKakaoIntake(conn: mongoose.Connection, reporters: number): Promise<void> {
  const app = await startTestApp(conn, { config: testConfig({ KAKAO_REPLY_BUDGET_MS: '4800' }) });
  const base: Server = await new Promise((resolve) => {
    const s = baselineApp(conn).listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(base.address() as { port: number }).port}`;
  try {
    const partner = await app.repos.partners.create({ name: '벤치마크 기관 (Kakao)', kind: 'other', now: new Date() });
    // warm-up: one report and a few baseline calls, so neither side pays first-use costs in the figures
    await timedReport(new KakaoUser(app.baseUrl, 'warmup'), partner.inviteCode, []);
    await runBaseline(baseUrl, 4, 5, []);

    const baseLat: number[] = [];
    const baseRun = await runBaseline(baseUrl, reporters, 12, baseLat);
    const turnLat: number[] = [];
    tryAgains.count = 0;
    const run = await concurrently(reporters, (i) => timedReport(new KakaoUser(app.baseUrl, `bench-${i}`), partner.inviteCode, turnLat));

    const b = summarize(baseLat, baseRun.wallMs);
    const s = summarize(turnLat, run.wallMs);
    console.log(`\n## Kakao intake: ${reporters} reporters × 14 turns, concurrently, over HTTP (client, service and FerretDB on this machine)`);
    console.log('| path | requests | req/s | p50 | p95 | p99 | peak RSS (bench process) |');
    console.log('|---|---|---|---|---|---|---|');
    console.log(`| baseline: bare Express, 1 read + 1 write | ${b.count} | ${b.perSecond.toFixed(0)} | ${ms(b.p50)} | ${ms(b.p95)} | ${ms(b.p99)} | ${mb(baseRun.peakRss)} |`);
    console.log(`| Sagak /kakao/skill full report turns | ${s.count} | ${s.perSecond.toFixed(0)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${mb(run.peakRss)} |`);
    console.log(`ratio Sagak/baseline: throughput ×${(s.perSecond / b.perSecond).toFixed(2)}, p50 ×${(s.p50 / b.p50).toFixed(2)}, p99 ×${(s.p99 / b.p99).toFixed(2)}`);
    console.log(`"잠시 후 다시 시도해 주세요" answers (over Kakao's budget), each retried: ${tryAgains.count}`);
    console.log(await expectStored(app, partner.id, 'kakao', reporters + 1));
  } finally {
    await app.close();
    base.close();
  }
}
