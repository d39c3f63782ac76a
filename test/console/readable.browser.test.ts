import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { loadDistrict } from '../../src/domain/district';
import { applyReportAction, type Actor } from '../../src/domain/workflow/apply-action';
import { CALL_CENTER } from '../../src/domain/alert-target/alert-targets';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { launchChromium, signIn as signInAs } from '../support/browser';
import { addUser, consoleCookie, file, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';

/**
 * Screenshots go to the run's temporary folder (removed with the run), not the tree; set
 * SAGAK_SHOTS_DIR to keep them for a look.
 */
const SHOTS = process.env.SAGAK_SHOTS_DIR ?? join(tmpdir(), 'sagak-issue25-shots');
const HOUR = 3_600_000;
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[]; failureSummary: string }[] }[];
}

/** Runs axe-core in the page (evaluated over the DevTools protocol, so the page's CSP does not refuse it) on the WCAG 2.1 A/AA rules. */
async function axeViolations(page: Page): Promise<AxeResult['violations']> {
  await page.evaluate(axe.source);
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<unknown> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  )) as AxeResult;
  return result.violations;
}

const describeViolations = (v: AxeResult['violations']) =>
  v
    .map(
      (x) =>
        `${x.id} (${x.impact}): ${x.help}\n  ${x.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary}`).join('\n  ')}`,
    )
    .join('\n');

/** WCAG relative luminance contrast of two CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? [])
      .slice(0, 3)
      .map((x) => Number(x) / 255)
      .map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('a console that reads: the queue, the header, names, accessibility (issue 25)', function () {
  this.timeout(180_000);
  const district = loadDistrict('seodaemun');
  const HONGJE3 = district.dongByName('홍제3동')!;
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let caseNo = '';
  let reporterCaseNo = '';
  let lateNo = '';

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    db = await testDatabase('console_readable_browser');
    // a district set up as it runs: every alert has a working target, so no page carries the
    // "alerts go nowhere" warning (alert-targets/warnings.ts) and the queue is measured as staff see it
    const config = testConfig({ SMTP_HOST: '127.0.0.1', SMTP_PORT: '9', SMTP_FROM: 'sagak@sdm.example' });
    app = await startTestApp(db.connection, { config });
    await app.repos.dongCenters.seed(district.id, district.dongs, new Date());
    await app.repos.alertTargets.set(district.id, CALL_CENTER, { emails: ['callcenter@sdm.example'] }, new Date());
    for (const d of district.dongs)
      await app.repos.dongCenters.setTargets(district.id, d.code, { emails: [`${d.code}@sdm.example`] }, new Date());
    const now = Date.now();
    const partner = await app.repos.partners.create({
      name: '서대문구 치매안심센터 방문간호팀',
      kind: 'health',
      now: new Date(now - 30 * 24 * HOUR),
    });
    await addUser({ config, repos: app.repos }, 'uxstaff', 'staff');
    await app.repos.consoleUsers.update('uxstaff', { name: '김상담', department: '통합콜센터', phone: '02-330-1234' });
    await addUser({ config, repos: app.repos }, 'chief', 'admin');
    await app.repos.consoleUsers.update('chief', { name: '최관리', department: '복지정책과' });
    await addUser({ config, repos: app.repos }, 'hongje3', 'dong', '홍제3동');
    await app.repos.consoleUsers.update('hongje3', { name: '이동주', department: '홍제3동 맞춤형복지팀' });
    const staff: Actor = { id: 'user:uxstaff', role: 'staff' };
    const act = async (no: string, action: Parameters<typeof applyReportAction>[3], at: number) => {
      const r = await applyReportAction({ reports: app.repos.reports, district }, staff, no, action, new Date(at));
      if (!r.ok) throw new Error(`${no} ${action.type}: ${r.code}`);
    };
    // a day's queue: long addresses, some urgent, one late, a few handed to 홍제3동 and to 김상담
    for (let i = 0; i < 24; i++) {
      const at = now - (i + 1) * 2 * HOUR;
      const r = await file(app.repos, partner.id, new Date(at), {
        name: ['홍길동', '김영희', '박철수', '이순자'][i % 4],
        address: `서울 서대문구 홍제${(i % 3) + 1}동 통일로${400 + i}길 ${10 + i}, ${100 + i}동 ${1000 + i}호 (홍제동, 무악재현대아파트)`,
        dong: i % 5 === 0 ? { code: HONGJE3.code, name: HONGJE3.name } : { code: '1141061500', name: '연희동' },
        urgency: i % 6 === 0 ? 'immediate' : i % 4 === 0 ? 'prompt' : 'normal',
        situation: '우편물이 일주일째 쌓여 있고 인기척이 없습니다',
        ...(i === 5 ? { reporterContact: { name: '박신고', phone: '010-2222-3333' } } : {}),
      });
      if (i === 5) reporterCaseNo = r.receiptNo;
      if (i % 5 === 0) await act(r.receiptNo, { type: 'assign', dongCode: HONGJE3.code }, at + HOUR / 2);
      if (i % 3 === 1) await act(r.receiptNo, { type: 'set_assignee', assignee: 'uxstaff' }, at + HOUR / 2);
      if (i === 1) caseNo = r.receiptNo;
    }
    // three weeks ago, never consulted: late whatever the holidays (the app runs on the real clock with the browser)
    const late = await file(app.repos, partner.id, new Date(now - 21 * 24 * HOUR), {
      name: '최늦음',
      address: '서울 서대문구 연희동 11-1',
    });
    lateNo = late.receiptNo;
    await act(caseNo, { type: 'consult', result: '전화 상담: 혼자 거주, 방문 필요' }, now - HOUR);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  const signIn = (username: string, viewport = DESKTOP) => signInAs(browser, app.baseUrl, username, viewport);
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

  it('shows at least 15 cases on a 1440×900 screen, one line each, urgent and late at a glance', async () => {
    const page = await signIn('uxstaff');
    await page.goto(`${app.baseUrl}/console`);
    const rows = page.locator('table.queue tbody tr');
    expect(await rows.count()).to.equal(25);
    const visible = await page.evaluate(
      () =>
        [...document.querySelectorAll('table.queue tbody tr')].filter(
          (tr) => tr.getBoundingClientRect().bottom <= window.innerHeight,
        ).length,
    );
    expect(visible, 'rows wholly inside the first screen').to.be.at.least(15);
    const table = await page.locator('table.queue').boundingBox();
    expect(table!.width, 'the queue uses the screen width').to.be.greaterThan(1300);
    // the late case says how late, in red; the urgent ones carry the red badge
    const late = page.locator('tr', { has: page.getByRole('link', { name: lateNo }) });
    expect(await late.innerText()).to.match(/\d일 지남/);
    expect(await late.getAttribute('class')).to.contain('overdue');
    expect(await page.locator('tr.u-immediate .badge.u-immediate').count()).to.equal(4);
    // the counsellor's name, not the login ID
    expect(await page.locator('table.queue').innerText())
      .to.contain('김상담')
      .and.not.contain('uxstaff');
    // the search box is in view without opening anything
    expect(await page.getByLabel('검색', { exact: true }).isVisible()).to.equal(true);
    await shot(page, 'queue-1440x900');
  });

  it("finds a case by its reporter's name for the call center, never for a dong center", async () => {
    const page = await signIn('uxstaff');
    await page.goto(`${app.baseUrl}/console`);
    expect(await page.locator('#f-q-hint').innerText()).to.contain('신고자 이름');
    await page.getByLabel('검색', { exact: true }).fill('박신고');
    await page.getByRole('button', { name: '검색', exact: true }).click();
    await page.waitForURL(/\/console$/);
    const rows = page.locator('table.queue tbody tr');
    expect(await rows.count()).to.equal(1);
    expect(await rows.first().innerText()).to.contain(reporterCaseNo);

    // the dong center's box does not offer it, and the same search finds nothing there
    const dong = await signIn('hongje3');
    await dong.goto(`${app.baseUrl}/console`);
    expect(await dong.locator('#f-q-hint').innerText()).to.not.contain('신고자');
    const cookie = await consoleCookie(app.baseUrl, 'hongje3');
    const form = await (await fetch(`${app.baseUrl}/console`, { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)![1]!;
    // the reporter's case is 홍제3동's (assigned there): the name still finds nothing
    await fetch(`${app.baseUrl}/console/filters`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, q: '박신고', status: 'all' }),
    });
    const searched = await (await fetch(`${app.baseUrl}/console`, { headers: { cookie } })).text();
    expect(searched).to.contain('0건').and.contain('조건에 맞는 신고가 없습니다.');
    const token = await tokenOf(app.baseUrl, 'hongje3');
    const api = await fetch(`${app.baseUrl}/api/reports?q=${encodeURIComponent('박신고')}&status=all`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await api.json()) as { items: unknown[] }).items).to.have.length(0);
    const inScope = await fetch(`${app.baseUrl}/api/reports?q=${reporterCaseNo}&status=all`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(
      ((await inScope.json()) as { items: unknown[] }).items,
      "the case itself is the dong center's",
    ).to.have.length(1);
  });

  it('names people, not login IDs, in the case history, the header and the today page', async () => {
    const page = await signIn('uxstaff');
    expect(await page.locator('header .who').innerText())
      .to.contain('김상담')
      .and.not.contain('uxstaff');
    expect(await page.locator('#today-sections').innerText())
      .to.contain('담당 김상담')
      .and.not.contain('uxstaff');
    await shot(page, 'today-1440x900');
    await page.goto(`${app.baseUrl}/console/reports/${caseNo}`);
    const history = await page.locator('.timeline').innerText();
    expect(history)
      .to.contain('1차 상담 기록 · 김상담')
      .and.contain('담당 상담원 지정 · 김상담')
      .and.not.contain('uxstaff');
    expect(await page.locator('.facts').first().innerText()).to.contain('김상담');
    await shot(page, 'case-1440x900');
  });

  it("keeps the phone header whole and the case's address above the fold at 390×844", async () => {
    const page = await signIn('uxstaff', PHONE);
    // each menu word on one line: no "오늘 할/일", no "로그아/웃"
    for (const name of ['오늘 할 일', '로그아웃', '비밀번호 변경', '명단 가져오기']) {
      const box = await page
        .locator('header.top')
        .getByRole(name === '로그아웃' ? 'button' : 'link', { name, exact: true })
        .boundingBox();
      expect(box!.height, `${name} on one line`).to.be.below(30);
    }
    await shot(page, 'today-390x844');
    await page.goto(`${app.baseUrl}/console`);
    await shot(page, 'queue-390x844');
    await page.goto(`${app.baseUrl}/console/reports/${caseNo}`);
    const address = page.locator('.facts dd', { hasText: '통일로' }).first();
    const box = await address.boundingBox();
    expect(box!.y + box!.height, 'the address is on the first screen').to.be.at.most(PHONE.height);
    await shot(page, 'case-390x844');
  });

  it('finds no WCAG 2.1 A/AA violation on the sign-in, queue, case, today and import pages', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
    const login = await context.newPage();
    await login.goto(`${app.baseUrl}/console/login`);
    const found: Record<string, string> = {};
    const check = async (name: string, page: Page) => {
      const v = await axeViolations(page);
      if (v.length) found[name] = describeViolations(v);
    };
    await check('sign-in', login);
    const page = await signIn('uxstaff');
    for (const [name, path] of [
      ['queue', '/console'],
      ['case', `/console/reports/${caseNo}`],
      ['today', '/console/today'],
      ['import', '/console/imports'],
    ] as const) {
      await page.goto(`${app.baseUrl}${path}`);
      await check(name, page);
    }
    const dong = await signIn('hongje3', PHONE);
    await check('dong today (phone)', dong);
    await shot(dong, 'dong-today-390x844');
    await dong.goto(`${app.baseUrl}/console`);
    await check('dong queue (phone)', dong);
    await shot(dong, 'dong-queue-390x844');
    expect(
      found,
      Object.entries(found)
        .map(([k, v]) => `${k}:\n${v}`)
        .join('\n\n'),
    ).to.deep.equal({});
    await context.close();
  });

  it('moves the focus to a sign-in error and says a missing field in Korean on the page', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/console/login`);
    // an empty form: the page says which field, in Korean, and the focus is on it
    await page.getByRole('button', { name: '로그인' }).click();
    expect(await page.locator('.field-error').first().innerText()).to.equal('「아이디」 칸을 채워 주세요.');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('username');
    await page.getByLabel('아이디').fill('uxstaff');
    await page.getByLabel('비밀번호').fill('wrong password here');
    await page.getByRole('button', { name: '로그인' }).click();
    await page.waitForLoadState('load');
    await page.locator('.alert.form-error').waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal(
      '아이디 또는 비밀번호가 맞지 않습니다.',
    );
    await context.close();
  });

  it('reaches the first case with one Tab and Enter, with a focus ring of at least 3:1', async () => {
    const page = await signIn('uxstaff');
    await page.goto(`${app.baseUrl}/console`);
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => document.activeElement?.textContent);
    expect(skip).to.equal('첫 신고로 바로가기');
    const ring = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement!);
      return { color: s.outlineColor, width: s.outlineWidth, style: s.outlineStyle };
    });
    expect(ring.style).to.equal('solid');
    expect(Number.parseFloat(ring.width)).to.be.at.least(2);
    expect(contrast(ring.color, 'rgb(255, 255, 255)'), 'against white').to.be.at.least(3);
    expect(contrast(ring.color, 'rgb(246, 247, 249)'), 'against the page background').to.be.at.least(3);
    await page.keyboard.press('Enter');
    const first = await page.evaluate(() => document.activeElement?.textContent);
    expect(first).to.equal(await page.locator('table.queue tbody tr').first().getByRole('link').first().innerText());
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/reports\//);
  });

  it("lets an admin read the access records in words, keep the monthly review's result, and see people by name", async () => {
    const page = await signIn('chief');
    await page.goto(`${app.baseUrl}/console/admin/users`);
    const users = await page.locator('table.admin').innerText();
    expect(users).to.contain('김상담 (uxstaff)').and.contain('통합콜센터').and.contain('02-330-1234');
    await shot(page, 'admin-users-1440x900');
    const found: Record<string, string> = {};
    const check = async (name: string) => {
      const v = await axeViolations(page);
      if (v.length) found[name] = describeViolations(v);
    };
    await check('users');
    await page.goto(`${app.baseUrl}/console/admin/partners`);
    await check('partners');
    await page.goto(`${app.baseUrl}/console/admin/access`);
    const records = await page.locator('table.access').innerText();
    expect(records)
      .to.contain('최관리 (chief)')
      .and.contain('목록 조회')
      .and.not.contain('user:')
      .and.not.contain('(today)');
    await check('access');
    await shot(page, 'admin-access-1440x900');
    await page.getByRole('link', { name: '월간 점검 보고서' }).click();
    await page.getByRole('heading', { name: '점검 결과 기록', exact: true }).first().waitFor();
    expect(await page.getByLabel('점검자').inputValue()).to.equal('최관리');
    // findings left empty: the page says so in Korean and the focus is on that field
    await page.getByRole('button', { name: '점검 결과 기록' }).click();
    expect(await page.locator('.field-error').first().innerText()).to.equal('「발견 사항」 칸을 채워 주세요.');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('rv-findings');
    await page.getByLabel('발견 사항').fill('근무시간 외 접속 없음, 내려받기 정상');
    await page.getByLabel('조치 (없으면 비워 둡니다)').fill('없음');
    await page.getByRole('button', { name: '점검 결과 기록' }).click();
    await page.getByText('점검 결과를 기록했습니다.').waitFor();
    expect(await page.locator('table.notes').innerText())
      .to.contain('근무시간 외 접속 없음, 내려받기 정상')
      .and.contain('최관리');
    await check('monthly review');
    await shot(page, 'admin-monthly-1440x900');
    expect(
      found,
      Object.entries(found)
        .map(([k, v]) => `${k}:\n${v}`)
        .join('\n\n'),
    ).to.deep.equal({});
  });
});
