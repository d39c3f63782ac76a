import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { loadDistrict } from '../../src/domain/district';
import { applyReportAction } from '../../src/domain/workflow/apply-action';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { userCommands } from '../../src/cli/user-commands';
import { addUser, file, PASSWORD, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { KakaoUser } from '../support/kakao-client';

const district = loadDistrict('seodaemun');
const kst = (wall: string) => new Date(`${wall.replace(' ', 'T')}:00+09:00`);

/** Issue 25: people by their names, partners managed, access records in words, numbers that mean what they say. */
describe('people by their names, partners managed, access records and numbers in words (issue 25)', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let clock = kst('2026-11-25 10:00');
  let admin: string;
  let staff: string;
  const config = testConfig();

  before(async () => {
    db = await testDatabase('console_people_partners');
    app = await startTestApp(db.connection, { config, now: () => clock });
    await addUser({ config, repos: app.repos }, 'chief', 'admin');
    await addUser({ config, repos: app.repos }, 'uxstaff', 'staff');
    admin = await tokenOf(app.baseUrl, 'chief');
    staff = await tokenOf(app.baseUrl, 'uxstaff');
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  const get = (token: string, path: string) =>
    fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const post = (token: string, path: string, form: Record<string, string>) =>
    fetch(`${app.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  const workbook = async (res: Response) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as ArrayBuffer);
    return wb;
  };
  const sheetText = (ws: ExcelJS.Worksheet) => {
    const lines: string[] = [];
    ws.eachRow((row) =>
      lines.push(
        (row.values as unknown[])
          .slice(1)
          .map((v) => String(v ?? ''))
          .join(' | '),
      ),
    );
    return lines.join('\n');
  };

  it("keeps a console user's name, department and phone (checked), shows the last sign-in, and names them in history and today", async () => {
    const bad = await post(admin, '/console/admin/users', {
      username: 'newstaff',
      role: 'staff',
      dong: '',
      name: '박상담',
      department: '통합콜센터',
      phone: '123',
    });
    expect(bad.status).to.equal(400);
    expect(await bad.text()).to.contain('전화번호는 02-330-1234, 010-1234-5678처럼 입력해 주세요.');
    expect(await app.repos.consoleUsers.byUsername('newstaff'), 'nothing half-written').to.equal(undefined);
    const made = await post(admin, '/console/admin/users', {
      username: 'newstaff',
      role: 'staff',
      dong: '',
      name: '박상담',
      department: '통합콜센터',
      phone: '02-330-1234',
    });
    expect(made.status).to.equal(201);
    expect(await app.repos.consoleUsers.byUsername('newstaff')).to.deep.include({
      name: '박상담',
      department: '통합콜센터',
      phone: '02-330-1234',
    });

    // the CLI keeps the same fields, checked the same way
    const cli = (args: string[]) =>
      userCommands.run(args, { config, repos: app.repos, stdin: async () => `${PASSWORD}\n` });
    await cli([
      'add',
      '--username',
      'clistaff',
      '--role',
      'staff',
      '--name',
      '정콜센',
      '--department',
      '통합콜센터',
      '--password-stdin',
    ]);
    expect(await app.repos.consoleUsers.byUsername('clistaff')).to.deep.include({
      name: '정콜센',
      department: '통합콜센터',
      phone: null,
    });
    let refused = '';
    await cli(['add', '--username', 'clibad', '--role', 'staff', '--phone', 'abc', '--password-stdin']).catch(
      (e: Error) => (refused = e.message),
    );
    expect(refused).to.contain('전화번호는 02-330-1234');
    expect((await cli(['list'])).text).to.contain('정콜센 (통합콜센터)');

    const edited = await post(admin, '/console/admin/users/uxstaff/profile', {
      name: '김상담',
      department: '통합콜센터 1팀',
      phone: '010-1234-5678',
    });
    expect(edited.status).to.equal(303);
    const page = await (await get(admin, '/console/admin/users')).text();
    expect(page)
      .to.contain('김상담')
      .and.contain('통합콜센터 1팀')
      .and.contain('010-1234-5678')
      .and.contain('최근 로그인');
    // uxstaff signed in through the API at 10:00; newstaff never did
    expect(page).to.contain('2026. 11. 25. 10:00').and.contain('없음');

    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: clock });
    const r = await file(app.repos, partner.id, kst('2026-11-25 09:00'));
    clock = kst('2026-11-25 10:30');
    for (const action of [
      { type: 'set_assignee', assignee: 'uxstaff' },
      { type: 'consult', result: '전화 상담 완료' },
    ] as Record<string, string>[]) {
      const res = await post(staff, `/console/reports/${r.receiptNo}/actions`, action);
      expect(res.status).to.equal(303);
    }
    const detail = await (await get(staff, `/console/reports/${r.receiptNo}`)).text();
    const history = detail.slice(detail.indexOf('처리 이력'));
    expect(history).to.contain('1차 상담 기록</strong> · 김상담').and.contain('→ 김상담').and.not.contain('uxstaff');
    const queue = await (await get(staff, '/console')).text();
    expect(queue.slice(queue.indexOf('<table')))
      .to.contain('김상담')
      .and.not.contain('uxstaff');
  });

  it('gives a partner a new invite code: the old one stops linking in the chat, the new one links', async () => {
    const partner = await app.repos.partners.create({ name: '서대문경찰서', kind: 'police', now: clock });
    const oldCode = formatInviteCode(partner.inviteCode);
    const res = await post(admin, `/console/admin/partners/${partner.id}/code`, {});
    expect(res.status).to.equal(200);
    const fresh = (await app.repos.partners.byId(partner.id))!;
    expect(fresh.inviteCode).to.not.equal(partner.inviteCode);
    expect(await res.text())
      .to.contain(formatInviteCode(fresh.inviteCode))
      .and.contain('이전 코드로는 이제 연결되지 않습니다');

    const reporter = new KakaoUser(app.baseUrl, 'issue25-old-code');
    await reporter.say('신고');
    await reporter.say(oldCode);
    expect(reporter.text()).to.contain('초대 코드를 확인할 수 없습니다');
    expect(await app.repos.identities.find('kakao', 'issue25-old-code')).to.equal(undefined);
    await reporter.say(formatInviteCode(fresh.inviteCode));
    expect(reporter.text()).to.contain('서대문경찰서 소속으로 등록되었습니다');
  });

  it('renames a partner and keeps its contact person (checked), refuses a name another holds', async () => {
    const partner = await app.repos.partners.createUnique({ name: '홍제 수도사업소', kind: 'utility', now: clock });
    if (partner === 'taken') throw new Error('taken');
    const bad = await post(admin, `/console/admin/partners/${partner.id}/edit`, {
      name: '서부수도사업소',
      contactName: '정담당',
      contactPhone: '12-34',
    });
    expect(bad.status).to.equal(400);
    expect(await bad.text()).to.contain('담당자 전화번호는 02-330-1234, 010-1234-5678처럼 입력해 주세요.');
    expect((await app.repos.partners.byId(partner.id))!.name, 'nothing half-written').to.equal('홍제 수도사업소');
    const ok = await post(admin, `/console/admin/partners/${partner.id}/edit`, {
      name: '서부수도사업소',
      contactName: '정담당',
      contactPhone: '02-3146-1234',
    });
    expect(ok.status).to.equal(200);
    expect(await app.repos.partners.byId(partner.id)).to.deep.include({
      name: '서부수도사업소',
      contactName: '정담당',
      contactPhone: '02-3146-1234',
    });
    const page = await (await get(admin, '/console/admin/partners')).text();
    expect(page).to.contain('담당 정담당').and.contain('02-3146-1234');
    const taken = await post(admin, `/console/admin/partners/${partner.id}/edit`, {
      name: '서대문 우체국',
      contactName: '',
      contactPhone: '',
    });
    expect(taken.status).to.equal(409);
    // two renames to one free name at once: one wins
    const other = await app.repos.partners.createUnique({ name: '연희 지역아동센터', kind: 'other', now: clock });
    if (other === 'taken') throw new Error('taken');
    const race = await Promise.all(
      [partner.id, other.id].map((id) =>
        post(admin, `/console/admin/partners/${id}/edit`, { name: '서대문 복지관', contactName: '', contactPhone: '' }),
      ),
    );
    expect(race.map((r) => r.status).sort()).to.deep.equal([200, 409]);
  });

  it('offers no revoked partner for an import and refuses one sent anyway', async () => {
    const revoked = await app.repos.partners.create({ name: '폐업 가스공사', kind: 'utility', now: clock });
    await app.repos.partners.revoke(revoked.id, clock);
    const page = await (await get(staff, '/console/imports')).text();
    const select = page.slice(
      page.indexOf('id="i-partner"'),
      page.indexOf('</select>', page.indexOf('id="i-partner"')),
    );
    expect(select).to.contain('서대문우체국').and.not.contain('폐업 가스공사');
    const body = new FormData();
    body.set('partnerId', revoked.id);
    body.set('listName', '가스 체납');
    body.set('encoding', 'utf8');
    body.set('file', new Blob(['성명,주소\n홍길동,서울 서대문구 연희동 1-1\n'], { type: 'text/csv' }), 'list.csv');
    const res = await fetch(`${app.baseUrl}/console/imports`, {
      method: 'POST',
      redirect: 'manual',
      headers: { authorization: `Bearer ${staff}` },
      body,
    });
    expect(res.status).to.equal(400);
    expect(await res.text()).to.contain('사용 중인 협약기관을 골라 주세요');
    expect(await app.repos.imports.list(district.id)).to.have.length(0);
  });

  it('shows access records in Korean words with one date-time format, as XLSX too', async () => {
    expect((await get(staff, '/console/today')).status).to.equal(200);
    const res = await get(admin, '/console/admin/access?month=2026-11');
    expect(res.status).to.equal(200);
    const page = await res.text();
    const table = page.slice(page.indexOf('<table'), page.indexOf('</table>'));
    for (const word of [
      'list_commit',
      'user:',
      'cli:',
      '>today<',
      '(today)',
      'import=',
      '>staff<',
      '>admin<',
      'console<',
    ])
      expect(table).to.not.contain(word);
    expect(table)
      .to.contain('김상담 (uxstaff)')
      .and.contain('콜센터 상담원')
      .and.contain('목록 조회')
      .and.contain('오늘 할 일')
      .and.contain('콘솔');
    expect(table).to.match(/2026\. 11\. 25\. 10:30/);
    expect(table, 'one date-time format').to.not.match(/오전|오후|\d{4}\. \d{1,2}\. \d{1,2}\. \d{1,2}:\d{2}:\d{2}/);

    const xlsx = await get(admin, '/console/admin/access/export.xlsx?month=2026-11');
    expect(xlsx.status).to.equal(200);
    expect(decodeURIComponent(xlsx.headers.get('content-disposition')!)).to.contain('서대문구_접속기록_2026-11.xlsx');
    const ws = (await workbook(xlsx)).getWorksheet('접속기록')!;
    expect(ws.getRow(3).values).to.deep.include.members(['번호', '시각', '계정', '역할', '행위']);
    const text = sheetText(ws);
    expect(text).to.contain('김상담 (uxstaff)').and.contain('1차 상담 기록').and.not.contain('user:');
    // the download is itself recorded
    const again = await (await get(admin, '/console/admin/access?month=2026-11')).text();
    expect(again).to.contain('내려받기 (엑셀)').and.contain('접속기록 내려받기 (2026년 11월)');
  });

  it("keeps the monthly review's result (reviewer, date, findings, actions), lists it, and puts it in the review's XLSX", async () => {
    const page = await (await get(admin, '/console/admin/access/monthly?month=2026-11')).text();
    expect(page).to.contain('점검 결과 기록').and.contain('data-print').and.contain('monthly.xlsx?month=2026-11');
    const missing = await post(admin, '/console/admin/access/monthly/review', {
      month: '2026-11',
      reviewer: '최관리',
      reviewedOn: '2026-11-25',
      findings: '',
      actions: '',
    });
    expect(missing.status).to.equal(400);
    const missingPage = await missing.text();
    expect(missingPage)
      .to.contain('점검 결과(발견 사항)를 2–2,000자로 적어 주세요.')
      .and.contain('id="rv-findings" name="findings"')
      .and.match(/id="rv-findings"[^>]*aria-invalid="true"/);
    expect(await app.repos.accessReviews.list()).to.have.length(0);
    const ahead = await post(admin, '/console/admin/access/monthly/review', {
      month: '2026-11',
      reviewer: '최관리',
      reviewedOn: '2026-12-01',
      findings: '이상 없음',
      actions: '',
    });
    expect(ahead.status, 'a review is not dated ahead').to.equal(400);

    const note = {
      month: '2026-11',
      reviewer: '최관리',
      reviewedOn: '2026-11-25',
      findings: 'uxstaff 근무시간 외 접속 1건: 당직 확인',
      actions: '당직표와 대조, 이상 없음',
    };
    // a double click keeps one note
    const sent = await Promise.all([
      post(admin, '/console/admin/access/monthly/review', note),
      post(admin, '/console/admin/access/monthly/review', note),
    ]);
    expect(sent.map((r) => r.status)).to.deep.equal([303, 303]);
    const kept = await app.repos.accessReviews.list();
    expect(kept).to.have.length(1);
    expect(kept[0]).to.deep.include({ reviewer: '최관리', reviewedOn: '2026-11-25', recordedBy: 'user:chief' });
    expect(kept[0]!.head.seq).to.be.greaterThan(0);

    const after = await (await get(admin, '/console/admin/access/monthly?month=2026-11')).text();
    expect(after).to.contain('당직표와 대조, 이상 없음').and.contain('최관리');
    expect(await (await get(admin, '/console/admin/access?month=2026-11')).text())
      .to.contain('당직표와 대조, 이상 없음')
      .and.contain('월간 점검 결과 기록 (2026년 11월)');
    const wb = await workbook(await get(admin, '/console/admin/access/monthly.xlsx?month=2026-11'));
    expect(wb.worksheets.map((w) => w.name)).to.deep.equal(['계정별', '확인 필요', '점검 결과']);
    expect(sheetText(wb.getWorksheet('점검 결과')!))
      .to.contain('최관리')
      .and.contain('당직표와 대조, 이상 없음');
    expect(sheetText(wb.getWorksheet('계정별')!))
      .to.contain('김상담 (uxstaff)')
      .and.contain('콜센터 상담원')
      .and.not.contain('user:');
  });

  it('counts the same-day rate over cases past their deadline only, the rest 진행 중; weeks by their Monday', async () => {
    const partner = await app.repos.partners.create({
      name: '한국전력 서대문지사',
      kind: 'utility',
      now: kst('2026-11-01 09:00'),
    });
    const deps = { reports: app.repos.reports, district };
    // Monday 11-30 (the counting day is Tuesday 12-01 11:00): one consulted on time, one missed
    // Monday's deadline, two of Tuesday not consulted yet (진행 중), one of Tuesday consulted
    const missed = await file(app.repos, partner.id, kst('2026-11-30 09:00'));
    const onTime = await file(app.repos, partner.id, kst('2026-11-30 10:00'));
    await applyReportAction(
      deps,
      { id: 'user:uxstaff', role: 'staff' },
      onTime.receiptNo,
      { type: 'consult', result: '상담' },
      kst('2026-11-30 15:00'),
    );
    await file(app.repos, partner.id, kst('2026-12-01 09:00'));
    await file(app.repos, partner.id, kst('2026-12-01 09:30'));
    const today = await file(app.repos, partner.id, kst('2026-12-01 10:00'));
    await applyReportAction(
      deps,
      { id: 'user:uxstaff', role: 'staff' },
      today.receiptNo,
      { type: 'consult', result: '상담' },
      kst('2026-12-01 10:30'),
    );
    expect(missed.receiptNo).to.be.a('string');
    clock = kst('2026-12-01 11:00');
    const res = await get(await tokenOf(app.baseUrl, 'uxstaff'), '/console/dashboard?from=2026-11-30&to=2026-12-01');
    const page = await res.text();
    expect(res.status, page.slice(0, 2000)).to.equal(200);
    // 2 of the 3 past their deadline or consulted: 67%, not 2 of 5 (40%)
    const kpis = page.slice(page.indexOf('class="kpis"'), page.indexOf('</section>', page.indexOf('class="kpis"')));
    expect(kpis).to.match(/<strong>2<\/strong>당일 상담 \(67%\)/);
    expect(page).to.contain('진행 중 2건');
    expect(page).to.contain('11월 30일 주').and.not.contain('2026-W49');
    // partner names are not cut in the chart (ECharts writes a cut label with "...")
    const chart = page.slice(page.indexOf('data-chart="chart-partners"'));
    expect(chart.slice(0, chart.indexOf('</svg>')))
      .to.contain('한국전력 서대문지사')
      .and.not.contain('...');
  });
});
