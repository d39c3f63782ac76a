import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startAlertSweep } from '../../src/delivery/alerts';
import { sendersFromConfig } from '../../src/delivery/senders';
import { loadDistrict } from '../../src/domain/district';
import { launchChromium, signIn, until } from '../support/browser';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, file } from '../support/console';
import { testDatabase } from '../support/database';
import { DeliveryCapture } from '../support/delivery-capture';

const ARTIFACTS = 'test-artifacts';
const CALL_SLACK = 'C0CALLCNTR';
const DAY = 86_400_000;

/**
 * Alert targets in the console: after installation nothing receives alerts, and every staff and
 * admin page says so with a link; an admin sets the call center's targets, sends a test message
 * and sees the result; failed alert deliveries show on the today page.
 */
describe('alert targets in the console, in a real browser', function () {
  this.timeout(180_000);
  const district = loadDistrict('seodaemun');
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let capture: DeliveryCapture;
  let stopAlerts: (() => Promise<void>) | undefined;
  let partnerId: string;
  let config: ReturnType<typeof testConfig>;

  before(async () => {
    db = await testDatabase('console_alert_targets');
    capture = await new DeliveryCapture().start();
    config = testConfig({
      SLACK_BOT_TOKEN: 'xoxb-test-0000',
      SLACK_SIGNING_SECRET: 'slack-signing-secret-0123',
      SLACK_API_URL: capture.slackApiUrl,
    });
    app = await startTestApp(db.connection, { config });
    await addUser({ config, repos: app.repos }, 'chief', 'admin');
    await addUser({ config, repos: app.repos }, 'staff1', 'staff');
    await addUser({ config, repos: app.repos }, 'hongje3', 'dong', '홍제3동');
    partnerId = (await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() })).id;
    browser = await launchChromium();
  });
  after(async () => {
    await stopAlerts?.();
    await browser?.close();
    await app?.close();
    await capture?.stop();
    await db?.drop();
  });

  const warning = (page: Page) => page.locator('#target-warning');

  it('warns on every staff and admin page while the call center or a dong has nowhere to receive alerts, never on a dong page', async () => {
    const staff = await signIn(browser, app.baseUrl, 'staff1');
    for (const path of ['/console/today', '/console', '/console/alerts', '/console/weekly']) {
      await staff.goto(`${app.baseUrl}${path}`);
      expect(await warning(staff).innerText(), path)
        .to.contain('즉시 위험 신고 알림을 받을 곳이 없습니다')
        .and.contain('방문 요청 알림을 받을 곳이 없는 동 14곳');
    }
    expect(await warning(staff).getByRole('link', { name: '알림 받는 곳 설정' }).getAttribute('href')).to.equal(
      '/console/admin/alerts',
    );
    const dong = await signIn(browser, app.baseUrl, 'hongje3');
    expect(await warning(dong).count(), 'a dong user cannot fix it').to.equal(0);
  });

  it("lets an admin set the call center's targets, send a test message and see the result; the warning goes", async () => {
    const admin = await signIn(browser, app.baseUrl, 'chief');
    await admin.goto(`${app.baseUrl}/console/admin/alerts`);
    expect(await warning(admin).innerText()).to.contain('즉시 위험 신고 알림을 받을 곳이 없습니다');
    await admin.getByLabel('Slack 채널 ID').fill('not a channel');
    await admin.getByRole('button', { name: '콜센터 저장' }).click();
    expect(await admin.locator('p.alert').innerText()).to.contain('Slack 채널 ID는 C0123456789처럼');
    await admin.getByLabel('Slack 채널 ID').fill(CALL_SLACK);
    await admin.getByLabel('Telegram 채팅 ID').fill('-1001234567890');
    await admin.getByRole('button', { name: '콜센터 저장' }).click();
    await admin.waitForURL(/done=1$/);
    expect(await admin.locator('#cc-h + p').innerText()).to.contain('작동');
    expect(await admin.locator('section', { has: admin.locator('#cc-h') }).innerText()).to.contain(
      '서버에 Telegram 설정 없음',
    );
    await admin.getByRole('button', { name: '콜센터 시험 발송' }).click();
    const results = await admin.locator('#test-results').innerText();
    expect(results)
      .to.contain(`Slack ${CALL_SLACK}: 보냄`)
      .and.contain('Telegram -1001234567890: 실패')
      .and.contain('TELEGRAM_BOT_TOKEN');
    expect(capture.messages('slack', CALL_SLACK).at(-1)!.fields.text).to.contain('알림 시험 발송');
    await admin.screenshot({ path: `${ARTIFACTS}/admin-alert-targets.png`, fullPage: true });
    await admin.goto(`${app.baseUrl}/console/today`);
    const text = await warning(admin).innerText();
    expect(text, 'the call center has a working target now').to.not.contain('즉시 위험 신고 알림을 받을 곳이 없습니다');
    expect(text, 'the dongs still have none').to.contain('방문 요청 알림을 받을 곳이 없는 동 14곳');
  });

  it("shows failed alert deliveries on the call center's today page", async () => {
    capture.failFor.add(CALL_SLACK);
    const now = () => new Date();
    stopAlerts = startAlertSweep(
      {
        repos: app.repos,
        district,
        senders: sendersFromConfig(config),
        owner: 'targets-test',
        now,
        consoleUrl: app.baseUrl,
        windowMs: DAY,
      },
      1,
    );
    const urgent = await file(app.repos, partnerId, now(), { urgency: 'immediate' });
    await until('the alert failed on both targets', async () => {
      const recent = await app.repos.weeklyDeliveries.recentOfWeek(district.id, 'alert', new Date(Date.now() - DAY));
      return recent.filter((d) => d.run.includes(urgent.receiptNo) && d.status === 'failed').length === 2;
    });
    const staff = await signIn(browser, app.baseUrl, 'staff1');
    const failed = await staff.locator('#s-failed-alerts').innerText();
    expect(failed)
      .to.contain('보내지 못한 알림')
      .and.contain(urgent.receiptNo)
      .and.contain('slack')
      .and.contain('telegram');
    // every target failed: the warning is back (each instance reads the targets' state every few seconds)
    await until(
      'the warning is back',
      async () => {
        await staff.reload();
        return (
          (await warning(staff).count()) > 0 &&
          (await warning(staff).innerText()).includes('즉시 위험 신고 알림을 받을 곳이 없습니다')
        );
      },
      30_000,
    );
    await staff.screenshot({ path: `${ARTIFACTS}/today-failed-alerts.png`, fullPage: true });
  });
});
