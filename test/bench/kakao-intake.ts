import express from 'express';
import type { Server } from 'node:http';
import type mongoose from 'mongoose';
import { Schema } from 'mongoose';
import { buildApp } from '../../src/app';
import { ensureIndexes } from '../../src/services';
import { testConfig } from '../support/app';
import { KakaoUser } from '../support/kakao-client';
import { memorySampler, mb, ms, summarize } from './stats';

const listen = (app: express.Express) =>
  new Promise<{ server: Server; url: string }>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` }));
  });

/** One reporter's whole report, timing every turn (every HTTP request to /kakao/skill). */
async function oneReport(user: KakaoUser, invite: string, latencies: number[]): Promise<void> {
  const steps: (() => Promise<unknown>)[] = [
    () => user.say('신고'),
    () => user.say(invite),
    () => user.say('서울 서대문구 홍제3동 문화촌아파트 101동'),
    () => user.press('맞음'),
    () => user.press('공과금 체납·단전·단수'),
    () => user.press('선택 완료'),
    () => user.say('홍길동'),
    () => user.say('70대'),
    () => user.say('010-1234-5678'),
    () => user.say('두 달째 전기요금이 밀렸고 우편물이 쌓여 있습니다.'),
    () => user.press('빠른 확인 필요'),
    () => user.press('접수'),
  ];
  for (const step of steps) {
    const t = performance.now();
    await step();
    latencies.push(performance.now() - t);
  }
  if (!/접수번호: \d{4}-\d{6}/.test(user.text())) throw new Error(`report not filed: ${user.text().slice(0, 80)}`);
}

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

async function runBaseline(url: string, users: number, turnsPerUser: number, latencies: number[]) {
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      for (let i = 0; i < turnsPerUser; i++) {
        const t = performance.now();
        const res = await fetch(`${url}/baseline`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: `b${u}` }) });
        await res.json();
        latencies.push(performance.now() - t);
      }
    }),
  );
}

export async function benchKakaoIntake(conn: mongoose.Connection, reporters: number): Promise<void> {
  const config = testConfig({ KAKAO_SKILL_SECRET: 'test-skill-secret-0123456789', KAKAO_REPLY_BUDGET_MS: '4800' });
  const sagak = buildApp({ config, connection: conn });
  await ensureIndexes(sagak.repos);
  const { server, url } = await listen(sagak.app);
  const base = await listen(baselineApp(conn));
  const partner = await sagak.repos.partners.create({ name: '벤치마크 기관', kind: 'other', now: new Date() });

  // warm-up: one report and a few baseline calls, so neither side pays first-use costs in the figures
  await oneReport(new KakaoUser(url, 'warmup'), partner.inviteCode, []);
  await runBaseline(base.url, 4, 5, []);

  const baseLat: number[] = [];
  let mem = memorySampler();
  let t0 = performance.now();
  await runBaseline(base.url, reporters, 12, baseLat);
  const baseWall = performance.now() - t0;
  const baseMem = mem.stop();

  const turnLat: number[] = [];
  mem = memorySampler();
  t0 = performance.now();
  await Promise.all(Array.from({ length: reporters }, (_, i) => oneReport(new KakaoUser(url, `bench-${i}`), partner.inviteCode, turnLat)));
  const wall = performance.now() - t0;
  const peak = mem.stop();

  const b = summarize(baseLat, baseWall);
  const s = summarize(turnLat, wall);
  console.log(`\n## Kakao intake: ${reporters} reporters × 12 turns, concurrently, over HTTP (client, service and FerretDB on this machine)`);
  console.log('| path | requests | req/s | p50 | p95 | p99 | peak RSS (bench process) |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(`| baseline: bare Express, 1 read + 1 write | ${b.count} | ${b.perSecond.toFixed(0)} | ${ms(b.p50)} | ${ms(b.p95)} | ${ms(b.p99)} | ${mb(baseMem)} |`);
  console.log(`| Sagak /kakao/skill full report turns | ${s.count} | ${s.perSecond.toFixed(0)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${mb(peak)} |`);
  console.log(`ratio Sagak/baseline: throughput ×${(s.perSecond / b.perSecond).toFixed(2)}, p50 ×${(s.p50 / b.p50).toFixed(2)}, p99 ×${(s.p99 / b.p99).toFixed(2)}`);
  console.log(`reports filed: ${await sagak.repos.reports.model.countDocuments({ 'partner.id': partner.id })} (expected ${reporters + 1})`);

  server.close();
  base.server.close();
}
