import { expect } from 'chai';
import type mongoose from 'mongoose';
import type { Report } from '../../src/domain/report/report';
import type { ReportScope } from '../../src/domain/report/scope';
import { OPEN_STATUSES } from '../../src/domain/report/status';
import { connectDatabase } from '../../src/store/connect';
import { removeStoredForm } from '../../src/store/report/inspect';
import { forgetOpenCopyTokens } from '../../src/store/report/open-copies-cache';
import { reportRepository, type ReportStore } from '../../src/store/report/report';
import { testDatabase } from '../support/database';
import { reportDoc } from '../support/report-fixtures';

/**
 * Each process keeps a district's open copies in memory while the district's change token holds
 * (src/store/report/open-copies-cache.ts). Two instances on two connections: a change through one
 * shows in the other's very next read of the open queue, the today page's cases and the import's
 * open reports, as it did when every read went to the database.
 */
describe('the open queue cached per process stays current across instances', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let otherConnection: mongoose.Connection;
  let a: ReportStore;
  let b: ReportStore;
  const district = 'seodaemun';
  const DONG = '1141064000';
  const staff: ReportScope = { kind: 'district', district };
  const dongCenter: ReportScope = { kind: 'dong', district, dongCode: DONG };
  const open = { statuses: [...OPEN_STATUSES] };
  const page = { skip: 0, limit: 1000 };

  before(async () => {
    db = await testDatabase('open_copies_cache');
    otherConnection = await connectDatabase(db.uri);
    a = reportRepository(db.connection);
    b = reportRepository(otherConnection);
    await a.ensureIndexes();
  });
  after(async () => {
    await otherConnection.close();
    await db.drop();
  });

  const queueOf = async (repo: ReportStore, scope: ReportScope = staff) =>
    (await repo.search(scope, open, page)).items.map((r) => r.receiptNo);
  /** A staff action through one instance: the next revision, with its history entry. */
  async function act(repo: ReportStore, report: Report, next: Partial<Report>, action: string): Promise<Report> {
    const current = (await repo.current(report.id))!;
    const at = new Date();
    const changed = {
      ...current,
      ...next,
      history: [
        ...current.history,
        { at, by: 'staff:cache', action, from: current.status, to: next.status ?? current.status },
      ],
    } as Report;
    expect(await repo.change(current, changed)).to.equal(true);
    return (await repo.current(report.id))!;
  }

  it('reads the queue on a database with no change token yet, and shows a filing through the other instance next', async () => {
    expect(await queueOf(b)).to.deep.equal([]); // a fresh database: no token, no copies
    const filed = await a.insert(reportDoc({ receivedAt: new Date() }));
    expect(await queueOf(b)).to.deep.equal([filed.receiptNo]);
    expect(await queueOf(b, dongCenter)).to.deep.equal([filed.receiptNo]);
    expect((await b.openCasework(dongCenter)).map((r) => r.receiptNo)).to.deep.equal([filed.receiptNo]);
    // a batch (a list import, the demo seed) as well
    const batch = await a.insertMany(
      [reportDoc({ receivedAt: new Date() }), reportDoc({ receivedAt: new Date(), assignedDongCode: null })],
      'hot',
    );
    expect(batch.stored).to.have.length(2);
    expect(await queueOf(b)).to.have.members([filed.receiptNo, ...batch.stored.map((r) => r.receiptNo)]);
    expect((await b.openReports(district)).map((r) => r.receiptNo)).to.have.members([
      filed.receiptNo,
      ...batch.stored.map((r) => r.receiptNo),
    ]);
  });

  it("shows a reassignment through one instance in the other's dong queues, and drops a closed case from its queue", async () => {
    const [report] = (await a.insertMany([reportDoc({ receivedAt: new Date() })], 'hot')).stored;
    expect(await queueOf(b, dongCenter)).to.include(report!.receiptNo);
    const moved = await act(a, report!, { assignedDongCode: '1141065500' }, 'assign');
    expect(await queueOf(b, dongCenter)).not.to.include(report!.receiptNo);
    expect(await queueOf(b, { kind: 'dong', district, dongCode: '1141065500' })).to.include(report!.receiptNo);
    // and back: B closes it, A's queue (read a moment ago) no longer lists it
    expect(await queueOf(a)).to.include(report!.receiptNo);
    await act(b, moved, { status: 'closed', closedAt: new Date() }, 'close');
    expect(await queueOf(a)).not.to.include(report!.receiptNo);
    expect(await queueOf(b)).not.to.include(report!.receiptNo);
    expect(await b.count(staff, open)).to.equal((await queueOf(a)).length);
  });

  it("shows what a repair (the purge job's reconcile, a restore's) put back, on the other instance", async () => {
    const report = await a.insert(reportDoc({ receivedAt: new Date() }));
    await removeStoredForm(db.connection, 'open', report.id); // as if an instance died before writing its copy
    expect(await queueOf(b)).not.to.include(report.receiptNo);
    await a.reconcileOpenCopies(district);
    expect(await queueOf(b)).to.include(report.receiptNo);

    await removeStoredForm(db.connection, 'open', report.id);
    expect(await queueOf(b)).not.to.include(report.receiptNo);
    await a.reconcileOpenCopies(); // every district, as after a restore
    expect(await queueOf(b)).to.include(report.receiptNo);
  });

  it("works from data with no change tokens (an earlier version's) and keeps following changes", async () => {
    const before = await queueOf(b);
    await forgetOpenCopyTokens(db.connection);
    expect(await queueOf(b)).to.deep.equal(before);
    const report = await a.insert(reportDoc({ receivedAt: new Date() }));
    expect(await queueOf(b)).to.include(report.receiptNo);
    await forgetOpenCopyTokens(db.connection);
    await act(a, report, { status: 'closed', closedAt: new Date() }, 'close');
    expect(await queueOf(b)).not.to.include(report.receiptNo);
  });

  it('keeps the queue as stored when a caller changes a report it read', async () => {
    const report = await a.insert(reportDoc({ receivedAt: new Date() }));
    const [read] = (await b.openReports(district)).filter((r) => r.id === report.id);
    read!.status = 'closed';
    // what the report holds is frozen: changing it in place is refused, not passed on to the next reader
    expect(() =>
      read!.history.push({ at: new Date(), by: 'staff:cache', action: 'close', from: 'assigned', to: 'closed' }),
    ).to.throw(TypeError);
    const [again] = (await b.openReports(district)).filter((r) => r.id === report.id);
    expect(again!.status).to.equal('assigned');
    expect(again!.history).to.have.length(1);
    expect(await queueOf(b)).to.include(report.receiptNo);
  });
});
