import { expect } from 'chai';
import mongoose from 'mongoose';
import { loadDistrict } from '../../src/domain/district';
import { parseWeek } from '../../src/domain/weekly/iso-week';
import { buildWeeklyList } from '../../src/domain/weekly/weekly-list';
import { applyReportAction } from '../../src/domain/workflow/apply-action';
import type { Repositories } from '../../src/ports';
import { ensureIndexes, openRepositories } from '../../src/repositories';
import { forgetOpenCopyTokens } from '../../src/store/report/open-copies-cache';
import { removeStoredForm, storedCount, storedForms } from '../../src/store/report/inspect';
import { testDatabase } from '../support/database';
import { insertReports, kst, reportDoc } from '../support/report-fixtures';

const HONGJE3 = '1141064000';
const staff = { id: 'staff:kim', role: 'staff' as const };

/**
 * A dong's weekly list of a recent week reads the open and closed copies (closed-copies.ts)
 * instead of decoding the working set. It must list exactly what the working set lists: every
 * case of the week, closed or open, as its newest revision says, on every instance.
 */
describe("a dong's weekly list from the copies", () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let repos: Repositories;
  let other: Repositories;
  let otherConnection: mongoose.Connection;
  const commands: string[] = [];
  const district = loadDistrict('seodaemun');
  const week = parseWeek('2026-W47')!; // 2026-11-16 to 11-22 (KST)
  let now = kst('2026-11-25 10:00'); // the Wednesday after: the week is well inside the 35-day window
  const clock = () => now;
  const listOn = async (r: Repositories) => buildWeeklyList({ reports: r.reports, district }, HONGJE3, week);
  const rows = (list: Awaited<ReturnType<typeof listOn>>) => list.thisWeek.map((r) => `${r.receiptNo} ${r.status}`);
  /** The list the working set gives (the copies not ready: as before any reconcile), then ready again. */
  async function workingSetRows(): Promise<string[]> {
    await forgetOpenCopyTokens(db.connection);
    const list = await listOn(repos);
    await repos.reports.reconcileOpenCopies();
    return rows(list);
  }
  const act = (r: Repositories, receiptNo: string, action: Parameters<typeof applyReportAction>[3]) =>
    applyReportAction({ reports: r.reports, district }, staff, receiptNo, action, now);

  before(async () => {
    db = await testDatabase('closed_copies');
    repos = openRepositories(db.connection, { now: clock });
    await ensureIndexes(repos);
    otherConnection = await mongoose
      .createConnection(db.uri, { autoIndex: false, ignoreUndefined: true, monitorCommands: true })
      .asPromise();
    otherConnection.getClient().on('commandStarted', (e) => {
      const target = e.command[e.commandName];
      if (typeof target === 'string') commands.push(`${e.commandName}:${target}`);
    });
    other = openRepositories(otherConnection, { now: clock });
  });
  after(async () => {
    await otherConnection.close();
    await db.drop();
  });

  it('lists the same cases as the working set once the copies are ready, without reading the working set', async () => {
    await insertReports(repos.reports, [
      reportDoc({ receiptNo: '2026-000201', receivedAt: kst('2026-11-16 09:00') }),
      reportDoc({ receiptNo: '2026-000202', receivedAt: kst('2026-11-17 09:00') }),
      reportDoc({
        receiptNo: '2026-000203',
        receivedAt: kst('2026-11-18 09:00'),
        status: 'closed',
        closedAt: kst('2026-11-19 09:00'),
      }),
      reportDoc({ receiptNo: '2026-000204', receivedAt: kst('2026-11-23 09:00') }), // the next week
    ]);
    await act(repos, '2026-000202', { type: 'close', reason: '중복 신고로 종결' });
    const before = rows(await listOn(other)); // no reconcile yet: the working set
    expect(before).to.deep.equal(['2026-000201 동 주민센터 배정', '2026-000202 종결', '2026-000203 종결']);

    await repos.reports.archiveSweep(); // the purge job's pass marks the copies complete
    commands.length = 0;
    expect(rows(await listOn(other))).to.deep.equal(before);
    expect(commands, 'no read of the working set').to.not.include('find:reports');
    expect(commands).to.include('find:reports_closed');
  });

  it('shows a case closed, reopened and closed again on another instance as its newest revision says, at once', async () => {
    await listOn(other); // the other instance has the copies cached
    await act(repos, '2026-000201', { type: 'close', reason: '연락 두절로 종결' });
    expect(rows(await listOn(other))).to.include('2026-000201 종결');
    await act(repos, '2026-000201', { type: 'reopen', reason: '다시 연락 옴' });
    const reopened = rows(await listOn(other));
    expect(
      reopened.filter((r) => r.startsWith('2026-000201')),
      'once, open again',
    ).to.have.length(1);
    expect(reopened).to.not.include('2026-000201 종결');
    await act(repos, '2026-000201', { type: 'close', reason: '지원 연계 후 종결' });
    const closedAgain = rows(await listOn(other));
    expect(closedAgain).to.include('2026-000201 종결');
    expect(closedAgain).to.deep.equal(await workingSetRows());
  });

  it('agrees with the working set after closes, reopens and consultations race on two instances', async () => {
    const racing = await insertReports(
      repos.reports,
      Array.from({ length: 4 }, (_, i) =>
        reportDoc({ receiptNo: `2026-00021${i}`, receivedAt: kst(`2026-11-${16 + i} 09:00`) }),
      ),
    );
    await act(repos, racing[0]!.receiptNo, { type: 'close', reason: '먼저 종결' });
    await listOn(other); // both sets cached on the other instance
    await Promise.all(
      racing.flatMap((r, i) => [
        act(i % 2 ? repos : other, r.receiptNo, { type: 'close', reason: `경합 종결 ${i}` }).catch(() => undefined),
        act(i % 2 ? other : repos, r.receiptNo, { type: 'consult', result: `경합 상담 ${i}` }).catch(() => undefined),
        act(other, r.receiptNo, { type: 'reopen', reason: `경합 재개 ${i}` }).catch(() => undefined),
      ]),
    );
    const fromCopies = rows(await listOn(other));
    expect(fromCopies.filter((r) => r.startsWith('2026-00021'))).to.have.length(4);
    expect(fromCopies).to.deep.equal(await workingSetRows());
    for (const r of racing) {
      const forms = await storedForms(db.connection, r.id);
      const newest = Math.max(...forms.claims.map((c) => c.rev ?? 0), forms.working!.rev ?? 0);
      const copy = forms.working!.status === 'closed' ? forms.closed : forms.open;
      expect(copy?.rev, `${r.receiptNo}: its copy is at the newest revision`).to.equal(newest);
    }
  });

  it('is repaired by the hourly pass when a closed copy was lost, and lists the case meanwhile from the working set', async () => {
    const [lost] = await insertReports(repos.reports, [
      reportDoc({
        receiptNo: '2026-000205',
        receivedAt: kst('2026-11-19 09:00'),
        status: 'closed',
        closedAt: kst('2026-11-20 09:00'),
      }),
    ]);
    await removeStoredForm(db.connection, 'closed', lost!.id); // also forgets the copies' marks
    expect(rows(await listOn(other))).to.include('2026-000205 종결');
    await other.reports.archiveSweep();
    expect((await storedForms(db.connection, lost!.id)).closed?.rev).to.equal(lost!.rev);
    commands.length = 0;
    expect(rows(await listOn(other))).to.include('2026-000205 종결');
    expect(commands).to.not.include('find:reports');
  });

  it('lets a closed copy go once its case leaves the window, and lists older weeks from the working set and the archive', async () => {
    const held = await storedCount(db.connection, 'closed');
    expect(held).to.be.greaterThan(0);
    now = kst('2027-01-20 10:00'); // the week is now outside the window: its closed cases go to the archive
    await repos.reports.archiveSweep();
    expect(await storedCount(db.connection, 'closed')).to.equal(0);
    expect(rows(await listOn(other))).to.deep.equal(await workingSetRows());
    expect(rows(await listOn(other))).to.include('2026-000203 종결');
  });
});
