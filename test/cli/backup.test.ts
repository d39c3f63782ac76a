import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type mongoose from 'mongoose';
import { setAccessRecordKey } from '../../src/access-record-key';
import { openRepositories } from '../../src/repositories';
import { connectDatabase } from '../../src/store/connect';
import type { Report } from '../../src/domain/report/report';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, apiClient, tokenOf } from '../support/console';
import { startTestServer, testDatabase, type TestServer } from '../support/database';
import { fillReport, giveContact, KakaoUser } from '../support/kakao-client';
import { storedForms, storedReports } from '../../src/store/report/inspect';
import { everyCollection, storedDocuments } from '../../src/store/inspect';

const run = promisify(execFile);
const REPORTERS = 20;
const REPORTS_EACH = 2;

/** The connection string naming a database on a server. */
const onDatabase = (uri: string, name: string) => {
  const url = new URL(uri);
  url.pathname = `/${name}`;
  return url.toString();
};

/** The access records' key, shared by this process (the service under test) and the CLI children. */
const ACCESS_KEY = 'backup-test-access-record-key-0123456789abcdef';

/** `npm run admin -- …` against one database, as an operator runs it. */
async function admin(uri: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/cli.ts', ...args], {
      env: { ...process.env, MONGODB_URI: uri, LOG_LEVEL: 'silent', ACCESS_RECORD_SECRET: ACCESS_KEY },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function allReports(conn: mongoose.Connection): Promise<Report[]> {
  const repos = openRepositories(conn);
  const docs = [...(await storedReports(conn, 'working')), ...(await storedReports(conn, 'archive'))];
  return Promise.all(docs.map(async (d) => (await repos.reports.current(d.id))!));
}

describe('backup and restore (npm run admin -- backup / restore)', function () {
  this.timeout(600_000); // 20 reporters' chats, three CLI processes and a second FerretDB on a shared 2-core machine
  let source: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let other: TestServer;
  let dir: string;
  let backupFile: string;

  before(async () => {
    setAccessRecordKey(ACCESS_KEY);
    source = await testDatabase('backup_source');
    app = await startTestApp(source.connection);
    other = await startTestServer({ ownServer: true });
    dir = await mkdtemp(join(tmpdir(), 'sagak-backup-test-'));
    backupFile = join(dir, 'sagak.backup.gz');
  });
  after(async () => {
    await app.close();
    await source.drop();
    await other.remove();
    await rm(dir, { recursive: true, force: true });
  });

  it('taken while 20 reporters file and staff act, restores on another server every report whose receipt was shown before it began, each whole, with a chain that verifies', async () => {
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    await addUser({ config: testConfig(), repos: app.repos }, 'callcenter', 'staff');
    const staff = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'callcenter'));
    const users = Array.from({ length: REPORTERS }, (_, i) => new KakaoUser(app.baseUrl, `backup-reporter-${i}`));
    for (const user of users) {
      await user.say('신고');
      await user.say(partner.inviteCode);
      await giveContact(user);
      await user.say('취소');
    }

    const shown: string[] = []; // receipts in the order the reporters saw them
    let loadDone = false;
    const reporter = async (user: KakaoUser) => {
      for (let i = 0; i < REPORTS_EACH; i++) {
        await fillReport(user, { address: `서울 서대문구 홍제3동 문화촌아파트 ${user.id.slice(-2)}${i}동` });
        await user.press('접수');
        const receipt = /접수번호: (\d{4}-\d{6})/.exec(user.text())?.[1];
        expect(receipt, user.text()).to.be.a('string');
        shown.push(receipt!);
      }
    };
    // staff consult each report as it arrives, and close every third one they consulted
    const acted = { consulted: 0, closed: 0 };
    const staffWork = async () => {
      let next = 0;
      while (!loadDone || next < shown.length) {
        if (next >= shown.length) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const receipt = shown[next++]!;
        const consult = await staff.act(receipt, { type: 'consult', result: '전화 상담: 안부 확인' });
        expect(consult.status, consult.text).to.equal(200);
        acted.consulted++;
        if (next % 3 === 0) {
          const close = await staff.act(receipt, { type: 'close', reason: '지원 연계 완료' });
          expect(close.status, close.text).to.equal(200);
          acted.closed++;
        }
      }
    };
    const load = Promise.all(users.map(reporter)).finally(() => {
      loadDone = true;
    });
    const working = staffWork();
    while (shown.length < REPORTERS && !loadDone) await new Promise((r) => setTimeout(r, 50));

    // the backup begins now: everything shown so far must come back
    const shownBefore = [...shown];
    const accessBefore = await storedDocuments(source.connection, 'accessRecords').count();
    const backup = await admin(source.uri, 'backup', '--out', backupFile);
    await load;
    await working;
    expect(backup.code, backup.stderr).to.equal(0);
    expect(backup.stdout).to.contain('Backup written').and.contain('reports');
    expect(shownBefore.length).to.be.at.least(REPORTERS);
    // the backup ran under load: the reporters went on filing while it ran
    expect(shown.length).to.equal(REPORTERS * REPORTS_EACH);
    expect(shown.length).to.be.greaterThan(shownBefore.length);

    const targetUri = onDatabase(other.uri, 'sagak_restored');
    const restore = await admin(targetUri, 'restore', '--from', backupFile);
    expect(restore.code, restore.stderr).to.equal(0);
    expect(restore.stdout).to.contain('Restored');

    const restoredConn = await connectDatabase(targetUri);
    try {
      const restored = openRepositories(restoredConn);
      for (const receipt of shownBefore) {
        const report = await restored.reports.byReceiptNo('seodaemun', receipt);
        expect(report, `receipt ${receipt} shown before the backup`).to.not.equal(undefined);
      }
      // every restored report is one whole revision: its history from the filing on, and no
      // status without the action that set it
      const reports = await allReports(restoredConn);
      expect(reports.length).to.be.at.least(shownBefore.length);
      for (const r of reports) {
        expect(r.history[0]?.action, r.receiptNo).to.equal('received');
        // the same revision as the source had it: the whole of one action, not part of one
        const asClaimed =
          (r.rev ?? 1) > 1
            ? (await storedForms(source.connection, r.id)).claims.find((c) => c.rev === r.rev)
            : undefined;
        if (asClaimed) expect(asClaimed.history.length, r.receiptNo).to.equal(r.history.length);
        else expect(r.history.length, r.receiptNo).to.equal(1);
        if (r.status !== 'received')
          expect(r.consultation, `${r.receiptNo} ${r.status} without its consultation`).to.not.equal(null);
        if (r.status === 'closed') expect(r.closedAt, r.receiptNo).to.be.instanceOf(Date);
      }
      // the open queue (read from the rebuilt open copies) shows the restored open reports
      const open = reports
        .filter((r) => r.status !== 'closed')
        .map((r) => r.receiptNo)
        .sort();
      expect((await restored.reports.openReports('seodaemun')).map((r) => r.receiptNo).sort()).to.deep.equal(open);
      // partners, the reporters' links and the staff account came back: the restored data is usable
      expect((await restored.partners.byId(partner.id))?.name).to.equal('서대문우체국');
      expect(await restored.identities.find('kakao', 'backup-reporter-0')).to.include({ partnerId: partner.id });
      expect((await restored.consoleUsers.byUsername('callcenter'))?.role).to.equal('staff');
      expect(await storedDocuments(restoredConn, 'accessRecords').count()).to.be.greaterThan(accessBefore);
    } finally {
      await restoredConn.close();
    }

    const verify = await admin(targetUri, 'access', 'verify');
    expect(verify.code, verify.stderr).to.equal(0);
    expect(verify.stdout).to.match(/access records: \d+ record\(s\) verified/);
    expect(acted.consulted).to.equal(REPORTERS * REPORTS_EACH);

    // a second restore into the now non-empty database is refused, and says how to overwrite
    const again = await admin(targetUri, 'restore', '--from', backupFile);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.contain('비어 있지 않습니다').and.contain('--force');
    // told to, it replaces what is there, and the chain still verifies
    const forced = await admin(targetUri, 'restore', '--from', backupFile, '--force');
    expect(forced.code, forced.stderr).to.equal(0);
    const forcedConn = await connectDatabase(targetUri);
    try {
      for (const receipt of shownBefore)
        expect(await openRepositories(forcedConn).reports.byReceiptNo('seodaemun', receipt), receipt).to.not.equal(
          undefined,
        );
    } finally {
      await forcedConn.close();
    }
    expect((await admin(targetUri, 'access', 'verify')).code).to.equal(0);
  });

  it('refuses a damaged or cut-short backup file with a clear message and writes nothing', async () => {
    const bytes = await readFile(backupFile);
    const damaged = join(dir, 'damaged.backup.gz');
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(flipped.length / 2)]! ^= 0xff;
    await writeFile(damaged, flipped);
    const cut = join(dir, 'cut.backup.gz');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));

    const emptyUri = onDatabase(other.uri, 'sagak_untouched');
    const refused = await admin(emptyUri, 'restore', '--from', damaged);
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.contain('백업 파일이 손상되었습니다').and.contain('복원하지 않았습니다');
    const short = await admin(emptyUri, 'restore', '--from', cut);
    expect(short.code).to.equal(1);
    expect(short.stderr).to.contain('잘렸습니다').and.contain('복원하지 않았습니다');

    const conn = await connectDatabase(emptyUri);
    try {
      for (const { name, count } of await everyCollection(conn)) expect(await count(), name).to.equal(0);
    } finally {
      await conn.dropDatabase();
      await conn.close();
    }
    // the intact file still checks out
    const check = await admin(emptyUri, 'restore', '--from', backupFile, '--check');
    expect(check.code, check.stderr).to.equal(0);
    expect(check.stdout).to.contain('Backup verified');
  });
});
