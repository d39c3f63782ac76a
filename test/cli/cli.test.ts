import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fillReport, KakaoUser, giveContact } from '../support/kakao-client';
import { startTestApp, type RunningApp } from '../support/app';
import { testDatabase } from '../support/database';

const run = promisify(execFile);

describe('admin CLI (npm run admin)', function () {
  this.timeout(180_000); // each command starts a process (tsx) and connects: slow on a busy 2-core machine
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;

  before(async () => {
    db = await testDatabase('admin_cli');
    app = await startTestApp(db.connection);
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  async function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/cli.ts', ...args], {
        env: { ...process.env, MONGODB_URI: db.uri, LOG_LEVEL: 'silent' },
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it('adds a partner whose invite code links a KakaoTalk user, lists it, and revokes it', async () => {
    const added = await admin('partner', 'add', '--name', '서대문경찰서 신촌지구대', '--kind', 'police', '--json');
    expect(added.code).to.equal(0);
    const partner = JSON.parse(added.stdout) as { id: string; name: string; kind: string; inviteCode: string };
    expect(Object.keys(partner)).to.deep.equal(['id', 'name', 'kind', 'inviteCode']);
    expect(partner).to.include({ name: '서대문경찰서 신촌지구대', kind: 'police' });
    expect(partner.inviteCode).to.match(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);

    const user = new KakaoUser(app.baseUrl, 'cli-linked');
    await user.say('신고');
    await user.say(partner.inviteCode.toLowerCase());
    expect(user.text()).to.contain('서대문경찰서 신촌지구대 소속으로 등록되었습니다');

    const list = await admin('partner', 'list');
    expect(list.stdout).to.contain(partner.id).and.contain('active');

    const revoked = await admin('partner', 'revoke', partner.id);
    expect(revoked.code).to.equal(0);
    await user.say('취소');
    await user.say('신고');
    expect(user.text()).to.contain('신고 권한이 해제되어');
  });

  it('lists and shows reports, by dong and date', async () => {
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    const user = new KakaoUser(app.baseUrl, 'cli-reporter');
    await user.say('신고');
    await user.say(partner.inviteCode);
    await giveContact(user);
    await user.say('취소');
    await fillReport(user);
    await user.press('접수');
    const receipt = /접수번호: (\d{4}-\d{6})/.exec(user.text())![1]!;

    const list = await admin('report', 'list', '--dong', '홍제제3동', '--json');
    expect(list.code).to.equal(0);
    const rows = JSON.parse(list.stdout) as { receiptNo: string; dong: string }[];
    expect(rows.map((r) => r.receiptNo)).to.include(receipt);
    expect(rows.every((r) => r.dong === '홍제3동')).to.equal(true);
    const otherDong = JSON.parse((await admin('report', 'list', '--dong', '연희동', '--json')).stdout) as unknown[];
    expect(otherDong).to.deep.equal([]);
    const future = JSON.parse((await admin('report', 'list', '--since', '2999-01-01', '--json')).stdout) as unknown[];
    expect(future).to.deep.equal([]);

    const shown = await admin('report', 'show', receipt, '--json');
    const report = JSON.parse(shown.stdout) as {
      receiptNo: string;
      person: { name: string };
      address: { dongName: string };
    };
    expect(report.receiptNo).to.equal(receipt);
    expect(report.person.name).to.equal('홍길동');
    expect(report.address.dongName).to.equal('홍제3동');
    const text = await admin('report', 'show', receipt);
    expect(text.stdout).to.contain(`접수번호 ${receipt}`).and.contain('관할 동: 홍제3동');
  });

  it('exits with code 2 and a clear message on bad usage', async () => {
    const cases: [string[], RegExp][] = [
      [['partner', 'add', '--name', 'x', '--kind', 'bank'], /--kind must be one of/],
      [['partner', 'add', '--kind', 'post'], /--name is required/],
      [['partner', 'revoke', 'nope'], /no partner with id nope/],
      [['report', 'list', '--dong', '합정동'], /unknown dong "합정동"/],
      [['report', 'list', '--since', 'yesterday'], /YYYY-MM-DD/],
      [['report', 'show', '2026-999999'], /no report 2026-999999/],
      [['report', 'show', "'; drop"], /receipt number such as/],
      [['nonsense'], /Usage: npm run admin/],
      [['partner', 'list', '--bogus'], /Unknown option '--bogus'/],
    ];
    // each case is its own process; they run side by side, as separate operators would
    const results = await Promise.all(cases.map(([args]) => admin(...args)));
    cases.forEach(([args, message], i) => {
      expect(results[i]!.code, args.join(' ')).to.equal(2);
      expect(results[i]!.stderr, args.join(' ')).to.match(message);
    });
  });
});
