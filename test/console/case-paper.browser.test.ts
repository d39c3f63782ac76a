import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { launchChromium, signIn } from '../support/browser';
import { addUser, file } from '../support/console';
import { testDatabase } from '../support/database';

/**
 * A call-center counsellor's case in a real browser, at a desk and on a phone: corrects the
 * person, consults + assigns + requests the visit in one submit, exports the queue to Excel and
 * reads it back, and prints the 방문 의뢰서 to PDF (Chromium's print-to-PDF), whose text is read
 * back with unpdf. Screenshots go to the run's temporary folder (SAGAK_SCREENSHOTS to keep them).
 */
describe('the case page on screen, on paper and in Excel (browser)', function () {
  this.timeout(180_000);
  const shots = process.env.SAGAK_SCREENSHOTS ?? join(tmpdir(), 'screenshots');
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let receiptNo: string;

  before(async () => {
    mkdirSync(shots, { recursive: true });
    db = await testDatabase('console_case_paper_browser');
    const config = testConfig();
    app = await startTestApp(db.connection, { config });
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    await addUser({ config, repos: app.repos }, 'staff1', 'staff');
    // the reporter did not know the dong; the name and phone were half-heard
    const r = await file(app.repos, partner.id, new Date(), {
      name: '김영지',
      phone: '010-1234-5678',
      address: '서울 서대문구 천연동 98-7 2층',
      dong: null,
      situation: '우편물이 쌓여 있고 인기척이 없습니다',
    });
    receiptNo = r.receiptNo;
    browser = await launchChromium();
    page = await signIn(browser, app.baseUrl, 'staff1', { width: 1440, height: 900 });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  it('corrects the name, phone, sex and age; the phone becomes a tel: link and the history names each field', async () => {
    await page.goto(`${app.baseUrl}/console/reports/${receiptNo}`);
    await page.screenshot({ path: join(shots, 'case-1440x900.png'), fullPage: false });
    await page.getByText('대상자 정보 정정').click();
    await page.screenshot({ path: join(shots, 'case-forms-1440x900.png'), fullPage: true });
    await page.getByLabel('이름', { exact: true }).fill('김영자');
    await page.getByLabel('연락처', { exact: true }).fill('010-2345-6789');
    await page.getByLabel('성별').selectOption({ label: '여성' });
    await page.getByLabel('나이 또는 출생연도').fill('80');
    await page.getByRole('button', { name: '정정 저장' }).click();
    await page.waitForURL(/done=/);
    expect(await page.getByRole('status').innerText()).to.contain(
      '이름 정정 · 연락처 정정 · 성별 정정 · 나이 정정: 처리했습니다.',
    );
    expect(await page.locator('a[href="tel:01023456789"]').innerText()).to.equal('010-2345-6789');
    const history = await page.locator('ol.timeline').innerText();
    expect(history)
      .to.contain('이름 정정')
      .and.contain('김영지 → 김영자')
      .and.contain('나이 정정')
      .and.contain('(없음) → 80세');
  });

  it('records the consultation, assigns the dong and requests the visit in one submit, the next step shown first', async () => {
    const first = page.locator('section.actions-list details').first();
    expect(await first.getAttribute('class')).to.contain('next');
    expect(await first.locator('summary').innerText())
      .to.contain('1차 상담 기록')
      .and.contain('동 배정·방문 의뢰까지 한 번에');
    expect(await page.locator('section.actions-list .next-label').first().innerText()).to.equal('다음 할 일');
    await page.getByLabel('통화 결과').first().selectOption({ label: '부재' });
    await page.getByLabel('상담 결과').fill('세 번 걸었으나 받지 않음');
    await page.getByLabel('동 주민센터 배정').selectOption({ label: '천연동' });
    await page.getByLabel('방문 요청 (전화로 확인이 어려울 때)').check();
    await page.getByLabel('방문 요청 사유 (선택)').fill('전화 연결 안 됨, 방문 확인 필요');
    await page.getByRole('button', { name: '1차 상담 기록 저장' }).click();
    await page.waitForURL(/done=consult,assign,request_visit/);
    expect(await page.getByRole('status').innerText()).to.contain(
      '1차 상담 기록 · 동 주민센터 배정 · 방문 요청: 처리했습니다.',
    );
    const facts = await page.locator('dl.facts').first().innerText();
    expect(facts).to.contain('방문 요청').and.contain('천연동').and.contain('staff1');
    const history = await page.locator('ol.timeline').innerText();
    expect(history.indexOf('1차 상담 기록')).to.be.lessThan(history.indexOf('동 주민센터 배정'));
    expect(history.indexOf('동 주민센터 배정')).to.be.lessThan(history.indexOf('방문 요청 ·'));
    await page.screenshot({ path: join(shots, 'case-after-1440x900.png'), fullPage: true });
  });

  it('prints the case without the menu and the forms', async () => {
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top').isVisible()).to.equal(false);
    expect(await page.locator('form:visible').count()).to.equal(0);
    expect(await page.locator('h1').innerText()).to.contain(receiptNo);
    await page.emulateMedia({ media: null });
  });

  it('prints the queue and the today page without the menu, the filters and the forms', async () => {
    for (const [path, shown] of [
      ['/console', receiptNo],
      ['/console/today', '오늘 할 일'],
    ] as const) {
      await page.goto(`${app.baseUrl}${path}`);
      await page.emulateMedia({ media: 'print' });
      try {
        expect(await page.locator('header.top').isVisible(), path).to.equal(false);
        expect(await page.locator('form:visible, details.filters:visible, button:visible').count(), path).to.equal(0);
        expect(await page.locator('main').innerText(), path).to.contain(shown);
        await page.screenshot({ path: join(shots, `print${path.replaceAll('/', '-')}.png`), fullPage: true });
      } finally {
        await page.emulateMedia({ media: null });
      }
    }
  });

  it('shows the address above the fold on a phone (390×844)', async () => {
    const phone = await signIn(browser, app.baseUrl, 'staff1', { width: 390, height: 844 });
    await phone.goto(`${app.baseUrl}/console/reports/${receiptNo}`);
    await phone.screenshot({ path: join(shots, 'case-390x844.png'), fullPage: false });
    const box = await phone.getByText('서울 서대문구 천연동 98-7 2층').first().boundingBox();
    expect(box!.y + box!.height).to.be.lessThan(844);
    const overflow = await phone.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).to.equal(0);
    await phone.context().close();
  });

  it('exports the queue to XLSX and reads it back', async () => {
    await page.goto(`${app.baseUrl}/console`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '이 목록 엑셀로 내려받기' }).click(),
    ]);
    expect(download.suggestedFilename()).to.match(/^신고목록-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await download.path())!).buffer as ArrayBuffer);
    const ws = wb.getWorksheet('신고 목록')!;
    expect(String(ws.getCell(1, 1).value)).to.equal('서대문구 복지사각지대 신고 목록');
    const header = (ws.getRow(3).values as unknown[]).slice(1).map(String);
    const row = ws.getRow(4);
    const cell = (name: string) => row.getCell(header.indexOf(name) + 1).value;
    expect(cell('접수번호')).to.equal(receiptNo);
    expect(cell('대상자')).to.equal('김영자');
    expect(cell('나이')).to.equal(80);
    expect(cell('성별')).to.equal('여성');
    expect(cell('연락처')).to.equal('010-2345-6789');
    expect(cell('관할 동')).to.equal('천연동');
    expect(cell('상태')).to.equal('방문 요청');
    expect(cell('생년월일')).to.equal(null);
  });

  it('prints the 방문 의뢰서 to one A4 page whose text names the case, the person and the dong', async () => {
    await page.goto(`${app.baseUrl}/console/reports/${receiptNo}`);
    await page.getByRole('link', { name: '방문 의뢰서' }).click();
    await page.waitForURL(/visit-sheet$/);
    await page.screenshot({ path: join(shots, 'visit-sheet-1440x900.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const doc = await getDocumentProxy(new Uint8Array(pdf));
    const { totalPages, text } = await extractText(doc, { mergePages: true });
    expect(totalPages).to.equal(1);
    const flat = text.replace(/\s+/g, '');
    for (const words of [
      '방문의뢰서',
      receiptNo,
      '김영자',
      '010-2345-6789',
      '80세여성',
      '서울서대문구천연동98-72층',
      '수신:천연동주민센터',
      '세번걸었으나받지않음',
      '전화연결안됨,방문확인필요',
      '방문결과',
    ]) {
      expect(flat, words).to.contain(words);
    }
    expect(flat).to.not.contain('로그아웃').and.not.contain('인쇄'); // no menu, no buttons on paper
  });
});
