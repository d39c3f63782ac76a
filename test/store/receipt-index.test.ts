import { expect } from 'chai';
import { startTestApp, type RunningApp } from '../support/app';
import { testDatabase } from '../support/database';
import { insertReports, reportDoc } from '../support/report-fixtures';
import { clearReceiptIndex, receiptIndexEntry } from '../../src/store/report/inspect';

/** Reports found by receipt number through `report_receipts` (an `_id` read), never lost without it. */
describe('the receipt-number index', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;

  before(async () => {
    db = await testDatabase('receipt_index');
    app = await startTestApp(db.connection);
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  it('finds a report by its receipt number, in its dong center scope only', async () => {
    const [r] = await insertReports(app.repos.reports, [
      reportDoc({ receivedAt: new Date(), assignedDongCode: '1141064000' }),
    ]);
    const entry = await receiptIndexEntry(db.connection, 'seodaemun', r!.receiptNo);
    expect(entry, 'written at filing').to.deep.include({ reportId: r!.id });
    expect((await app.repos.reports.byReceiptNo('seodaemun', r!.receiptNo))!.id).to.equal(r!.id);
    expect(
      (await app.repos.reports.inScope({ kind: 'dong', district: 'seodaemun', dongCode: '1141064000' }, r!.receiptNo))!
        .id,
    ).to.equal(r!.id);
    expect(
      await app.repos.reports.inScope({ kind: 'dong', district: 'seodaemun', dongCode: '1141061500' }, r!.receiptNo),
      "another dong's",
    ).to.equal(undefined);
    expect(await app.repos.reports.byReceiptNo('other-district', r!.receiptNo)).to.equal(undefined);
  });

  it('still finds a report filed before the index existed (or restored without it), and remembers it', async () => {
    // a closed one: an open report is found through its open copy, without the index
    const [closed, open] = await insertReports(app.repos.reports, [
      reportDoc({ receivedAt: new Date(), status: 'closed', closedAt: new Date() }),
      reportDoc({ receivedAt: new Date() }),
    ]);
    await clearReceiptIndex(db.connection);
    expect((await app.repos.reports.byReceiptNo('seodaemun', closed!.receiptNo))!.id).to.equal(closed!.id);
    const entry = await receiptIndexEntry(db.connection, 'seodaemun', closed!.receiptNo);
    expect(entry, 'remembered after the search').to.deep.include({ reportId: closed!.id });
    expect((await app.repos.reports.byReceiptNo('seodaemun', open!.receiptNo))!.id).to.equal(open!.id);
  });
});
