import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadDistrict } from '../../src/domain/district';
import { applyReportAction } from '../../src/domain/workflow/apply-action';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, apiClient, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { archiveMark } from '../../src/store/report/archive-mark';
import { insertReports, reportDoc } from '../support/report-fixtures';
import { isStoredIn, putRawForm, storedForms } from '../../src/store/report/inspect';

const DAY = 86_400_000;
const staff = { id: 'staff:archive', role: 'staff' as const };

describe('the working set and the archive', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  const district = loadDistrict('seodaemun');

  before(async () => {
    db = await testDatabase('archive');
    app = await startTestApp(db.connection);
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  const old = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY);

  it('moves old closed reports to the archive, where lookups, searches and old weeks still find them', async () => {
    const [closedOld, openOld, closedRecent] = await insertReports(app.repos.reports, [
      reportDoc({ receivedAt: old(60), status: 'closed', closedAt: old(50) }),
      reportDoc({ receivedAt: old(60), status: 'assigned' }),
      reportDoc({ receivedAt: old(3), status: 'closed', closedAt: old(2) }),
    ]);
    const swept = await app.repos.reports.archiveSweep();
    expect(swept.archived).to.equal(1);
    expect(await isStoredIn(app.connection, 'working', closedOld!.id)).to.equal(false);
    expect(await isStoredIn(app.connection, 'archive', closedOld!.id)).to.equal(true);
    expect(await isStoredIn(app.connection, 'working', openOld!.id)).to.equal(true);
    expect(await isStoredIn(app.connection, 'working', closedRecent!.id)).to.equal(true);

    expect((await app.repos.reports.byReceiptNo('seodaemun', closedOld!.receiptNo))!.status).to.equal('closed');
    const scope = { kind: 'district' as const, district: 'seodaemun' };
    const closed = await app.repos.reports.search(scope, { statuses: ['closed'] }, { skip: 0, limit: 50 });
    expect(closed.items.map((r) => r.receiptNo)).to.include.members([closedOld!.receiptNo, closedRecent!.receiptNo]);
    const open = await app.repos.reports.search(scope, { statuses: ['received', 'assigned'] }, { skip: 0, limit: 50 });
    expect(open.items.map((r) => r.receiptNo))
      .to.include(openOld!.receiptNo)
      .and.not.include(closedOld!.receiptNo);
    const thatWeek = await app.repos.reports.receivedBetween('seodaemun', old(61), old(59));
    expect(thatWeek.map((r) => r.receiptNo)).to.have.members([closedOld!.receiptNo, openOld!.receiptNo]);
    expect((await app.repos.reports.archiveSweep()).archived, 'a second sweep has nothing to do').to.equal(0);
  });

  it('brings an archived report back to the working set when it is reopened, with its history intact', async () => {
    const [report] = await insertReports(app.repos.reports, [
      reportDoc({ receivedAt: old(90), status: 'closed', closedAt: old(80) }),
    ]);
    await app.repos.reports.archiveSweep();
    const reopened = await applyReportAction(
      { reports: app.repos.reports, district },
      staff,
      report!.receiptNo,
      { type: 'reopen', reason: '재신고' },
      new Date(),
    );
    expect(reopened.ok).to.equal(true);
    expect(await isStoredIn(app.connection, 'archive', report!.id)).to.equal(false);
    const back = (await storedForms(app.connection, report!.id)).working!;
    expect(back.status).to.equal('assigned');
    expect(back.history.map((h) => h.action)).to.deep.equal(['received', 'reopen']);
  });

  it('loses nothing when the sweep and actions race on the same reports', async () => {
    const reports = await insertReports(
      app.repos.reports,
      Array.from({ length: 8 }, () => reportDoc({ receivedAt: old(70), status: 'closed', closedAt: old(60) })),
    );
    const [, ...results] = await Promise.all([
      app.repos.reports.archiveSweep(),
      ...reports.map((r) =>
        applyReportAction(
          { reports: app.repos.reports, district },
          staff,
          r.receiptNo,
          { type: 'reopen', reason: '경합' },
          new Date(),
        ),
      ),
      app.repos.reports.archiveSweep(),
    ]);
    for (const [i, r] of reports.entries()) {
      const { working: hot, archive: archived } = await storedForms(app.connection, r.id);
      const current = await app.repos.reports.current(r.id);
      expect(results[i]).to.have.property('ok', true);
      expect(current!.status, 'the reopen is kept').to.not.equal('closed');
      expect(current!.history.filter((h) => h.action === 'reopen')).to.have.length(1);
      expect(hot ?? archived, 'stored somewhere').to.not.equal(undefined);
      if (hot && archived) expect(hot.rev).to.be.greaterThan(archived.rev!);
    }
  });

  it('keeps every action when the admin CLI acts on a report while staff act through the console', async function () {
    this.timeout(180_000);
    const [report] = await insertReports(app.repos.reports, [
      reportDoc({ receivedAt: new Date(), status: 'received', assignedDongCode: null }),
    ]);
    await addUser({ config: testConfig(), repos: app.repos }, 'staff-cli-race', 'staff');
    const api = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'staff-cli-race'));
    let cliDone = false;
    const cli = promisify(execFile)(
      'npx',
      ['tsx', 'src/cli/cli.ts', 'report', 'assign', report!.receiptNo, '--dong', '충현동'],
      {
        env: { ...process.env, MONGODB_URI: db.uri, LOG_LEVEL: 'silent' },
      },
    ).finally(() => (cliDone = true));
    const consulted: string[] = [];
    for (let i = 0; !cliDone || i < 3; i++) {
      const res = await api.act(report!.receiptNo, { type: 'consult', result: `콘솔 상담 ${i}` });
      expect(res.status).to.equal(200);
      consulted.push(`콘솔 상담 ${i}`);
    }
    await cli;
    const stored = (await api.get(`/api/reports/${report!.receiptNo}`)).json;
    expect(
      stored.history.filter((h: { action: string }) => h.action === 'consult').map((h: { note: string }) => h.note),
    ).to.deep.equal(consulted);
    expect(stored.history.filter((h: { action: string }) => h.action === 'assign')).to.have.length(1);
    expect(stored.assignedDong.name).to.equal('충현동');
  });

  it('still finds a copy an earlier version archived without a mark: a reopened report leaves the archive', async () => {
    // an archive written before marks existed (or restored from such a backup) has none
    await db.connection.dropCollection('report_archive_marks').catch(() => undefined);
    const doc = reportDoc({ receivedAt: old(40), status: 'closed', closedAt: old(39) });
    await putRawForm(app.connection, 'archive', { ...doc, _id: doc.submissionId, rev: 1 });
    const reopened = await applyReportAction(
      { reports: app.repos.reports, district },
      staff,
      doc.receiptNo,
      { type: 'reopen', reason: '재신고' },
      new Date(),
    );
    expect(reopened.ok).to.equal(true);
    expect(await isStoredIn(app.connection, 'archive', doc.submissionId), 'the old archived copy is gone').to.equal(
      false,
    );
    expect((await storedForms(app.connection, doc.submissionId)).working!.status).to.not.equal('closed');
  });

  it("keeps the archive's bound above every report written into it, however many writers raise it at once", async () => {
    const base = Date.now();
    const at = (daysAgo: number) => new Date(base - daysAgo * DAY);
    const newest = at(50);
    const mark = archiveMark(db.connection, async () => newest);
    await db.connection.dropCollection('report_archive_marks').catch(() => undefined);
    expect(await mark.mayHold('seodaemun', at(10)), 'with no mark, every report may be archived').to.equal(true);
    // the first raise covers what the archive already holds (received 50 days ago), not only its own report
    await mark.raise('seodaemun', at(70));
    expect(await mark.mayHold('seodaemun', at(50))).to.equal(true);
    expect(await mark.mayHold('seodaemun', at(49))).to.equal(false);
    const days = Array.from({ length: 20 }, (_, i) => 48 - ((i * 7) % 20));
    await Promise.all(days.map((d) => mark.raise('seodaemun', at(d))));
    const highest = Math.min(...days);
    expect(await mark.mayHold('seodaemun', at(highest)), 'the highest raise holds').to.equal(true);
    expect(await mark.mayHold('seodaemun', at(highest - 1))).to.equal(false);
  });
});
