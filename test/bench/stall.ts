import { connectDatabase } from '../../src/store/connect';
import { charCount } from '../../src/domain/report/text-limits';
import { startTestApp, testConfig } from '../support/app';
import { CaptureServer } from '../support/capture-server';
import { startTestServer } from '../support/database';
import { postSkill, skillBody } from '../support/kakao-client';
import { dmEvent, postSlack, TEST_SLACK_BOT_TOKEN, TEST_SLACK_SIGNING_SECRET } from '../support/slack-client';
import { postUpdate, TEST_TELEGRAM_BOT_TOKEN, TEST_TELEGRAM_SECRET } from '../support/telegram-client';
import { ms, percentile } from './stats';

/**
 * `npx tsx test/bench/stall.ts`: can one message stall the service? A benchmark, not a test.
 *
 * 1. The character count alone, 1 kB to 64 kB: the segmenter over the whole text (what the input
 *    guard did before issue 22) beside `charCount`, which segments in pieces (linear).
 * 2. The whole service with all four channels on: eight parallel 64 kB messages on every channel,
 *    three rounds, while other Kakao users keep taking turns and /healthz is asked every 100 ms.
 *    Reported: the other turns' p50/p99 against Kakao's budget, and every /healthz status.
 */
const segmenter = new Intl.Segmenter('ko', { granularity: 'grapheme' });
const wholeCount = (text: string) => {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
};
/** The median of five runs of `f`. */
const time = (f: () => unknown) => {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    f();
    runs.push(performance.now() - t);
  }
  return runs.sort((a, b) => a - b)[2]!;
};
/** A fresh flat string each time, so no run profits from another's work. */
const text = (kind: 'ascii' | 'hangul', bytes: number) =>
  Buffer.from((kind === 'ascii' ? 'a' : '가').repeat(kind === 'ascii' ? bytes : Math.floor(bytes / 3))).toString();

function countTable(): void {
  console.log('\n## Counting characters: one call, median of five, ms (lower is better)');
  console.log('| text | whole-text segmenter (before) | charCount (pieces) |');
  console.log('|---|---|---|');
  for (const kb of [1, 4, 16, 32, 64]) {
    for (const kind of ['ascii', 'hangul'] as const) {
      const before = time(() => wholeCount(text(kind, kb * 1024)));
      const after = time(() => charCount(text(kind, kb * 1024)));
      console.log(`| ${kb} kB ${kind} | ${before.toFixed(1)} | ${after.toFixed(1)} |`);
    }
  }
}

async function serviceUnderLoad(uri: string): Promise<void> {
  const conn = await connectDatabase(uri, `sagak_stall_${process.pid}`);
  const slackApi = await new CaptureServer((call) => ({
    json: call.path.endsWith('/chat.postMessage')
      ? { ok: true, channel: call.body.channel, ts: `${Date.now() / 1000}` }
      : { ok: true },
  })).start();
  let messageId = 0;
  const botApi = await new CaptureServer((call) => {
    if (!call.path.endsWith('/sendMessage')) return { json: { ok: true, result: true } };
    return {
      json: {
        ok: true,
        result: {
          message_id: ++messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: call.body.chat_id, type: 'private' },
          text: call.body.text,
        },
      },
    };
  }).start();
  const config = testConfig({
    SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET,
    SLACK_BOT_TOKEN: TEST_SLACK_BOT_TOKEN,
    SLACK_API_URL: `${slackApi.baseUrl}/api/`,
    TELEGRAM_BOT_TOKEN: TEST_TELEGRAM_BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TEST_TELEGRAM_SECRET,
    TELEGRAM_API_ROOT: botApi.baseUrl,
    WEBCHAT_COOKIE_SECRET: 'stall-bench-cookie-secret-0123456789abcdef',
  });
  const app = await startTestApp(conn, { config });
  try {
    // Near each body limit: Kakao and the web chat take 64 kB bodies; Slack and Telegram cut a text at 4,000 characters.
    const big = { ascii: 'a'.repeat(63_000), spaces: `${' '.repeat(62_999)}a`, hangul: '가'.repeat(20_900) };
    let seq = 0;
    const floods = (payload: string) => [
      ...Array.from({ length: 8 }, () => postSkill(app.baseUrl, skillBody(`flood-k-${++seq}`, payload))),
      ...Array.from({ length: 8 }, () =>
        fetch(`${app.baseUrl}/chat/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'message', text: payload.slice(0, 63_000) }),
        }),
      ),
      ...Array.from({ length: 8 }, () =>
        postSlack(app.baseUrl, JSON.stringify(dmEvent(`UFLOOD${++seq}`, `DFLOOD${seq}`, payload)), 'application/json'),
      ),
      ...Array.from({ length: 8 }, () =>
        postUpdate(app.baseUrl, {
          update_id: 900_000 + ++seq,
          message: {
            message_id: seq,
            from: { id: 900_000 + seq, is_bot: false, first_name: 'f' },
            chat: { id: 900_000 + seq, type: 'private' },
            date: 1,
            text: payload,
          },
        }),
      ),
    ];

    const others: number[] = [];
    const health: number[] = [];
    const healthMs: number[] = [];
    let running = true;
    const otherUser = async (i: number) => {
      while (running) {
        const t = performance.now();
        const res = await postSkill(app.baseUrl, skillBody(`other-${i}`, i % 2 ? '도움말' : '조회'));
        await res.text();
        others.push(performance.now() - t);
      }
    };
    const healthLoop = async () => {
      while (running) {
        const t = performance.now();
        const res = await fetch(`${app.baseUrl}/healthz`);
        await res.text();
        health.push(res.status);
        healthMs.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const background = [...Array.from({ length: 4 }, (_, i) => otherUser(i)), healthLoop()];
    const statuses = new Map<number, number>();
    const started = performance.now();
    for (const payload of [big.ascii, big.spaces, big.hangul]) {
      const results = await Promise.all(floods(payload));
      for (const r of results) {
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        await r.text();
      }
    }
    running = false;
    await Promise.all(background);
    const wall = performance.now() - started;
    const sorted = [...others].sort((a, b) => a - b);
    const hs = [...healthMs].sort((a, b) => a - b);
    console.log(
      '\n## Eight parallel ~64 kB messages on every channel (Kakao, web chat, Slack, Telegram), three rounds (ASCII, spaces, Hangul)',
    );
    console.log(
      `flood requests' HTTP statuses: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}; wall ${ms(wall)}`,
    );
    console.log('| measure | count | p50 | p99 | max | budget |');
    console.log('|---|---|---|---|---|---|');
    console.log(
      `| other Kakao turns (도움말/조회) meanwhile | ${sorted.length} | ${ms(percentile(sorted, 50))} | ${ms(percentile(sorted, 99))} | ${ms(sorted.at(-1) ?? NaN)} | ${config.KAKAO_REPLY_BUDGET_MS} ms |`,
    );
    console.log(
      `| /healthz meanwhile | ${hs.length} | ${ms(percentile(hs, 50))} | ${ms(percentile(hs, 99))} | ${ms(hs.at(-1) ?? NaN)} | 1000 ms (its ping timeout) |`,
    );
    console.log(
      `/healthz statuses: ${[...new Set(health)].map((s) => `${s}×${health.filter((h) => h === s).length}`).join(', ')}`,
    );
  } finally {
    await app.close();
    await slackApi.close();
    await botApi.close();
    await conn.dropDatabase().catch(() => {});
    await conn.close();
  }
}

async function main(): Promise<void> {
  countTable();
  const server = process.env.BENCH_MONGODB_URI ? undefined : await startTestServer({ ownServer: true });
  try {
    await serviceUnderLoad(process.env.BENCH_MONGODB_URI ?? server!.uri);
  } finally {
    await server?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
