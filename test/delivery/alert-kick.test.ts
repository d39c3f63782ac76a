import { expect } from 'chai';
import { startAlertSweep } from '../../src/delivery/alerts';
import { sendersFromConfig } from '../../src/delivery/senders';
import { loadDistrict } from '../../src/domain/district';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, apiClient, file, tokenOf } from '../support/console';
import { DeliveryCapture } from '../support/delivery-capture';
import { testDatabase } from '../support/database';

const DAY = 86_400_000;

describe('alerts right after the action (the sweep kicked, the timer a safety net)', function () {
  this.timeout(120_000);
  const district = loadDistrict('seodaemun');
  const hongje3 = { code: district.dongByName('홍제3동')!.code, name: '홍제3동' };
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let capture: DeliveryCapture;
  let stops: (() => Promise<void>)[] = [];

  before(async () => {
    db = await testDatabase('alert_kick');
    capture = await new DeliveryCapture().start();
    const config = testConfig({
      SLACK_BOT_TOKEN: 'xoxb-test-0000',
      SLACK_SIGNING_SECRET: 'slack-signing-secret-0123',
      SLACK_API_URL: capture.slackApiUrl,
    });
    app = await startTestApp(db.connection, { config });
    await app.repos.dongCenters.seed(district.id, district.dongs, new Date());
    await app.repos.dongCenters.setTargets(district.id, hongje3.code, { slackChannel: 'C0HONGJE3' }, new Date());
    await addUser({ config, repos: app.repos }, 'staff1', 'staff');
    // two sweepers in this process (as two instances would each have one), ticking only every ten
    // minutes, their first passes put off as a start's stagger does: only the kick can send
    const deps = (owner: string) => ({
      repos: app.repos,
      district,
      senders: sendersFromConfig(config),
      owner,
      now: () => new Date(),
      consoleUrl: app.baseUrl,
      windowMs: DAY,
    });
    stops = [
      startAlertSweep(deps('a'), 600, { firstPassAfterMs: 600_000 }),
      startAlertSweep(deps('b'), 600, { firstPassAfterMs: 600_000 }),
    ];
  });
  after(async () => {
    for (const stop of stops) await stop();
    await app?.close();
    await capture?.stop();
    await db?.drop();
  });

  it('sends a visit request to the dong center as soon as staff ask, exactly once', async () => {
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    const r = await file(app.repos, partner.id, new Date(), { dong: hongje3 });
    const api = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'staff1'));
    expect((await api.act(r.receiptNo, { type: 'request_visit', reason: '전화 안 받음' })).status).to.equal(200);
    const sent = () => capture.messages('slack', 'C0HONGJE3').filter((m) => m.fields.text!.includes(r.receiptNo));
    for (let i = 0; i < 300 && sent().length === 0; i++) await new Promise((res) => setTimeout(res, 100));
    expect(sent(), 'delivered without waiting for the ten-minute tick').to.have.length(1);
    expect(sent()[0]!.fields.text, 'minimal privacy by default: receipt and link')
      .to.contain('방문 요청')
      .and.contain(app.baseUrl);
    // both sweepers were kicked; the claims keep it to one message
    await new Promise((res) => setTimeout(res, 1500));
    expect(sent()).to.have.length(1);
    const log = await app.repos.weeklyDeliveries.recentOfWeek(district.id, 'alert', new Date(Date.now() - DAY));
    expect(log.filter((d) => d.run.includes(r.receiptNo)).map((d) => d.status)).to.deep.equal(['sent']);
  });
});
