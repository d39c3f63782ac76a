import { expect } from 'chai';
import mongoose from 'mongoose';
import { loadDistrict } from '../../src/domain/district';
import { OPEN_STATUSES } from '../../src/domain/report/status';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, apiClient, file, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { insertReports, reportDoc } from '../support/report-fixtures';
import { putOpenCopy, putRawForm, removeStoredForm, storedCount, storedForms } from '../../src/store/report/inspect';

/**
 * The console's open queue reads `reports_open`, small copies of the open reports (see
 * src/store/report/open-copies.ts). Staff must never see a queue that disagrees with the cases:
 * racing changes from two instances, and a crash between a report's write and its copy's, end with
 * the queue listing exactly the open cases, each as its page shows it.
 */
describe('the open queue agrees with the cases', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let second: RunningApp;
  let secondConnection: mongoose.Connection;
  let partnerId: string;
  let staff: ReturnType<typeof apiClient>;
  let staff2: ReturnType<typeof apiClient>;
  const dongs = loadDistrict('seodaemun').dongs.map((d) => d.code);

  before(async () => {
    db = await testDatabase('open_copies');
    const config = testConfig();
    app = await startTestApp(db.connection, { config });
    secondConnection = await mongoose.createConnection(db.uri, { autoIndex: false, ignoreUndefined: true }).asPromise();
    second = await startTestApp(secondConnection, { config });
    partnerId = (await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() })).id;
    await addUser({ config, repos: app.repos }, 'open-queue-staff', 'staff');
    staff = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'open-queue-staff'));
    staff2 = apiClient(second.baseUrl, await tokenOf(second.baseUrl, 'open-queue-staff'));
  });
  after(async () => {
    await second.close();
    await secondConnection.close();
    await app.close();
    await db.drop();
  });

  /** The open queue's rows (receipt → status and dong), as the console lists them. */
  async function openQueue(): Promise<Map<string, { status: string; dong: string | null }>> {
    const res = await staff.get('/api/reports?status=open&pageSize=100');
    expect(res.status).to.equal(200);
    return new Map(
      res.json.items.map((i: { receiptNo: string; status: string; assignedDong: { code: string } | null }) => [
        i.receiptNo,
        { status: i.status, dong: i.assignedDong?.code ?? null },
      ]),
    );
  }
  /** Each report as its own page shows it. */
  async function pageOf(receiptNo: string): Promise<{ status: string; dong: string | null }> {
    const res = await staff.get(`/api/reports/${receiptNo}`);
    return { status: res.json.status, dong: res.json.assignedDong?.code ?? null };
  }

  it('lists exactly the open cases, as their pages show them, after closes and assignments race on two instances', async () => {
    const reports = await Promise.all(Array.from({ length: 6 }, () => file(app.repos, partnerId, new Date())));
    await Promise.all(
      reports.flatMap((r, i) => [
        staff.act(r.receiptNo, { type: 'assign', dongCode: dongs[i]! }),
        staff2.act(r.receiptNo, { type: 'assign', dongCode: dongs[i + 1]! }),
        // half of them are also closed while the assignments run
        ...(i % 2 ? [staff2.act(r.receiptNo, { type: 'close', reason: '중복 신고로 종결' })] : []),
        staff.act(r.receiptNo, { type: 'consult', result: '통화 완료' }),
      ]),
    );
    const queue = await openQueue();
    for (const r of reports) {
      const page = await pageOf(r.receiptNo);
      if (page.status === 'closed')
        expect(queue.has(r.receiptNo), `${r.receiptNo} is closed but listed`).to.equal(false);
      else expect(queue.get(r.receiptNo), r.receiptNo).to.deep.equal(page);
    }
    expect([...queue.keys()].filter((no) => reports.some((r) => r.receiptNo === no))).to.have.length.greaterThan(0);
  });

  it('shows each of ten racing staff their own action on the case page as soon as it is answered, and every copy ends at the last action', async () => {
    const report = await file(app.repos, partnerId, new Date());
    const seen = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const client = i % 2 ? staff : staff2;
        const res = await client.act(report.receiptNo, {
          type: i === 9 ? 'assign' : 'consult',
          ...(i === 9 ? { dongCode: dongs[0]! } : { result: `경합 상담 ${i}` }),
        });
        expect(res.status, `action ${i}`).to.equal(200);
        const page = await client.get(`/api/reports/${report.receiptNo}`);
        return (page.json.history as { action: string; note?: string; to?: string }[]).some((h) =>
          i === 9 ? h.action === 'assign' && h.to === dongs[0] : h.note === `경합 상담 ${i}`,
        );
      }),
    );
    expect(seen, 'each action on its page right after its answer').to.deep.equal(seen.map(() => true));
    const forms = await storedForms(db.connection, report.id);
    const newest = Math.max(...forms.claims.map((c) => c.rev ?? 0));
    expect(forms.working?.rev, 'the working-set copy').to.equal(newest);
    expect(forms.open?.rev, 'the open copy').to.equal(newest);
    expect(forms.working?.history.filter((h) => h.action === 'consult')).to.have.length(9);
    const queue = await openQueue();
    expect(queue.get(report.receiptNo)).to.deep.equal(await pageOf(report.receiptNo));
    expect(queue.get(report.receiptNo)?.dong).to.equal(dongs[0]);
  });

  it('is repaired by the purge job after a crash left a case out of the queue or a closed one in it', async () => {
    const [missing, closed, unpacked] = await insertReports(app.repos.reports, [
      reportDoc({ receivedAt: new Date() }),
      reportDoc({ receivedAt: new Date(), status: 'closed', closedAt: new Date() }),
      reportDoc({ receivedAt: new Date() }),
    ]);
    // and one copy as an earlier version stored it (not packed), after an upgrade
    const { id: _u, ...whole } = (await storedForms(db.connection, unpacked!.id)).working!;
    await removeStoredForm(db.connection, 'open', unpacked!.id);
    await putRawForm(db.connection, 'open', { _id: unpacked!.id, ...whole });
    // as if an instance died between writing the report and writing its copy, twice over
    await removeStoredForm(db.connection, 'open', missing!.id);
    const stale = (await storedForms(db.connection, closed!.id)).working!;
    // a copy as stored (packed, see open-copies.ts) that still says the case is open
    await putOpenCopy(db.connection, { ...stale, status: 'assigned' });
    let queue = await openQueue();
    expect(queue.has(missing!.receiptNo)).to.equal(false);
    expect(queue.has(closed!.receiptNo)).to.equal(true);
    expect(queue.has(unpacked!.receiptNo), 'an unpacked copy is left out, not shown half').to.equal(false);

    await second.repos.reports.archiveSweep(); // what the purge job runs on every instance

    queue = await openQueue();
    expect(queue.get(missing!.receiptNo)).to.deep.equal(await pageOf(missing!.receiptNo));
    expect(queue.has(closed!.receiptNo), 'the closed case left the queue').to.equal(false);
    expect(queue.get(unpacked!.receiptNo), "the earlier version's copy was written anew").to.deep.equal(
      await pageOf(unpacked!.receiptNo),
    );
  });

  it("counts the open cases (the console home's numbers) as the queue lists them", async () => {
    const listed = (await staff.get('/api/reports?status=open&pageSize=1')).json.total as number;
    const counted = await app.repos.reports.count(
      { kind: 'district', district: 'seodaemun' },
      { statuses: [...OPEN_STATUSES] },
    );
    const inWorkingSet = await storedCount(app.connection, 'working', { status: { $ne: 'closed' } });
    expect(listed).to.equal(inWorkingSet);
    expect(counted).to.equal(inWorkingSet);
  });
});
