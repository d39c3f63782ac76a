import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { sendersFromConfig } from '../../src/delivery/senders';
import { startUrgentSweep } from '../../src/delivery/urgent-route';
import { loadDistrict } from '../../src/domain/district';
import { applyReportAction } from '../../src/domain/workflow/apply-action';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { launchChromium, signIn, until } from '../support/browser';
import { addUser } from '../support/console';
import { testDatabase } from '../support/database';
import { giveContact, KakaoUser } from '../support/kakao-client';
import { kst } from '../support/report-fixtures';
import { log } from '../../src/log';

const WEBHOOK_SECRET = 'webhook-secret-0123456789abcdefghijklmnop';
const ACK_SECRET = 'ack-secret-0123456789abcdefghijklmnopqrstu';
const MIN = 60_000;
/** Screenshots to look at: SAGAK_SCREENSHOT_DIR when set, else the run's temporary folder (removed after the run). */
const SHOTS = process.env.SAGAK_SCREENSHOT_DIR ?? join(tmpdir(), 'screenshots');

/** The district's on-call system on loopback: records every signed POST by path. */
async function startOnCallEndpoint() {
  const received: { path: string; body: Record<string, unknown> }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: (path: string) => `http://127.0.0.1:${port}/${path}`,
    to: (path: string, receiptNo: string) =>
      received.filter((r) => r.path === `/${path}` && r.body.receiptNo === receiptNo),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * The urgent route out of hours, walked in a real browser: an admin sets the on-call target and
 * the escalation list; an urgent report arrives by Kakao at 02:00 (the app's clock; the browser
 * keeps the real one); the on-call webhook receives it; nobody acknowledges, so after the set
 * minutes it is sent again and escalated; staff acknowledge it in the console; the reporter was
 * told the on-call route. A second alert is acknowledged with the alert's own link.
 */
describe('an urgent report at 02:00 reaches the on-call person and escalates until acknowledged, in a real browser', function () {
  this.timeout(180_000);
  const district = loadDistrict('seodaemun');
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let endpoint: Awaited<ReturnType<typeof startOnCallEndpoint>>;
  let stopSweep: (() => Promise<void>) | undefined;
  let inviteCode: string;
  let clock = kst('2026-12-05 02:00'); // Saturday, 02:00 Seoul time
  let passes = 0;
  let urgentNo = '';
  let reporter: KakaoUser;

  /** Waits for two whole sweep passes that began after now (each reads the clock as it is). */
  const twoPasses = () => {
    const target = passes + 2;
    return until('two urgent sweep passes', () => passes >= target);
  };

  before(async () => {
    log.level = 'silent';
    mkdirSync(SHOTS, { recursive: true });
    db = await testDatabase('urgent_on_call_browser');
    endpoint = await startOnCallEndpoint();
    const config = testConfig({
      ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      URGENT_ACK_SECRET: ACK_SECRET,
      URGENT_ACK_MINUTES: '15',
    });
    app = await startTestApp(db.connection, { config, now: () => clock });
    await app.repos.dongCenters.seed(district.id, district.dongs, clock);
    stopSweep = startUrgentSweep(
      {
        repos: app.repos,
        district,
        senders: sendersFromConfig(config),
        owner: 'browser-urgent',
        now: () => clock,
        consoleUrl: app.baseUrl,
        ackMinutes: config.URGENT_ACK_MINUTES,
        ackSecret: config.URGENT_ACK_SECRET,
      },
      1,
      { onPass: () => passes++ },
    );
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: clock });
    inviteCode = formatInviteCode(partner.inviteCode);
    await addUser({ config, repos: app.repos }, 'chief', 'admin');
    await addUser({ config, repos: app.repos }, 'staff1', 'staff');
    await addUser({ config, repos: app.repos }, 'hongje3', 'dong', '홍제3동');
    browser = await launchChromium();
  });
  after(async () => {
    await stopSweep?.();
    await browser?.close();
    await app?.close();
    await endpoint?.stop();
    await db?.drop();
  });

  async function urgentByKakao(userId: string, address: string): Promise<{ user: KakaoUser; receiptNo: string }> {
    const user = new KakaoUser(app.baseUrl, userId);
    await user.say('신고');
    await user.say(inviteCode);
    await giveContact(user);
    await user.say('취소');
    await user.say('신고');
    await user.press('즉시 위험');
    await user.say(address);
    return { user, receiptNo: /접수번호: (\d{4}-\d{6})/.exec(user.text())![1]! };
  }

  it('lets an admin set the on-call hours, target and escalation list; a bad line gets a Korean message', async () => {
    const admin = await signIn(browser, app.baseUrl, 'chief');
    await admin.goto(`${app.baseUrl}/console/admin/alerts`);
    const section = admin.locator('#on-call');
    expect(await section.innerText()).to.contain('당직 받는 곳 없음');
    await admin.getByLabel('당직 시간 (평일, 예: 18:00-09:00)').fill('18:00-09:00');
    await admin
      .getByLabel('당직 받는 곳과 에스컬레이션 순서 (한 줄에 하나: 종류 주소)')
      .fill(`webhook ${endpoint.url('duty')}\nwebhook http://sms.example.go.kr/chief`);
    await admin.getByRole('button', { name: '당직 저장' }).click();
    expect(await admin.locator('p.alert').innerText()).to.contain('2번째 줄을 "종류 주소"로 적어 주세요');
    expect(
      await admin.getByLabel('당직 받는 곳과 에스컬레이션 순서 (한 줄에 하나: 종류 주소)').inputValue(),
      'what was typed stays',
    ).to.contain('sms.example.go.kr');
    await admin
      .getByLabel('당직 받는 곳과 에스컬레이션 순서 (한 줄에 하나: 종류 주소)')
      .fill(`webhook ${endpoint.url('duty')}\nwebhook ${endpoint.url('chief')}`);
    await admin.getByRole('button', { name: '당직 저장' }).click();
    await admin.waitForURL(/done=oncall$/);
    expect(await admin.locator('#on-call').innerText())
      .to.contain('작동 · 지금 당직 시간')
      .and.contain('평일 18:00–09:00 · 주말·공휴일 종일');
    await admin.screenshot({ path: join(SHOTS, 'admin-on-call.png'), fullPage: true });
  });

  it('an urgent report by Kakao at 02:00 reaches the on-call webhook at once, and the reporter is told so', async () => {
    ({ user: reporter, receiptNo: urgentNo } = await urgentByKakao('night-reporter', '홍제3동 문화촌아파트 105동'));
    expect(reporter.text())
      .to.contain('당직 담당자에게 바로 알렸습니다')
      .and.contain('112·119')
      .and.not.contain('12월 7일(월) 아침');
    await until('the on-call webhook receives the alert', () => endpoint.to('duty', urgentNo).length === 1);
    const alert = endpoint.to('duty', urgentNo)[0]!.body;
    expect(alert).to.include({ kind: 'urgent_on_call', step: 0, link: `${app.baseUrl}/console/reports/${urgentNo}` });
    expect(String(alert.ackUrl)).to.match(new RegExp(`^${app.baseUrl}/console/urgent-ack/`));
    expect(JSON.stringify(alert), 'minimal: no address or name').to.not.contain('문화촌').and.not.contain('김');
  });

  it('not acknowledged: nothing more before the set minutes, then sent again and escalated once', async () => {
    const staff = await signIn(browser, app.baseUrl, 'staff1');
    const wait = staff.locator('#s-urgent-ack');
    expect(await wait.innerText())
      .to.contain(urgentNo)
      .and.contain('당직 알림 1차까지 보냄')
      .and.contain('다음 재알림');
    clock = new Date(clock.getTime() + 14 * MIN);
    await twoPasses();
    expect(endpoint.to('chief', urgentNo), 'not before 15 minutes').to.have.length(0);
    clock = new Date(clock.getTime() + 1 * MIN);
    await until('escalated to the next in the list', () => endpoint.to('chief', urgentNo).length === 1);
    await until('sent again to the on-call target', () => endpoint.to('duty', urgentNo).length === 2);
    expect(endpoint.to('chief', urgentNo)[0]!.body.step).to.equal(1);
    await twoPasses();
    expect(endpoint.to('chief', urgentNo).length + endpoint.to('duty', urgentNo).length, 'each once').to.equal(3);
    await staff.reload();
    expect(await wait.innerText()).to.contain('당직 알림 2차까지 보냄');
    await staff.screenshot({ path: join(SHOTS, 'today-callcenter-urgent-wait.png'), fullPage: true });
  });

  it('staff acknowledge it on the today page; the case history says who and when; no more alerts', async () => {
    const staff = await signIn(browser, app.baseUrl, 'staff1');
    await staff.getByRole('button', { name: `${urgentNo} 긴급 알림 확인` }).click();
    await staff.waitForURL(/ack=ok/);
    expect(await staff.locator('p.notice').innerText()).to.contain('긴급 알림을 확인했습니다');
    expect(await staff.locator('#s-urgent-ack').count(), 'nothing waits any more').to.equal(0);
    await staff.goto(`${app.baseUrl}/console/reports/${urgentNo}`);
    const history = await staff.locator('.timeline').innerText();
    expect(history).to.contain('긴급 알림 확인').and.contain('staff1').and.contain('콘솔, 2차 알림 뒤');
    expect(await staff.locator('#urgent-wait').count()).to.equal(0);
    clock = new Date(clock.getTime() + 60 * MIN);
    await twoPasses();
    expect(
      endpoint.to('chief', urgentNo).length + endpoint.to('duty', urgentNo).length,
      'acknowledged: nothing more',
    ).to.equal(3);
    // the reporter's reply named the on-call route
    expect(reporter.text()).to.contain('당직 담당자에게 바로 알렸습니다');
  });

  it("the alert's own link acknowledges without signing in, shows no personal data, and only once", async () => {
    const { receiptNo } = await urgentByKakao('night-reporter-2', '연희로 11');
    await until('the on-call webhook receives the second alert', () => endpoint.to('duty', receiptNo).length === 1);
    const ackUrl = String(endpoint.to('duty', receiptNo)[0]!.body.ackUrl);
    const context = await browser.newContext({ locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
    const page: Page = await context.newPage();
    await page.goto(ackUrl);
    const text = await page.locator('main').innerText();
    expect(text).to.contain(receiptNo).and.contain('당직 알림입니다').and.not.contain('연희로');
    expect(
      await app.repos.onCall.pendingOf(district.id, receiptNo),
      'opening the link acknowledges nothing',
    ).to.not.equal(undefined);
    await page.getByRole('button', { name: '확인' }).click();
    expect(await page.locator('main').innerText()).to.contain('긴급 알림을 확인했습니다');
    await page.goto(ackUrl);
    expect(await page.locator('main').innerText()).to.contain('이미 확인된 알림입니다');
    await page.goto(ackUrl.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
    expect(await page.locator('main').innerText(), 'a changed token').to.contain('확인 링크가 올바르지 않습니다');
    await context.close();
    const report = await app.repos.reports.byReceiptNo(district.id, receiptNo);
    expect(report!.history.filter((h) => h.action === 'acknowledge_urgent').map((h) => h.by)).to.deep.equal([
      '알림 링크(1차 알림)',
    ]);
  });

  it("the dong center's today page shows the visit it was asked for (screenshot)", async () => {
    clock = kst('2026-12-07 10:00'); // Monday morning: the call center consulted and asked 홍제3동 to visit
    const deps = { reports: app.repos.reports, district };
    const actor = { id: 'user:staff1', role: 'staff' as const };
    await applyReportAction(
      deps,
      actor,
      urgentNo,
      { type: 'consult', result: '통화 안 됨', callOutcome: 'no_answer' },
      clock,
    );
    await applyReportAction(
      deps,
      actor,
      urgentNo,
      { type: 'assign', dongCode: district.dongByName('홍제3동')!.code },
      clock,
    );
    await applyReportAction(
      deps,
      actor,
      urgentNo,
      { type: 'request_visit', reason: '야간 긴급 신고, 전화 안 됨' },
      clock,
    );
    const dong = await signIn(browser, app.baseUrl, 'hongje3');
    expect(await dong.locator('#s-urgent').innerText()).to.contain(urgentNo);
    expect(await dong.locator('#s-urgent-ack').count(), "the call center's waits are not the dong's").to.equal(0);
    await dong.screenshot({ path: join(SHOTS, 'today-dong-hongje3.png'), fullPage: true });
    const staff = await signIn(browser, app.baseUrl, 'staff1');
    await staff.screenshot({ path: join(SHOTS, 'today-callcenter-monday.png'), fullPage: true });
  });
});
