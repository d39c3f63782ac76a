import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, file, PASSWORD } from '../support/console';
import { launchChromium } from '../support/browser';
import { testDatabase } from '../support/database';
import { fillReport, KakaoUser, giveContact } from '../support/kakao-client';

const ARTIFACTS = 'test-artifacts';

describe('console in a real browser: staff triage, dong visit, timeline', function () {
  this.timeout(180_000);
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let urgentNo: string;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    db = await testDatabase('console_browser');
    const config = testConfig();
    app = await startTestApp(db.connection, { config });
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    await addUser({ config, repos: app.repos }, 'staff1', 'staff');
    await addUser({ config, repos: app.repos }, 'hongje1', 'dong', '홍제1동');
    // An older ordinary report, then a new urgent one filed by chat as a partner would.
    await file(app.repos, partner.id, new Date(Date.now() - 3 * 86_400_000), { urgency: 'normal' });
    const reporter = new KakaoUser(app.baseUrl, 'browser-test-reporter');
    await reporter.say('신고');
    await reporter.say(formatInviteCode(partner.inviteCode));
    await giveContact(reporter);
    await reporter.say('취소');
    await fillReport(reporter, { urgency: '즉시 위험' });
    await reporter.press('접수');
    urgentNo = /접수번호: (\d{4}-\d{6})/.exec(reporter.text())![1]!;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  async function signIn(username: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await (await browser.newContext({ viewport, locale: 'ko-KR' })).newPage();
    await page.goto(`${app.baseUrl}/console`);
    expect(page.url()).to.match(/\/console\/login$/);
    await page.getByLabel('아이디').fill(username);
    await page.getByLabel('비밀번호').fill(PASSWORD);
    await page.getByRole('button', { name: '로그인' }).click();
    // staff land on the day's worklist, a dong center on its queue
    await page.waitForURL(/\/console(\/today)?$/);
    if (page.url().endsWith('/today')) await page.goto(`${app.baseUrl}/console`);
    return page;
  }

  async function act(page: Page, label: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>) {
    const panel = page.locator('details.action', { has: page.locator('summary', { hasText: label }) });
    if ((await panel.getAttribute('open')) === null) await panel.locator('summary').click(); // the next step's form is open already
    await fill(panel);
    await panel.getByRole('button', { name: label }).click();
    await page.waitForURL(/\?done=/);
  }

  it('lets staff find the new urgent report on top, consult it and assign it to a dong', async () => {
    const page = await signIn('staff1');
    const rows = page.locator('table.queue tbody tr');
    expect(await rows.count()).to.equal(2);
    expect(await rows.first().locator('td').first().innerText()).to.equal(urgentNo);
    expect(await rows.first().innerText())
      .to.contain('즉시 위험')
      .and.contain('오늘 접수 · 상담 필요');
    expect(await page.locator('.stat.today strong').innerText()).to.equal('1');
    await page.screenshot({ path: `${ARTIFACTS}/console-queue.png`, fullPage: true });

    await page.getByRole('link', { name: urgentNo }).click();
    await act(page, '1차 상담 기록', (f) => f.getByLabel('상담 결과').fill('전화 상담: 혼자 거동이 어려움, 방문 필요'));
    expect(await page.locator('.notice').innerText()).to.contain('1차 상담 기록');
    await act(page, '동 주민센터 배정', async (f) => {
      await f.getByLabel('배정할 동 주민센터').selectOption({ label: '홍제1동' });
    });
    expect(await page.locator('.facts').first().innerText())
      .to.contain('홍제1동')
      .and.contain('동 주민센터 배정');
    await page.screenshot({ path: `${ARTIFACTS}/console-detail.png`, fullPage: true });
  });

  it('shows the dong user only that report, on a phone-width screen, and takes its visit report', async () => {
    const page = await signIn('hongje1', { width: 390, height: 844 });
    const rows = page.locator('table.queue tbody tr');
    expect(await rows.count()).to.equal(1);
    expect(await rows.first().innerText()).to.contain(urgentNo);
    await page.screenshot({ path: `${ARTIFACTS}/console-queue-phone.png`, fullPage: true });
    await page.getByRole('link', { name: urgentNo }).click();
    expect(await page.locator('details.action summary').allInnerTexts()).to.deep.equal([
      '방문 결과 보고',
      '부재 방문 기록 (대상자를 못 만남)',
    ]);
    await act(page, '방문 결과 보고', async (f) => {
      await f.getByLabel('조사 결과').fill('방문함: 기초생활수급 신청 안내');
      await f.getByLabel('지원 내용 (선택)').fill('쌀 10kg 전달');
      await f.getByLabel('사통망 입력').selectOption('yes');
      await f.getByLabel('위기도').selectOption('medium');
      await f.getByLabel('사후관리 필요').selectOption('no');
    });
    expect(await page.locator('.facts').first().innerText()).to.contain('방문 완료');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).to.be.at.most(390);
  });

  it('shows staff the whole timeline', async () => {
    const page = await signIn('staff1');
    await page.goto(`${app.baseUrl}/console/reports/${urgentNo}`);
    const items = await page.locator('ol.timeline li').allInnerTexts();
    expect(
      items.map(
        (t) =>
          t
            .split('\n')
            .find((l) => l.includes(' · '))
            ?.split(' · ')[0],
      ),
    ).to.deep.equal(
      [
        '접수',
        '신고자 추가 내용',
        '1차 상담 기록',
        '동 주민센터 배정',
        '방문 결과 보고',
      ] /* the urgent report was filed at once, then completed by the reporter */,
    );
    expect(items[1]).to.contain('채팅으로 더한 내용: 위기 징후, 이름, 나이, 연락처, 상황');
    expect(items[4]).to.contain('hongje1').and.contain('방문함: 기초생활수급 신청 안내');
    expect(items[3]).to.contain('홍제3동 → 홍제1동');
  });
});
