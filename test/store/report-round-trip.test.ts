import { expect } from 'chai';
import { loadDistrict } from '../../src/domain/district';
import type { Report } from '../../src/domain/report/report';
import { ReportStoreError, ReportStoreErrorCode } from '../../src/domain/report/report-store-error';
import { applyReportActionTo, type Actor } from '../../src/domain/workflow/apply-action';
import type { ReportAction } from '../../src/domain/workflow/report-actions';
import { storedFieldNames, storedForms } from '../../src/store/report/inspect';
import { reportRepository, type ReportStore } from '../../src/store/report/report';
import { testDatabase } from '../support/database';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The store's clock (the working set's window, the claims' time): fixed, never the real date. */
const NOW = new Date('2026-11-20T03:00:00Z');
const RECEIVED = new Date(NOW.getTime() - 60 * DAY);
const at = (hours: number) => new Date(RECEIVED.getTime() + hours * HOUR);

const district = loadDistrict('seodaemun');
const DONG = district.dongs[0]!;
const OTHER_DONG = district.dongs[1]!;
const SERVICE = district.services[0]!.code;

/**
 * A report with every field of `Report` set (`Required`: a field added to `Report` without a value
 * here does not compile, and the check below fails at run time too), nested optional fields
 * included, none of them null where a value can be given.
 */
const FULL: Required<Report> = {
  id: 'round-trip-0001',
  rev: 1,
  district: 'seodaemun',
  receiptNo: '2026-990001',
  submissionId: 'round-trip-0001',
  receivedAt: RECEIVED,
  partner: { id: 'p-round-trip', name: '왕복 확인 기관', kind: 'utility' },
  reporter: { channel: 'kakao', userId: 'round-trip-user' },
  reporterContact: { name: '신고자', phone: '010-0000-0001' },
  address: { text: '서대문구 연희로 1', dongCode: DONG.code, dongName: DONG.name, resolvedBy: 'geocoder' },
  signs: ['utility_arrears', 'mail_piled'],
  person: { name: '홍길동', age: { kind: 'decade', value: 70 }, phone: '010-0000-0002', sex: 'female' },
  situation: '두 달째 전기요금이 밀렸습니다.',
  urgency: 'prompt',
  status: 'assigned',
  assignedDongCode: DONG.code,
  consultation: {
    at: at(1),
    by: 'staff:first',
    result: '통화함',
    supportLinked: '긴급복지',
    callOutcome: 'talked',
    services: [SERVICE],
  },
  visit: {
    at: at(2),
    by: 'dong:first',
    reached: true,
    investigationResult: '만남',
    supportProvided: '도시락',
    enteredInSystem: true,
    crisisLevel: 'medium',
    followUpNeeded: true,
    visitedAt: at(1.5),
    revisitOn: '2026-09-30',
  },
  followUpDue: '2026-10-01',
  assignee: 'counsellor-one',
  crisisLevel: 'medium',
  followUp: {
    cadenceDays: 14,
    nextDue: '2026-10-05',
    missedInRow: 1,
    calls: 2,
    lastCallAt: at(3),
    lastOutcome: 'no_answer',
    cadenceSetByStaff: true,
  },
  visitRequestedAt: at(1.2),
  missedVisits: 1,
  closedAt: at(0.5),
  stepSince: at(2),
  addressKey: '연희로1',
  duplicateOf: '2026-000001',
  duplicateState: 'suspected',
  urgencyRank: 1,
  source: { kind: 'list', importId: 'abcdef0123456789', listName: '체납 명단', line: 3 },
  extra: { 체납액: '120000', 체납개월: '2' },
  anonymisedAt: at(4),
  photoIds: ['a'.repeat(40), 'b'.repeat(40)],
  demo: true,
  history: [
    { at: RECEIVED, by: 'partner:p-round-trip', action: 'received', from: 'none', to: 'received', note: '왕복' },
  ],
};
const FIELDS = Object.keys(FULL) as (keyof Report)[];

/** Every top-level field is there (a value or null), in every form a report is read from. */
function expectEveryField(r: Report | undefined, where: string): void {
  expect(r, `${where}: stored`).to.not.equal(undefined);
  for (const f of FIELDS) expect(r![f], `${where}: ${f}`).to.not.equal(undefined);
}

describe('a report reads the same from every stored form (one conversion, strict schema)', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let reports: ReportStore;
  let clock = NOW;

  before(async () => {
    db = await testDatabase('report_round_trip');
    reports = reportRepository(db.connection, { now: () => clock });
    await reports.ensureIndexes();
  });
  after(() => db.drop());

  /** The repository's reads, the working set, the archive, the open copy and the newest claim all agree; each holds every field. */
  async function expectSameEverywhere(
    id: string,
    where: { working: boolean; archive: boolean; open: boolean },
  ): Promise<Report> {
    const current = (await reports.current(id))!;
    expectEveryField(current, 'current');
    const forms = await storedForms(db.connection, id);
    for (const name of ['working', 'archive', 'open'] as const) {
      if (!where[name]) {
        expect(forms[name], `no ${name} copy`).to.equal(undefined);
        continue;
      }
      expectEveryField(forms[name], name);
      expect(forms[name], name).to.deep.equal(current);
    }
    const claim = forms.claims.find((c) => c.rev === current.rev);
    if (current.rev! > 1) {
      expectEveryField(claim, `claim ${current.rev}`);
      expect(claim, `claim ${current.rev}`).to.deep.equal(current);
    }
    expect(await reports.byReceiptNo('seodaemun', current.receiptNo), 'byReceiptNo').to.deep.equal(current);
    const scope = { kind: 'district' as const, district: 'seodaemun' };
    const searched = await reports.search(scope, { statuses: [current.status] }, { skip: 0, limit: 100 });
    expect(
      searched.items.find((r) => r.id === id),
      'search',
    ).to.deep.equal(current);
    const anyStatus = await reports.search(scope, { text: current.receiptNo }, { skip: 0, limit: 100 });
    expect(
      anyStatus.items.find((r) => r.id === id),
      'search of both collections',
    ).to.deep.equal(current);
    return current;
  }

  it('stores exactly the fields of Report (the fixture names each one)', () => {
    expect(storedFieldNames()).to.deep.equal(FIELDS.map((f) => (f === 'id' ? '_id' : f)).sort());
  });

  it('files a report with every field set and reads it back whole from the working set, the open copy and every query', async () => {
    const { id: _id, rev: _rev, ...filing } = FULL;
    const filed = await reports.file(filing);
    expect(filed).to.have.property('fresh', true);
    const current = await expectSameEverywhere(FULL.id, { working: true, archive: false, open: true });
    expect(current).to.deep.equal(FULL);
  });

  it('keeps every field through every workflow action, the archive move and back', async () => {
    const staff: Actor = { id: 'staff:round-trip', role: 'staff' };
    const dong: Actor = { id: 'dong:round-trip', role: 'dong', dongCode: OTHER_DONG.code };
    const reporter: Actor = {
      id: 'reporter:round-trip',
      role: 'reporter',
      channel: 'kakao',
      userId: 'round-trip-user',
    };
    const steps: [Actor, ReportAction][] = [
      [
        staff,
        {
          type: 'consult',
          result: '다시 통화함',
          supportLinked: '기초수급 안내',
          callOutcome: 'talked',
          urgency: 'normal',
          crisisLevel: 'high',
          services: [SERVICE],
        },
      ],
      [staff, { type: 'set_assignee', assignee: 'counsellor-two' }],
      [staff, { type: 'correct_name', name: '김영희' }],
      [staff, { type: 'correct_phone', phone: '010-0000-0003' }],
      [staff, { type: 'correct_sex', sex: 'male' }],
      [staff, { type: 'correct_age', age: { kind: 'birthYear', value: 1950 } }],
      [staff, { type: 'correct_address', text: '서대문구 연희로 2', dongCode: OTHER_DONG.code }],
      [staff, { type: 'assign', dongCode: OTHER_DONG.code }],
      [reporter, { type: 'add_details', signs: ['mail_piled'], situation: '우편물도 쌓였습니다.' }],
      [staff, { type: 'acknowledge_urgent', note: '확인' }],
      [staff, { type: 'keep_separate', note: '다른 가구' }],
      [staff, { type: 'request_visit', reason: '방문 필요' }],
      [
        dong,
        { type: 'visit_result', reached: false, investigationResult: '부재, 우편물 쌓임', revisitOn: '2026-09-25' },
      ],
      [
        dong,
        {
          type: 'visit_result',
          reached: true,
          investigationResult: '만남',
          supportProvided: '쌀',
          enteredInSystem: true,
          crisisLevel: 'medium',
          followUpNeeded: true,
        },
      ],
      [staff, { type: 'follow_up', dueDate: '2026-10-10', note: '사후관리' }],
      [staff, { type: 'set_cadence', cadenceDays: 10, reason: '자주 확인' }],
      [staff, { type: 'follow_up_call', outcome: 'no_answer', note: '부재' }],
      [staff, { type: 'follow_up_call', outcome: 'talked' }],
      [staff, { type: 'end_follow_up', reason: '안정됨' }], // closes the case
      [staff, { type: 'reopen', reason: '재신고' }],
      [staff, { type: 'close', reason: '종결' }],
      [staff, { type: 'reopen', reason: '같은 가구 재신고' }],
      [staff, { type: 'merge_duplicate', note: '같은 가구' }], // closes the case as merged
    ];
    // An anonymised case takes no action: the fixture's anonymisedAt is cleared first (set again below, in the archive).
    const filed = (await reports.current(FULL.id))!;
    expect(await reports.change(filed, { ...filed, anonymisedAt: null })).to.equal(true);
    await expectSameEverywhere(FULL.id, { working: true, archive: false, open: true });

    let hours = 5;
    const taken: string[] = [];
    for (const [actor, action] of steps) {
      clock = at(hours);
      if (action.type === 'merge_duplicate') {
        // keep_separate settled the earlier link: a later filing at the address marks it again
        const current = (await reports.current(FULL.id))!;
        expect(await reports.change(current, { ...current, duplicateState: 'suspected' })).to.equal(true);
      }
      const result = await applyReportActionTo({ reports, district }, actor, FULL.id, action, clock);
      expect(result, `${action.type}: ${JSON.stringify(result)}`).to.have.property('ok', true);
      taken.push(action.type);
      const current = await expectSameEverywhere(FULL.id, { working: true, archive: false, open: isOpenAfter(result) });
      expect(current.history.length, action.type).to.be.greaterThan(1);
      hours += 1;
    }
    expect(taken).to.include.members(['consult', 'visit_result', 'follow_up_call', 'close', 'reopen']);

    // closed and old: the sweep moves it to the archive, where it reads the same
    clock = NOW;
    expect((await reports.archiveSweep()).archived).to.equal(1);
    const archived = await expectSameEverywhere(FULL.id, { working: false, archive: true, open: false });
    expect(archived.status).to.equal('closed');

    // changed where it is (the retention job's path): stays in the archive, whole
    const anonymisedAt = new Date(NOW.getTime() - HOUR);
    expect(
      await reports.changeInPlace(archived, {
        ...archived,
        anonymisedAt,
        history: [...archived.history, { at: anonymisedAt, by: 'job:round-trip', action: 'anonymise' }],
      }),
    ).to.equal(true);
    await expectSameEverywhere(FULL.id, { working: false, archive: true, open: false });

    // reopened: back to the working set and the open copies, the archive's copy gone
    const reopened = await applyReportActionTo(
      { reports, district },
      staff,
      FULL.id,
      { type: 'reopen', reason: '다시 열기' },
      NOW,
    );
    if (reopened.ok) {
      const back = await expectSameEverywhere(FULL.id, { working: true, archive: false, open: true });
      expect(back.anonymisedAt).to.deep.equal(anonymisedAt);
    } else {
      // an anonymised case is not reopened (the retention rules): moved back by a plain change instead
      const current = (await reports.current(FULL.id))!;
      expect(
        await reports.change(current, {
          ...current,
          status: 'assigned',
          history: [
            ...current.history,
            { at: NOW, by: 'staff:round-trip', action: 'reopen', from: 'closed', to: 'assigned' },
          ],
        }),
      ).to.equal(true);
      const back = await expectSameEverywhere(FULL.id, { working: true, archive: false, open: true });
      expect(back.anonymisedAt).to.deep.equal(anonymisedAt);
    }
  });

  it('refuses a field the stored form does not know, storing nothing, with a code', async () => {
    const {
      id: _id,
      rev: _rev,
      ...filing
    } = { ...FULL, id: 'round-trip-unknown', submissionId: 'round-trip-unknown', receiptNo: '2026-990002' };
    for (const bad of [
      { ...filing, unknownField: 1 },
      { ...filing, person: { ...filing.person, nickname: '할머니' } },
      { ...filing, history: [{ ...filing.history[0]!, extra: 'x' }] },
    ]) {
      let thrown: unknown;
      try {
        await reports.file(bad as typeof filing);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).to.be.instanceOf(ReportStoreError);
      expect((thrown as ReportStoreError).code).to.equal(ReportStoreErrorCode.UnknownField);
      const forms = await storedForms(db.connection, 'round-trip-unknown');
      expect([forms.working, forms.archive, forms.open, ...forms.claims]).to.deep.equal([
        undefined,
        undefined,
        undefined,
      ]);
    }
  });
});

/** Whether the report is open after an action (its open copy must then exist). */
function isOpenAfter(result: { ok: boolean }): boolean {
  const r = (result as { report?: Report }).report;
  return r !== undefined && r.status !== 'closed';
}
