import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { loadDistrict } from '../../src/domain/district';
import type { Report } from '../../src/domain/report/report';
import { applyReportAction, type Actor } from '../../src/domain/workflow/apply-action';
import type { ReportAction } from '../../src/domain/workflow/report-actions';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, file, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';

const district = loadDistrict('seodaemun');
const YEONHUI = district.dongByName('연희동')!.code;
const HONGJE3 = district.dongByName('홍제3동')!.code;
const kst = (wall: string) => new Date(`${wall.replace(' ', 'T')}:00+09:00`);

/** The table row a person reads: label, 접수, 당일 상담, 당일 상담률, 방문, 방문율, 부재, 사후관리, 종결, 미처리. */
const TOTAL = ['합계', '5', '3', '60%', '1', '20%', '1', '0', '1', '4'];
const YEONHUI_ROW = ['연희동', '3', '2', '67%', '1', '33%', '0', '0', '0', '3'];
const HONGJE3_ROW = ['홍제3동', '2', '1', '50%', '0', '0%', '1', '0', '1', '1'];

/** Cells of the <tr> whose first cell is `label` in the table captioned `caption` of a console page. */
function pageRow(page: string, caption: string, label: string): string[] {
  const section = page.slice(page.indexOf(`>${caption}</h2>`));
  const table = section.slice(0, section.indexOf('</table>'));
  const rows = [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((c) => c[1]!),
  );
  return rows.find((r) => r[0] === label)!;
}

function parseCsv(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((l) => l.split(','));
}

/** A sheet's cells as the page shows them: rate columns (4th and 6th) as "60%". */
const asText = (v: unknown, i: number) =>
  i === 3 || i === 5 ? (typeof v === 'number' ? `${Math.round(v * 100)}%` : '-') : String(v ?? '');

/**
 * One data set with the cases that used to disagree: a visit requested without a consultation,
 * a visit where nobody was met (부재), a report closed and reopened, a merged duplicate, a
 * weekend report consulted the next business day. The console's dashboard, the weekly district
 * summary and the dashboard's XLSX must tell the same numbers.
 */
describe("the district's numbers agree: console, district summary, export", () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let token: string;
  const reports: Record<string, Report> = {};
  const staff: Actor = { id: 'user:staff1', role: 'staff' };
  const config = testConfig();

  before(async () => {
    db = await testDatabase('console_numbers');
    app = await startTestApp(db.connection, { config, now: () => kst('2026-11-25 12:00') });
    const kepco = (
      await app.repos.partners.create({ name: '한국전력 서대문지사', kind: 'utility', now: kst('2026-11-01 09:00') })
    ).id;
    const post = (await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: kst('2026-11-01 09:00') }))
      .id;
    await addUser({ config, repos: app.repos }, 'staff1', 'staff');
    await addUser({ config, repos: app.repos }, 'yeonhui1', 'dong', '연희동');
    token = await tokenOf(app.baseUrl, 'staff1');
    const hongje3 = { dong: { code: HONGJE3, name: '홍제3동' } };
    const act = async (no: string, action: ReportAction, at: string, actor: Actor = staff) => {
      const r = await applyReportAction(
        { reports: app.repos.reports, district },
        actor,
        reports[no]!.receiptNo,
        action,
        kst(at),
      );
      if (!r.ok) throw new Error(`${no} ${action.type}: ${r.code}`);
    };
    const visit = (reached: boolean, followUpNeeded: boolean): ReportAction => ({
      type: 'visit_result',
      reached,
      investigationResult: reached ? '대상자 만남' : '부재',
      enteredInSystem: reached,
      crisisLevel: 'medium',
      followUpNeeded,
    });

    // A: consulted the same afternoon, visited, household met.
    reports.A = await file(app.repos, kepco, kst('2026-11-16 10:00'), { address: '서울 서대문구 연희동 77-7' });
    await act('A', { type: 'consult', result: '전화 상담 완료' }, '2026-11-16 15:00');
    await act('A', visit(true, false), '2026-11-18 14:00', { id: 'user:yeonhui1', role: 'dong', dongCode: YEONHUI });
    // B: a visit requested without any consultation; nobody home (부재): back to 방문 요청 for a second visit, not in follow-up.
    reports.B = await file(app.repos, kepco, kst('2026-11-16 11:00'), hongje3);
    await act('B', { type: 'request_visit', reason: '전화 연결 안 됨' }, '2026-11-16 11:30');
    await act('B', visit(false, true), '2026-11-17 10:00');
    // C: consulted the next day (not same-day), closed, then reopened.
    reports.C = await file(app.repos, kepco, kst('2026-11-17 09:00'));
    await act('C', { type: 'consult', result: '다음 날 상담' }, '2026-11-18 10:00');
    await act('C', { type: 'close', reason: '연락 두절' }, '2026-11-18 11:00');
    await act('C', { type: 'reopen', reason: '이웃이 다시 신고' }, '2026-11-19 09:00');
    // D: arrived on a Saturday, consulted Monday (the next business day: on time).
    reports.D = await file(app.repos, post, kst('2026-11-21 10:00'));
    await act('D', { type: 'consult', result: '월요일 상담' }, '2026-11-23 09:30');
    // E: the same address as A two days later, merged into A: counted once, as A.
    reports.E = await file(app.repos, kepco, kst('2026-11-18 16:00'), { address: '서울 서대문구 연희동 77-7' });
    expect((await app.repos.reports.byReceiptNo('seodaemun', reports.E.receiptNo))!.duplicateState).to.equal(
      'suspected',
    );
    await act('E', { type: 'merge_duplicate' }, '2026-11-18 17:00');
    // F: consulted the same day and closed.
    reports.F = await file(app.repos, post, kst('2026-11-19 10:00'), hongje3);
    await act('F', { type: 'consult', result: '상담 후 자원 연계' }, '2026-11-19 11:00');
    await act('F', { type: 'close', reason: '지원 완료' }, '2026-11-19 12:00');
    // outside the week: not counted in it
    await file(app.repos, post, kst('2026-11-23 09:00'));
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  const get = (path: string) => fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const workbook = async (res: Response) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as ArrayBuffer);
    return wb;
  };
  const sheetRow = (ws: ExcelJS.Worksheet, label: string) => {
    for (let r = 4; r <= ws.rowCount; r++)
      if (ws.getRow(r).getCell(1).value === label) return (ws.getRow(r).values as unknown[]).slice(1, 11).map(asText);
    throw new Error(`no row ${label}`);
  };

  it("the console's dashboard counts the week by the one definition", async () => {
    const res = await get('/console/dashboard?from=2026-11-16&to=2026-11-22');
    expect(res.status).to.equal(200);
    const page = await res.text();
    expect(pageRow(page, '동별 현황', '합계')).to.deep.equal(TOTAL);
    expect(pageRow(page, '동별 현황', '연희동')).to.deep.equal(YEONHUI_ROW);
    expect(pageRow(page, '동별 현황', '홍제3동')).to.deep.equal(HONGJE3_ROW);
    expect(pageRow(page, '협약기관별 현황', '한국전력 서대문지사').slice(1, 3)).to.deep.equal(['3', '1']);
    expect(pageRow(page, '협약기관별 현황', '서대문우체국').slice(1, 3)).to.deep.equal(['2', '2']);
    expect(pageRow(page, '월별 현황', '2026년 11월')).to.deep.equal(['2026년 11월', ...TOTAL.slice(1)]);
    expect(pageRow(page, '위기 징후별 현황', '우편물·전단지 적체')?.[1]).to.equal('5');
    expect(page).to.contain('중복 병합 (제외)');
  });

  it('the weekly district summary (CSV and XLSX) tells the same numbers', async () => {
    const csv = parseCsv(await (await get('/console/weekly/download?week=2026-W47&format=csv')).text());
    expect(csv.at(-1)).to.deep.equal(['전체', ...TOTAL]);
    expect(csv.find((r) => r[0] === '동' && r[1] === '연희동')).to.deep.equal(['동', ...YEONHUI_ROW]);
    expect(csv.find((r) => r[0] === '동' && r[1] === '홍제3동')).to.deep.equal(['동', ...HONGJE3_ROW]);
    const wb = await workbook(await get('/console/weekly/download?week=2026-W47&format=xlsx'));
    const byDong = wb.getWorksheet('동별 현황')!;
    expect(sheetRow(byDong, '합계')).to.deep.equal(TOTAL);
    expect(sheetRow(byDong, '홍제3동')).to.deep.equal(HONGJE3_ROW);
    const total = byDong.getRow(byDong.rowCount);
    expect(total.getCell(4).value).to.equal(0.6);
    expect(total.getCell(4).numFmt).to.equal('0%');
  });

  it("the dashboard's XLSX export tells the same numbers, rates as percentages", async () => {
    const res = await get('/console/dashboard/export.xlsx?from=2026-11-16&to=2026-11-22');
    expect(res.status).to.equal(200);
    expect(decodeURIComponent(res.headers.get('content-disposition')!)).to.contain(
      '서대문구_현황_2026-11-16_2026-11-22.xlsx',
    );
    const wb = await workbook(res);
    expect(wb.worksheets.map((w) => w.name)).to.deep.equal(['동별', '기관별', '징후별', '월별', '주별']);
    const byDong = wb.getWorksheet('동별')!;
    expect(byDong.getCell('A2').value).to.equal('기간: 2026-11-16 ~ 2026-11-22 (접수일 기준)');
    expect(sheetRow(byDong, '합계')).to.deep.equal(TOTAL);
    expect(sheetRow(byDong, '연희동')).to.deep.equal(YEONHUI_ROW);
    expect(byDong.getRow(byDong.rowCount).getCell(6).value).to.equal(0.2);
    expect(byDong.getRow(byDong.rowCount).getCell(6).numFmt).to.equal('0%');
    const weeks = wb.getWorksheet('주별')!;
    // weeks are named by their Monday (issue 25), not by the ISO week id
    expect(sheetRow(weeks, '11월 16일 주')).to.deep.equal(['11월 16일 주', ...TOTAL.slice(1)]);
    expect(weeks.getCell(3, 11).value).to.equal('즉시 위험');
    expect(weeks.getCell(4, 13).value).to.equal(5); // every report of the set is 일반
  });

  it('the queue does not take a visit request for a consultation', async () => {
    const res = await get('/api/reports?status=all&pageSize=100');
    const sameDay = Object.fromEntries(
      (await res.json()).items.map((i: { receiptNo: string; sameDay: string }) => [i.receiptNo, i.sameDay]),
    );
    expect(sameDay[reports.B!.receiptNo]).to.equal('overdue');
    expect(sameDay[reports.A!.receiptNo]).to.equal('done');
    expect(sameDay[reports.E!.receiptNo]).to.equal('closed');
    const queue = await (await get('/console')).text();
    // B (a visit request is no consultation) and Monday's report outside the week; E is closed
    expect(queue).to.match(/<strong>2<\/strong> 상담 기한 지남/);
  });

  it('answers a bad period with a Korean message, and refuses a dong user', async () => {
    const bad = await get('/console/dashboard?from=2026-11-30&to=2026-11-01');
    expect(bad.status).to.equal(400);
    expect(await bad.text()).to.contain('시작일이 종료일보다 늦습니다.');
    expect((await get('/console/dashboard/export.xlsx?from=2026-02-30&to=2026-03-01')).status).to.equal(400);
    const dong = await fetch(`${app.baseUrl}/console/dashboard`, {
      headers: { authorization: `Bearer ${await tokenOf(app.baseUrl, 'yeonhui1')}` },
    });
    expect(dong.status).to.equal(403);
  });
});
