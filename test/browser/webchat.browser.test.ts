import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { launchChromium } from '../support/browser';
import { testDatabase } from '../support/database';

const ARTIFACTS = 'test-artifacts';

/** Does one thing on the page and waits until the bot has answered it. */
async function act(page: Page, action: () => Promise<void>, opts: { newPage?: boolean } = {}): Promise<void> {
  // A (re)loaded page starts with an empty log.
  const answered = opts.newPage ? 0 : await page.locator('#log .bubble.bot, #log .bubble.error').count();
  await action();
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll('#log .bubble.bot, #log .bubble.error').length > n &&
      document.getElementById('log')!.getAttribute('aria-busy') === 'false',
    answered,
  );
  // The page brings the answer into view on the next frame, once the layout settled: what a
  // person sees is the frame after that.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** Whether the newest bot bubble can be read: inside the log's visible box (its start, when taller than the box). */
async function newestBotVisible(page: Page): Promise<{ visible: boolean; text: string }> {
  return page.evaluate(() => {
    const log = document.getElementById('log')!;
    const bots = log.querySelectorAll('.bubble.bot');
    const newest = bots[bots.length - 1] as HTMLElement;
    const box = log.getBoundingClientRect();
    const r = newest.getBoundingClientRect();
    const fits = r.height <= box.height;
    const visible = fits
      ? r.top >= box.top - 1 && r.bottom <= box.bottom + 1
      : r.top >= box.top - 1 && r.top < box.bottom - 20;
    return { visible, text: newest.textContent ?? '' };
  });
}

describe('Web chat in a real browser (Chromium via playwright-core)', function () {
  this.timeout(180_000); // page waits are bounded by PAGE_WAIT_MS (test/support/browser.ts)
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let inviteCode: string;

  before(async () => {
    db = await testDatabase('webchat_browser');
    app = await startTestApp(db.connection, {
      config: testConfig({ WEBCHAT_COOKIE_SECRET: 'browser-test-cookie-secret-0123456789abcdef' }),
    });
    const partner = await app.repos.partners.create({ name: '홍제동 야쿠르트', kind: 'delivery', now: new Date() });
    inviteCode = formatInviteCode(partner.inviteCode);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  it('files a report from a phone-sized page, surviving a reload mid-conversation', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'ko-KR',
      isMobile: true,
      hasTouch: true,
    });
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
    const press = (label: string) =>
      act(page, () =>
        page.getByRole('group', { name: '빠른 답변' }).getByRole('button', { name: label, exact: true }).click(),
      );

    await act(
      page,
      async () => {
        await page.goto(`${app.baseUrl}/chat`);
      },
      { newPage: true },
    );
    expect(await log.innerText()).to.contain('"신고"를');
    await press('신고');
    await typeAndSend(inviteCode);
    expect(await log.innerText()).to.contain('홍제동 야쿠르트 소속으로 등록되었습니다');
    await typeAndSend('김집배');
    await typeAndSend('010-9876-5432');
    await press('빠른 확인 필요');
    // An address no key can place: 16 dong buttons appear, and the question above them stays in view.
    await typeAndSend('서울 서대문구 어딘가 골목 끝집');
    expect(await page.getByRole('group', { name: '빠른 답변' }).getByRole('button').count()).to.equal(16);
    const shown = await newestBotVisible(page);
    expect(shown.text).to.contain('담당 주민센터를 찾지 못했습니다');
    expect(shown.visible, 'the newest question is hidden behind the buttons').to.equal(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/webchat-dong-buttons.png` });
    // The on-screen keyboard shrinks the visible page: the question stays in view.
    await input.focus();
    await page.setViewportSize({ width: 390, height: 480 });
    // the page fits itself to the visual viewport, then scrolls on the next frame
    await page.waitForFunction(
      () =>
        window.visualViewport?.height === 480 && document.querySelector<HTMLElement>('.chat')?.style.height === '480px',
    );
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await page.screenshot({ path: `${ARTIFACTS}/webchat-keyboard-open.png` });
    expect((await newestBotVisible(page)).visible, 'hidden when the keyboard opened').to.equal(true);
    await page.setViewportSize({ width: 390, height: 844 });
    await press('홍제3동');
    await press('공과금 체납·단전·단수');
    expect(await log.innerText()).to.contain('현재 선택: 공과금 체납·단전·단수');
    // Toggles say whether they are chosen.
    const choiceButton = (name: string) =>
      page.getByRole('group', { name: '빠른 답변' }).getByRole('button', { name, exact: true });
    expect(await choiceButton('공과금 체납·단전·단수').getAttribute('aria-pressed')).to.equal('true');
    expect(await choiceButton('우편물·전단지 적체').getAttribute('aria-pressed')).to.equal('false');
    expect(await choiceButton('선택 완료').getAttribute('aria-pressed')).to.equal(null);

    // Reload: the same cookie brings back the same conversation, and the page shows the current question.
    await act(
      page,
      async () => {
        await page.reload();
      },
      { newPage: true },
    );
    expect(await log.innerText())
      .to.contain('3/8')
      .and.contain('현재 선택: 공과금 체납·단전·단수');
    await press('우편물·전단지 적체');
    await press('선택 완료');
    await typeAndSend('홍길동');
    await act(page, async () => {
      await input.fill('70대');
      await input.press('Enter'); // Enter sends, as in a messenger
    });
    expect(await log.innerText()).to.contain('6/8');
    await typeAndSend('010-1234-5678');
    // Markup typed by a user is shown as text, never run.
    const markup = '<img src=x onerror="window.__xss=1">두 달째 전기요금이 밀렸습니다';
    await typeAndSend(markup);
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
    expect(stored!.reporterContact).to.deep.equal({ name: '김집배', phone: '010-9876-5432' });
    // The receipt number never breaks at its dash; 새 신고 and 조회 follow the receipt.
    const receiptSpan = page.locator('#log .nowrap', { hasText: receipt! });
    expect(await receiptSpan.evaluate((el) => getComputedStyle(el).whiteSpace)).to.equal('nowrap');
    expect(await page.getByRole('group', { name: '빠른 답변' }).getByRole('button').allInnerTexts()).to.deep.equal([
      '새 신고',
      '조회',
    ]);
    expect((await newestBotVisible(page)).visible).to.equal(true);

    await page.screenshot({ path: `${ARTIFACTS}/webchat-report-filed.png`, fullPage: true });

    // 즉시 위험: tap-to-call links for 112 and 119 at once.
    await press('새 신고');
    await press('즉시 위험');
    const calls = page.locator('#log a.call');
    expect(await calls.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')))).to.deep.equal(
      ['tel:112', 'tel:119'],
    );
    expect(await page.getByRole('link', { name: /112 경찰 전화/ }).isVisible()).to.equal(true);
    await page.screenshot({ path: `${ARTIFACTS}/webchat-emergency-calls.png` });
    // On a small phone the answer to the address (receipt, what happens now, the next question)
    // is taller than the screen: it is shown from its start, so the receipt is not scrolled past.
    await page.setViewportSize({ width: 360, height: 640 });
    await typeAndSend('연희로 50');
    const start = await page.evaluate(() => {
      const log = document.getElementById('log')!.getBoundingClientRect();
      const filed = [...document.querySelectorAll('#log .bubble.bot')].find((b) =>
        b.textContent!.startsWith('긴급 신고로 바로 접수했습니다'),
      )!;
      const r = filed.getBoundingClientRect();
      return { top: r.top - log.top, readable: r.top >= log.top - 1 && r.top < log.bottom - 40 };
    });
    expect(start.readable, `the receipt starts ${start.top}px from the log's top`).to.equal(true);
    await page.screenshot({ path: `${ARTIFACTS}/webchat-urgent-filed-small.png` });
    expect(pageErrors).to.deep.equal([]);
    await context.close();
  });
});
