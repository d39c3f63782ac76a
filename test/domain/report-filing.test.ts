import { expect } from 'chai';
import type { CompletedDraft } from '../../flows/report/draft';
import { fileReport } from '../../src/domain/report-filing';
import { openRepositories, ensureIndexes } from '../../src/repositories';
import { type Repositories } from '../../src/ports';
import { connectDatabase } from '../../src/store/connect';
import { testDatabase } from '../support/database';
import { storedCount } from '../../src/store/report/inspect';

describe('filing reports and numbering receipts', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let repos: Repositories;
  let partnerId: string;

  before(async () => {
    db = await testDatabase('filing');
    repos = openRepositories(db.connection);
    await ensureIndexes(repos);
    partnerId = (await repos.partners.create({ name: '우리동네 야쿠르트', kind: 'delivery', now: new Date() })).id;
  });
  after(() => db.drop());

  const draft = (n: number): CompletedDraft => ({
    submissionId: `submission-${n}-${Math.random().toString(36).slice(2)}`,
    partnerId,
    address: `연희동 ${n}`,
    dong: { code: '1141061500', name: '연희동' },
    signs: ['mail_piled'],
    situation: '우편물이 일주일째 쌓여 있습니다',
    urgency: 'normal',
  });
  const deps = () => ({ districtId: 'seodaemun', ...repos });

  it('gives 60 reports filed at once 60 different receipt numbers of the form YYYY-NNNNNN', async () => {
    const now = new Date('2026-11-22T05:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => fileReport(deps(), draft(i), { channel: 'kakao', userId: `u${i}` }, now)),
    );
    const numbers = results.map((r) => (r.ok ? r.report.receiptNo : 'refused'));
    expect(new Set(numbers).size).to.equal(60);
    for (const n of numbers) expect(n).to.match(/^2026-\d{6}$/);
  });

  it('never repeats a receipt number across two service instances filing at once', async () => {
    const other = await connectDatabase(db.uri); // a second connection: a second instance's counter
    try {
      const second = { districtId: 'seodaemun', ...openRepositories(other) };
      const now = new Date('2026-11-22T06:00:00Z');
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          fileReport(i % 2 ? deps() : second, draft(100 + i), { channel: 'kakao', userId: `v${i}` }, now),
        ),
      );
      const numbers = results.map((r) => (r.ok ? r.report.receiptNo : 'refused'));
      expect(new Set(numbers).size).to.equal(40);
    } finally {
      await other.close();
    }
  });

  it('files a draft once however often 접수 is pressed', async () => {
    const d = draft(999);
    const [a, b, c] = await Promise.all(
      [1, 2, 3].map(() =>
        fileReport(deps(), d, { channel: 'kakao', userId: 'twice' }, new Date('2026-11-22T07:00:00Z')),
      ),
    );
    const numbers = [a, b, c].map((r) => (r!.ok ? r!.report.receiptNo : ''));
    expect(new Set(numbers).size).to.equal(1);
    expect(await storedCount(db.connection, 'working', { submissionId: d.submissionId })).to.equal(1);
  });

  it('a filing cut short after its report was stored gets 조회 and the address link when 접수 runs again', async () => {
    const d = { ...draft(777), address: '연희동 777-7' };
    const reporter = { channel: 'kakao' as const, userId: 'cut-short' };
    const at = new Date('2026-11-22T09:00:00Z');
    // the first try stops right after the report's insert: its indexes were never written
    const cut = {
      ...deps(),
      reports: { ...repos.reports, file: (r: Parameters<typeof repos.reports.file>[0]) => repos.reports.file(r) },
    };
    const first = await fileReport(cut, d, reporter, at);
    expect(await repos.reports.latestOfReporter('kakao', 'cut-short', 5)).to.deep.equal([]);

    const again = await fileReport(deps(), d, reporter, at);
    expect(again.ok && again.report.receiptNo).to.equal(first.ok && first.report.receiptNo);
    const listed = await repos.reports.latestOfReporter('kakao', 'cut-short', 5);
    expect(listed.map((r) => r.ref.receiptNo)).to.deep.equal([first.ok && first.report.receiptNo]);
    // the household's next report within 30 days links to it
    const next = await fileReport(deps(), { ...draft(778), address: '연희동 777-7' }, reporter, at);
    expect(next.ok && next.report.duplicateOf).to.equal(first.ok && first.report.receiptNo);
  });

  it('numbers by the year in Seoul: 23:30 UTC on 31 December is already next year', async () => {
    const r = await fileReport(deps(), draft(1), { channel: 'kakao', userId: 'ny' }, new Date('2026-12-31T23:30:00Z'));
    expect(r.ok && r.report.receiptNo).to.equal('2027-000001');
  });

  it('refuses a draft whose partner was revoked', async () => {
    const p = await repos.partners.create({ name: '해지 기관', kind: 'other', now: new Date() });
    await repos.partners.revoke(p.id, new Date());
    const r = await fileReport(
      deps(),
      { ...draft(5), partnerId: p.id },
      { channel: 'kakao', userId: 'x' },
      new Date('2026-11-22T08:00:00Z'),
    );
    expect(r).to.deep.equal({ ok: false, reason: 'inactive', partnerName: '해지 기관' });
  });

  it('refuses a draft whose partner is unknown, with the code of partnerMayFile', async () => {
    const r = await fileReport(
      deps(),
      { ...draft(6), partnerId: '000000000000000000000000' },
      { channel: 'kakao', userId: 'x' },
      new Date('2026-11-22T08:00:00Z'),
    );
    expect(r).to.deep.equal({ ok: false, reason: 'unknown', partnerName: undefined });
  });
});
