import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { loadDistrict } from '../../src/domain/district';
import { buildDistrictSummary } from '../../src/domain/weekly/district-summary';
import { weekOf } from '../../src/domain/weekly/iso-week';
import { buildWeeklyList } from '../../src/domain/weekly/weekly-list';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, PASSWORD, tokenOf } from '../support/console';
import { launchChromium } from '../support/browser';
import { testDatabase } from '../support/database';
import { reportDoc } from '../support/report-fixtures';
import { arrearsRows, cp949, LIST_HEADERS, tempFile, toCsv, toXlsx } from '../support/list-files';
import { storedCount } from '../../src/store/report/inspect';
import { storedDocuments } from '../../src/store/inspect';

const district = loadDistrict('seodaemun');

describe('console: importing an institution list over HTTP', function () {
  this.timeout(180_000);
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let staff: string;
  let dongUser: string;
  let partnerId: string;

  before(async () => {
    db = await testDatabase('console_imports');
    const config = testConfig();
    app = await startTestApp(db.connection, { config });
    partnerId = (await app.repos.partners.create({ name: '한전 서대문지사', kind: 'utility', now: new Date() })).id;
    await addUser({ config, repos: app.repos }, 'staff1', 'staff');
    await addUser({ config, repos: app.repos }, 'hongje1', 'dong', '홍제1동');
    staff = await tokenOf(app.baseUrl, 'staff1');
    dongUser = await tokenOf(app.baseUrl, 'hongje1');
  });
  after(async () => {
    await app?.close();
    await db?.drop();
  });

  const upload = (token: string, data: Buffer | string, name: string, listName = '한전 2026-11 장기체납') => {
    const form = new FormData();
    form.set('partnerId', partnerId);
    form.set('listName', listName);
    form.set('encoding', 'auto');
    form.set('file', new Blob([typeof data === 'string' ? data : new Uint8Array(data)]), name);
    return fetch(`${app.baseUrl}/console/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
      redirect: 'manual',
    });
  };
  const get = (path: string, token = staff) =>
    fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
  const post = (path: string, body: URLSearchParams, token = staff) =>
    fetch(`${app.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
    });
  /** A 100 MB multipart upload over node:http, streamed (a browser sends Content-Length first). */
  const rawUpload = (token: string, bytes: number) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const boundary = 'sagak-test-boundary';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="partnerId"\r\n\r\n${partnerId}\r\n--${boundary}\r\nContent-Disposition: form-data; name="listName"\r\n\r\n큰 명단\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n`,
      );
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const req = request(`${app.baseUrl}/console/imports`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.length + bytes + tail.length,
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 0x41);
      let sent = 0;
      const pump = () => {
        while (sent < bytes) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end(tail);
      };
      req.write(head);
      pump();
    });
  const storedFiles = () => storedDocuments(db.connection, 'importFiles').count();

  it('uploads, maps, previews, resolves a dong by choice, commits and shows the list’s follow-up table', async () => {
    const rows = [...arrearsRows(10), ['11', '한미경', '1944-02-03', '북가좌동 7-1', '010-3333-4444', '90000', '12']];
    const res = await upload(staff, cp949(toCsv([LIST_HEADERS, ...rows])), '한전_11월.csv');
    expect(res.status).to.equal(303);
    const path = res.headers.get('location')!;
    expect(path).to.match(/^\/console\/imports\/[a-f0-9]{24}$/);
    const id = path.split('/').pop()!;
    let page = await (await get(path)).text();
    expect(page).to.include('열 지정').and.include('<option value="고객명" selected>');

    const mapping = new URLSearchParams({
      col_name: '고객명',
      col_address: '주소',
      col_phone: '연락처',
      col_birth: '생년월일',
      defaultUrgency: 'prompt',
    });
    mapping.append('extra', '체납액');
    mapping.append('extra', '체납개월');
    mapping.append('signs', 'utility_arrears');
    expect((await post(`${path}/mapping`, mapping)).status).to.equal(303);
    page = await (await get(path)).text();
    expect(page)
      .to.include('미리보기 (아직 저장되지 않았습니다)')
      .and.include('동을 정하지 못한 행 (1행)')
      .and.include('12행 · 북가좌동 7-1');
    expect(await storedCount(app.connection, 'working')).to.equal(0);

    const north2 = district.dongByName('북가좌2동')!.code;
    expect((await post(`${path}/dongs`, new URLSearchParams({ dong_12: north2 }))).status).to.equal(303);
    expect((await post(`${path}/commit`, new URLSearchParams())).status).to.equal(303);
    page = await (await get(`${path}?notice=committed`)).text();
    expect(page).to.include('접수를 마쳤습니다').and.include('진행 현황').and.include('명단 세대 11');
    const reports = await app.repos.reports.list({ district: district.id });
    expect(reports).to.have.length(11);
    expect(reports.find((r) => r.person.name === '한미경')!.assignedDongCode).to.equal(north2);

    // Who uploaded, looked at and filed the list is in the access records (접속기록).
    const records = await app.repos.accessRecords.between(
      new Date(Date.now() - 3_600_000),
      new Date(Date.now() + 60_000),
    );
    const mine = records.filter((r) => r.scope.startsWith(`import=${id}`)).map((r) => `${r.action}:${r.detail}`);
    expect(mine).to.include.members(['change:list_upload', 'view:list_import', 'change:list_commit']);
    expect(records.find((r) => r.detail === 'list_commit')!.rowCount).to.equal(11);

    // The district summary and the dong's weekly list carry the list.
    const week = weekOf(new Date());
    const summary = await buildDistrictSummary({ reports: app.repos.reports, district }, week);
    expect(summary.byList).to.have.length(1);
    expect(summary.byList[0]).to.include({
      label: '한전 서대문지사 · 한전 2026-11 장기체납',
      households: 11,
      assigned: 11,
      visited: 0,
    });
    const weekly = await buildWeeklyList({ reports: app.repos.reports, district }, north2, week);
    expect(weekly.thisWeek.map((r) => r.source)).to.include('명단 · 한전 2026-11 장기체납');

    // The same file again: nothing new, back to the first import.
    const again = await upload(staff, cp949(toCsv([LIST_HEADERS, ...rows])), '다시.csv');
    expect(again.headers.get('location')).to.equal(`/console/imports/${id}?notice=duplicate`);
    expect(await storedCount(app.connection, 'working')).to.equal(11);
  });

  it('shows on the case page, to the call center and the dong center, that a list named the household again (once per list)', async () => {
    const hongje1 = district.dongByName('홍제1동')!.code;
    const open = await app.repos.reports.insert(
      reportDoc({
        receivedAt: new Date(Date.now() - 3_600_000),
        address: { text: '홍제1동 10-1', dongCode: hongje1, dongName: '홍제1동', resolvedBy: 'dong-name' },
        person: { name: '김철수', age: null, phone: null },
        assignedDongCode: hongje1,
      }),
    );
    const commitList = async (listName: string, extraRow: string[]) => {
      const csv = toCsv([['고객명', '주소', '연락처'], ['김 철수', '서울 서대문구 홍제1동 10-1', ''], extraRow]);
      const res = await upload(staff, csv, `${listName}.csv`, listName);
      const path = res.headers.get('location')!;
      const mapping = new URLSearchParams({ col_name: '고객명', col_address: '주소', col_phone: '연락처' });
      mapping.append('signs', 'utility_arrears');
      expect((await post(`${path}/mapping`, mapping)).status).to.equal(303);
      expect((await post(`${path}/commit`, new URLSearchParams())).status).to.equal(303);
      return path;
    };
    const first = await commitList('수도 12월 체납', ['박영희', '연희동 5', '']);
    // the list's own page counts the case among its households
    expect(await (await get(`${first}?notice=committed`)).text()).to.include('명단 세대 2');
    expect((await post(`${first}/commit`, new URLSearchParams())).status).to.equal(303); // committed again: no second note
    await commitList('가스 12월 체납', ['최민수', '천연동 3', '']);

    for (const token of [staff, dongUser]) {
      const page = await (await get(`/console/reports/${open.receiptNo}`, token)).text();
      const notes = page.match(/「[^」]+」 명단 \d+행에서 다시 확인됨/g);
      expect(notes).to.deep.equal([
        '「수도 12월 체납」 명단 2행에서 다시 확인됨',
        '「가스 12월 체납」 명단 2행에서 다시 확인됨',
      ]);
      expect(page).to.include('명단에서 다시 확인');
    }
    // the case itself is not rewritten by a list: its revision and status stay
    const after = (await app.repos.reports.byReceiptNo(district.id, open.receiptNo))!;
    expect([after.rev ?? 1, after.status]).to.deep.equal([open.rev ?? 1, 'assigned']);
  });

  it('hands back the refused rows as an XLSX with a 사유 column', async () => {
    const res = await upload(
      staff,
      toCsv([LIST_HEADERS, ...arrearsRows(3, 100), ['9', '', '', '천연동 1', '', '', '']]),
      'bad.csv',
      '가스 체납',
    );
    const path = res.headers.get('location')!;
    const mapping = new URLSearchParams({
      col_name: '고객명',
      col_address: '주소',
      defaultUrgency: 'normal',
      signs: 'utility_arrears',
    });
    await post(`${path}/mapping`, mapping);
    const file = await get(`${path}/rejected.xlsx`);
    expect(file.status).to.equal(200);
    expect(file.headers.get('content-disposition')).to.include(encodeURIComponent('가스 체납_제외된행.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await file.arrayBuffer());
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(LIST_HEADERS.length + 2).value).to.equal('사유');
    expect(ws.getRow(2).getCell(LIST_HEADERS.length + 2).value).to.equal('성명이 비어 있습니다.');
    const records = await app.repos.accessRecords.between(
      new Date(Date.now() - 3_600_000),
      new Date(Date.now() + 60_000),
    );
    expect(
      records.some(
        (r) =>
          r.action === 'download' &&
          r.scope === `${path.replace('/console/imports/', 'import=')} rejected` &&
          r.rowCount === 1,
      ),
    ).to.equal(true);
  });

  it('refuses bad files with a Korean page and stores nothing, and keeps dong centers out', async () => {
    const before = await storedFiles();
    const importsBefore = await storedDocuments(db.connection, 'imports').count();
    const png = await upload(staff, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'a.png');
    expect(png.status).to.equal(400);
    expect(await png.text()).to.include('CSV 또는 XLSX(엑셀) 파일만 올릴 수 있습니다.');
    const formula = await upload(
      staff,
      await toXlsx([
        ['고객명', '주소'],
        ['김', { formula: '1+1' }],
      ]),
      'f.xlsx',
    );
    expect(formula.status).to.equal(400);
    expect(await formula.text()).to.include('수식이 들어 있는 파일은 받지 않습니다');
    const big = await rawUpload(staff, 100 * 1024 * 1024);
    expect(big.status).to.equal(413);
    expect(big.text).to.include('파일이 너무 큽니다 (최대 20MB)');
    expect(await storedFiles()).to.equal(before);
    expect(await storedDocuments(db.connection, 'imports').count()).to.equal(importsBefore);

    expect((await get('/console/imports', dongUser)).status).to.equal(403);
    const byDong = await upload(dongUser, toCsv([LIST_HEADERS, ...arrearsRows(2)]), 'x.csv');
    expect(byDong.status).to.equal(403);
    expect(await storedFiles()).to.equal(before);
  });

  it('works in a real browser: upload form, column mapping, preview and commit (screenshots)', async function () {
    mkdirSync('test-artifacts', { recursive: true });
    const browser: Browser = await launchChromium();
    try {
      const page = await (
        await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' })
      ).newPage();
      page.on('dialog', (d) => void d.accept());
      await page.goto(`${app.baseUrl}/console/login`);
      await page.getByLabel('아이디').fill('staff1');
      await page.getByLabel('비밀번호').fill(PASSWORD);
      await page.getByRole('button', { name: '로그인' }).click();
      await page.waitForURL(/\/console\/today$/); // call-center staff land on their day
      await page.getByRole('link', { name: '명단 가져오기' }).click();
      await page.waitForURL(/\/console\/imports$/);
      await page.screenshot({ path: 'test-artifacts/import-upload.png', fullPage: true });
      await page.getByLabel('명단 이름').fill('수도 2026-11 체납');
      // six good rows, one without a name, one whose legal dong is split between two dongs
      const odd = [
        ['9', '', '', '천연동 1', '', '', ''],
        ['10', '박순자', '1941-05-06', '북가좌동 9-9', '010-4444-5555', '70000', '8'],
      ];
      const xlsx = await tempFile('water.xlsx', await toXlsx([LIST_HEADERS, ...arrearsRows(6, 300), ...odd]));
      await page.getByLabel(/파일/).setInputFiles(xlsx);
      await page.getByRole('button', { name: '올리고 열 지정하기' }).click();
      await page.waitForURL(/\/console\/imports\/[a-f0-9]{24}$/);
      await page.screenshot({ path: 'test-artifacts/import-mapping.png', fullPage: true });
      await page.getByRole('button', { name: '미리보기' }).click();
      await page.waitForURL(/#pv-h$/);
      const counts = await page.locator('table.counts').innerText();
      expect(counts).to.include('새 신고로 접수\t6').and.include('동 선택 필요\t1').and.include('제외 (오류)\t1');
      await page.screenshot({ path: 'test-artifacts/import-preview.png', fullPage: true });
      await page.getByLabel(/9행 · 북가좌동 9-9/).selectOption({ label: '북가좌2동' });
      await page.getByRole('button', { name: '선택 저장' }).click();
      await page.waitForURL(/#pv-h$/);
      expect(await page.locator('table.counts').innerText()).to.include('새 신고로 접수\t7');
      await page.getByRole('button', { name: /접수하기/ }).click();
      await page.waitForURL(/notice=committed/);
      expect(await page.locator('table.progress').innerText()).to.include('6');
      await page.screenshot({ path: 'test-artifacts/import-committed.png', fullPage: true });
      await page.getByRole('link', { name: '← 가져온 명단' }).click();
      await page.waitForURL(/\/console\/imports$/);
      expect(await page.locator('table.queue').innerText())
        .to.include('수도 2026-11 체납')
        .and.include('8행 (7 · 0 · 1)');
      await page.screenshot({ path: 'test-artifacts/import-list.png', fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
