import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { ensureIndexes, openRepositories } from '../../src/repositories';
import { type Repositories } from '../../src/ports';
import { DeliveryCapture } from '../support/delivery-capture';
import { testDatabase } from '../support/database';
import { insertReports, kst, reportDoc } from '../support/report-fixtures';

const HONGJE3 = '1141064000';
const CHUNGHYEON = '1141056500';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('admin CLI: dong centers, assignment, visit reports, weekly lists', function () {
  this.timeout(180_000);
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let repos: Repositories;
  let dir: string;
  let capture: DeliveryCapture;

  /** The real CLI in a child process, on the test database. */
  const admin = (...args: string[]): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/cli.ts', ...args], {
        cwd: join(import.meta.dirname, '../..'),
        env: {
          ...process.env,
          MONGODB_URI: db.uri,
          DISTRICT: 'seodaemun',
          LOG_LEVEL: 'silent',
          SLACK_BOT_TOKEN: 'xoxb-test-0000',
          SLACK_SIGNING_SECRET: 'slack-signing-secret-0123',
          SLACK_API_URL: capture.slackApiUrl,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr: stderr.replace(/npm warn.*\n/g, '') }));
    });

  before(async () => {
    db = await testDatabase('weekly_cli');
    repos = openRepositories(db.connection);
    await ensureIndexes(repos);
    dir = await mkdtemp(join(tmpdir(), 'sagak-weekly-cli-'));
    capture = await new DeliveryCapture().start();
    await insertReports(repos.reports, [
      reportDoc({
        receiptNo: '2026-000301',
        receivedAt: kst('2026-11-17 10:00'),
        person: { name: '박영희', age: { kind: 'age', value: 77 }, phone: '010-3333-4444' },
      }),
      reportDoc({ receiptNo: '2026-000302', receivedAt: kst('2026-11-18 10:00'), assignedDongCode: null }),
    ]);
  });
  after(async () => {
    await capture.stop();
    await rm(dir, { recursive: true, force: true });
    await db.drop();
  });

  it("lists the district's dong centers and sets their delivery targets", async () => {
    const list = await admin('dong', 'list', '--json');
    expect(list.code, list.stderr).to.equal(0);
    const centers = JSON.parse(list.stdout) as { name: string }[];
    expect(centers).to.have.length(14);
    expect(centers.map((c) => c.name)).to.include('홍제3동');

    const set = await admin(
      'dong',
      'set',
      '홍제제3동',
      '--slack',
      'C0HONGJE3X',
      '--telegram',
      '-100123',
      '--email',
      'hongje3@sdm.example, team@sdm.example',
    );
    expect(set.code, set.stderr).to.equal(0);
    expect(set.stdout).to.contain('C0HONGJE3X');
    const stored = await repos.dongCenters.byCode('seodaemun', HONGJE3);
    expect(stored).to.deep.include({
      slackChannel: 'C0HONGJE3X',
      telegramChatId: '-100123',
      emails: ['hongje3@sdm.example', 'team@sdm.example'],
    });

    const bad = await admin('dong', 'set', '홍제3동', '--email', 'not-an-address');
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('e-mail');
    expect((await admin('dong', 'set', '강남동', '--slack', 'C0123456')).code).to.equal(2);
    expect((await repos.dongCenters.byCode('seodaemun', HONGJE3))!.emails).to.have.length(2);

    const cleared = await admin('dong', 'set', '홍제3동', '--telegram', '');
    expect(cleared.code, cleared.stderr).to.equal(0);
    expect((await repos.dongCenters.byCode('seodaemun', HONGJE3))!.telegramChatId).to.equal(null);
  });

  it('assigns a report to a dong center, refusing unknown dongs and receipts', async () => {
    const ok = await admin('report', 'assign', '2026-000302', '--dong', '충현동');
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.contain('충현동');
    const r = await repos.reports.byReceiptNo('seodaemun', '2026-000302');
    expect(r).to.include({ assignedDongCode: CHUNGHYEON, status: 'assigned' });
    expect(r!.history.at(-1)).to.include({ action: 'assign', to: CHUNGHYEON });

    const unknownDong = await admin('report', 'assign', '2026-000302', '--dong', '역삼동');
    expect(unknownDong.code).to.equal(2);
    expect(unknownDong.stderr).to.contain('--dong');
    const unknownReceipt = await admin('report', 'assign', '2026-999999', '--dong', '충현동');
    expect(unknownReceipt.code).to.equal(2);
    expect(unknownReceipt.stderr).to.contain('no report 2026-999999');
  });

  it('records a visit report that the next weekly list shows in 조사결과, 지원내용 and 사통망', async () => {
    const missing = await admin(
      'report',
      'visit',
      '2026-000301',
      '--reached',
      'yes',
      '--result',
      '방문함',
      '--entered',
      'yes',
      '--follow-up',
      'no',
    );
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.contain('--crisis');
    expect((await repos.reports.byReceiptNo('seodaemun', '2026-000301'))!.visit).to.equal(null);

    const visit = await admin(
      'report',
      'visit',
      '2026-000301',
      '--reached',
      'yes',
      '--result',
      '기초수급 대상 확인',
      '--support',
      '쌀 10kg 전달',
      '--entered',
      'yes',
      '--crisis',
      'low',
      '--follow-up',
      'no',
    );
    expect(visit.code, visit.stderr).to.equal(0);
    expect(visit.stdout).to.contain('방문 완료');

    const csv = await admin('summary', 'weekly', '--week', '2026-W47', '--dong', '홍제3동', '--format', 'csv');
    expect(csv.code, csv.stderr).to.equal(0);
    const row = csv.stdout.split('\r\n').find((l) => l.includes('2026-000301'))!;
    expect(row).to.contain('기초수급 대상 확인');
    expect(row).to.contain('쌀 10kg 전달');
    expect(row.split(',')[9]).to.equal('예'); // after 생년월일 (empty: no date known) and 나이
  });

  it("writes a dong's weekly list as XLSX and the district summary as text", async () => {
    const out = join(dir, 'hongje3.xlsx');
    const res = await admin(
      'summary',
      'weekly',
      '--week',
      '2026-W47',
      '--dong',
      '홍제3동',
      '--format',
      'xlsx',
      '--out',
      out,
    );
    expect(res.code, res.stderr).to.equal(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(out)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('주간 접수')!;
    expect(ws.rowCount).to.equal(4);
    expect(ws.getRow(4).getCell(3).value).to.equal('박영희');

    const text = await admin('summary', 'weekly', '--week', '2026-W47', '--format', 'text');
    expect(text.code, text.stderr).to.equal(0);
    expect(text.stdout).to.contain('합계: 접수 2건');
    expect(text.stdout).to.contain('홍제3동: 접수 1건');
    expect(text.stdout).to.contain('충현동: 접수 1건');
  });

  it('exits with 2 and says why on a bad week, an unknown dong or format', async () => {
    for (const week of ['2026-W54', 'next week']) {
      const r = await admin('summary', 'weekly', '--week', week, '--format', 'text');
      expect(r.code, week).to.equal(2);
      expect(r.stderr).to.contain('--week takes an ISO week such as 2026-W47');
    }
    const dong = await admin('summary', 'weekly', '--week', '2026-W47', '--dong', '압구정동', '--format', 'csv');
    expect(dong.code).to.equal(2);
    expect(dong.stderr).to.contain('unknown dong "압구정동"');
    const format = await admin('summary', 'weekly', '--week', '2026-W47', '--format', 'pdf');
    expect(format.code).to.equal(2);
    const noOut = await admin('summary', 'weekly', '--week', '2026-W47', '--format', 'xlsx');
    expect(noOut.code).to.equal(2);
  });

  it('sends a list on demand once, and again only with --force', async () => {
    const first = await admin('summary', 'send', '--week', '2026-W47', '--dong', '홍제3동');
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/홍제3동\s+slack\s+sent/);
    expect(first.stdout).to.match(/홍제3동\s+email\s+failed\s+\(email: SMTP_HOST or SMTP_FROM is not set\)/);
    const again = await admin('summary', 'send', '--week', '2026-W47', '--dong', '홍제3동');
    expect(again.stdout).to.match(/slack\s+already_sent/);
    expect(capture.delivered('slack', 'C0HONGJE3X')).to.have.length(1);
    const forced = await admin('summary', 'send', '--week', '2026-W47', '--dong', '홍제3동', '--force');
    expect(forced.stdout).to.match(/slack\s+sent/);
    expect(capture.delivered('slack', 'C0HONGJE3X')).to.have.length(2);

    const records = await admin('summary', 'deliveries', '--week', '2026-W47');
    expect(records.code, records.stderr).to.equal(0);
    expect(records.stdout).to.match(/홍제3동\s+slack\s+sent\s+attempts 1/);
    expect(records.stdout).to.match(
      /홍제3동\s+email\s+failed\s+attempts 1 .*last error: email: SMTP_HOST or SMTP_FROM is not set/,
    );
  });
});
