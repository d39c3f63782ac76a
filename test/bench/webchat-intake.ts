import type { Server } from 'node:http';
import type mongoose from 'mongoose';
import { buildApp } from '../../src/app';
import { ensureIndexes } from '../../src/services';
import { testConfig } from '../support/app';
import { KakaoUser, type ChatUser } from '../support/kakao-client';
import { WebUser } from '../support/web-client';
import { memorySampler, mb, ms, summarize } from './stats';

/** One reporter's whole report (12 turns), timing each HTTP request; a "try again" is retried as a person would. */
async function oneReport(user: ChatUser & { text(): string }, invite: string, latencies: number[], retries = { n: 0 }): Promise<void> {
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
    for (;;) {
      const t = performance.now();
      await step();
      latencies.push(performance.now() - t);
      if (!user.text().includes('잠시 후 다시 시도')) break;
      retries.n++;
    }
  }
  if (!/접수번호: \d{4}-\d{6}/.test(user.text())) throw new Error(`report not filed: ${user.text().slice(0, 80)}`);
}

/**
 * The same reports through /chat/api/messages (Botkit web adapter, signed cookie, one delivery
 * claim insert per message) and through /kakao/skill, in the same process: the web channel's cost.
 */
export async function benchWebchatIntake(conn: mongoose.Connection, reporters: number): Promise<void> {
  const config = testConfig({ KAKAO_SKILL_SECRET: 'test-skill-secret-0123456789', KAKAO_REPLY_BUDGET_MS: '4800', WEBCHAT_COOKIE_SECRET: 'bench-cookie-secret-0123456789abcdefghij' });
  const sagak = buildApp({ config, connection: conn });
  await ensureIndexes(sagak.repos);
  const server: Server = await new Promise((resolve) => {
    const s = sagak.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const partner = await sagak.repos.partners.create({ name: '벤치마크 웹 기관', kind: 'other', now: new Date() });

  await oneReport(new WebUser(url), partner.inviteCode, []); // warm-up
  await oneReport(new KakaoUser(url, 'web-bench-warmup'), partner.inviteCode, []);

  const run = async (make: (i: number) => ChatUser & { text(): string }) => {
    const lat: number[] = [];
    const retries = { n: 0 };
    const mem = memorySampler();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: reporters }, (_, i) => oneReport(make(i), partner.inviteCode, lat, retries)));
    const wall = performance.now() - t0;
    return { ...summarize(lat, wall), peak: mem.stop(), retries: retries.n };
  };
  const kakao = await run((i) => new KakaoUser(url, `web-bench-kakao-${i}`));
  const web = await run(() => new WebUser(url));

  console.log(`\n## Web chat vs Kakao: ${reporters} reporters × 12 turns each, concurrently, same process and database`);
  console.log('| path | requests | "try again" answers | req/s | p50 | p95 | p99 | peak RSS (bench process) |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [name, r] of [['/kakao/skill', kakao], ['/chat/api/messages (Botkit)', web]] as const) {
    console.log(`| ${name} | ${r.count} | ${r.retries} | ${r.perSecond.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${mb(r.peak)} |`);
  }
  console.log(`ratio web/kakao: throughput ×${(web.perSecond / kakao.perSecond).toFixed(2)}, p50 ×${(web.p50 / kakao.p50).toFixed(2)}, p99 ×${(web.p99 / kakao.p99).toFixed(2)}`);
  server.close();
}
