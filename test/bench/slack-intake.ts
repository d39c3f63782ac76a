import type mongoose from 'mongoose';
import { startTestApp, testConfig } from '../support/app';
import { CaptureServer } from '../support/capture-server';
import { SlackUser, TEST_SLACK_BOT_TOKEN, TEST_SLACK_SIGNING_SECRET } from '../support/slack-client';
import { concurrently, expectStored, timedReport } from './channel-report';
import { mb, ms, summarize } from './stats';

/**
 * Slack DMs through Bolt: signed Events API and block_actions posts to /slack/events. Bolt acks
 * first and replies later by chat.postMessage, so a turn is timed until that call reaches the
 * local Slack API, and the ack separately.
 */
export async function benchSlackIntake(conn: mongoose.Connection, reporters: number): Promise<void> {
  const slackApi = await new CaptureServer((call) => ({
    json: call.path.endsWith('/chat.postMessage')
      ? { ok: true, channel: call.body.channel, ts: `${Date.now() / 1000}` }
      : { ok: true },
  })).start();
  const config = testConfig({
    SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET,
    SLACK_BOT_TOKEN: TEST_SLACK_BOT_TOKEN,
    SLACK_API_URL: `${slackApi.baseUrl}/api/`,
  });
  const app = await startTestApp(conn, { config });
  try {
    const partner = await app.repos.partners.create({ name: '벤치마크 기관 (Slack)', kind: 'other', now: new Date() });
    await timedReport(new SlackUser(app.baseUrl, slackApi, 'U0BENCHWARM'), partner.inviteCode, []);

    const turnLat: number[] = [];
    const ackLat: number[] = [];
    const run = await concurrently(reporters, (i) => {
      const user = new SlackUser(app.baseUrl, slackApi, `U0BENCH${i}`);
      return timedReport(user, partner.inviteCode, turnLat, () => ackLat.push(user.lastAckMs!));
    });

    const s = summarize(turnLat, run.wallMs);
    const a = summarize(ackLat, run.wallMs);
    console.log(
      `\n## Slack intake: ${reporters} reporters × 14 turns, concurrently, signed /slack/events over HTTP (replies to a local Slack API)`,
    );
    console.log('| path | requests | req/s | p50 | p95 | p99 | peak RSS (bench process) |');
    console.log('|---|---|---|---|---|---|---|');
    console.log(
      `| Sagak /slack/events full report turns (request → chat.postMessage captured) | ${s.count} | ${s.perSecond.toFixed(0)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${mb(run.peakRss)} |`,
    );
    console.log(
      `| Sagak /slack/events ack (request → HTTP 200), same turns | ${a.count} | ${a.perSecond.toFixed(0)} | ${ms(a.p50)} | ${ms(a.p95)} | ${ms(a.p99)} | ${mb(run.peakRss)} |`,
    );
    console.log(await expectStored(app, partner.id, 'slack', reporters + 1));
  } finally {
    await app.close();
    await slackApi.close();
  }
}
