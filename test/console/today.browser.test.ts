import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startAlertSweep } from '../../src/delivery/alerts';
import { sendersFromConfig } from '../../src/delivery/senders';
import { loadDistrict } from '../../src/domain/district';
import { applyReportAction } from '../../src/domain/workflow/apply-action';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { launchChromium, signIn as signInAs, until } from '../support/browser';
import { addUser, file } from '../support/console';
import { DeliveryCapture } from '../support/delivery-capture';
import { testDatabase } from '../support/database';
import { fillReport, giveContact, KakaoUser } from '../support/kakao-client';

const ARTIFACTS = 'test-artifacts';
const CALL_SLACK = 'C0CALLCTR';
const HONGJE3_SLACK = 'C0HONGJE3';
const DAY = 86_400_000;

describe("a call-center staff member's day in a real browser", function () {
  this.timeout(180_000);
  const district = loadDistrict('seodaemun');
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let capture: DeliveryCapture;
  let stopAlerts: () => Promise<void>;
  let partnerInvite: string;
  let followUpNo: string;
  let urgentNo = '';

  before(async () => {
    db = await testDatabase('console_today_browser');
    capture = await new DeliveryCapture().start();
    const config = testConfig({
      TODAY_POLL_SECONDS: '1',
      SLACK_BOT_TOKEN: 'xoxb-test-0000',
      SLACK_SIGNING_SECRET: 'slack-signing-secret-0123',
      SLACK_API_URL: capture.slackApiUrl,
    });
    app = await startTestApp(db.connection, { config });
    const now = () => new Date();
    await app.repos.dongCenters.seed(district.id, district.dongs, now());
    await app.repos.dongCenters.setTargets(
      district.id,
      district.dongByName('홍제3동')!.code,
      { slackChannel: HONGJE3_SLACK },
      now(),
    );
    await app.repos.alertTargets.set(
      district.id,
      district.dongByName('홍제3동')!.code,
      { privacy: { slack: 'full' } },
      now(),
    );
    await app.repos.alertTargets.set(
      district.id,
      'callcenter',
      { slackChannel: CALL_SLACK, privacy: { slack: 'full' } },
      now(),
    );
    stopAlerts = startAlertSweep(
      {
        repos: app.repos,
        district,
        senders: sendersFromConfig(config),
        owner: 'browser-test',
        now,
        consoleUrl: app.baseUrl,
        windowMs: DAY,
      },
      1,
    );
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: now() });
    partnerInvite = formatInviteCode(partner.inviteCode);
    await addUser({ config, repos: app.repos }, 'staff1', 'staff');
    await addUser({ config, repos: app.repos }, 'hongje3', 'dong', '홍제3동');
    // a household visited a week ago, with high crisis: its weekly check-in call is due today
    const weekAgo = new Date(Date.now() - 7 * DAY);
    const visited = await file(app.repos, partner.id, weekAgo, {
      name: '이순자',
      dong: { code: district.dongByName('연희동')!.code, name: '연희동' },
    });
    const deps = { reports: app.repos.reports, district };
    await applyReportAction(
      deps,
      { id: 'user:staff1', role: 'staff' },
      visited.receiptNo,
      { type: 'request_visit' },
      weekAgo,
    );
    await applyReportAction(
      deps,
      { id: 'user:staff1', role: 'staff' },
      visited.receiptNo,
      {
        type: 'visit_result',
        reached: true,
        investigationResult: '홀로 거주, 당뇨',
        enteredInSystem: true,
        crisisLevel: 'high',
        followUpNeeded: true,
      },
      weekAgo,
    );
    followUpNo = visited.receiptNo;
    browser = await launchChromium();
  });
  after(async () => {
    await stopAlerts?.();
    await browser?.close();
    await app?.close();
    await capture?.stop();
    await db?.drop();
  });

  // records the notifications the page raises (the headless browser shows none)
  // (a string: a compiled function could reference helpers the page does not have)
  const RECORD_NOTIFICATIONS = `
      window.__notes = [];
      window.Notification = class {
        static permission = 'granted';
        static requestPermission() { return Promise.resolve('granted'); }
        constructor(title, opts) { window.__notes.push({ title, body: opts.body }); }
      };`;
  const signIn = (username: string, viewport = { width: 1280, height: 900 }): Promise<Page> =>
    signInAs(browser, app.baseUrl, username, viewport, RECORD_NOTIFICATIONS);

  async function act(page: Page, label: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>) {
    const panel = page.locator('details.action', { has: page.locator('summary', { hasText: label }) });
    if ((await panel.getAttribute('open')) === null) await panel.locator('summary').click(); // the next step's form is open already
    await fill(panel);
    await panel.getByRole('button', { name: label }).click();
    await page.waitForURL(/\?done=/);
  }

  it('lands staff on 오늘 할 일, which announces a new 즉시 위험 report without a reload while the call center is alerted', async () => {
    const page = await signIn('staff1');
    expect(page.url()).to.match(/\/console\/today$/);
    expect(await page.locator('h1').innerText()).to.equal('오늘 할 일');
    expect(await page.locator('[data-count="check_in_call"]').innerText()).to.equal('1');
    expect(await page.locator('#s-rest').innerText())
      .to.contain(followUpNo)
      .and.contain('이순자')
      .and.contain('안부 전화');

    const reporter = new KakaoUser(app.baseUrl, 'today-browser-reporter');
    await reporter.say('신고');
    await reporter.say(partnerInvite);
    await giveContact(reporter);
    await reporter.say('취소');
    await fillReport(reporter, { urgency: '즉시 위험', name: '김철수' });
    await reporter.press('접수');
    urgentNo = /접수번호: (\d{4}-\d{6})/.exec(reporter.text())![1]!;

    // the page polls: no reload, the new report appears in the urgent section on top, with a banner (a link to it) and a notification
    await page.locator('#today-alert').filter({ hasText: urgentNo }).waitFor();
    expect(await page.locator('#today-alert a').getAttribute('href')).to.equal('#s-urgent');
    expect(await page.locator('[data-count="urgent"]').innerText()).to.equal('1');
    expect(await page.locator('#s-urgent li').first().innerText())
      .to.contain(urgentNo)
      .and.contain('즉시 위험')
      .and.contain('1차 상담')
      .and.contain('까지');
    const notes = (await page.evaluate(
      () => (window as unknown as { __notes: { title: string; body: string }[] }).__notes,
    )) as { title: string; body: string }[];
    expect(notes).to.have.length(1);
    expect(notes[0]!.body).to.contain(urgentNo).and.not.contain('김철수');
    await until("the call center's Slack channel gets the alert", () =>
      capture.messages('slack', CALL_SLACK).some((m) => m.fields.text!.includes(urgentNo)),
    );
    expect(capture.messages('slack', CALL_SLACK).find((m) => m.fields.text!.includes(urgentNo))!.fields.text)
      .to.contain('즉시 위험 신고')
      .and.contain(`${app.baseUrl}/console/reports/${urgentNo}`);
    await page.screenshot({ path: `${ARTIFACTS}/today-urgent-arrived.png`, fullPage: true });
  });

  it('opens the case from its line, records the consultation, takes the case and asks the dong center to visit', async () => {
    const page = await signIn('staff1');
    await page.locator('#s-urgent a', { hasText: urgentNo }).click();
    await page.waitForURL(new RegExp(`/console/reports/${urgentNo}$`));
    await act(page, '1차 상담 기록', async (f) => {
      await f.getByLabel('통화 결과').selectOption({ label: '부재' });
      await f.getByLabel('상담 결과').fill('세 번 걸었으나 받지 않음');
      await f.getByLabel('위기도').selectOption({ label: '높음' });
      await f.getByLabel('긴급복지 지원').check();
      await f.getByLabel('돌봄SOS').check();
    });
    await act(page, '담당 상담원 지정', async (f) => {
      await f.getByLabel('담당 상담원').selectOption('staff1');
    });
    await act(page, '방문 요청', (f) => f.getByLabel('요청 사유 (선택)').fill('전화 연결 안 됨, 즉시 방문 필요'));
    const facts = await page.locator('.facts').first().innerText();
    expect(facts).to.contain('방문 요청').and.contain('staff1').and.contain('높음');
    expect(await page.locator('section.card', { hasText: '1차 상담' }).innerText())
      .to.contain('부재')
      .and.contain('긴급복지 지원, 돌봄SOS');
    await until("the dong center's Slack channel gets the visit request", () =>
      capture.messages('slack', HONGJE3_SLACK).some((m) => m.fields.text!.includes(urgentNo)),
    );
    const request = capture.messages('slack', HONGJE3_SLACK).find((m) => m.fields.text!.includes(urgentNo))!.fields
      .text!;
    expect(request)
      .to.contain('방문 요청')
      .and.contain('요청 사유: 전화 연결 안 됨, 즉시 방문 필요')
      .and.contain('주소: 서울 서대문구 홍제3동')
      .and.contain('긴급도: 즉시 위험');
    await page.screenshot({ path: `${ARTIFACTS}/today-case-visit-requested.png`, fullPage: true });

    await page.goto(`${app.baseUrl}/console`);
    await page.getByText('검색 조건').click();
    await page.getByLabel('담당 상담원').selectOption({ label: '내 담당' });
    await page.getByRole('button', { name: '검색' }).click();
    await page.waitForURL(/\/console$/);
    const rows = page.locator('table.queue tbody tr');
    expect(await rows.count()).to.equal(1);
    expect(await rows.first().innerText())
      .to.contain(urgentNo)
      .and.contain('김철수')
      .and.contain('staff1');
    await page.screenshot({ path: `${ARTIFACTS}/today-queue-mine.png`, fullPage: true });
  });

  it('sends a 부재 visit back for a second visit, and tells the call center', async () => {
    const page = await signIn('hongje3', { width: 390, height: 844 });
    await page.getByRole('link', { name: urgentNo }).click();
    // a visit where nobody was met asks only when and what was seen, and when the dong goes again
    const missed = page.locator('details.action', { has: page.locator('summary', { hasText: '부재 방문 기록' }) });
    await missed.locator('summary').click();
    expect(await missed.locator('label').allInnerTexts()).to.deep.equal([
      '방문한 때 (지금이 아니면)',
      '본 것 (우편물, 인기척, 이웃 이야기 등)',
      '재방문 예정일 (선택)',
    ]);
    await missed.getByLabel('본 것').fill('문 두드렸으나 응답 없음, 우편물 쌓임');
    await missed.getByRole('button', { name: '부재 기록' }).click();
    await page.waitForURL(/\?done=/);
    expect(await page.locator('.facts').first().innerText()).to.contain('방문 요청');
    expect(await page.locator('details.action summary').allInnerTexts()).to.deep.equal([
      '방문 결과 보고',
      '부재 방문 기록 (대상자를 못 만남)',
    ]);
    await until('the call center hears of the visit', () =>
      capture
        .messages('slack', CALL_SLACK)
        .some((m) => m.fields.text!.includes('방문 결과') && m.fields.text!.includes(urgentNo)),
    );
    expect(
      capture.messages('slack', CALL_SLACK).find((m) => m.fields.text!.includes('방문 결과'))!.fields.text,
    ).to.contain('부재 (재방문 필요)');
    await page.screenshot({ path: `${ARTIFACTS}/today-second-visit-phone.png`, fullPage: true });
  });

  it('records the check-in call due today, which moves it a week on', async () => {
    const page = await signIn('staff1');
    await page.locator('#s-rest a', { hasText: followUpNo }).click();
    expect(await page.locator('#fu-h').isVisible()).to.equal(true);
    await act(page, '안부 전화 기록', async (f) => {
      await f.getByLabel('통화 결과').selectOption({ label: '통화' });
      await f.getByLabel('메모 (선택)').fill('혈당 관리 잘 하고 계심');
    });
    const card = await page.locator('section.card', { has: page.locator('#fu-h') }).innerText();
    const nextWeek = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(
      new Date(Date.now() + 7 * DAY),
    );
    expect(card).to.contain(nextWeek).and.contain('7일마다').and.contain('1회').and.contain('통화');
    expect(await page.locator('ol.timeline li').last().innerText())
      .to.contain('안부 전화 기록')
      .and.contain('혈당 관리');
    await page.screenshot({ path: `${ARTIFACTS}/today-follow-up-call.png`, fullPage: true });
    await page.goto(`${app.baseUrl}/console/today`);
    expect(await page.locator('[data-count="check_in_call"]').innerText()).to.equal('0');
    expect(
      await page.locator('[data-count="urgent"]').innerText(),
      "the urgent case waits for the dong center's visit, not for the call center",
    ).to.equal('0');
    await page.screenshot({ path: `${ARTIFACTS}/today-end-of-day.png`, fullPage: true });
  });
});
