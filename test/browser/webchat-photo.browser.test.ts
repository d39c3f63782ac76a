import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { launchChromium, signIn } from '../support/browser';
import { addUser } from '../support/console';
import { testDatabase } from '../support/database';
import { photoPng } from '../support/photos';

/** Does one thing on the page and waits until the bot has answered it. */
async function act(page: Page, action: () => Promise<void>, fresh = false): Promise<void> {
  const answered = fresh ? 0 : await page.locator('#log .bubble.bot, #log .bubble.error').count();
  await action();
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll('#log .bubble.bot, #log .bubble.error').length > n &&
      document.getElementById('log')!.getAttribute('aria-busy') === 'false',
    answered,
  );
}

/** The web chat's 사진 button on a phone, and the photo drawn on the staff's case page. */
describe("Web chat photo button and the case page's photos, in Chromium", () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let inviteCode: string;

  before(async () => {
    db = await testDatabase('webchat_photo_browser');
    const config = testConfig({ WEBCHAT_COOKIE_SECRET: 'photo-browser-cookie-secret-0123456789abcdef' });
    app = await startTestApp(db.connection, { config });
    const partner = await app.repos.partners.create({ name: '홍제동 야쿠르트', kind: 'delivery', now: new Date() });
    inviteCode = formatInviteCode(partner.inviteCode);
    await addUser({ config, repos: app.repos }, 'photo-browser-staff', 'staff');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  it('sends a photo with the 사진 button at the address question; staff see it drawn on the case page', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'ko-KR',
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const input = page.getByLabel('메시지 입력');
    const say = (text: string) =>
      act(page, async () => {
        await input.fill(text);
        await page.getByRole('button', { name: '보내기' }).click();
      });
    const press = (label: string) =>
      act(page, () =>
        page.getByRole('group', { name: '빠른 답변' }).getByRole('button', { name: label, exact: true }).click(),
      );
    const lastBot = () =>
      page
        .locator('#log .bubble.bot')
        .allTextContents()
        .then((t) => t.slice(-3).join('\n'));

    await act(page, () => page.goto(`${app.baseUrl}/chat`).then(() => {}), true);
    await press('신고');
    await say(inviteCode);
    await say('김집배');
    await say('010-9876-5432');
    await press('빠른 확인 필요');
    expect(await lastBot()).to.contain('2/8');

    const button = page.getByRole('button', { name: '사진 첨부' });
    expect((await button.boundingBox())!.height, 'a thumb-sized target').to.be.at.least(44);
    await act(page, async () => {
      const chooser = page.waitForEvent('filechooser');
      await button.click();
      await (await chooser).setFiles({ name: 'door.png', mimeType: 'image/png', buffer: photoPng(21, 64, 48) });
    });
    expect(await page.locator('#log .bubble.user').last().textContent()).to.equal('사진 보냄: door.png');
    expect(await lastBot())
      .to.contain('사진을 받았습니다')
      .and.contain('2/8');
    await page.screenshot({ path: 'test-artifacts/webchat-photo-sent.png' });

    await say('서울 서대문구 홍제3동 문화촌아파트 101동');
    await press('맞음');
    await press('우편물·전단지 적체');
    await press('선택 완료');
    await say('홍길동');
    await say('70대');
    await say('010 1234 5678');
    await say('우편물이 쌓여 있습니다.');
    await press('접수');
    const receipt = /(\d{4}-\d{6})/.exec((await page.locator('.receipt-number').first().textContent()) ?? '')?.[1];
    expect(receipt).to.match(/^\d{4}-\d{6}$/);
    expect(errors).to.deep.equal([]);
    await context.close();

    const staff = await signIn(browser, app.baseUrl, 'photo-browser-staff');
    await staff.goto(`${app.baseUrl}/console/reports/${receipt}`);
    const img = staff.getByRole('img', { name: '신고 사진 1' });
    await img.waitFor();
    await staff.waitForFunction(() => {
      const el = document.querySelector('.photos img') as HTMLImageElement | null;
      return !!el && el.complete && el.naturalWidth > 0;
    });
    expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).to.equal(64);
    await staff.screenshot({ path: 'test-artifacts/case-page-photos.png' });
  });
});
