import { expect } from 'chai';
import { startTestApp, type RunningApp } from '../support/app';
import { testDatabase } from '../support/database';
import { insertReports, reportDoc } from '../support/report-fixtures';
import { storedForms } from '../../src/store/report/inspect';

const DAY = 86_400_000;

/** A report's photo ids survive every form the report store keeps: working set, open copy, revision claim, archive. */
describe('the report store keeps photo ids in every stored form', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  before(async () => {
    db = await testDatabase('report_photos');
    app = await startTestApp(db.connection);
  });
  after(async () => {
    await app.close();
    await db.drop();
  });
  const old = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY);

  it('working set, open copy, revision claim and archive all carry photoIds', async () => {
    const ids = ['a'.repeat(40), 'b'.repeat(40)];
    const [report] = await insertReports(app.repos.reports, [
      reportDoc({ receivedAt: old(90), status: 'assigned', photoIds: ids }),
    ]);
    const { reports } = app.repos;
    expect((await storedForms(db.connection, report!.id)).working!.photoIds).to.deep.equal(ids);
    expect((await reports.openReports('seodaemun')).find((r) => r.id === report!.id)!.photoIds).to.deep.equal(ids);

    // a change is a claimed revision holding the whole report
    const current = (await reports.current(report!.id))!;
    const closedAt = old(80);
    expect(
      await reports.change(current, {
        ...current,
        status: 'closed',
        closedAt,
        history: [...current.history, { at: closedAt, by: 'user:t', action: 'close', from: 'assigned', to: 'closed' }],
      }),
    ).to.equal(true);
    const { claims } = await storedForms(db.connection, report!.id);
    expect(claims.length).to.be.at.least(1);
    for (const c of claims) expect(c.photoIds).to.deep.equal(ids);
    expect((await reports.current(report!.id))!.photoIds).to.deep.equal(ids);

    // closed and old: moved to the archive, still with its photos
    await reports.archiveSweep();
    expect((await storedForms(db.connection, report!.id)).archive!.photoIds).to.deep.equal(ids);
    expect((await reports.byReceiptNo('seodaemun', report!.receiptNo))!.photoIds).to.deep.equal(ids);
  });
});
