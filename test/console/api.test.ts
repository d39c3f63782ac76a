import { expect } from 'chai';
import { userCommands } from '../../src/cli/user-commands';
import { loadDistrict } from '../../src/domain/district';
import type { Report } from '../../src/domain/report/report';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, apiClient, file, login, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';

const district = loadDistrict('seodaemun');
const YEONHUI = district.dongByName('연희동')!.code;
const HONGJE3 = district.dongByName('홍제3동')!.code;

describe('console API: roles, workflow, audit, duplicates', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let clock = new Date('2026-11-23T01:00:00Z'); // Monday 10:00 in Seoul, a business day
  let partnerId: string;
  let staff: ReturnType<typeof apiClient>;
  let yeonhui: ReturnType<typeof apiClient>;
  const config = testConfig();

  before(async () => {
    db = await testDatabase('console_api');
    app = await startTestApp(db.connection, { config, now: () => clock });
    partnerId = (await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: clock })).id;
    const deps = { config, repos: app.repos };
    await addUser(deps, 'staff1', 'staff');
    await addUser(deps, 'yeonhui1', 'dong', '연희동');
    await addUser(deps, 'hongje3', 'dong', '홍제3동');
    staff = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'staff1'));
    yeonhui = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'yeonhui1'));
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  const at = (iso: string) => new Date(iso);

  describe('accounts', () => {
    it('stores passwords only as argon2id hashes and refuses a taken username', async () => {
      const user = await app.repos.consoleUsers.byUsername('staff1');
      expect(user!.passwordHash).to.match(/^\$argon2id\$/);
      let message = '';
      try {
        await addUser({ config, repos: app.repos }, 'staff1', 'staff');
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).to.contain('taken');
    });

    it('requires --dong for a dong user and refuses an unknown dong or a short password', async () => {
      const deps = { config, repos: app.repos };
      const run = (args: string[], pw = 'long enough password') =>
        userCommands.run(args, { ...deps, stdin: async () => pw }).then(
          () => 'ok',
          (e: Error) => e.message,
        );
      expect(await run(['add', '--username', 'nodong', '--role', 'dong', '--password-stdin'])).to.contain('--dong');
      expect(
        await run(['add', '--username', 'baddong', '--role', 'dong', '--dong', '역삼동', '--password-stdin']),
      ).to.contain('unknown dong');
      expect(await run(['add', '--username', 'shortpw', '--role', 'staff', '--password-stdin'], 'short')).to.contain(
        '10',
      );
      expect(await app.repos.consoleUsers.byUsername('nodong')).to.equal(undefined);
    });

    it('answers 401 without a token and with a wrong password', async () => {
      expect((await fetch(`${app.baseUrl}/api/reports`)).status).to.equal(401);
      expect((await login(app.baseUrl, 'staff1', 'wrong password!')).status).to.equal(401);
      expect((await login(app.baseUrl, 'nobody', 'wrong password!')).status).to.equal(401);
      const bad = await fetch(`${app.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username":',
      });
      expect(bad.status).to.equal(400);
    });

    it('signs a disabled user out at once', async () => {
      await addUser({ config, repos: app.repos }, 'leaver', 'staff');
      const client = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'leaver'));
      expect((await client.get('/api/reports')).status).to.equal(200);
      await userCommands.run(['disable', 'leaver'], { config, repos: app.repos });
      expect((await client.get('/api/reports')).status).to.equal(401);
      expect((await login(app.baseUrl, 'leaver')).status).to.equal(401);
    });
  });

  describe('queue and scope', () => {
    let old: Report;
    let urgent: Report;
    let other: Report;
    before(async () => {
      old = await file(app.repos, partnerId, at('2026-11-20T01:00:00Z'), { urgency: 'normal' });
      urgent = await file(app.repos, partnerId, at('2026-11-23T00:30:00Z'), {
        urgency: 'immediate',
        situation: '사흘째 인기척이 없고 악취 (문 앞 .* 표시)',
      });
      other = await file(app.repos, partnerId, at('2026-11-22T01:00:00Z'), {
        dong: { code: HONGJE3, name: '홍제3동' },
        address: '서울 서대문구 홍제3동 문화촌아파트 9동',
        urgency: 'prompt',
      });
    });

    it("shows staff every open report, urgent steps first then by the next step's due time, with the same-day state", async () => {
      const res = await staff.get('/api/reports?pageSize=100');
      expect(res.status).to.equal(200);
      const nos = res.json.items.map((i: { receiptNo: string }) => i.receiptNo);
      expect(nos[0]).to.equal(urgent.receiptNo);
      expect(nos.indexOf(old.receiptNo), "Friday's consultation is due before Sunday's").to.be.lessThan(
        nos.indexOf(other.receiptNo),
      );
      const byNo = Object.fromEntries(
        res.json.items.map((i: { receiptNo: string; sameDay: string }) => [i.receiptNo, i.sameDay]),
      );
      expect(byNo[urgent.receiptNo]).to.equal('today');
      expect(byNo[old.receiptNo]).to.equal('overdue'); // Friday's report, not consulted by Friday night
      expect(byNo[other.receiptNo]).to.equal('pending'); // Sunday's report: due by Monday night
    });

    it('filters by status, dong, urgency, date and literal text (regex characters match only themselves)', async () => {
      const only = async (qs: string) =>
        (await staff.get(`/api/reports?${qs}`)).json.items.map((i: { receiptNo: string }) => i.receiptNo);
      expect(await only(`dong=${HONGJE3}`)).to.deep.equal([other.receiptNo]);
      expect(await only('urgency=immediate')).to.deep.equal([urgent.receiptNo]);
      expect(await only('from=2026-11-22&to=2026-11-22')).to.deep.equal([other.receiptNo]);
      expect(await only(`q=${encodeURIComponent('.*')}`)).to.deep.equal([urgent.receiptNo]);
      expect(await only(`q=${encodeURIComponent('문화촌')}`)).to.deep.equal([other.receiptNo]);
      expect(await only(`q=${encodeURIComponent('(')}`)).to.deep.equal([urgent.receiptNo]);
      expect(await only(`q=${encodeURIComponent('^$|[')}`)).to.deep.equal([]);
      const paged = await staff.get('/api/reports?pageSize=1&page=2');
      expect(paged.json).to.include({ page: 2, pageSize: 1 });
      expect(paged.json.items.map((i: { receiptNo: string }) => i.receiptNo)).to.deep.equal([old.receiptNo]);
    });

    it('answers 400 to a filter of the wrong form', async () => {
      for (const qs of [
        'status=lost',
        'dong=abc',
        'from=2026-13-45',
        'pageSize=1000',
        'dong=9999999999',
        'urgency=normal&urgency=prompt',
      ]) {
        const res = await staff.get(`/api/reports?${qs}`);
        expect(res.status, qs).to.equal(400);
        expect(res.json.error).to.equal('bad_request');
      }
    });

    it('shows a dong user only its own reports, without reporter chat ids or partner ids', async () => {
      const list = await yeonhui.get('/api/reports?status=all&pageSize=100');
      const nos = list.json.items.map((i: { receiptNo: string }) => i.receiptNo);
      expect(nos).to.include(old.receiptNo).and.not.include(other.receiptNo);
      for (const i of list.json.items) expect(i.assignedDong.code).to.equal(YEONHUI);
      const one = await yeonhui.get(`/api/reports/${old.receiptNo}`);
      expect(one.status).to.equal(200);
      expect(one.json.person.name).to.equal('홍길동');
      expect(one.json).to.not.have.property('reporter');
      expect(one.json.partner).to.deep.equal({ name: '서대문우체국' });
      expect(one.text).to.not.contain(partnerId).and.not.contain('reporter-');
      // Even a filter naming another dong stays inside the user's own dong.
      expect((await yeonhui.get(`/api/reports?dong=${HONGJE3}`)).json.items).to.deep.equal([]);
    });

    it("answers 404 with no data when a dong user reads or acts on another dong's report", async () => {
      const read = await yeonhui.get(`/api/reports/${other.receiptNo}`);
      expect(read.status).to.equal(404);
      expect(read.json).to.deep.equal({ error: 'not_found' });
      const act = await yeonhui.act(other.receiptNo, {
        type: 'visit_result',
        reached: true,
        investigationResult: '방문',
        enteredInSystem: true,
        crisisLevel: 'low',
        followUpNeeded: false,
      });
      expect(act.status).to.equal(404);
      expect(act.json).to.deep.equal({ error: 'not_found' });
      const stored = await app.repos.reports.byReceiptNo('seodaemun', other.receiptNo);
      expect(stored!.status).to.equal('received');
      expect(stored!.history).to.have.length(1);
    });

    it('refuses a staff-only action from a dong user with 403', async () => {
      const res = await yeonhui.act(old.receiptNo, { type: 'consult', result: '통화함' });
      expect(res.status).to.equal(403);
      expect(res.json.error).to.equal('forbidden_role');
    });
  });

  describe('workflow transitions and the audit trail', () => {
    it('walks a report from received to closed and back, each step in the history with who, when and what', async () => {
      const r = await file(app.repos, partnerId, clock);
      clock = new Date(clock.getTime() + 60_000);
      const consult = await staff.act(r.receiptNo, {
        type: 'consult',
        result: '전화 상담: 전기요금 3개월 체납',
        supportLinked: '한전 복지할인 안내',
      });
      expect(consult.status).to.equal(200);
      expect(consult.json.status).to.equal('consulted');
      expect(consult.json.sameDay).to.equal('done');

      const reqVisit = await staff.act(r.receiptNo, { type: 'request_visit', reason: '전화 불통' });
      expect(reqVisit.json.status).to.equal('visit_requested');
      const visit = await yeonhui.act(r.receiptNo, {
        type: 'visit_result',
        reached: true,
        investigationResult: '기초수급 신청 안내',
        enteredInSystem: true,
        crisisLevel: 'medium',
        followUpNeeded: true,
      });
      expect(visit.status).to.equal(200);
      expect(visit.json.status).to.equal('follow_up');
      const close = await staff.act(r.receiptNo, { type: 'close', reason: '지원 연계 완료' });
      expect(close.json.status).to.equal('closed');

      const refused = await staff.act(r.receiptNo, { type: 'consult', result: '다시 상담' });
      expect(refused.status).to.equal(409);
      expect(refused.json.error).to.equal('not_allowed');
      expect(refused.json.messageKo).to.equal('현재 상태에서는 할 수 없는 처리입니다.');
      const reopen = await staff.act(r.receiptNo, { type: 'reopen', reason: '재신고' });
      expect(reopen.json.status).to.equal('assigned');

      const stored = await app.repos.reports.byReceiptNo('seodaemun', r.receiptNo);
      const trail = stored!.history.map((h) => [h.action, h.by, h.from, h.to]);
      expect(trail).to.deep.equal([
        ['received', `partner:${partnerId}`, undefined, 'received'],
        ['consult', 'user:staff1', 'received', 'consulted'],
        ['request_visit', 'user:staff1', 'consulted', 'visit_requested'],
        ['visit_result', 'user:yeonhui1', 'visit_requested', 'follow_up'],
        ['close', 'user:staff1', 'follow_up', 'closed'],
        ['reopen', 'user:staff1', 'closed', 'assigned'],
      ]);
      expect(stored!.history[1]!.at.toISOString()).to.equal(clock.toISOString());
      expect(stored!.history[1]!.note).to.equal('전화 상담: 전기요금 3개월 체납');
      expect(stored!.consultation).to.include({ by: 'user:staff1', supportLinked: '한전 복지할인 안내' });
    });

    it('refuses transitions the state does not allow with 409 and the reason, changing nothing', async () => {
      const r = await file(app.repos, partnerId, clock, { dong: null });
      const cases: [unknown, string][] = [
        [{ type: 'reopen', reason: '열기' }, 'not_allowed'],
        [{ type: 'request_visit' }, 'no_dong'],
        [{ type: 'merge_duplicate' }, 'no_duplicate'],
        [{ type: 'keep_separate' }, 'no_duplicate'],
      ];
      for (const [action, code] of cases) {
        const res = await staff.act(r.receiptNo, action);
        expect(res.status, JSON.stringify(action)).to.equal(409);
        expect(res.json.error).to.equal(code);
        expect(res.json.message).to.be.a('string').and.not.empty;
      }
      const stored = await app.repos.reports.byReceiptNo('seodaemun', r.receiptNo);
      expect(stored!.status).to.equal('received');
      expect(stored!.history).to.have.length(1);
    });

    it('answers 400 to fields of the wrong type and stores nothing', async () => {
      const r = await file(app.repos, partnerId, clock);
      const bad: unknown[] = [
        {
          type: 'visit_result',
          reached: 'yes',
          investigationResult: 'x',
          enteredInSystem: true,
          crisisLevel: 'low',
          followUpNeeded: false,
        },
        { type: 'assign', dongCode: 1141061500 },
        { type: 'consult', result: '' },
        { type: 'consult', result: 'x'.repeat(2001) },
        { type: 'follow_up', dueDate: 'next week' },
        { type: 'delete_history' },
        { result: '상담' },
        [],
        'consult',
      ];
      for (const body of bad) {
        const res = await staff.act(r.receiptNo, body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
      }
      const malformed = await staff.act(r.receiptNo, '{"type":');
      expect(malformed.status).to.equal(400);
      expect((await staff.act(r.receiptNo, { type: 'assign', dongCode: '1234567890' })).json.error).to.equal(
        'unknown_dong',
      );
      const stored = await app.repos.reports.byReceiptNo('seodaemun', r.receiptNo);
      expect(stored!.history).to.have.length(1);
    });

    it('offers no route that edits or deletes the history, and ignores a history field in an action', async () => {
      const r = await file(app.repos, partnerId, clock);
      const res = await staff.act(r.receiptNo, { type: 'consult', result: '상담함', history: [], status: 'closed' });
      expect(res.status).to.equal(200);
      expect(res.json.history).to.have.length(2);
      expect(res.json.status).to.equal('consulted');
      for (const method of ['PUT', 'PATCH', 'DELETE']) {
        const other = await fetch(`${app.baseUrl}/api/reports/${r.receiptNo}`, {
          method,
          headers: { authorization: `Bearer ${await tokenOf(app.baseUrl, 'staff1')}` },
        });
        expect(other.status, method).to.equal(404);
      }
      const stored = await app.repos.reports.byReceiptNo('seodaemun', r.receiptNo);
      expect(stored!.history.map((h) => h.action)).to.deep.equal(['received', 'consult']);
    });

    it("lets staff assign a report to another dong, which moves it out of the first dong user's sight", async () => {
      const r = await file(app.repos, partnerId, clock);
      expect((await yeonhui.get(`/api/reports/${r.receiptNo}`)).status).to.equal(200);
      const res = await staff.act(r.receiptNo, { type: 'assign', dongCode: HONGJE3 });
      expect(res.json.assignedDong).to.deep.equal({ code: HONGJE3, name: '홍제3동' });
      expect(res.json.history.at(-1)).to.include({ action: 'assign', from: YEONHUI, to: HONGJE3, by: 'user:staff1' });
      expect((await yeonhui.get(`/api/reports/${r.receiptNo}`)).status).to.equal(404);
      const hongje = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'hongje3'));
      expect((await hongje.get(`/api/reports/${r.receiptNo}`)).status).to.equal(200);
    });
  });

  describe('duplicate reports', () => {
    it('links a report of the same address within 30 days to the earlier one, and flags it in the queue', async () => {
      const first = await file(app.repos, partnerId, at('2026-11-01T01:00:00Z'), {
        address: '서울 서대문구 연희로 11-2, 3층',
      });
      const second = await file(app.repos, partnerId, at('2026-11-21T01:00:00Z'), {
        address: '서울 서대문구  연희로 11 2 (3층)',
      });
      const later = await file(app.repos, partnerId, at('2026-12-25T01:00:00Z'), {
        address: '서울 서대문구 연희로 11-2 3층',
      });
      const elsewhere = await file(app.repos, partnerId, at('2026-11-21T02:00:00Z'), {
        address: '서울 서대문구 연희로 11-20 3층',
      });
      expect(first.duplicateOf).to.equal(null);
      expect(second).to.include({ duplicateOf: first.receiptNo, duplicateState: 'suspected' });
      expect(later.duplicateOf).to.equal(null); // 34 days after the last one
      expect(elsewhere.duplicateOf).to.equal(null);

      const flagged = await staff.get('/api/reports?duplicates=1&pageSize=100');
      const nos = flagged.json.items.map((i: { receiptNo: string }) => i.receiptNo);
      expect(nos).to.include(second.receiptNo).and.not.include(first.receiptNo);
      expect(
        flagged.json.items.find((i: { receiptNo: string }) => i.receiptNo === second.receiptNo).duplicate,
      ).to.deep.equal({ of: first.receiptNo, state: 'suspected' });
    });

    it('two filings of a new address at once are both stored, and the next report there links to one of them', async () => {
      const [a, b] = await Promise.all([
        file(app.repos, partnerId, clock, { address: '홍은동 99-9' }),
        file(app.repos, partnerId, clock, { address: '홍은동 99-9' }),
      ]);
      expect(a.receiptNo).to.not.equal(b.receiptNo);
      const next = await file(app.repos, partnerId, new Date(clock.getTime() + 60_000), { address: '홍은동 99-9' });
      expect([a.receiptNo, b.receiptNo]).to.include(next.duplicateOf);
    });

    it('merges a flagged duplicate (closed, pointing at the earlier one) or keeps it separate', async () => {
      const first = await file(app.repos, partnerId, clock, { address: '홍은동 8-1' });
      const dup1 = await file(app.repos, partnerId, clock, { address: '홍은동 8-1' });
      const merged = await staff.act(dup1.receiptNo, { type: 'merge_duplicate', note: '같은 가구' });
      expect(merged.status).to.equal(200);
      expect(merged.json).to.include({ status: 'closed' });
      expect(merged.json.duplicate).to.deep.equal({ of: first.receiptNo, state: 'merged' });
      expect(merged.json.history.at(-1).note).to.contain(first.receiptNo);

      const dup2 = await file(app.repos, partnerId, clock, { address: '홍은동 8-1' });
      expect(dup2.duplicateOf).to.equal(first.receiptNo); // the closed merge is not the latest open link
      const kept = await staff.act(dup2.receiptNo, { type: 'keep_separate' });
      expect(kept.json.duplicate).to.deep.equal({ of: first.receiptNo, state: 'separate' });
      expect(kept.json.status).to.equal('received');
      expect((await staff.act(dup2.receiptNo, { type: 'merge_duplicate' })).status).to.equal(409);
    });
  });

  it("downloads the weekly list from the console: a dong user its own dong's only, staff any dong or the summary", async () => {
    const r = await file(app.repos, partnerId, clock, { address: '연희동 주간명단 1-1' });
    const get = async (token: string, qs: string) =>
      fetch(`${app.baseUrl}/console/weekly/download?${qs}`, { headers: { authorization: `Bearer ${token}` } });
    const dongToken = await tokenOf(app.baseUrl, 'yeonhui1');
    const own = await get(dongToken, 'week=2026-W48&format=csv');
    expect(own.status).to.equal(200);
    const csv = await own.text();
    expect(csv).to.contain(r.receiptNo).and.contain('연희동 주간명단 1-1');
    const foreign = await get(dongToken, `week=2026-W48&format=csv&dong=${HONGJE3}`);
    expect(foreign.status).to.equal(404);
    expect(await foreign.text()).to.not.contain('문화촌');
    const staffToken = await tokenOf(app.baseUrl, 'staff1');
    const xlsx = await get(staffToken, `week=2026-W48&format=xlsx&dong=${YEONHUI}`);
    expect(xlsx.headers.get('content-type')).to.contain('spreadsheetml');
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).to.equal('PK');
    expect((await get(staffToken, 'week=2026-W48&format=csv')).status).to.equal(200);
    expect((await get(staffToken, 'week=yesterday&format=csv')).status).to.equal(400);
    // chosen by a date: the week (Mon–Sun) holding it, never an ISO week string
    const byDate = await get(dongToken, 'date=2026-11-25&format=csv');
    expect(byDate.status).to.equal(200);
    expect(await byDate.text()).to.equal(csv);
    const bad = await get(dongToken, 'date=2026-02-30&format=csv');
    expect(bad.status).to.equal(400);
    expect(await bad.text())
      .to.contain('날짜를 달력에서 골라 주세요')
      .and.contain('type="date"');
    const page = await (
      await fetch(`${app.baseUrl}/console/weekly?date=2026-12-01`, {
        headers: { authorization: `Bearer ${dongToken}` },
      })
    ).text();
    expect(page).to.contain('11월 30일(월) ~ 12월 6일(일)').and.contain('name="date"').and.not.contain('ISO');
  });

  it('takes a visit where nobody was met with only when and what was seen; 위기도 may be 모름; a missing answer gets a Korean hint', async () => {
    const dongToken = await tokenOf(app.baseUrl, 'yeonhui1');
    const dong = apiClient(app.baseUrl, dongToken);
    const r = await file(app.repos, partnerId, clock, { address: '연희동 부재방문 2-2' });
    const staffApi = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'staff1'));
    expect((await staffApi.act(r.receiptNo, { type: 'request_visit' })).status).to.equal(200);
    const missed = await dong.act(r.receiptNo, {
      type: 'visit_result',
      reached: false,
      investigationResult: '우편물 쌓임, 인기척 없음',
      revisitOn: new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(
        new Date(clock.getTime() + 86_400_000),
      ),
    });
    expect(missed.status, missed.text).to.equal(200);
    expect(missed.json.status).to.equal('visit_requested');
    expect(missed.json.visit).to.include({ reached: false, crisisLevel: null });
    expect(missed.json.nextStep).to.include({ kind: 'report_visit' });
    const incomplete = await dong.act(r.receiptNo, {
      type: 'visit_result',
      reached: true,
      investigationResult: '만남',
      enteredInSystem: true,
      followUpNeeded: false,
    });
    expect(incomplete.status).to.equal(400);
    expect(incomplete.json.messageKo).to.contain('위기도를 골라 주세요');
    const unknown = await dong.act(r.receiptNo, {
      type: 'visit_result',
      reached: true,
      investigationResult: '만남, 말씀을 아끼심',
      enteredInSystem: true,
      crisisLevel: 'unknown',
      followUpNeeded: false,
    });
    expect(unknown.status, unknown.text).to.equal(200);
    expect(unknown.json.visit.crisisLevel).to.equal(null);
    expect(unknown.json.nextStep).to.include({ kind: 'review_close' });
  });

  it('serves an OpenAPI 3 description of the API', async () => {
    const res = await fetch(`${app.baseUrl}/api/openapi.json`);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: { Action: { oneOf?: unknown[]; anyOf?: unknown[] } } };
    };
    expect(doc.openapi).to.match(/^3\./);
    expect(Object.keys(doc.paths)).to.include.members([
      '/api/auth/login',
      '/api/reports',
      '/api/reports/{receiptNo}',
      '/api/reports/{receiptNo}/actions',
    ]);
    const variants = doc.components.schemas.Action.oneOf ?? doc.components.schemas.Action.anyOf ?? [];
    expect(JSON.stringify(variants)).to.contain('"visit_result"').and.contain('"merge_duplicate"');
  });
});
