import { expect } from 'chai';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { sweepAlerts, type AlertDeps } from '../../src/delivery/alerts';
import { sendersFromConfig } from '../../src/delivery/senders';
import { isAllowedWebhookUrl } from '../../src/delivery/webhook-sender';
import { BACKOFF_MS } from '../../src/delivery/weekly-delivery';
import { loadDistrict } from '../../src/domain/district';
import { log } from '../../src/log';
import { ensureIndexes, openRepositories } from '../../src/repositories';
import { type Repositories } from '../../src/ports';
import { CALL_CENTER } from '../../src/domain/alert-target/alert-targets';
import { testConfig } from '../support/app';
import { testDatabase } from '../support/database';
import { insertReports, kst, reportDoc } from '../support/report-fixtures';

const SECRET = 'webhook-secret-0123456789abcdefghijklmnop';

/** A district's endpoint on loopback: records each POST; answers what the test tells it to. */
async function startReceiver() {
  const received: { headers: Record<string, string>; body: string }[] = [];
  const plan = { status: 200 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(plan.status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/sagak`,
    received,
    plan,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** What a receiver does: the HMAC over "<timestamp>.<raw body>", compared in constant time. */
function verified(h: Record<string, string>, body: string): boolean {
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', SECRET).update(`${h['x-sagak-timestamp']}.${body}`).digest('hex')}`,
  );
  const got = Buffer.from(h['x-sagak-signature'] ?? '');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

describe('webhook alert target: a signed JSON POST, retried with back-off', () => {
  const district = loadDistrict('seodaemun');
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let repos: Repositories;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let clock = kst('2026-12-05 02:00'); // Saturday night

  const deps = (): AlertDeps => ({
    repos,
    district,
    senders: sendersFromConfig(testConfig({ ALERT_WEBHOOK_SECRET: SECRET })),
    owner: 'webhook-test',
    now: () => clock,
    consoleUrl: 'https://sagak.example.kr',
    windowMs: 24 * 3_600_000,
  });

  before(async () => {
    log.level = 'silent';
    db = await testDatabase('alerts_webhook');
    repos = openRepositories(db.connection);
    await ensureIndexes(repos);
    receiver = await startReceiver();
    await repos.alertTargets.set(district.id, CALL_CENTER, { webhookUrl: receiver.url }, clock);
  });
  after(async () => {
    await receiver?.stop();
    await db?.drop();
  });

  it('accepts https anywhere and plain http only to this machine', () => {
    expect(isAllowedWebhookUrl('https://sms.example.go.kr/hook')).to.equal(true);
    expect(isAllowedWebhookUrl('http://127.0.0.1:8080/hook')).to.equal(true);
    expect(isAllowedWebhookUrl('http://[::1]:8080/hook')).to.equal(true);
    expect(isAllowedWebhookUrl('http://sms.example.go.kr/hook')).to.equal(false);
    expect(isAllowedWebhookUrl('http://10.0.0.5/hook')).to.equal(false);
    expect(isAllowedWebhookUrl('https://user:pw@example.org/')).to.equal(false);
    expect(isAllowedWebhookUrl('ftp://example.org/')).to.equal(false);
  });

  it('posts an urgent report as signed JSON with only what the privacy level allows; a 5xx is retried after the back-off, once', async () => {
    const [r] = await insertReports(repos.reports, [
      reportDoc({
        receivedAt: clock,
        urgency: 'immediate',
        person: { name: '김철수', age: null, phone: '010-1111-2222' },
      }),
    ]);
    receiver.plan.status = 503;
    const first = await sweepAlerts(deps());
    expect(first.map((x) => [x.target, x.outcome])).to.deep.equal([['webhook', 'failed']]);
    expect(receiver.received).to.have.length(1);
    const { headers, body } = receiver.received[0]!;
    expect(headers['content-type']).to.equal('application/json');
    expect(verified(headers, body), 'the signature checks out').to.equal(true);
    expect(verified({ ...headers }, body.replace('immediate', 'visit_result')), 'a changed body does not').to.equal(
      false,
    );
    const json = JSON.parse(body) as Record<string, unknown>;
    expect(json).to.include({
      kind: 'immediate',
      receiptNo: r!.receiptNo,
      link: `https://sagak.example.kr/console/reports/${r!.receiptNo}`,
      urgency: 'immediate',
    });
    expect(body, 'minimal by default: no name, phone or address')
      .to.not.contain('김철수')
      .and.not.contain('010-1111-2222');

    // not before its back-off; then once, however many sweeps run together
    receiver.plan.status = 200;
    await sweepAlerts(deps());
    expect(receiver.received).to.have.length(1);
    clock = new Date(clock.getTime() + BACKOFF_MS[0]! + 1000);
    const again = await Promise.all([sweepAlerts(deps()), sweepAlerts(deps())]);
    expect(again.flat().filter((x) => x.outcome === 'sent')).to.have.length(1);
    expect(receiver.received).to.have.length(2);
    expect(verified(receiver.received[1]!.headers, receiver.received[1]!.body)).to.equal(true);
    await sweepAlerts(deps());
    expect(receiver.received, 'sent once').to.have.length(2);
  });

  it('fails visibly, without sending, when no signing secret is configured', async () => {
    clock = new Date(clock.getTime() + 60_000);
    const [r] = await insertReports(repos.reports, [reportDoc({ receivedAt: clock, urgency: 'immediate' })]);
    const results = await sweepAlerts({ ...deps(), senders: sendersFromConfig(testConfig()) });
    const mine = results.filter((x) => x.receiptNo === r!.receiptNo);
    expect(mine.map((x) => [x.target, x.outcome])).to.deep.equal([['webhook', 'failed']]);
    expect(mine[0]!.error).to.contain('ALERT_WEBHOOK_SECRET');
    expect(receiver.received.some((x) => x.body.includes(r!.receiptNo))).to.equal(false);
  });
});
