import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { loadDistrict } from '../../src/domain/district';
import { applyReportAction } from '../../src/domain/workflow/apply-action';
import type { Urgency } from '../../src/domain/report/urgency';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { launchChromium, signIn } from '../support/browser';
import { addUser, file } from '../support/console';
import { testDatabase } from '../support/database';

const ARTIFACTS = 'test-artifacts';
const district = loadDistrict('seodaemun');

describe("dashboard in a real browser: charts and tables of the district's numbers", function () {
  this.timeout(180_000);
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  const now = new Date('2026-11-25T03:00:00Z');

  before(async () => {
    db = await testDatabase('dashboard_browser');
    const config = testConfig();
    app = await startTestApp(db.connection, { config, now: () => now });
    const partners = await Promise.all(
      ['한국전력 서대문지사', '서대문우체국', '서대문경찰서', '한국야쿠르트 홍제점'].map((name, i) =>
        app.repos.partners.create({ name, kind: (['utility', 'post', 'police', 'delivery'] as const)[i]!, now }),
      ),
    );
    await addUser({ config, repos: app.repos }, 'staff1', 'staff');
    await addUser({ config, repos: app.repos }, 'hongje1', 'dong', '홍제1동');
    // eight weeks of reports across dongs, partners and urgencies, some consulted, visited, closed
    const urgencies: Urgency[] = ['normal', 'normal', 'prompt', 'normal', 'immediate'];
    for (let i = 0; i < 48; i++) {
      const dong = district.dongs[(i * 5) % district.dongs.length]!;
      const at = new Date(now.getTime() - (i * 24 + 5) * 3_600_000);
      const r = await file(app.repos, partners[i % 7 < 3 ? 0 : i % 4]!.id, at, {
        dong: { code: dong.code, name: dong.name },
        urgency: urgencies[i % 5]!,
      });
      const deps = { reports: app.repos.reports, district };
      const staff = { id: 'user:staff1', role: 'staff' as const };
      if (i % 4 !== 3)
        await applyReportAction(
          deps,
          staff,
          r.receiptNo,
          { type: 'consult', result: '전화 상담' },
          new Date(at.getTime() + (i % 5 === 0 ? 30 : 2) * 3_600_000),
        );
      if (i % 3 === 0)
        await applyReportAction(
          deps,
          staff,
          r.receiptNo,
          {
            type: 'visit_result',
            reached: i % 2 === 0,
            investigationResult: '방문',
            enteredInSystem: true,
            crisisLevel: 'low',
            followUpNeeded: i % 9 === 0,
          },
          new Date(at.getTime() + 48 * 3_600_000),
        );
      if (i % 6 === 0)
        await applyReportAction(
          deps,
          staff,
          r.receiptNo,
          { type: 'close', reason: '지원 완료' },
          new Date(at.getTime() + 72 * 3_600_000),
        );
    }
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  it('shows staff four non-empty charts and the tables behind them; the XLSX downloads', async () => {
    const page = await signIn(browser, app.baseUrl, 'staff1');
    await page.getByRole('link', { name: '현황', exact: true }).click();
    await page.waitForURL(/\/console\/dashboard$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).to.contain('서대문구 신고 처리 현황');
    const charts = page.locator('svg.chart');
    expect(await charts.count()).to.equal(4);
    for (const id of ['chart-weekly-urgency', 'chart-same-day', 'chart-dong-outcomes', 'chart-partners']) {
      const chart = page.locator(`svg[data-chart="${id}"]`);
      const box = await chart.boundingBox();
      expect(box!.width, id).to.be.greaterThan(300);
      // bars and lines are paths filled or stroked with a series colour; the axes alone are grey
      const marks = await chart
        .locator(
          'path[fill="#0b50d0"], path[fill="#b3261e"], path[fill="#6b8fd6"], path[stroke="#0b50d0"], path[fill="#2e7d32"]',
        )
        .count();
      expect(marks, id).to.be.greaterThan(0);
    }
    expect(await page.locator('table.counts').first().locator('tr.total td').first().textContent()).to.equal('48');
    await page.screenshot({ path: `${ARTIFACTS}/dashboard.png`, fullPage: true });
    await page.locator('.charts').screenshot({ path: `${ARTIFACTS}/dashboard-charts.png` });

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: '엑셀(XLSX)로 내려받기' }).click();
    expect((await download).suggestedFilename()).to.match(/^서대문구_현황_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.xlsx$/);

    await page.getByRole('link', { name: '지난 달' }).click();
    await page.waitForURL(/from=2026-10-01&to=2026-10-31/);
    expect(await page.locator('table.counts').first().locator('tr.total td').first().textContent()).to.not.equal('48');
  });

  it('a dong user has no 현황 link and is refused the page', async () => {
    const page = await signIn(browser, app.baseUrl, 'hongje1', { width: 390, height: 844 });
    expect(await page.getByRole('link', { name: '현황', exact: true }).count()).to.equal(0);
    const res = await page.goto(`${app.baseUrl}/console/dashboard`);
    expect(res!.status()).to.equal(403);
  });
});
