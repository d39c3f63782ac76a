import { expect } from 'chai';
import mongoose from 'mongoose';
import { archiveOrPrune } from '../../src/jobs/purge';
import { startJobs } from '../../src/jobs/start-jobs';
import { wholeReadsOneAtATime } from '../../src/whole-reads';
import type { Repositories } from '../../src/ports';
import { backupTaker } from '../../src/store/backup/take-backup';
import { testConfig } from '../support/app';
import { isStoredIn, removeStoredForm, storedForms } from '../../src/store/report/inspect';
import { openRepositories } from '../../src/repositories';
import { startTestApp, type RunningApp } from '../support/app';
import { testDatabase } from '../support/database';
import { insertReports, reportDoc } from '../support/report-fixtures';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * The purge job's report pass reads the whole working set (on FerretDB ≈2 s at 100,000 reports),
 * so it runs once an hour per deployment, by whichever instance claims the hour: not at every
 * instance's every pass, nor at a restart. Each instance here has its own connection, whose
 * commands are watched for reads of the working set (a `find` on `reports` not by `_id`).
 */
describe("the purge job's hourly pass over the working set", () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  const instances: {
    conn: mongoose.Connection;
    app: RunningApp;
    workingSetReads: number;
    workingSetReadsById: number;
  }[] = [];

  before(async () => {
    db = await testDatabase('hourly_pass');
    for (let i = 0; i < 3; i++) {
      const conn = await mongoose
        .createConnection(db.uri, { monitorCommands: true, autoIndex: false, ignoreUndefined: true })
        .asPromise();
      const instance = { conn, app: await startTestApp(conn), workingSetReads: 0, workingSetReadsById: 0 };
      conn.getClient().on('commandStarted', (e) => {
        const filter = (e.command.filter ?? {}) as Record<string, unknown>;
        if (e.commandName === 'find' && e.command.find === 'reports' && !('_id' in filter)) instance.workingSetReads++;
        if (e.commandName === 'find' && e.command.find === 'reports' && '_id' in filter) instance.workingSetReadsById++;
      });
      instances.push(instance);
    }
  });
  after(async () => {
    for (const { app, conn } of instances) {
      await app.close();
      await conn.close();
    }
    await db.drop();
  });

  it('is done by one of two instances at once: the closed case is archived and a lost open copy comes back; a restart within the hour only prunes the claims', async () => {
    const [a, b, c] = instances as [(typeof instances)[0], (typeof instances)[0], (typeof instances)[0]];
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    const [closedLongAgo, open] = await insertReports(a.app.repos.reports, [
      reportDoc({ receivedAt: ago(60), status: 'closed', closedAt: ago(50) }),
      reportDoc({ receivedAt: ago(2), status: 'received' }),
    ]);
    // a crash between the open report's working-set write and its copy's: not on the queue
    await removeStoredForm(a.conn, 'open', open!.id);
    // an hour long past, so no real hour (the next test's start claims the real one) is ever the same
    const now = new Date('2020-01-06T01:10:00Z');

    const passes = await Promise.all([archiveOrPrune(a.app.repos, now, 'a'), archiveOrPrune(b.app.repos, now, 'b')]);
    expect(
      passes.filter((p) => p.swept),
      'one instance takes the hour',
    ).to.have.length(1);
    expect(passes.map((p) => p.archived).reduce((x, y) => x + y)).to.equal(1);
    expect(await isStoredIn(a.conn, 'archive', closedLongAgo!.id)).to.equal(true);
    expect(await isStoredIn(a.conn, 'working', closedLongAgo!.id)).to.equal(false);
    expect(await isStoredIn(a.conn, 'open', open!.id), 'the open report is back on the queue').to.equal(true);
    expect(a.workingSetReads + b.workingSetReads, 'the working set read once for both jobs').to.equal(1);

    // an instance (re)started later in the same hour
    const later = await archiveOrPrune(c.app.repos, new Date(now.getTime() + 40 * 60_000), 'c');
    expect(later.swept).to.equal(false);
    expect(c.workingSetReads).to.equal(0);

    // the next hour's pass is taken again
    expect((await archiveOrPrune(c.app.repos, new Date(now.getTime() + HOUR), 'c')).swept).to.equal(true);
    expect(c.workingSetReads).to.equal(1);
  });

  it('drops an hour-old race of claims reading each case a few times, not once per claim, and writes a lost copy back at its newest revision', async () => {
    const instance = instances[1]!;
    let clock = new Date('2020-01-06T05:00:00Z');
    const repos = openRepositories(instance.conn, { now: () => clock });
    const [raced, lost] = await insertReports(repos.reports, [
      reportDoc({ receivedAt: clock, status: 'received' }),
      reportDoc({ receivedAt: clock, status: 'received' }),
    ]);
    // twelve staff notes on each case, one after another (claims 2…13)
    for (const r of [raced!, lost!]) {
      let current = r;
      for (let i = 1; i <= 12; i++) {
        const next = { ...current, history: [...current.history, { at: clock, by: `user:s${i}`, action: 'consult' }] };
        expect(await repos.reports.change(current, next)).to.equal(true);
        current = { ...next, rev: (current.rev ?? 1) + 1 };
      }
    }
    // a crash lost the second case's working-set copy after its claims
    await removeStoredForm(instance.conn, 'working', lost!.id);
    clock = new Date(clock.getTime() + 2 * HOUR);
    const reads = instance.workingSetReadsById;
    expect(await repos.reports.pruneClaims()).to.equal(24);
    expect(instance.workingSetReadsById - reads, 'each case read a few times, not once per claim').to.be.at.most(6);
    for (const r of [raced!, lost!]) {
      const forms = await storedForms(instance.conn, r.id);
      expect(forms.claims, 'the claims are gone').to.deep.equal([]);
      expect(forms.working?.rev, 'the working set holds the newest revision').to.equal(13);
      expect(forms.working?.history.filter((h) => h.action === 'consult')).to.have.length(12);
      expect(forms.open?.rev).to.equal(13);
    }
  });

  it('just after a start leaves the hour to a later pass: it only prunes, and reads the working set once the minute is over', async () => {
    const { app } = instances[2]!;
    let clock = new Date('2020-01-06T03:00:00Z').getTime(); // an hour long past, no other test's
    const wholeReads = wholeReadsOneAtATime(60_000, () => clock);
    const before = instances[2]!.workingSetReads;
    const first = await archiveOrPrune(app.repos, new Date(clock), 'fresh', wholeReads);
    expect(first.swept, 'just started: no read of the working set').to.equal(false);
    expect(instances[2]!.workingSetReads).to.equal(before);
    clock += 10 * 60_000; // the next pass, ten minutes on
    const next = await archiveOrPrune(app.repos, new Date(clock), 'fresh', wholeReads);
    expect(next.swept, 'the hour is read then').to.equal(true);
    expect(instances[2]!.workingSetReads).to.be.greaterThan(before);
  });

  it("at a start, reads the working set for its pass and for the news sweep's full pass one after the other, never both at once", async () => {
    const { app, conn } = instances[0]!;
    const seen: string[] = [];
    const deferred = () => {
      let done!: () => void;
      return { promise: new Promise<void>((r) => (done = r)), done };
    };
    // each job's moment just before its read: its claim of the period is taken
    const archiveClaimed = deferred();
    const newsClaimed = deferred();
    const bothAtTheirRead = Promise.all([archiveClaimed.promise, newsClaimed.promise]);
    // a read that begins holds on until both jobs are at their read: without the gate the other begins meanwhile
    const watched = async <T>(name: string, read: () => Promise<T>): Promise<T> => {
      seen.push(`${name} begins`);
      await bothAtTheirRead;
      for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
      const result = await read();
      seen.push(`${name} ends`);
      return result;
    };
    const repos: Repositories = {
      ...app.repos,
      reports: {
        ...app.repos.reports,
        archiveSweep: (district?: string) =>
          watched('working-set pass', () => app.repos.reports.archiveSweep(district)),
        changedSince: (district: string, since: Date) =>
          watched('news full pass', () => app.repos.reports.changedSince(district, since)),
      },
      jobRuns: {
        ...app.repos.jobRuns,
        claim: async (job: string, period: string, owner: string, at: Date) => {
          const won = await app.repos.jobRuns.claim(job, period, owner, at);
          if (won && job === 'archive-sweep') archiveClaimed.done();
          return won;
        },
        forgetBefore: async (job: string, before: Date) => {
          const n = await app.repos.jobRuns.forgetBefore(job, before);
          if (job.startsWith('news-full-pass')) newsClaimed.done();
          return n;
        },
      },
    };
    const jobs = startJobs({
      // at once: this test watches the start's reads
      config: testConfig({ JOBS_WHOLE_READS_AFTER_SECONDS: '0', JOBS_START_STAGGER_SECONDS: '0' }),
      takeBackup: backupTaker(conn),
      repos,
      district: app.district,
      health: app.health,
    });
    try {
      for (let i = 0; i < 1000 && seen.length < 4; i++) await new Promise((r) => setTimeout(r, 10));
    } finally {
      archiveClaimed.done();
      newsClaimed.done();
      await jobs.stop();
    }
    expect(seen).to.have.length(4);
    const [first, second] = [seen[0]!.replace(' begins', ''), seen[2]!.replace(' begins', '')];
    expect(first).to.not.equal(second);
    expect(seen, 'the second read begins after the first ends').to.deep.equal([
      `${first} begins`,
      `${first} ends`,
      `${second} begins`,
      `${second} ends`,
    ]);
  });
});
