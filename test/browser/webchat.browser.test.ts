import { expect } from 'chai';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { formatInviteCode } from '../../src/store/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { testDatabase } from '../support/database';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = 'test-artifacts';

/** Does one thing on the page and waits until the bot has answered it. */
async function act(page: Page, action: () => Promise<void>, opts: { newPage?: boolean } = {}): Promise<void> {
  // A (re)loaded page starts with an empty log.
  const answered = opts.newPage ? 0 : await page.locator('#log .bubble.bot, #log .bubble.error').count();
  await action();
  await page.waitForFunction(
    (n) => document.querySelectorAll('#log .bubble.bot, #log .bubble.error').length > n && document.getElementById('log')!.getAttribute('aria-busy') === 'false',
    answered,
  );
}

describe('Web chat in a real browser (Chromium via playwright-core)', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let inviteCode: string;

  before(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium" (.ci/run does) or set CHROMIUM_PATH`);
    }
    db = await testDatabase('webchat_browser');
    app = await startTestApp(db.connection, { config: testConfig({ WEBCHAT_COOKIE_SECRET: 'browser-test-cookie-secret-0123456789abcdef' }) });
    const partner = await app.repos.partners.create({ name: '홍제동 야쿠르트', kind: 'delivery', now: new Date() });
    inviteCode = formatInviteCode(partner.inviteCode);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  it('files a report from a phone-sized page, surviving a reload mid-conversation', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ko-KR', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const log = page.getByRole('log');
    const input = page.getByLabel('메시지 입력');
    const typeAndSend = (text: string) =>
      act(page, async () => {
        await input.fill(text);
        await page.getByRole('button', { name: '보내기' }).click();
      });
    const press = (label: string) => act(page, () => page.getByRole('group', { name: '빠른 답변' }).getByRole('button', { name: label, exact: true }).click());

    await act(page, async () => {
      await page.goto(`${app.baseUrl}/chat`);
    }, { newPage: true });
    expect(await log.innerText()).to.contain('"신고"를');
    await press('신고');
    await typeAndSend(inviteCode);
    expect(await log.innerText()).to.contain('홍제동 야쿠르트 소속으로 등록되었습니다');
    await typeAndSend('서울 서대문구 홍제3동 문화촌아파트 101동');
    await press('맞음');
    await press('공과금 체납·단전·단수');
    expect(await log.innerText()).to.contain('현재 선택: 공과금 체납·단전·단수');

    // Reload: the same cookie brings back the same conversation, and the page shows the current question.
    await act(page, async () => {
      await page.reload();
    }, { newPage: true });
    expect(await log.innerText()).to.contain('2/8').and.contain('현재 선택: 공과금 체납·단전·단수');
    await press('우편물·전단지 적체');
    await press('선택 완료');
    await typeAndSend('홍길동');
    await act(page, async () => {
      await input.fill('70대');
      await input.press('Enter'); // Enter sends, as in a messenger
    });
    expect(await log.innerText()).to.contain('5/8');
    await typeAndSend('010-1234-5678');
    // Markup typed by a user is shown as text, never run.
    const markup = '<img src=x onerror="window.__xss=1">두 달째 전기요금이 밀렸습니다';
    await typeAndSend(markup);
    await press('빠른 확인 필요');
    expect(await log.innerText()).to.contain('신고 내용을 확인해 주세요');
    expect(await log.innerText()).to.contain(markup);
    expect(await page.locator('#log img').count()).to.equal(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).to.equal(undefined);

    // Readable on a phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).to.equal(true);

    await press('접수');
    const receipt = /접수번호: (\d{4}-\d{6})/.exec(await log.innerText())?.[1];
    expect(receipt).to.match(/^\d{4}-\d{6}$/);
    const stored = await app.repos.reports.byReceiptNo('seodaemun', receipt!);
    expect(stored!.reporter.channel).to.equal('web');
    expect(stored!.situation).to.equal(markup);
    expect(stored!.signs).to.deep.equal(['utility_arrears', 'mail_piled']);
    expect(stored!.partner.name).to.equal('홍제동 야쿠르트');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/webchat-report-filed.png`, fullPage: true });
    expect(pageErrors).to.deep.equal([]);
    await context.close();
  });
});

