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
    const act = (receiptNo: string, action: Parameters<typeof applyReportAction>[3], at: Date) =>
      applyReportAction(deps, staff, receiptNo, action, at);
    const twoWeeksAgo = new Date(Date.now() - 14 * DAY);
    // a visit asked for today, one asked two weeks ago and never reported, one where nobody was met
    const fresh = await file(app.repos, partnerId, new Date(), {
      name: '김영희',
      address: '서울 서대문구 홍제3동 11-1 2층',
      dong: hongje3,
      urgency: 'prompt',
    });
    await act(fresh.receiptNo, { type: 'request_visit', reason: '전화 안 받음' }, new Date());
    const late = await file(app.repos, partnerId, twoWeeksAgo, {
      name: '박철수',
      address: '서울 서대문구 홍제3동 22-2',
      dong: hongje3,
    });
    await act(late.receiptNo, { type: 'request_visit' }, twoWeeksAgo);
    const again = await file(app.repos, partnerId, new Date(Date.now() - DAY), {
      name: '이말순',
      address: '서울 서대문구 홍제3동 33-3',
      dong: hongje3,
      urgency: 'immediate',
    });
    await act(again.receiptNo, { type: 'request_visit' }, new Date(Date.now() - DAY));
    await applyReportAction(
      deps,
      { id: 'user:hongje3', role: 'dong', dongCode: hongje3.code },
      again.receiptNo,
      {
        type: 'visit_result',
        reached: false,
        investigationResult: '부재',
        enteredInSystem: false,
        crisisLevel: 'high',
        followUpNeeded: true,
      },
      new Date(),
    );
    // a household in follow-up whose weekly call is due today
    const weekAgo = new Date(Date.now() - 7 * DAY);
    const call = await file(app.repos, partnerId, weekAgo, {
      name: '최순자',
      address: '서울 서대문구 홍제3동 44-4',
      dong: hongje3,
    });
    await act(call.receiptNo, { type: 'request_visit' }, weekAgo);
    await act(
      call.receiptNo,
      {
        type: 'visit_result',
        reached: true,
        investigationResult: '홀로 거주',
        enteredInSystem: true,
        crisisLevel: 'high',
        followUpNeeded: true,
      },
      weekAgo,
    );
    // another dong's visit, and a 홍제3동 report nobody asked a visit for yet
    const other = await file(app.repos, partnerId, new Date(), { name: '정다른', dong: yeonhui });
    await act(other.receiptNo, { type: 'request_visit' }, new Date());
    const received = await file(app.repos, partnerId, new Date(), { name: '한대기', dong: hongje3 });
    Object.assign(no, {
      fresh: fresh.receiptNo,
      late: late.receiptNo,
      again: again.receiptNo,
      call: call.receiptNo,
      other: other.receiptNo,
      received: received.receiptNo,
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  const signIn = (username: string, viewport?: { width: number; height: number }) =>
    signInAs(browser, app.baseUrl, username, viewport);
  const section = (page: Page, id: string) => page.locator(`#s-${id}`).innerText();

  it('lands a dong user on its own work only: urgent visits on top, then by due time, names masked, with links to its list and weekly list', async () => {
    const page = await signIn('hongje3');
    expect(await page.locator('h1').innerText())
      .to.contain('오늘 할 일')
      .and.contain('홍제3동');
    const urgent = await section(page, 'urgent');
    expect(urgent, 'the 즉시 위험 case in its own section at the top')
      .to.contain(no.again)
      .and.contain('재방문 (부재 1회)')
      .and.contain('방문 결과 보고');
    const rest = await section(page, 'rest');
    expect(rest).to.contain(no.fresh).and.contain(no.late).and.not.contain(no.again);
    expect(rest.indexOf(no.late), 'the overdue visit report before the one due later').to.be.lessThan(
      rest.indexOf(no.fresh),
    );
    expect(await page.locator(`#s-rest li[data-receipt="${no.late}"]`).innerText()).to.contain('기한 지남');
    expect(rest, 'names and addresses masked as in the dong list')
      .to.contain('김*희')
      .and.not.contain('김영희')
      .and.not.contain('11-1');
    expect(rest, 'a numbered dong name is a place, not a house number').to.contain('서울 서대문구 홍제3동 …');
    const all = await page.locator('#today-sections').innerText();
    expect(all, "another dong's visit is never shown").to.not.contain(no.other).and.not.contain('정다른');
    expect(all, "the call center's steps (consultation, check-in calls) are not the dong's work")
      .to.not.contain(no.received)
      .and.not.contain(no.call);
    expect(all, 'no call-center badges').to.not.contain('1차 상담').and.not.contain('상담 기한');
    expect(await page.locator('[data-count="report_visit"]').innerText()).to.equal('3');
    expect(await page.locator('[data-count="urgent"]').innerText()).to.equal('1');
    expect(await page.locator('[data-count="overdue"]').innerText()).to.equal('1');
    expect(await page.getByRole('link', { name: '우리 동 신고 목록' }).getAttribute('href')).to.equal('/console');
    expect(await page.getByRole('link', { name: '주간 명단' }).first().getAttribute('href')).to.equal(
      '/console/weekly',
    );
    await page.screenshot({ path: `${ARTIFACTS}/dong-today.png`, fullPage: true });

    // a visit asked for while the page is open appears without a reload
    await applyReportAction(
      { reports: app.repos.reports, district },
      staff,
      no.received,
      { type: 'request_visit', reason: '새로 요청' },
      new Date(),
    );
    await until('the new visit shows up', async () => (await section(page, 'rest')).includes(no.received));
    expect(await page.locator('[data-count="report_visit"]').innerText()).to.equal('4');

    // a tile links to what it counts
    await page.locator('[data-count="report_visit"]').click();
    await page.waitForURL(/\/console\/today\?step=report_visit$/);
    expect(await section(page, 'rest')).to.contain(no.late);

    // each line opens the case, shown whole on its page
    await page.locator('#s-rest a', { hasText: no.late }).click();
    await page.waitForURL(new RegExp(`/console/reports/${no.late}$`));
    expect(await page.locator('body').innerText()).to.contain('박철수');
    const records = await app.repos.accessRecords.between(new Date(Date.now() - DAY), new Date(Date.now() + DAY));
    const today = records.filter((r) => r.actor === 'user:hongje3' && r.detail === 'today');
    expect(today.length, 'the page and its changed refresh are recorded').to.be.greaterThanOrEqual(2);
    expect(today[0]!.receiptNos).to.include.members([no.fresh, no.late, no.again]).and.not.include(no.other);
  });

  it('reads well on a phone', async () => {
    const page = await signIn('hongje3', { width: 390, height: 844 });
    expect(await section(page, 'rest')).to.contain(no.fresh);
    await page.screenshot({ path: `${ARTIFACTS}/dong-today-phone.png`, fullPage: true });
  });
});
