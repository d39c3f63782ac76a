import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { launchChromium, signIn as signInAs } from '../support/browser';
import { sweepAlerts } from '../../src/delivery/alerts';
import { sendersFromConfig } from '../../src/delivery/senders';
import { loadDistrict } from '../../src/domain/district';
import { applyReportAction } from '../../src/domain/workflow/apply-action';
import { CALL_CENTER } from '../../src/domain/alert-target/alert-targets';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, consoleCookie, file } from '../support/console';
import { DeliveryCapture } from '../support/delivery-capture';
import { testDatabase } from '../support/database';
import { TEST_TELEGRAM_BOT_TOKEN } from '../support/telegram-client';

const ARTIFACTS = 'test-artifacts';
const DAY = 86_400_000;

describe('the alert delivery log in the console', function () {
  this.timeout(180_000);
  const district = loadDistrict('seodaemun');
  const hongje3 = { code: district.dongByName('홍제3동')!.code, name: '홍제3동' };
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let capture: DeliveryCapture;
  let urgentNo: string;
  let visitNo: string;

  before(async () => {
    db = await testDatabase('console_alert_log');
    capture = await new DeliveryCapture().start();
    // Slack answers (the capture server); Telegram's API is unreachable, so its alerts fail and wait for a retry
    const config = testConfig({
      SLACK_BOT_TOKEN: 'xoxb-test-0000',
      SLACK_SIGNING_SECRET: 'slack-signing-secret-0123',
      SLACK_API_URL: capture.slackApiUrl,
      TELEGRAM_BOT_TOKEN: TEST_TELEGRAM_BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: 'telegram-webhook-secret-01',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
    });
    app = await startTestApp(db.connection, { config });
    const now = new Date();
    await app.repos.dongCenters.seed(district.id, district.dongs, now);
    await app.repos.dongCenters.setTargets(district.id, hongje3.code, { slackChannel: 'C0HONGJE3' }, now);
    await app.repos.alertTargets.set(
      district.id,
      CALL_CENTER,
      { slackChannel: 'C0CALLCTR', telegramChatId: '-1001234567890' },
      now,
    );
    await addUser({ config, repos: app.repos }, 'staff1', 'staff');
    await addUser({ config, repos: app.repos }, 'hongje3', 'dong', '홍제3동');
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now });
    urgentNo = (await file(app.repos, partner.id, now, { name: '김철수', urgency: 'immediate', dong: hongje3 }))
      .receiptNo;
    visitNo = (await file(app.repos, partner.id, now, { name: '이영희', dong: hongje3 })).receiptNo;
    await applyReportAction(
      { reports: app.repos.reports, district },
      { id: 'user:staff1', role: 'staff' },
      visitNo,
      { type: 'request_visit', reason: '전화 안 받음' },
      now,
    );
    await sweepAlerts({
      repos: app.repos,
      district,
      senders: sendersFromConfig(config),
      owner: 'alert-log-test',
      now: () => new Date(),
      consoleUrl: app.baseUrl,
      windowMs: DAY,
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await capture?.stop();
    await db?.drop();
  });

  const signIn = (username: string, viewport?: { width: number; height: number }) =>
    signInAs(browser, app.baseUrl, username, viewport);

  it('shows staff every alert: what, which case, to whom, by which channel, sent or failed and when it is retried', async () => {
    const page = await signIn('staff1');
    await page.getByRole('link', { name: '알림 기록', exact: true }).click();
    await page.waitForURL(/\/console\/alerts$/);
    const rows = page.locator('table.alert-log tbody tr');
    expect(await rows.count()).to.equal(3);
    const text = await page.locator('table.alert-log').innerText();
    expect(text).to.contain('즉시 위험 접수').and.contain('방문 요청').and.contain(urgentNo).and.contain(visitNo);
    expect(text).to.contain('콜센터').and.contain('홍제3동').and.contain('Slack').and.contain('Telegram');
    const failedRow = await page.locator('tr.failed').innerText();
    expect(failedRow).to.contain('Telegram').and.contain('실패').and.contain('다시 보냄');
    expect(failedRow, 'the bot token in the failed URL is never shown')
      .to.contain('bot***')
      .and.not.contain('AAtest-token');
    expect(await page.locator('[role=status]').innerText())
      .to.contain('실패 1건')
      .and.contain('확인 필요');
    expect(await page.locator('main').innerText(), 'no names on the log')
      .to.not.contain('김철수')
      .and.not.contain('이영희');
    await page.screenshot({ path: `${ARTIFACTS}/alert-log.png`, fullPage: true });

    await page.getByLabel('보내지 못한 것만').check();
    await page.getByRole('button', { name: '보기' }).click();
    await page.waitForURL(/failed=1/);
    expect(await rows.count()).to.equal(1);
    await page.locator('tr.failed a', { hasText: urgentNo }).click();
    await page.waitForURL(new RegExp(`/console/reports/${urgentNo}$`));
  });

  it('reads on a phone, and is not for dong centers', async () => {
    const page = await signIn('staff1', { width: 390, height: 844 });
    await page.goto(`${app.baseUrl}/console/alerts`);
    await page.screenshot({ path: `${ARTIFACTS}/alert-log-phone.png`, fullPage: true });
    const res = await fetch(`${app.baseUrl}/console/alerts`, {
      headers: { cookie: await consoleCookie(app.baseUrl, 'hongje3') },
    });
    expect(res.status).to.equal(403);
    expect(await res.text())
      .to.contain('콜센터만 볼 수 있는 화면입니다')
      .and.not.contain(urgentNo);
  });
});
