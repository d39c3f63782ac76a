import { expect } from 'chai';
import type mongoose from 'mongoose';
import { retentionCommands } from '../../src/cli/retention-commands';
import { loadDistrict } from '../../src/domain/district';
import type { Report } from '../../src/domain/report/report';
import { REMOVED_TEXT } from '../../src/domain/retention/anonymise';
import { buildDistrictSummary } from '../../src/domain/weekly/district-summary';
import { weekOf } from '../../src/domain/weekly/iso-week';
import { startConversationPurge } from '../../src/jobs/purge';
import { retentionPass } from '../../src/jobs/retention';
import { ensureIndexes, openRepositories } from '../../src/repositories';
import { type Repositories } from '../../src/ports';
import { connectDatabase } from '../../src/store/connect';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, apiClient, consoleCookie, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { reportDoc } from '../support/report-fixtures';
import { isStoredIn, putRawForm, storedForms } from '../../src/store/report/inspect';

const DAY = 86_400_000;
const YEAR = 365 * DAY;
const ago = (ms: number) => new Date(Date.now() - ms);
const district = loadDistrict('seodaemun');

/** A closed case with everything a real one carries: consultation, visit, notes in the history. */
function closedCase(receivedAt: Date, closedAt: Date, over: Partial<Omit<Report, 'id'>> = {}): Omit<Report, 'id'> {
  const base = reportDoc({ receivedAt, status: 'closed', closedAt });
  return {
    ...base,
    person: { name: '홍길동', age: { kind: 'age', value: 77 }, phone: '010-9876-5432' },
    address: { text: '서대문구 연희로 123-4 2층', dongCode: '1141070000', dongName: '연희동', resolvedBy: 'dong-name' },
    situation: '할머니가 혼자 사시는데 전기요금이 석 달째 밀렸습니다.',
    reporterContact: { name: '김집배', phone: '010-1111-2222' },
    crisisLevel: 'high',
    consultation: {
      at: new Date(receivedAt.getTime() + 3_600_000),
      by: 'user:kim',
      result: '딸과 통화, 병원비 부담',
      supportLinked: '긴급복지 연계',
      callOutcome: 'talked',
      services: [],
    },
    visit: {
      at: new Date(receivedAt.getTime() + 2 * DAY),
      by: 'user:yeonhui',
      reached: true,
      investigationResult: '혼자 거주, 거동 불편',
      supportProvided: '밑반찬 지원',
      enteredInSystem: true,
      crisisLevel: 'high',
      followUpNeeded: false,
    },
    history: [
      { at: receivedAt, by: 'partner:p', action: 'received', to: 'received' },
      {
        at: new Date(receivedAt.getTime() + 3_600_000),
        by: 'user:kim',
        action: 'consult',
        from: 'received',
        to: 'consulted',
        note: '딸 010-1111-2222와 통화',
      },
      { at: closedAt, by: 'user:kim', action: 'close', from: 'visited', to: 'closed', note: '지원 완료' },
    ],
    ...over,
  };
}

/** What the district's statistics count: by dong, partner, partner type, sign, urgency, crisis level, age decade, month. */
function tally(reports: Report[]): Record<string, number> {
  const out: Record<string, number> = {};
  const bump = (k: string) => {
    out[k] = (out[k] ?? 0) + 1;
  };
  for (const r of reports) {
    const age = r.person.age
      ? r.person.age.kind === 'decade'
        ? r.person.age.value
        : r.person.age.kind === 'age'
          ? Math.floor(r.person.age.value / 10) * 10
          : 'y'
      : 'none';
    bump(`dong:${r.assignedDongCode}`);
    bump(`addressDong:${r.address.dongCode}`);
    bump(`partner:${r.partner.id}`);
    bump(`kind:${r.partner.kind}`);
    for (const s of r.signs) bump(`sign:${s}`);
    bump(`urgency:${r.urgency}`);
    bump(`crisis:${r.crisisLevel}`);
    bump(`age:${age}`);
    bump(`month:${r.receivedAt.toISOString().slice(0, 7)}`);
    bump(`status:${r.status}`);
    bump(`visited:${r.visit?.reached}`);
  }
  return out;
}

describe('retention: closed cases anonymised after their period', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let second: mongoose.Connection;
  let app: RunningApp;
  let repos2: Repositories;
  const config = testConfig({ RETENTION_CLOSED_YEARS: '5' });

  before(async () => {
    db = await testDatabase('retention');
    second = await connectDatabase(db.uri);
    app = await startTestApp(db.connection, { config });
    repos2 = openRepositories(second);
    await ensureIndexes(repos2);
    await addUser({ config, repos: app.repos }, 'retention-staff', 'staff');
  });
  after(async () => {
    await app.close();
    await second.close();
    await db.drop();
  });

  const job = { actor: 'job:retention', role: 'system', channel: 'job' as const };

  it('shows a dry run first, then anonymises due cases where they are stored and keeps every count', async () => {
    const received = ago(6 * YEAR);
    const dueArchived = await app.repos.reports.insert(closedCase(received, ago(6 * YEAR - 30 * DAY)), 'archive');
    const dueHot = await app.repos.reports.insert(
      closedCase(new Date(received.getTime() + DAY), ago(6 * YEAR - 40 * DAY), {
        signs: ['health_crisis'],
        partner: { id: 'p-post', name: '서대문우체국', kind: 'post' },
      }),
      'hot',
    );
    const notYet = await app.repos.reports.insert(closedCase(ago(4 * YEAR), ago(4 * YEAR - 10 * DAY)), 'archive');
    const open = await app.repos.reports.insert(reportDoc({ receivedAt: ago(6 * YEAR), status: 'assigned' }));
    // a report stored before the field existed has no `anonymisedAt` at all
    const legacy = closedCase(new Date(received.getTime() + 2 * DAY), ago(5 * YEAR + 30 * DAY));
    await putRawForm(app.connection, 'archive', { ...legacy, _id: legacy.submissionId, rev: 1 });
    const dueIds = [dueArchived.id, dueHot.id, legacy.submissionId];
    const dueNos = [dueArchived.receiptNo, dueHot.receiptNo, legacy.receiptNo];
    // a list named the household once, while the case was open (and one named a case kept as it is)
    const listed = (reportId: string) =>
      app.repos.reports.noteListMatch({
        reportId,
        district: 'seodaemun',
        importId: 'a'.repeat(24),
        listName: '한전 장기체납',
        line: 7,
        at: received,
        by: 'user:kim',
      });
    await listed(dueHot.id);
    await listed(notYet.id);

    const week = weekOf(received);
    const summaryBefore = await buildDistrictSummary({ reports: app.repos.reports, district }, week);
    const before = tally(await app.repos.reports.receivedBetween('seodaemun', ago(7 * YEAR), ago(3 * YEAR)));

    const dry = await retentionCommands.run(['run'], { config, repos: app.repos });
    expect(dry.text).to.contain('Dry run: 3 closed case(s)').and.contain('--apply');
    expect((dry.json as { reports: string[] }).reports).to.have.members(dueNos);
    expect((await app.repos.reports.current(dueArchived.id))!.person.name, 'a dry run changes nothing').to.equal(
      '홍길동',
    );

    const applied = await retentionCommands.run(['run', '--apply'], { config, repos: app.repos });
    expect(applied.text).to.contain('Anonymised 3 closed case(s)');

    for (const id of dueIds) {
      const r = (await app.repos.reports.current(id))!;
      expect(r.anonymisedAt).to.be.instanceOf(Date);
      expect(r.person).to.deep.equal({ name: null, phone: null, age: { kind: 'decade', value: 70 } });
      expect(r.address.text, 'the exact address is coarsened to the dong').to.equal('연희동');
      expect(r.address.dongCode).to.equal('1141070000');
      expect(r.addressKey).to.equal(null);
      expect(r.situation).to.equal(REMOVED_TEXT);
      expect(r.reporter.userId).to.equal(REMOVED_TEXT);
      expect(r.consultation!.result).to.equal(REMOVED_TEXT);
      expect(r.consultation!.supportLinked).to.equal(REMOVED_TEXT);
      expect(r.visit!.investigationResult).to.equal(REMOVED_TEXT);
      expect(r.visit!.supportProvided).to.equal(REMOVED_TEXT);
      expect(r.history.map((h) => h.action)).to.deep.equal(['received', 'consult', 'close', 'anonymise']);
      expect(
        r.history.every((h) => h.note === undefined),
        'no history note survives',
      ).to.equal(true);
      expect(JSON.stringify(r)).to.not.match(/홍길동|010-|연희로|할머니|딸/);
      expect(
        await isStoredIn(app.connection, 'archive', id),
        'an anonymised case is kept in the archive (a due one in the working set moves there)',
      ).to.equal(true);
      expect(await isStoredIn(app.connection, 'working', id), 'and does not come back to the working set').to.equal(
        false,
      );
    }
    expect(
      await app.repos.reports.listMatchesOf(dueHot.id),
      'the lists that named it go with its details',
    ).to.deep.equal([]);
    expect(
      (await app.repos.reports.current(notYet.id))!.person.name,
      'a case closed four years ago keeps its data',
    ).to.equal('홍길동');
    expect(await app.repos.reports.listMatchesOf(notYet.id)).to.have.length(1);
    expect((await app.repos.reports.current(open.id))!.person.name, 'an open case keeps its data').to.not.equal(null);

    // the statistics stay true: the week's district summary and every count
    expect(await buildDistrictSummary({ reports: app.repos.reports, district }, week)).to.deep.equal(summaryBefore);
    expect(tally(await app.repos.reports.receivedBetween('seodaemun', ago(7 * YEAR), ago(3 * YEAR)))).to.deep.equal(
      before,
    );

    // recorded once, by the CLI's account, with the receipt numbers
    const records = (await app.repos.accessRecords.between(ago(DAY), new Date(Date.now() + DAY))).filter(
      (r) => r.action === 'anonymise' && r.detail === 'reports',
    );
    expect(records).to.have.length(1);
    expect(records[0]!.actor).to.match(/^cli:/);
    expect(records[0]!.receiptNos).to.have.members(dueNos);

    // idempotent: a second run finds nothing
    const again = await retentionPass(config, app.repos, { now: new Date(), apply: true, ...job });
    expect(again.reports).to.deep.equal([]);
    expect(again.anonymised).to.deep.equal([]);
  });

  it('shows an anonymised case to staff without the person, and refuses to reopen it', async () => {
    const r = await app.repos.reports.insert(closedCase(ago(7 * YEAR), ago(6 * YEAR)), 'archive');
    await retentionPass(config, app.repos, { now: new Date(), apply: true, ...job });
    const api = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'retention-staff'));
    const shown = await api.get(`/api/reports/${r.receiptNo}`);
    expect(shown.status).to.equal(200);
    expect(shown.text).to.not.match(/홍길동|010-9876|연희로|할머니/);
    const page = await fetch(`${app.baseUrl}/console/reports/${r.receiptNo}`, {
      headers: { cookie: await consoleCookie(app.baseUrl, 'retention-staff') },
    });
    const html = await page.text();
    expect(page.status).to.equal(200);
    expect(html).to.contain('보존기간 경과 익명화').and.contain(REMOVED_TEXT);
    expect(html).to.not.match(/홍길동|010-9876|연희로|할머니/);
    const reopen = await api.act(r.receiptNo, { type: 'reopen', reason: '재신고' });
    expect(reopen.status).to.equal(409);
    expect((await app.repos.reports.current(r.id))!.status).to.equal('closed');
  });

  it('two instances and console reopens racing: each case is reopened or anonymised, recorded once, nothing half-written', async () => {
    const cases = [];
    for (let i = 0; i < 10; i++) {
      // half in the working set (an archive sweep races too), half archived
      cases.push(
        await app.repos.reports.insert(
          closedCase(ago(6 * YEAR + i * DAY), ago(6 * YEAR - 10 * DAY)),
          i % 2 ? 'archive' : 'hot',
        ),
      );
    }
    const api = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'retention-staff'));
    const startedAt = new Date();
    const [one, two, , ...reopens] = await Promise.all([
      retentionPass(config, app.repos, { now: new Date(), apply: true, ...job }),
      retentionPass(config, repos2, { now: new Date(), apply: true, ...job }),
      repos2.reports.archiveSweep(),
      // spread over the passes' run, so some reopens land before a case's claim and some after
      ...cases.map((c, i) =>
        new Promise((res) => setTimeout(res, i * 15)).then(() =>
          api.act(c.receiptNo, { type: 'reopen', reason: '같은 가구 재신고' }),
        ),
      ),
    ]);
    const anonymised = [...one.anonymised, ...two.anonymised];
    expect(new Set(anonymised).size, 'no case anonymised twice').to.equal(anonymised.length);
    for (const [i, c] of cases.entries()) {
      const r = (await app.repos.reports.current(c.id))!;
      const reopened = reopens[i]!;
      if (r.anonymisedAt) {
        expect(reopened.status, `${c.receiptNo}: a reopen after anonymising is refused`).to.equal(409);
        expect(r.status).to.equal('closed');
        expect(r.person.name).to.equal(null);
        expect(r.reporterContact, "the reporter's call-back contact goes too").to.equal(null);
        expect(r.history.filter((h) => h.action === 'anonymise')).to.have.length(1);
        expect(r.history.map((h) => h.action)).to.not.include('reopen');
        expect(anonymised).to.include(c.receiptNo);
      } else {
        expect(reopened.status, `${c.receiptNo}: the reopen came first and is kept`).to.equal(200);
        expect(r.status).to.equal('assigned');
        expect(r.person.name, 'a reopened case keeps its person').to.equal('홍길동');
        expect(r.history.at(-1)!.note).to.equal('같은 가구 재신고');
        expect(anonymised).to.not.include(c.receiptNo);
      }
      const { working: hot, archive: archived } = await storedForms(app.connection, c.id);
      const head = hot && archived ? (hot.rev! > archived.rev! ? hot : archived) : (hot ?? archived);
      expect(head, 'stored somewhere').to.not.equal(undefined);
      expect(head!.rev, 'the stored head is the latest revision').to.equal(r.rev);
    }
    const recorded = (await app.repos.accessRecords.between(startedAt, new Date(Date.now() + DAY)))
      .filter((r) => r.action === 'anonymise' && r.detail === 'reports')
      .flatMap((r) => r.receiptNos);
    expect(recorded.sort(), 'each anonymised case is in the access records exactly once').to.deep.equal(
      [...anonymised].sort(),
    );
  });

  it("runs in the purge job, which also removes revoked partners' chat identities and old reporter lists", async () => {
    const partner = await app.repos.partners.create({ name: '폐업한 편의점', kind: 'other', now: new Date() });
    await app.repos.identities.link('kakao', 'revoked-user', partner.id, new Date());
    await app.repos.partners.revoke(partner.id, new Date());
    await app.repos.reports.rememberForReporter('kakao', 'old-reporter', {
      id: 'x',
      receiptNo: '2019-000001',
      dongCode: null,
      receivedAt: ago(6 * YEAR),
    } as never);
    await app.repos.reports.rememberForReporter('kakao', 'recent-reporter', {
      id: 'y',
      receiptNo: '2026-000001',
      dongCode: null,
      receivedAt: ago(DAY),
    } as never);
    const r = await app.repos.reports.insert(closedCase(ago(8 * YEAR), ago(7 * YEAR)), 'archive');

    const stop = startConversationPurge(config, app.repos, 60 * 60_000, 60 * 60_000);
    try {
      // the pass's last step is recording the forgotten reporter lists: wait for it (the pass runs at the job's start)
      const done = async () =>
        (await app.repos.accessRecords.between(ago(DAY), new Date(Date.now() + DAY))).some(
          (x) => x.actor === 'job:retention' && x.detail === 'reporter_lists',
        );
      for (let i = 0; i < 600 && !(await done()); i++) await new Promise((res) => setTimeout(res, 100));
    } finally {
      stop();
    }
    expect((await app.repos.reports.current(r.id))!.person.name).to.equal(null);
    expect(await app.repos.identities.find('kakao', 'revoked-user')).to.equal(undefined);
    expect(await app.repos.reports.latestOfReporter('kakao', 'old-reporter', 5)).to.deep.equal([]);
    expect(await app.repos.reports.latestOfReporter('kakao', 'recent-reporter', 5)).to.have.length(1);
    const jobRecords = (await app.repos.accessRecords.between(ago(DAY), new Date(Date.now() + DAY))).filter(
      (x) => x.actor === 'job:retention',
    );
    expect(jobRecords.flatMap((x) => x.receiptNos)).to.include(r.receiptNo);
    expect(jobRecords.map((x) => x.detail)).to.include.members(['reports', 'identities', 'reporter_lists']);
    expect(jobRecords.every((x) => x.channel === 'job')).to.equal(true);
  });
});
