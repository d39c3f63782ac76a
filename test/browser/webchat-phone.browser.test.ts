import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { launchChromium } from '../support/browser';
import { testDatabase } from '../support/database';

const ARTIFACTS = 'test-artifacts';

/** Does one thing on the page and waits until the bot has answered it (and the next frame is drawn). */
async function act(page: Page, action: () => Promise<void>, fresh = false): Promise<void> {
  const answered = fresh ? 0 : await page.locator('#log .bubble.bot, #log .bubble.error').count();
  await action();
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll('#log .bubble.bot, #log .bubble.error').length > n &&
      document.getElementById('log')!.getAttribute('aria-busy') === 'false',
    answered,
  );
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** Issue 22: the web chat as a phone user expects it, at 390×844 (screenshots in test-artifacts/). */
describe('Web chat on a phone: call links, 선택 완료, the receipt, a refused long message', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let inviteCode: string;

  before(async () => {
    db = await testDatabase('webchat_phone');
    app = await startTestApp(db.connection, {
      config: testConfig({ WEBCHAT_COOKIE_SECRET: 'phone-test-cookie-secret-0123456789abcdef' }),
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

  it('files a report on a 390×844 screen the way a phone user expects', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'ko-KR',
      isMobile: true,
      hasTouch: true,
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.baseUrl });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const input = page.getByLabel('메시지 입력');
    const say = (text: string) =>
      act(page, async () => {
        await input.fill(text);
        await page.getByRole('button', { name: '보내기' }).click();
      });
    const buttons = page.getByRole('group', { name: '빠른 답변' });
    const press = (label: string) => act(page, () => buttons.getByRole('button', { name: label, exact: true }).click());

    await act(page, () => page.goto(`${app.baseUrl}/chat`).then(() => {}), true);
    // tap-to-call in the header, visible without scrolling
    const calls = page.locator('header a[href^="tel:"]');
    expect(await calls.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).to.deep.equal([
      'tel:112',
      'tel:119',
    ]);
    for (const box of await Promise.all([calls.nth(0).boundingBox(), calls.nth(1).boundingBox()])) {
      expect(box!.y + box!.height).to.be.below(844);
      expect(box!.height, 'a thumb-sized target').to.be.at.least(44);
    }

    await press('신고');
    await say(inviteCode);
    await say('김집배');
    await say('010-9876-5432');

    // a message refused as too long stays in the box, to be shortened
    const long = `문 앞에 우편물이 쌓여 있습니다. ${'가'.repeat(1100)}`;
    await say(long);
    expect(await page.getByRole('log').innerText()).to.contain('보내신 메시지가 너무 깁니다');
    expect(await input.inputValue()).to.equal(long);
    await page.screenshot({ path: `${ARTIFACTS}/webchat-phone-long-kept.png` });
    await input.fill('');

    await press('일반');
    await say('홍제3동 문화촌아파트 101동');
    await press('맞음');
    await press('우편물·전단지 적체');
    // "선택 완료" is set apart: its own full-width row after the options, styled as the action
    const done = buttons.getByRole('button', { name: '선택 완료', exact: true });
    expect(await done.getAttribute('class')).to.equal('done');
    const [doneBox, optionBox, groupBox] = await Promise.all([
      done.boundingBox(),
      buttons.getByRole('button', { name: '기타', exact: true }).boundingBox(),
      buttons.boundingBox(),
    ]);
    expect(doneBox!.y, 'below every option').to.be.above(optionBox!.y);
    expect(doneBox!.width, 'the width of the button box').to.be.above(groupBox!.width - 40);
    expect(await done.evaluate((b) => getComputedStyle(b).backgroundColor)).to.not.equal(
      await buttons
        .getByRole('button', { name: '기타', exact: true })
        .evaluate((b) => getComputedStyle(b).backgroundColor),
    );
    await page.screenshot({ path: `${ARTIFACTS}/webchat-phone-signs.png` });
    await press('선택 완료');
    await say('모름');
    await say('70대 할머니');
    await say('모름');
    await say('우편물이 일주일째 쌓여 있습니다');
    await press('접수');

    // the receipt number in its own card, with a copy button that copies it
    const card = page.locator('#log .receipt').last();
    const number = await card.locator('.receipt-number').innerText();
    expect(number).to.match(/^\d{4}-\d{6}$/);
    expect(await app.repos.reports.byReceiptNo('seodaemun', number)).to.not.equal(undefined);
    await card.getByRole('button', { name: `접수번호 ${number} 복사` }).click();
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.includes('복사했습니다'));
    expect(await page.evaluate(() => navigator.clipboard.readText())).to.equal(number);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      'nothing wider than the screen',
    ).to.equal(true);
    await page.screenshot({ path: `${ARTIFACTS}/webchat-phone-receipt.png` });
    expect(errors).to.deep.equal([]);
    await context.close();
  });
});
