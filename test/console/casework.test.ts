import { expect } from 'chai';
import { loadDistrict } from '../../src/domain/district';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, apiClient, consoleCookie, file, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { kst } from '../support/report-fixtures';

const district = loadDistrict('seodaemun');
const YEONHUI = district.dongByName('연희동')!.code;

describe('case handling and follow-up calls (console API)', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let clock = kst('2026-11-23 10:00'); // Monday, a business day
  let partnerId: string;
  let otherPartnerId: string;
  let staff: ReturnType<typeof apiClient>;
  let staff2: ReturnType<typeof apiClient>;
  let yeonhui: ReturnType<typeof apiClient>;
  const config = testConfig();

  before(async () => {
    db = await testDatabase('console_casework');
    app = await startTestApp(db.connection, { config, now: () => clock });
    partnerId = (await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: clock })).id;
    otherPartnerId = (await app.repos.partners.create({ name: '한국전력 서대문지사', kind: 'utility', now: clock })).id;
    const deps = { config, repos: app.repos };
    await addUser(deps, 'staff1', 'staff');
    await addUser(deps, 'staff2', 'staff');
    await addUser(deps, 'yeonhui1', 'dong', '연희동');
    staff = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'staff1'));
    staff2 = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'staff2'));
    yeonhui = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'yeonhui1'));
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  /** Moves the clock (sessions last 9 hours, so sign in again at the new time). */
  async function setClock(wall: string) {
    clock = kst(wall);
    staff = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'staff1'));
    staff2 = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'staff2'));
    yeonhui = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'yeonhui1'));
  }

  const receipts = (res: { json: { items: { receiptNo: string }[] } }) => res.json.items.map((i) => i.receiptNo);
  const search = (q: string) => staff.get(`/api/reports?status=all&q=${encodeURIComponent(q)}`);

  it('records the first consultation with call outcome, changed urgency and crisis level, and linked services', async () => {
    const r = await file(app.repos, partnerId, clock, { urgency: 'normal' });
    const res = await staff.act(r.receiptNo, {
      type: 'consult',
      result: '본인과 통화: 월세 3개월 체납',
      callOutcome: 'talked',
      urgency: 'prompt',
      crisisLevel: 'high',
      services: ['emergency_welfare', 'food'],
    });
    expect(res.status).to.equal(200);
    expect(res.json.urgency).to.equal('prompt');
    expect(res.json.crisisLevel).to.equal('high');
    expect(res.json.consultation).to.include({ callOutcome: 'talked' });
    expect(res.json.consultation.services).to.deep.equal(['emergency_welfare', 'food']);
    const note = res.json.history.at(-1).note as string;
    expect(note).to.contain('[통화]').and.contain('긴급도 일반 → 빠른 확인 필요').and.contain('위기도 미정 → 높음');

    const unknown = await staff.act(r.receiptNo, { type: 'consult', result: '다시', services: ['spaceship'] });
    expect(unknown.status).to.equal(400);
    expect(unknown.json.messageKo).to.contain('연계 서비스 목록');
  });

  it('gives a case to a counsellor, finds it under "내 담당", and keeps "담당 미배정" to the rest', async () => {
    const mine = await file(app.repos, partnerId, clock);
    const theirs = await file(app.repos, partnerId, clock);
    const nobodys = await file(app.repos, partnerId, clock); // not consulted yet, so nobody's
    expect((await staff.act(mine.receiptNo, { type: 'set_assignee', assignee: 'staff1' })).json.assignee).to.equal(
      'staff1',
    );
    await staff.act(theirs.receiptNo, { type: 'set_assignee', assignee: 'staff2' });
    expect((await staff.act(theirs.receiptNo, { type: 'set_assignee', assignee: 'yeonhui1' })).status).to.equal(400); // a dong account is not a counsellor
    expect((await staff.act(theirs.receiptNo, { type: 'set_assignee', assignee: 'nobody' })).status).to.equal(400);

    // the case staff1 consulted above is theirs too: consulting a case nobody has makes you its 담당
    expect(receipts(await staff.get('/api/reports?assignee=me')))
      .to.include(mine.receiptNo)
      .and.not.include(theirs.receiptNo);
    expect(receipts(await staff2.get('/api/reports?assignee=me'))).to.deep.equal([theirs.receiptNo]);
    const unassigned = receipts(await staff.get('/api/reports?assignee=none&pageSize=100'));
    expect(unassigned).to.not.include(mine.receiptNo).and.not.include(theirs.receiptNo);
    expect(unassigned.length).to.be.greaterThan(0);
    expect(unassigned).to.include(nobodys.receiptNo);

    const cleared = await staff.act(mine.receiptNo, { type: 'set_assignee', assignee: null });
    expect(cleared.json.assignee).to.equal(null);
    expect(cleared.json.history.at(-1)).to.include({ action: 'set_assignee', from: 'staff1', to: '' });
  });

  it('finds a report by receipt number, name, phone with or without dashes, and address; filters by partner and 미배정 dong', async () => {
    const r = await file(app.repos, otherPartnerId, clock, {
      name: '김복순',
      phone: '010-9876-5432',
      address: '서울 서대문구 연희로 77-1',
      dong: null,
    });
    expect(receipts(await search(r.receiptNo))).to.deep.equal([r.receiptNo]);
    expect(receipts(await search('김복순'))).to.deep.equal([r.receiptNo]);
    expect(receipts(await search('01098765432'))).to.deep.equal([r.receiptNo]);
    expect(receipts(await search('010-9876-5432'))).to.deep.equal([r.receiptNo]);
    expect(receipts(await search('9876 5432'))).to.deep.equal([r.receiptNo]);
    expect(receipts(await search('연희로 77'))).to.deep.equal([r.receiptNo]);
    expect(receipts(await staff.get(`/api/reports?partner=${otherPartnerId}`))).to.deep.equal([r.receiptNo]);
    expect(receipts(await staff.get('/api/reports?dong=none'))).to.deep.equal([r.receiptNo]);
    expect((await staff.get('/api/reports?assignee=someone')).status).to.equal(400);
  });

  it("sorts the queue by name, and masks name and address in a dong center's list (not in the case)", async () => {
    const a = await file(app.repos, partnerId, clock, { name: '가나다', address: '서울 서대문구 연희동 1-1' });
    const z = await file(app.repos, partnerId, clock, { name: '하하하', address: '서울 서대문구 연희동 2-2' });
    const byName = receipts(await staff.get('/api/reports?sort=name&pageSize=100'));
    expect(byName.indexOf(a.receiptNo)).to.be.lessThan(byName.indexOf(z.receiptNo));
    const staffItem = (await staff.get(`/api/reports?q=${a.receiptNo}`)).json.items[0];
    expect(staffItem).to.include({ personName: '가나다', addressText: '서울 서대문구 연희동 1-1' });
    const dongItem = (await yeonhui.get(`/api/reports?q=${a.receiptNo}`)).json.items[0];
    expect(dongItem).to.include({ personName: '가*다', addressText: '서울 서대문구 연희동 …' });
    expect((await yeonhui.get(`/api/reports/${a.receiptNo}`)).json.person.name).to.equal('가나다');
  });

  it('sends a visit where nobody was met (부재) back for a second visit instead of counting it as visited', async () => {
    const r = await file(app.repos, partnerId, clock, { dong: { code: YEONHUI, name: '연희동' } });
    await staff.act(r.receiptNo, { type: 'request_visit', reason: '전화 안 받음' });
    const missed = await yeonhui.act(r.receiptNo, {
      type: 'visit_result',
      reached: false,
      investigationResult: '문 두드렸으나 인기척 없음',
      enteredInSystem: false,
      crisisLevel: 'medium',
      followUpNeeded: false,
    });
    expect(missed.status).to.equal(200);
    expect(missed.json.status).to.equal('visit_requested');
    expect(missed.json.missedVisits).to.equal(1);
    expect(missed.json.history.at(-1).note).to.contain('부재 1회').and.contain('재방문');
    const met = await yeonhui.act(r.receiptNo, {
      type: 'visit_result',
      reached: true,
      investigationResult: '재방문: 본인 만남',
      enteredInSystem: true,
      crisisLevel: 'high',
      followUpNeeded: true,
    });
    expect(met.json.status).to.equal('follow_up');
    // high crisis: weekly calls, the first a week after the visit
    expect(met.json.followUp).to.include({ cadenceDays: 7, nextDue: '2026-11-30', missedInRow: 0 });
  });

  it('schedules check-in calls by crisis level, records each call, and raises three 부재 in a row for a visit', async () => {
    const r = await file(app.repos, partnerId, clock, { dong: { code: YEONHUI, name: '연희동' } });
    await staff.act(r.receiptNo, { type: 'request_visit' });
    const v = await yeonhui.act(r.receiptNo, {
      type: 'visit_result',
      reached: true,
      investigationResult: '만남',
      enteredInSystem: true,
      crisisLevel: 'medium',
      followUpNeeded: true,
    });
    expect(v.json.followUp).to.include({ cadenceDays: 14, nextDue: '2026-12-07' });

    await setClock('2026-12-07 11:00');
    const talked = await staff.act(r.receiptNo, { type: 'follow_up_call', outcome: 'talked', note: '잘 지내심' });
    expect(talked.json.followUp).to.include({ nextDue: '2026-12-21', calls: 1, lastOutcome: 'talked' });
    expect(talked.json.history.at(-1).note).to.contain('[통화]');

    const changed = await staff.act(r.receiptNo, { type: 'set_cadence', cadenceDays: 7, reason: '겨울철 난방비 걱정' });
    expect(changed.json.followUp).to.include({ cadenceDays: 7, nextDue: '2026-12-14', cadenceSetByStaff: true });

    await setClock('2026-12-14 10:00');
    const first = await staff.act(r.receiptNo, { type: 'follow_up_call', outcome: 'no_answer' });
    expect(first.json.followUp).to.include({ missedInRow: 1, nextDue: '2026-12-15' });
    await setClock('2026-12-15 10:00');
    await staff.act(r.receiptNo, { type: 'follow_up_call', outcome: 'no_answer' });
    await setClock('2026-12-16 10:00');
    const third = await staff.act(r.receiptNo, {
      type: 'follow_up_call',
      outcome: 'no_answer',
      note: '문자도 답 없음',
    });
    expect(third.json.status).to.equal('visit_requested');
    expect(third.json.history.at(-1).note).to.contain('3회 연속 부재');

    const back = await yeonhui.act(r.receiptNo, {
      type: 'visit_result',
      reached: true,
      investigationResult: '입원 중이었음',
      enteredInSystem: true,
      crisisLevel: 'medium',
      followUpNeeded: true,
    });
    // staff's cadence survives the visit
    expect(back.json.followUp).to.include({ cadenceDays: 7, nextDue: '2026-12-23' });
    const ended = await staff.act(r.receiptNo, { type: 'end_follow_up', reason: '요양병원 입소' });
    expect(ended.json.status).to.equal('closed');
    expect(ended.json.history.at(-1)).to.include({ action: 'end_follow_up', note: '요양병원 입소' });
    expect((await staff.act(r.receiptNo, { type: 'follow_up_call', outcome: 'talked' })).status).to.equal(409);
    await setClock('2026-11-23 10:00');
  });

  it('keeps a case without a dong center due the next day after three 부재, saying a dong is needed', async () => {
    const r = await file(app.repos, partnerId, clock, { dong: null });
    await staff.act(r.receiptNo, { type: 'consult', result: '통화함', callOutcome: 'talked', crisisLevel: 'low' });
    const started = await staff.act(r.receiptNo, { type: 'follow_up', dueDate: '2026-11-23' });
    expect(started.json.followUp).to.include({ cadenceDays: 30, nextDue: '2026-11-23' });
    for (let i = 0; i < 2; i++) await staff.act(r.receiptNo, { type: 'follow_up_call', outcome: 'no_answer' });
    const third = await staff.act(r.receiptNo, { type: 'follow_up_call', outcome: 'no_answer' });
    expect(third.json.status).to.equal('follow_up');
    expect(third.json.followUp).to.include({ nextDue: '2026-11-24', missedInRow: 3 });
    expect(third.json.history.at(-1).note).to.contain('관할 동을 배정하고 방문을 요청하세요');
  });

  it("lists every case whose next step is due on its owner's /console/today.json: urgent on top, then by due time; a 부재 consultation makes a 재통화", async () => {
    await setClock('2026-11-26 10:00'); // Thursday
    const cookie = await consoleCookie(app.baseUrl, 'staff1');

    const overdue = await file(app.repos, partnerId, kst('2026-11-25 15:00'));
    const urgent = await file(app.repos, partnerId, kst('2026-11-26 09:00'), { urgency: 'immediate' });
    const visit = await file(app.repos, partnerId, kst('2026-11-20 09:00'), {
      dong: { code: YEONHUI, name: '연희동' },
    });
    const call = await file(app.repos, partnerId, kst('2026-11-19 09:00'), { dong: { code: YEONHUI, name: '연희동' } });
    const first = await file(app.repos, partnerId, kst('2026-11-24 09:00'), { address: '서울 서대문구 연희로 11-3' });
    const dup = await file(app.repos, partnerId, kst('2026-11-25 09:00'), { address: '서울 서대문구 연희로 11-3' });
    const unanswered = await file(app.repos, partnerId, kst('2026-11-26 09:30'));
    await setClock('2026-11-19 10:00');
    await staff.act(call.receiptNo, { type: 'request_visit' });
    await yeonhui.act(call.receiptNo, {
      type: 'visit_result',
      reached: true,
      investigationResult: '만남',
      enteredInSystem: true,
      crisisLevel: 'high',
      followUpNeeded: true,
    });
    await setClock('2026-11-20 10:00');
    await staff.act(visit.receiptNo, { type: 'request_visit' });
    await setClock('2026-11-26 10:00'); // Fri 20th + 3 business days = Wed 25th: late
    const recalled = await staff.act(unanswered.receiptNo, {
      type: 'consult',
      result: '받지 않음',
      callOutcome: 'no_answer',
    });
    expect(recalled.json.sameDay, 'a call nobody answered is not the same-day consultation').to.not.equal('done');
    expect(recalled.json.nextStep).to.include({ kind: 'recall', label: '재통화', state: 'due' });
    const res = await fetch(`${app.baseUrl}/console/today.json`, { headers: { cookie } });
    expect(res.status).to.equal(200);
    const today = (await res.json()) as { counts: Record<string, number>; immediate: string[]; html: string };
    expect(today.immediate).to.include(urgent.receiptNo);
    const section = (id: string) => today.html.slice(today.html.indexOf(`id="s-${id}"`)).split('</section>')[0]!;
    const line = (no: string) => today.html.slice(today.html.indexOf(`data-receipt="${no}"`)).split('</li>')[0]!;
    expect(/\d{4}-\d{6}/.exec(section('urgent'))![0], 'the urgent case in the section on top').to.equal(
      urgent.receiptNo,
    );
    const rest = section('rest');
    for (const no of [overdue.receiptNo, first.receiptNo, dup.receiptNo, call.receiptNo, unanswered.receiptNo])
      expect(rest).to.contain(no);
    expect(rest.indexOf(first.receiptNo), 'by due time: the oldest deadline first').to.be.lessThan(
      rest.indexOf(overdue.receiptNo),
    );
    expect(rest.indexOf(call.receiptNo), 'the call due today after the overdue consultations').to.be.greaterThan(
      rest.indexOf(overdue.receiptNo),
    );
    expect(line(overdue.receiptNo)).to.contain('1차 상담').and.contain('기한 지남');
    expect(line(dup.receiptNo)).to.contain('중복 확인');
    expect(line(call.receiptNo)).to.contain('안부 전화');
    expect(line(unanswered.receiptNo)).to.contain('재통화').and.contain('2026. 11. 27. (금) 23:59까지');
    expect(today.html, "a visit the dong center owes is on its page, not the call center's").to.not.contain(
      `data-receipt="${visit.receiptNo}"`,
    );
    expect(today.counts.recall).to.be.greaterThanOrEqual(1);
    expect(today.html).to.contain('href="/console/today?step=recall"');
    expect(today.html).to.not.contain('24:00');

    const dongCookie = await consoleCookie(app.baseUrl, 'yeonhui1');
    // a dong center gets its own work: the visit it owes, never the call center's consultations or calls
    const dongDay = await fetch(`${app.baseUrl}/console/today.json`, { headers: { cookie: dongCookie } });
    expect(dongDay.status).to.equal(200);
    const dongJson = (await dongDay.json()) as { counts: Record<string, number>; html: string };
    expect(dongJson.counts.report_visit).to.be.greaterThanOrEqual(1);
    expect(dongJson.html).to.contain(`data-receipt="${visit.receiptNo}"`).and.contain('기한 지남');
    expect(dongJson.html)
      .to.not.contain(overdue.receiptNo)
      .and.not.contain(dup.receiptNo)
      .and.not.contain(`data-receipt="${call.receiptNo}"`);
    await setClock('2026-11-23 10:00');
  });
});
