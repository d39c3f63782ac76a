import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { launchChromium } from '../support/browser';
import { testDatabase } from '../support/database';

const ARTIFACTS = 'test-artifacts';

describe('Front door in a real browser (Chromium via playwright-core)', function () {
  this.timeout(180_000); // page waits are bounded by PAGE_WAIT_MS (test/support/browser.ts)
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let browser: Browser;

  before(async () => {
    db = await testDatabase('home_browser');
    app = await startTestApp(db.connection, {
      config: testConfig({ WEBCHAT_COOKIE_SECRET: 'home-browser-cookie-secret-0123456789abcdef' }),
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  it('fits a phone, breaks no CSP rule, and its web chat link opens the chat', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'ko-KR',
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(`${app.baseUrl}/`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.include('사각');
    const nav = page.getByRole('navigation', { name: '바로가기' });
    for (const name of ['웹 채팅으로 신고하기', '상담 콘솔', 'API 설명 (OpenAPI)'])
      expect(await nav.getByRole('link', { name }).isVisible(), name).to.equal(true);
    // Nothing wider than the phone: the long setup commands wrap instead of scrolling sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).to.be.at.most(0);
    // The stylesheet applied (it is the only style the CSP allows): the cards have their border.
    const border = await nav
      .locator('li')
      .first()
      .evaluate((li) => getComputedStyle(li).borderTopStyle);
    expect(border).to.equal('solid');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/home-phone.png`, fullPage: true });

    await nav.getByRole('link', { name: '웹 채팅으로 신고하기' }).click();
    await page.waitForURL(`${app.baseUrl}/chat`);
    expect(await page.getByLabel('메시지 입력').isVisible()).to.equal(true);
    expect(problems).to.deep.equal([]);
    await context.close();
  });
});
