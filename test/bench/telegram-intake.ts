import type mongoose from 'mongoose';
import { startTestApp, testConfig } from '../support/app';
import { CaptureServer } from '../support/capture-server';
import { TelegramUser, TEST_TELEGRAM_BOT_TOKEN, TEST_TELEGRAM_SECRET } from '../support/telegram-client';
import { concurrently, expectStored, timedReport } from './channel-report';
import { mb, ms, summarize } from './stats';

/**
 * Telegram private chats through grammY: webhook updates with the secret token. grammY answers
 * the webhook only after the handler has sent its reply, so the request's round trip is the turn.
 */
export async function benchTelegramIntake(conn: mongoose.Connection, reporters: number): Promise<void> {
  let messageId = 0;
  const botApi = await new CaptureServer((call) => {
    if (!call.path.endsWith('/sendMessage')) return { json: { ok: true, result: true } };
    const chat = { id: call.body.chat_id, type: 'private', first_name: '현장' };
    return {
      json: {
        ok: true,
        result: { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat, text: call.body.text },
      },
    };
  }).start();
  const config = testConfig({
    TELEGRAM_BOT_TOKEN: TEST_TELEGRAM_BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TEST_TELEGRAM_SECRET,
    TELEGRAM_API_ROOT: botApi.baseUrl,
  });
  const app = await startTestApp(conn, { config });
  try {
    const partner = await app.repos.partners.create({
      name: '벤치마크 기관 (Telegram)',
      kind: 'other',
      now: new Date(),
    });
    await timedReport(new TelegramUser(app.baseUrl, botApi, 800_000), partner.inviteCode, []);

    const turnLat: number[] = [];
    const run = await concurrently(reporters, (i) =>
      timedReport(new TelegramUser(app.baseUrl, botApi, 800_001 + i), partner.inviteCode, turnLat),
    );

    const s = summarize(turnLat, run.wallMs);
    console.log(
      `\n## Telegram intake: ${reporters} reporters × 14 turns, concurrently, /telegram/webhook with the secret token over HTTP (replies to a local Bot API)`,
    );
    console.log('| path | requests | req/s | p50 | p95 | p99 | peak RSS (bench process) |');
    console.log('|---|---|---|---|---|---|---|');
    console.log(
      `| Sagak /telegram/webhook full report turns (request → reply sent and webhook answered) | ${s.count} | ${s.perSecond.toFixed(0)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${mb(run.peakRss)} |`,
    );
    console.log(await expectStored(app, partner.id, 'telegram', reporters + 1));
  } finally {
    await app.close();
    await botApi.close();
  }
}
