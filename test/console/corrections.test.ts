import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { loadDistrict } from '../../src/domain/district';
import { applyReportAction } from '../../src/domain/workflow/apply-action';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, apiClient, consoleCookie, file, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { kst } from '../support/report-fixtures';

/**
 * The case page's combined forms over real HTTP: corrections (one history entry per field,
 * masked for a dong center, re-resolving the dong and asking before moving an assigned case),
 * the one-step consult + assign + visit request (all or nothing), racing staff, and the queue's
 * XLSX export with the screen's masking.
 */
describe('case corrections, the one-step form and the XLSX export', function () {
  this.timeout(120_000);
  const district = loadDistrict('seodaemun');
  const code = (name: string) => district.dongByName(name)!.code;
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let clock = kst('2026-11-18 10:00'); // a Wednesday
  let partnerId: string;
  const config = testConfig();

  before(async () => {
    db = await testDatabase('console_corrections');
    app = await startTestApp(db.connection, { config, now: () => clock });
    partnerId = (await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: clock })).id;
    await addUser({ config, repos: app.repos }, 'staff1', 'staff');
    await addUser({ config, repos: app.repos }, 'staff2', 'staff');
    await addUser({ config, repos: app.repos }, 'yeonhui1', 'dong', '연희동');
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  /** A signed-in console session that posts the case page's forms with their CSRF token. */
  async function session(username: string) {
    const cookie = await consoleCookie(app.baseUrl, username);
    const get = (path: string) => fetch(`${app.baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' });
    const page = async (path: string) => (await get(path)).text();
    const post = async (path: string, fields: Record<string, string | string[]>) => {
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await page('/console'))![1]!;
      const body = new URLSearchParams({ _csrf: csrf });
      for (const [k, v] of Object.entries(fields)) for (const one of ([] as string[]).concat(v)) body.append(k, one);
      const res = await fetch(`${app.baseUrl}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body,
        redirect: 'manual',
      });
      return { status: res.status, location: res.headers.get('location'), text: await res.text() };
    };
    return { get, page, post };
  }
  const stored = (receiptNo: string) => app.repos.reports.byReceiptNo('seodaemun', receiptNo);
  const records = () => app.repos.accessRecords.between(new Date(0), new Date(clock.getTime() + 86_400_000));
  /** The correction form as the page fills it, with some fields changed. */
  const correctionOf = (
    r: { person: { name: string | null; phone: string | null }; address: { text: string } },
    over: Record<string, string>,
  ) => {
    const shown = { name: r.person.name ?? '', phone: r.person.phone ?? '', sex: '', age: '', address: r.address.text };
    return {
      ...shown,
      ...Object.fromEntries(Object.entries(shown).map(([k, v]) => [`was_${k}`, v])),
      addressDong: '',
      ...over,
    };
  };

  it('corrects name, phone, sex and age: one history entry per field naming it and who, access-recorded; the phone is a tel: link', async () => {
    const r = await file(app.repos, partnerId, clock, { name: '홍길동', phone: '010-1234-5678' });
    const staff = await session('staff1');
    const out = await staff.post(
      `/console/reports/${r.receiptNo}/correct`,
      correctionOf(r, { name: '김영자', phone: '01098765432', sex: 'female', age: '80' }),
    );
    expect(out.status).to.equal(303);
    const page = await staff.page(out.location!);
    expect(page).to.contain('이름 정정 · 연락처 정정 · 성별 정정 · 나이 정정: 처리했습니다.');
    expect(page).to.contain('<a href="tel:01098765432">010-9876-5432</a>');
    expect(page).to.contain('80세 여성');
    const after = (await stored(r.receiptNo))!;
    expect(after.person).to.deep.include({
      name: '김영자',
      phone: '010-9876-5432',
      sex: 'female',
      age: { kind: 'age', value: 80 },
    });
    expect(after.rev).to.equal(2); // four corrections, one revision
    const trail = after.history.slice(1).map((h) => [h.action, h.by, h.from, h.to]);
    expect(trail).to.deep.equal([
      ['correct_name', 'user:staff1', '홍길동', '김영자'],
      ['correct_phone', 'user:staff1', '010-1234-5678', '010-9876-5432'],
      ['correct_sex', 'user:staff1', '', '여성'],
      ['correct_age', 'user:staff1', '', '80세'],
    ]);
    expect(page).to.contain('이름 정정').and.contain('홍길동 → 김영자');
    const change = (await records()).find((a) => a.action === 'change' && a.receiptNos.includes(r.receiptNo));
    expect(change?.detail).to.equal('correct_name,correct_phone,correct_sex,correct_age');

    // the same form again changes nothing and writes nothing
    const again = await staff.post(
      `/console/reports/${r.receiptNo}/correct`,
      correctionOf(after, { sex: 'female', age: '80세' }),
    );
    expect(await staff.page(again.location!)).to.contain('바뀐 내용이 없어 저장하지 않았습니다.');
    expect((await stored(r.receiptNo))!.rev).to.equal(2);
  });

  it("shows a dong center the corrections with the person's values masked", async () => {
    const r = await file(app.repos, partnerId, clock, { name: '박순이', phone: '010-2222-3333' });
    const staff = await session('staff1');
    await staff.post(
      `/console/reports/${r.receiptNo}/correct`,
      correctionOf(r, { name: '박순희', phone: '010-4444-5555' }),
    );
    await applyReportAction(
      { reports: app.repos.reports, district },
      { id: 'user:staff1', role: 'staff' },
      r.receiptNo,
      { type: 'assign', dongCode: code('연희동') },
      clock,
    );
    const dong = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'yeonhui1'));
    const seen = (await dong.get(`/api/reports/${r.receiptNo}`)).json;
    const entries = (seen.history as { action: string; from: string; to: string }[]).filter((h) =>
      h.action.startsWith('correct_'),
    );
    expect(entries.map((h) => [h.action, h.from, h.to])).to.deep.equal([
      ['correct_name', '박*이', '박*희'],
      ['correct_phone', '010-****-3333', '010-****-5555'],
    ]);
    const page = await (await session('yeonhui1')).page(`/console/reports/${r.receiptNo}`);
    expect(page).to.contain('박*이 → 박*희').and.not.contain('박순이 →');
    expect(page).to.not.contain('대상자 정보 정정'); // a dong center does not correct
  });

  it('re-resolves the dong of a corrected address; asks before moving an assigned case, then moves it with its own entry', async () => {
    const r = await file(app.repos, partnerId, clock, {
      address: '서울 서대문구 연희동 100-1',
      dong: { code: code('연희동'), name: '연희동' },
    });
    await applyReportAction(
      { reports: app.repos.reports, district },
      { id: 'user:staff1', role: 'staff' },
      r.receiptNo,
      { type: 'assign', dongCode: code('연희동') },
      clock,
    );
    const staff = await session('staff1');
    const moved = correctionOf(r, { address: '서울 서대문구 천연동 12-3' });
    const ask = await staff.post(`/console/reports/${r.receiptNo}/correct`, moved);
    expect(ask.status).to.equal(409);
    expect(ask.text).to.contain('고친 주소는 <strong>천연동</strong>에 속합니다').and.contain('천연동으로 재배정');
    expect((await stored(r.receiptNo))!.address.text).to.equal('서울 서대문구 연희동 100-1'); // nothing yet

    const done = await staff.post(`/console/reports/${r.receiptNo}/correct`, {
      ...moved,
      addressDong: code('천연동'),
      moveDong: 'yes',
    });
    expect(done.status).to.equal(303);
    const after = (await stored(r.receiptNo))!;
    expect(after.address).to.include({
      text: '서울 서대문구 천연동 12-3',
      dongCode: code('천연동'),
      dongName: '천연동',
    });
    expect(after.assignedDongCode).to.equal(code('천연동'));
    const tail = after.history.slice(-2).map((h) => [h.action, h.from, h.to, h.note]);
    expect(tail).to.deep.equal([
      ['correct_address', '서울 서대문구 연희동 100-1', '서울 서대문구 천연동 12-3', '행정동 연희동 → 천연동'],
      ['assign', code('연희동'), code('천연동'), undefined],
    ]);

    // "주소만 고침": the address moves, the case stays with its dong
    const keep = await staff.post(`/console/reports/${r.receiptNo}/correct`, {
      ...correctionOf(after, { address: '서울 서대문구 연희동 100-2' }),
      addressDong: code('연희동'),
      moveDong: 'no',
    });
    expect(keep.status).to.equal(303);
    expect((await stored(r.receiptNo))!.assignedDongCode).to.equal(code('천연동'));
  });

  it('asks staff to choose the dong when the address alone does not decide it, and refuses an address outside the district', async () => {
    const r = await file(app.repos, partnerId, clock);
    const staff = await session('staff1');
    const split = await staff.post(
      `/console/reports/${r.receiptNo}/correct`,
      correctionOf(r, { address: '서울 서대문구 홍제동 123' }),
    );
    expect(split.status).to.equal(400);
    expect(split.text).to.contain('주소만으로 행정동을 정할 수 없습니다').and.contain('>홍제1동</option>');
    const outside = await staff.post(
      `/console/reports/${r.receiptNo}/correct`,
      correctionOf(r, { address: '서울 마포구 합정동 1' }),
    );
    expect(outside.status).to.equal(400);
    expect(outside.text).to.contain('마포구는 서대문구 밖입니다');
    const badAge = await staff.post(`/console/reports/${r.receiptNo}/correct`, correctionOf(r, { age: '여든' }));
    expect(badAge.status).to.equal(400);
    expect(badAge.text).to.contain('나이(0~120세)');
    expect((await stored(r.receiptNo))!.rev).to.equal(1);
  });

  it('keeps both of two staff correcting the same case at once (compare-and-set, decided again from the newer revision)', async () => {
    const r = await file(app.repos, partnerId, clock, { name: '이복동', phone: '010-1111-2222' });
    const [a, b] = [await session('staff1'), await session('staff2')];
    const outs = await Promise.all([
      a.post(`/console/reports/${r.receiptNo}/correct`, correctionOf(r, { name: '이복순' })),
      b.post(`/console/reports/${r.receiptNo}/correct`, correctionOf(r, { phone: '010-3333-4444' })),
    ]);
    expect(outs.map((o) => o.status)).to.deep.equal([303, 303]);
    const after = (await stored(r.receiptNo))!;
    // each form carried the other field's old value too: only what each changed on the page is applied
    const corrections = after.history.filter((h) => h.action.startsWith('correct_')).map((h) => [h.action, h.by]);
    expect(corrections).to.have.deep.members([
      ['correct_name', 'user:staff1'],
      ['correct_phone', 'user:staff2'],
    ]);
    expect(after.rev).to.equal(3);
  });

  it('records the consultation, assigns the dong and requests the visit in one submit: three entries, one revision, and you are 담당', async () => {
    const r = await file(app.repos, partnerId, clock);
    const staff = await session('staff1');
    const before = await staff.page(`/console/reports/${r.receiptNo}`);
    expect(before).to.match(/<details class="card action one-step next" id="handle" open>/); // the next step, open and first
    const out = await staff.post(`/console/reports/${r.receiptNo}/handle`, {
      callOutcome: 'no_answer',
      result: '세 번 걸었으나 받지 않음',
      urgency: 'prompt',
      crisisLevel: '',
      services: ['food'],
      dongCode: code('연희동'),
      requestVisit: 'yes',
      visitReason: '전화 연결 안 됨, 방문 확인 필요',
    });
    expect(out.status).to.equal(303);
    expect(await staff.page(out.location!)).to.contain('1차 상담 기록 · 동 주민센터 배정 · 방문 요청: 처리했습니다.');
    const after = (await stored(r.receiptNo))!;
    expect(after.rev).to.equal(2);
    expect(after.history.slice(1).map((h) => h.action)).to.deep.equal(['consult', 'assign', 'request_visit']);
    expect(after).to.include({
      status: 'visit_requested',
      assignedDongCode: code('연희동'),
      assignee: 'staff1',
      urgency: 'prompt',
    });
    expect(after.history.at(-1)!.note).to.equal('전화 연결 안 됨, 방문 확인 필요');
    // a second assignment to the same dong writes nothing (no "연희동 → 연희동")
    const staffApi = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'staff1'));
    expect((await staffApi.act(r.receiptNo, { type: 'assign', dongCode: code('연희동') })).status).to.equal(200);
    expect((await stored(r.receiptNo))!.rev).to.equal(2);
  });

  it('applies nothing when one part is refused: an unknown dong, or a visit requested with no dong', async () => {
    const r = await file(app.repos, partnerId, clock, { dong: null });
    const staff = await session('staff1');
    const unknown = await staff.post(`/console/reports/${r.receiptNo}/handle`, {
      result: '통화함',
      dongCode: '1141099999',
      requestVisit: 'yes',
    });
    expect(unknown.status).to.equal(400);
    expect(unknown.text).to.contain('이 구에 없는 행정동입니다.').and.contain('>통화함</textarea>'); // what was typed comes back
    const noDong = await staff.post(`/console/reports/${r.receiptNo}/handle`, {
      result: '통화함',
      requestVisit: 'yes',
    });
    expect(noDong.status).to.equal(409);
    expect(noDong.text).to.contain('먼저 관할 동을 배정해 주세요.');
    const empty = await staff.post(`/console/reports/${r.receiptNo}/handle`, { result: '', dongCode: code('연희동') });
    expect(empty.status).to.equal(400);
    expect(empty.text).to.contain('상담 결과를 적어 주세요.');
    const after = (await stored(r.receiptNo))!;
    expect(after).to.include({ rev: 1, status: 'received', assignedDongCode: null });
    expect(after.consultation ?? null).to.equal(null);
    expect(after.assignee ?? null).to.equal(null);
  });

  it('names an earlier report at the same address with the right particle, and a merge in Korean', async () => {
    const earlier = await file(app.repos, partnerId, clock, { address: '서울 서대문구 연희로 200-3' });
    const later = await file(app.repos, partnerId, clock, { address: '서울 서대문구 연희로 200-3' });
    const staff = await session('staff1');
    const page = await staff.page(`/console/reports/${later.receiptNo}`);
    const particle = ['0', '1', '3', '6', '7', '8'].includes(earlier.receiptNo.slice(-1)) ? '과' : '와';
    expect(page).to.contain(`${earlier.receiptNo}</a>${particle} 같은 주소입니다.`).and.not.contain('와(과)');
    const staffApi = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'staff1'));
    expect((await staffApi.act(later.receiptNo, { type: 'merge_duplicate', note: '같은 가구' })).status).to.equal(200);
    expect(await staff.page(`/console/reports/${later.receiptNo}`)).to.contain(
      `${earlier.receiptNo}${particle} 병합 — 같은 가구`,
    );
  });

  it('says how long ago an overdue step fell due ("N일 지남"), not a date still to come', async () => {
    const r = await file(app.repos, partnerId, kst('2026-11-16 10:00')); // Monday: due that day
    const staff = await session('staff1');
    const page = await staff.page(`/console/reports/${r.receiptNo}`);
    expect(page).to.contain('<span class="badge sd-overdue">기한 2일 지남</span>').and.not.contain('(월) 23:59까지');
    const today = await staff.page('/console/today');
    const line = today.slice(today.indexOf(`data-receipt="${r.receiptNo}"`)).split('</li>')[0]!;
    expect(line).to.contain('<strong class="late">기한 지남</strong> (2일)').and.not.contain('23:59까지');
  });

  it('exports the queue as XLSX with the screen masking, a date-or-empty 생년월일 and an age column, recorded as a download', async () => {
    clock = kst('2026-11-18 11:00');
    const r = await file(app.repos, partnerId, clock, {
      name: '최말순',
      phone: '010-5555-6666',
      age: { kind: 'birthYear', value: 1944 },
      address: '서울 서대문구 연희로 11-2',
    });
    await applyReportAction(
      { reports: app.repos.reports, district },
      { id: 'user:staff1', role: 'staff' },
      r.receiptNo,
      { type: 'assign', dongCode: code('연희동') },
      clock,
    );
    const read = async (username: string) => {
      const res = await (await session(username)).get('/console/export.xlsx');
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-disposition')).to.contain('.xlsx');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      const ws = wb.getWorksheet('신고 목록')!;
      const header = (ws.getRow(3).values as unknown[]).slice(1);
      const rows: Record<string, unknown>[] = [];
      ws.eachRow((row, n) => {
        if (n > 3) rows.push(Object.fromEntries(header.map((h, i) => [String(h), row.getCell(i + 1).value])));
      });
      return { header, rows };
    };
    const staff = await read('staff1');
    expect(staff.header).to.include.members(['생년월일', '나이', '연락처', '주소']);
    const mine = staff.rows.find((x) => x['접수번호'] === r.receiptNo)!;
    expect(mine).to.include({
      대상자: '최말순',
      연락처: '010-5555-6666',
      주소: '서울 서대문구 연희로 11-2',
      나이: 82,
      '관할 동': '연희동',
    });
    expect(mine['생년월일']).to.equal(null); // a birth year is not a date
    for (const row of staff.rows)
      expect(row['생년월일'] === null || row['생년월일'] instanceof Date, String(row['생년월일'])).to.equal(true);

    const dong = await read('yeonhui1');
    const theirs = dong.rows.find((x) => x['접수번호'] === r.receiptNo)!;
    expect(theirs).to.include({ 대상자: '최*순', 연락처: '010-****-6666', 주소: '서울 서대문구 연희로 …' });
    expect(dong.rows.every((x) => x['관할 동'] === '연희동')).to.equal(true);

    const downloads = (await records()).filter((a) => a.action === 'download' && a.detail === 'xlsx');
    expect(downloads.map((d) => d.actor)).to.include.members(['user:staff1', 'user:yeonhui1']);
    expect(downloads.find((d) => d.actor === 'user:staff1')!.receiptNos).to.include(r.receiptNo);
  });
});
