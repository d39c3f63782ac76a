import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { loadDistrict } from '../../src/domain/district';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, login, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { KakaoUser, signsOffered } from '../support/kakao-client';
import { launchChromium, signIn } from '../support/browser';

const ARTIFACTS = 'test-artifacts';
const NEW_PASSWORD = 'a brand new passphrase';

describe('management pages in a real browser: users, partners, dong targets, district lists; admins only', function () {
  this.timeout(180_000);
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let admin: Page;

  before(async () => {
    db = await testDatabase('admin_browser');
    const config = testConfig();
    app = await startTestApp(db.connection, { config });
    await addUser({ config, repos: app.repos }, 'chief', 'admin');
    await addUser({ config, repos: app.repos }, 'staff1', 'staff');
    await addUser({ config, repos: app.repos }, 'hongje1', 'dong', '홍제1동');
    browser = await launchChromium();
    admin = await signIn(browser, app.baseUrl, 'chief');
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  /** The one-time link shown once on the page. */
  const shownLink = async (page: Page) => (await page.locator('code.secret').textContent())!.trim();

  async function setPassword(link: string) {
    const page = await (await browser.newContext({ locale: 'ko-KR' })).newPage();
    await page.goto(link);
    await page.getByLabel('새 비밀번호', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('새 비밀번호 확인').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: '설정' }).click();
    await page.getByRole('heading', { name: '비밀번호를 설정했습니다' }).waitFor();
    return page;
  }

  it('an admin adds a user who sets a password through a one-time link, then changes the role, resets and disables', async () => {
    await admin.getByRole('link', { name: '관리', exact: true }).click();
    await admin.waitForURL(/\/console\/admin\/users$/);
    const add = admin.getByRole('region', { name: '사용자 추가' });
    await add.getByLabel('아이디').fill('newstaff');
    await add.getByLabel('역할').selectOption('staff');
    await add.getByRole('button', { name: '추가하고 비밀번호 설정 링크 만들기' }).click();
    await admin.getByText('newstaff 사용자를 추가했습니다.').waitFor();
    const link = await shownLink(admin);
    expect(link).to.match(/\/console\/password\/[A-Za-z0-9_-]{32}$/);
    await admin.screenshot({ path: `${ARTIFACTS}/admin-users.png`, fullPage: true });
    expect((await login(app.baseUrl, 'newstaff', NEW_PASSWORD)).status).to.equal(401); // no password before the link

    const used = await setPassword(link);
    expect((await login(app.baseUrl, 'newstaff', NEW_PASSWORD)).status).to.equal(200);
    await used.goto(link); // a link works once
    expect(await used.getByRole('heading', { level: 1 }).textContent()).to.equal('쓸 수 없는 링크입니다');

    // the same name again is refused with a Korean message
    await admin.goto(`${app.baseUrl}/console/admin/users`);
    await admin.getByLabel('아이디').fill('newstaff');
    await admin.getByRole('button', { name: '추가하고 비밀번호 설정 링크 만들기' }).click();
    await admin.getByText('이미 있는 아이디입니다.').waitFor();

    // role and dong: a dong user must have a dong
    const row = admin.locator('tr', { has: admin.locator('th', { hasText: 'newstaff' }) });
    await row.locator('summary', { hasText: '역할·동 변경' }).click();
    await row.getByLabel('역할').selectOption('dong');
    await row.getByRole('button', { name: '저장' }).click();
    await admin.getByText('동 주민센터 사용자는 동을').waitFor();
    const row2 = admin.locator('tr', { has: admin.locator('th', { hasText: 'newstaff' }) });
    await row2.locator('summary', { hasText: '역할·동 변경' }).click();
    await row2.getByLabel('역할').selectOption('dong');
    await row2.getByLabel('동').selectOption({ label: '홍제1동' });
    await row2.getByRole('button', { name: '저장' }).click();
    await admin.getByText('저장했습니다.').waitFor();
    expect(
      await admin
        .locator('tr', { has: admin.locator('th', { hasText: 'newstaff' }) })
        .locator('td')
        .first()
        .textContent(),
    ).to.equal('동 주민센터 · 홍제1동');
    expect(await app.repos.consoleUsers.byUsername('newstaff')).to.include({
      role: 'dong',
      dongCode: loadDistrict('seodaemun').dongByName('홍제1동')!.code,
    });

    // a reset link: the old password works until the link is used
    await admin
      .locator('tr', { has: admin.locator('th', { hasText: 'newstaff' }) })
      .getByRole('button', { name: '비밀번호 재설정 링크' })
      .click();
    const reset = await shownLink(admin);
    expect(reset).to.not.equal(link);

    admin.once('dialog', (d) => void d.accept());
    await admin
      .locator('tr', { has: admin.locator('th', { hasText: 'newstaff' }) })
      .getByRole('button', { name: '사용 중지' })
      .click();
    await admin.getByText('저장했습니다.').waitFor();
    expect(await admin.locator('tr.inactive th').textContent()).to.equal('newstaff');
    expect((await login(app.baseUrl, 'newstaff', NEW_PASSWORD)).status).to.equal(401);
    // an admin cannot lock themself out
    expect(
      await admin
        .locator('tr', { has: admin.locator('th', { hasText: 'chief (나)' }) })
        .getByRole('button')
        .count(),
    ).to.equal(0);
  });

  it('an admin adds a partner, a reporter links with its invite code, and the admin revokes it', async () => {
    await admin.getByRole('link', { name: '협약기관' }).click();
    await admin.getByLabel('기관 이름').fill('홍제동 새마을금고');
    await admin.getByLabel('종류').selectOption('other');
    await admin.getByRole('button', { name: '추가하고 초대 코드 만들기' }).click();
    const code = await shownLink(admin);
    expect(code).to.match(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    const partner = (await app.repos.partners.list()).find((p) => p.name === '홍제동 새마을금고')!;
    expect(formatInviteCode(partner.inviteCode)).to.equal(code);

    const reporter = new KakaoUser(app.baseUrl, 'admin-page-reporter');
    await reporter.say('신고');
    await reporter.say(code);
    await admin.goto(`${app.baseUrl}/console/admin/partners`);
    const row = admin.locator('tr', { has: admin.locator('th', { hasText: '홍제동 새마을금고' }) });
    expect(await row.locator('td[data-label="연결된 신고자"]').textContent()).to.equal('1명');
    await admin.screenshot({ path: `${ARTIFACTS}/admin-partners.png`, fullPage: true });

    admin.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: '코드 회수' }).click();
    await admin.getByText('초대 코드를 회수했습니다.').waitFor();
    expect(
      await admin
        .locator('tr', { has: admin.locator('th', { hasText: '홍제동 새마을금고' }) })
        .locator('td[data-label="초대 코드"]')
        .textContent(),
    ).to.equal('회수됨');
    expect((await app.repos.partners.byId(partner.id))!.active).to.equal(false);
  });

  it("an admin sets a dong center's delivery targets; a wrong id is refused in Korean", async () => {
    await admin.getByRole('link', { name: '동 주민센터 전달처', exact: true }).click();
    const card = admin.locator('section.card', { has: admin.getByRole('heading', { name: '홍제3동' }) });
    await card.getByLabel('Telegram 채팅 ID').fill('not a chat');
    await card.getByRole('button', { name: '홍제3동 저장' }).click();
    await admin.getByText('홍제3동: Telegram 채팅 ID는').waitFor();
    const again = admin.locator('section.card', { has: admin.getByRole('heading', { name: '홍제3동' }) });
    await again.getByLabel('Slack 채널 ID').fill('C0123456789');
    await again.getByLabel('Telegram 채팅 ID').fill('-1001234567890');
    await again.getByLabel('이메일 (쉼표로 구분)').fill('hongje3@example.kr, welfare@example.kr');
    await again.getByRole('button', { name: '홍제3동 저장' }).click();
    await admin.getByText('홍제3동 전달처를 저장했습니다.').waitFor();
    const center = await app.repos.dongCenters.byCode('seodaemun', '1141064000');
    expect(center).to.deep.include({
      slackChannel: 'C0123456789',
      telegramChatId: '-1001234567890',
      emails: ['hongje3@example.kr', 'welfare@example.kr'],
    });
    await admin.screenshot({ path: `${ARTIFACTS}/admin-dongs.png` });
  });

  it('an admin edits the district lists: a new sign reaches the chat, a retired one leaves it, the cadence is saved', async () => {
    await admin.getByRole('link', { name: '구 목록' }).click();
    await admin.waitForURL(/\/console\/admin\/lists$/);
    const signs = admin.getByRole('region', { name: /위기 징후/ });
    await signs.getByLabel('새 위기 징후 이름').fill('고독사 우려');
    await signs.getByLabel('영문 이름').last().fill('Risk of lonely death');
    await signs.getByRole('button', { name: '추가' }).click();
    await admin.getByText('위기 징후를 저장했습니다.').waitFor();
    // retire one: untick 사용 and save its row
    const mail = admin.locator('li', { has: admin.locator('input[value="우편물·전단지 적체"]') });
    await mail.getByLabel('사용').uncheck();
    await mail.getByRole('button', { name: '우편물·전단지 적체 저장' }).click();
    await admin.getByText('위기 징후를 저장했습니다.').waitFor();
    expect(await admin.locator('li.inactive input[name="label"]').first().inputValue()).to.equal('우편물·전단지 적체');
    // a name that does not fit a KakaoTalk button is refused in Korean, nothing saved
    const again = admin.getByRole('region', { name: /위기 징후/ });
    await again.getByLabel('새 위기 징후 이름').evaluate((el) => el.removeAttribute('maxlength'));
    await again.getByLabel('새 위기 징후 이름').fill('열네 글자를 훌쩍 넘는 아주 긴 징후 이름');
    await again.getByRole('button', { name: '추가' }).click();
    await admin.getByRole('alert').getByText('이름을 입력해 주세요').waitFor();
    const cadence = admin.getByRole('region', { name: '사후관리 안부확인 주기' });
    await cadence.getByLabel('위기도 높음').fill('5');
    await cadence.getByRole('button', { name: '주기 저장' }).click();
    await admin.getByText('안부확인 주기를 저장했습니다.').waitFor();
    expect(await admin.getByLabel('위기도 높음').inputValue()).to.equal('5');
    await admin.setViewportSize({ width: 1280, height: 900 });
    await admin.screenshot({ path: `${ARTIFACTS}/admin-lists.png`, fullPage: true });

    const partner = await app.repos.partners.create({ name: '목록 확인 기관', kind: 'other', now: new Date() });
    const offered = await signsOffered(app.baseUrl, formatInviteCode(partner.inviteCode), 'lists-page-reporter');
    expect(offered).to.include('고독사 우려').and.not.to.include('우편물·전단지 적체');
    expect(app.district.followUpCadenceDays.high).to.equal(5);
  });

  for (const [username, viewport] of [
    ['staff1', { width: 1280, height: 900 }],
    ['hongje1', { width: 390, height: 844 }],
  ] as const) {
    it(`refuses the management pages to ${username} (no 관리 link, 403 on every page and form)`, async () => {
      const page = await signIn(browser, app.baseUrl, username, viewport);
      expect(await page.getByRole('link', { name: '관리', exact: true }).count()).to.equal(0);
      for (const path of [
        '/console/admin',
        '/console/admin/users',
        '/console/admin/partners',
        '/console/admin/dongs',
        '/console/admin/lists',
      ]) {
        const res = await page.goto(`${app.baseUrl}${path}`);
        expect(res!.status(), path).to.equal(403);
        expect(await page.textContent('h1')).to.equal('관리 화면은 관리자만 쓸 수 있습니다.');
      }
      const token = await tokenOf(app.baseUrl, username);
      const post = await fetch(`${app.baseUrl}/console/admin/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'username=sneaky&role=admin',
      });
      expect(post.status).to.equal(403);
      expect(await app.repos.consoleUsers.byUsername('sneaky')).to.equal(undefined);
    });
  }
});
