import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { loadDistrict } from '../../src/domain/district';
import { OPEN_STATUSES } from '../../src/domain/report/status';
import { ensureIndexes, openRepositories } from '../../src/repositories';
import { testDatabase } from '../support/database';
import { storedCount, storedReports } from '../../src/store/report/inspect';

const run = promisify(execFile);

describe('demo data (npm run admin -- demo seed)', function () {
  this.timeout(180_000); // a child process (tsx) seeding the real database: slow on a busy 2-core machine
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let repos: ReturnType<typeof openRepositories>;
  const district = loadDistrict('seodaemun');

  before(async () => {
    db = await testDatabase('demo_seed');
    repos = openRepositories(db.connection);
    await ensureIndexes(repos);
  });
  after(async () => {
    await db.drop();
  });

  async function admin(
    env: Record<string, string>,
    ...args: string[]
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/cli.ts', ...args], {
        env: { ...process.env, MONGODB_URI: db.uri, LOG_LEVEL: 'silent', ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it('is refused in production with exit code 2, and stores nothing', async () => {
    const out = await admin(
      { NODE_ENV: 'production', ACCESS_RECORD_SECRET: 'a-production-access-record-secret-0123' },
      'demo',
      'seed',
      '--reports',
      '50',
    );
    expect(out.code).to.equal(2);
    expect(out.stderr).to.contain('refused when NODE_ENV=production');
    expect(await storedCount(db.connection, 'working')).to.equal(0);
    expect(await storedCount(db.connection, 'archive')).to.equal(0);
  });

  it('fills every dong with demo reports, open ones in the working set and old closed ones in the archive; a second run adds more without receipt collisions', async () => {
    const first = await admin(
      { NODE_ENV: 'development' },
      'demo',
      'seed',
      '--reports',
      '300',
      '--seed',
      '20261204',
      '--json',
    );
    expect(first.code, first.stderr).to.equal(0);
    const result = JSON.parse(first.stdout) as {
      reports: number;
      hot: number;
      archive: number;
      byStatus: Record<string, number>;
    };
    expect(result.reports).to.equal(300);

    const hot = await storedReports(db.connection, 'working');
    const archive = await storedReports(db.connection, 'archive');
    expect(hot.length + archive.length).to.equal(300);
    const all = [...hot, ...archive];
    expect(all.every((r) => r.demo === true)).to.equal(true);
    // every dong has reports, and so does each of the last three weeks for every dong
    for (const dong of district.dongs) {
      const ofDong = all.filter((r) => r.assignedDongCode === dong.code);
      expect(ofDong.length, dong.name).to.be.greaterThan(0);
      expect(
        ofDong.some((r) => Date.now() - r.receivedAt.getTime() < 7 * 86_400_000),
        `${dong.name} this week`,
      ).to.equal(true);
    }
    // a spread of statuses: open ones at every stage, closed ones with visit results
    const statuses = new Set(all.map((r) => r.status));
    for (const s of ['received', 'closed']) expect(statuses.has(s as never), s).to.equal(true);
    expect(all.filter((r) => r.status !== 'closed').length).to.be.greaterThan(10);
    expect(all.some((r) => r.status === 'closed' && r.visit?.crisisLevel)).to.equal(true);
    // the working set holds every open report; the archive only closed reports older than its window
    expect(hot.filter((r) => OPEN_STATUSES.includes(r.status)).length).to.equal(
      all.filter((r) => OPEN_STATUSES.includes(r.status)).length,
    );
    expect(archive.length).to.be.greaterThan(0);
    expect(
      archive.every((r) => r.status === 'closed' && Date.now() - r.receivedAt.getTime() > 35 * 86_400_000),
    ).to.equal(true);
    // histories follow the workflow: rev counts the changes, and the last entry is the status
    for (const r of all) {
      expect(r.rev).to.equal(r.history.length);
      expect(r.history[0]!.action).to.equal('received');
    }
    // obviously fake personal data
    expect(all.filter((r) => r.person.phone).every((r) => r.person.phone!.startsWith('010-0000-'))).to.equal(true);

    const second = await admin({}, 'demo', 'seed', '--reports', '300', '--seed', '7');
    expect(second.code, second.stderr).to.equal(0);
    expect(second.stdout).to.contain('Seeded 300 demo reports');
    const receipts = [
      ...(await storedReports(db.connection, 'working')),
      ...(await storedReports(db.connection, 'archive')),
    ].map((r) => r.receiptNo);
    expect(receipts.length).to.equal(600);
    expect(new Set(receipts).size).to.equal(600);
    // a real filing after the seed draws a number past every demo block
    const year = new Date().getFullYear();
    const seq = await repos.counter.next('seodaemun', year);
    const demoOfYear = receipts.filter((r) => r.startsWith(`${year}-`)).map((r) => Number(r.slice(5)));
    expect(seq).to.be.greaterThan(Math.max(0, ...demoOfYear));
  });
});
