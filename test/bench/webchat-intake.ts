import type mongoose from 'mongoose';
import { startTestApp, testConfig } from '../support/app';
import { WebUser } from '../support/web-client';
import { concurrently, expectStored, timedReport, tryAgains } from './channel-report';
import { mb, ms, summarize } from './stats';

/** The same reports through /chat/api/messages: Botkit's web adapter, a signed cookie, one delivery claim per message. */
export async function benchWebchatIntake(conn: mongoose.Connection, reporters: number): Promise<void> {
  const app = await startTestApp(conn, {
    config: testConfig({ WEBCHAT_COOKIE_SECRET: 'bench-cookie-secret-0123456789abcdefghij' }),
  });
  try {
    const partner = await app.repos.partners.create({ name: '벤치마크 기관 (웹)', kind: 'other', now: new Date() });
    await timedReport(new WebUser(app.baseUrl), partner.inviteCode, []); // warm-up
    const turnLat: number[] = [];
    tryAgains.count = 0;
    const run = await concurrently(reporters, () => timedReport(new WebUser(app.baseUrl), partner.inviteCode, turnLat));

    const s = summarize(turnLat, run.wallMs);
    console.log(`\n## Web chat intake: ${reporters} reporters × 14 turns, concurrently, /chat/api/messages over HTTP`);
    console.log('| path | requests | req/s | p50 | p95 | p99 | peak RSS (bench process) |');
    console.log('|---|---|---|---|---|---|---|');
    console.log(
      `| Sagak /chat/api/messages (Botkit) full report turns | ${s.count} | ${s.perSecond.toFixed(0)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${mb(run.peakRss)} |`,
    );
    console.log(`"잠시 후 다시 시도해 주세요" answers, each retried: ${tryAgains.count}`);
    console.log(await expectStored(app, partner.id, 'web', reporters + 1));
  } finally {
    await app.close();
  }
}
