import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, signIn as signInAs, until } from '../support/browser';
import { loadDistrict } from '../../src/domain/district';
import { applyReportAction } from '../../src/domain/workflow/apply-action';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, file } from '../support/console';
import { testDatabase } from '../support/database';

const ARTIFACTS = 'test-artifacts';
const DAY = 86_400_000;

describe("a dong center's day in a real browser", function () {
  this.timeout(180_000);
  const district = loadDistrict('seodaemun');
  const hongje3 = { code: district.dongByName('홍제3동')!.code, name: '홍제3동' };
  const yeonhui = { code: district.dongByName('연희동')!.code, name: '연희동' };
  const staff = { id: 'user:staff1', role: 'staff' as const };
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let partnerId: string;
  const no = {} as Record<'fresh' | 'late' | 'again' | 'call' | 'other' | 'received', string>;

  before(async () => {
    db = await testDatabase('console_dong_today');
    const config = testConfig({ TODAY_POLL_SECONDS: '1', TODAY_VISIT_REPORT_BUSINESS_DAYS: '3' });
    app = await startTestApp(db.connection, { config });
    partnerId = (await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() })).id;
    await addUser({ config, repos: app.repos }, 'staff1', 'staff');
    await addUser({ config, repos: app.repos }, 'hongje3', 'dong', '홍제3동');
    const deps = { reports: app.repos.reports, district };
    const act = (receiptNo: string, action: Parameters<typeof applyReportAction>[3], at: Date) => applyReportAction(deps, staff, receiptNo, action, at);
    const twoWeeksAgo = new Date(Date.now() - 14 * DAY);
    // a visit asked for today, one asked two weeks ago and never reported, one where nobody was met
    const fresh = await file(app.repos, partnerId, new Date(), { name: '김영희', address: '서울 서대문구 홍제3동 11-1 2층', dong: hongje3, urgency: 'prompt' });
    await act(fresh.receiptNo, { type: 'request_visit', reason: '전화 안 받음' }, new Date());
    const late = await file(app.repos, partnerId, twoWeeksAgo, { name: '박철수', address: '서울 서대문구 홍제3동 22-2', dong: hongje3 });
    await act(late.receiptNo, { type: 'request_visit' }, twoWeeksAgo);
    const again = await file(app.repos, partnerId, new Date(Date.now() - DAY), { name: '이말순', address: '서울 서대문구 홍제3동 33-3', dong: hongje3, urgency: 'immediate' });
    await act(again.receiptNo, { type: 'request_visit' }, new Date(Date.now() - DAY));
    await applyReportAction(deps, { id: 'user:hongje3', role: 'dong', dongCode: hongje3.code }, again.receiptNo, { type: 'visit_result', reached: false, investigationResult: '부재', enteredInSystem: false, crisisLevel: 'high', followUpNeeded: true }, new Date());
    // a household in follow-up whose weekly call is due today
    const weekAgo = new Date(Date.now() - 7 * DAY);
    const call = await file(app.repos, partnerId, weekAgo, { name: '최순자', address: '서울 서대문구 홍제3동 44-4', dong: hongje3 });
    await act(call.receiptNo, { type: 'request_visit' }, weekAgo);
    await act(call.receiptNo, { type: 'visit_result', reached: true, investigationResult: '홀로 거주', enteredInSystem: true, crisisLevel: 'high', followUpNeeded: true }, weekAgo);
    // another dong's visit, and a 홍제3동 report nobody asked a visit for yet
    const other = await file(app.repos, partnerId, new Date(), { name: '정다른', dong: yeonhui });
    await act(other.receiptNo, { type: 'request_visit' }, new Date());
    const received = await file(app.repos, partnerId, new Date(), { name: '한대기', dong: hongje3 });
    Object.assign(no, { fresh: fresh.receiptNo, late: late.receiptNo, again: again.receiptNo, call: call.receiptNo, other: other.receiptNo, received: received.receiptNo });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  const signIn = (username: string, viewport?: { width: number; height: number }) => signInAs(browser, app.baseUrl, username, viewport);
  const section = (page: Page, id: string) => page.locator(`#s-${id}`).innerText();

  it('lands a dong user on its day: visits to make, late visit reports, follow-ups — its own dong only, names masked', async () => {
    const page = await signIn('hongje3');
    expect(await page.locator('h1').innerText()).to.contain('오늘 할 일').and.contain('홍제3동');
    const visits = await section(page, 'visits');
    expect(visits).to.contain(no.fresh).and.contain(no.again).and.contain('재방문 (부재 1회)').and.contain('결과 보고');
    expect(visits.indexOf(no.again), 'the 즉시 위험 case first').to.be.lessThan(visits.indexOf(no.fresh));
    expect(visits, 'names and addresses masked as in the dong list').to.contain('김*희').and.not.contain('김영희').and.not.contain('11-1');
    expect(visits, 'a numbered dong name is a place, not a house number').to.contain('서울 서대문구 홍제3동 …');
    const late = await section(page, 'late');
    expect(late).to.contain(no.late).and.contain('3근무일 지남').and.not.contain(no.fresh);
    expect(await section(page, 'followUps')).to.contain(no.call).and.contain('안부 전화 예정');
    const all = await page.locator('#today-sections').innerText();
    expect(all, 'another dong\'s visit is never shown').to.not.contain(no.other).and.not.contain('정다른');
    expect(all, 'no visit asked yet: not on the list').to.not.contain(no.received);
    expect(await page.locator('[data-count="visits"]').innerText()).to.equal('2');
    expect(await page.locator('[data-count="late"]').innerText()).to.equal('1');
    expect(await page.locator('[data-count="followUps"]').innerText()).to.equal('1');
    await page.screenshot({ path: `${ARTIFACTS}/dong-today.png`, fullPage: true });

    // a visit asked for while the page is open appears without a reload
    await applyReportAction({ reports: app.repos.reports, district }, staff, no.received, { type: 'request_visit', reason: '새로 요청' }, new Date());
    await until('the new visit shows up', async () => (await section(page, 'visits')).includes(no.received));
    expect(await page.locator('[data-count="visits"]').innerText()).to.equal('3');

    // each line opens the case, shown whole on its page
    await page.locator('#s-late a', { hasText: no.late }).click();
    await page.waitForURL(new RegExp(`/console/reports/${no.late}$`));
    expect(await page.locator('body').innerText()).to.contain('박철수');
    const records = await app.repos.accessRecords.between(new Date(Date.now() - DAY), new Date(Date.now() + DAY));
    const today = records.filter((r) => r.actor === 'user:hongje3' && r.detail === 'today');
    expect(today.length, 'the page and its changed refresh are recorded').to.be.greaterThanOrEqual(2);
    expect(today[0]!.receiptNos).to.include.members([no.fresh, no.late, no.again, no.call]).and.not.include(no.other);
  });

  it('reads well on a phone', async () => {
    const page = await signIn('hongje3', { width: 390, height: 844 });
    expect(await section(page, 'visits')).to.contain(no.fresh);
    await page.screenshot({ path: `${ARTIFACTS}/dong-today-phone.png`, fullPage: true });
  });
});
