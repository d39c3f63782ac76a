import { expect } from 'chai';
import { passwordProblem } from '../../src/domain/auth/password-policy';
import { userCommands } from '../../src/cli/user-commands';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, apiClient, login, PASSWORD, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';

describe("password policy and changing one's own password", () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  const config = testConfig();

  before(async () => {
    db = await testDatabase('console_password');
    app = await startTestApp(db.connection, { config });
    await addUser({ config, repos: app.repos }, 'parkpw', 'staff');
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  it('states the policy: length, common passwords, repetition, the username', () => {
    expect(passwordProblem('short1!')).to.equal('too_short');
    expect(passwordProblem('qwer1234!!')).to.equal('common');
    expect(passwordProblem('Password123')).to.equal('common');
    expect(passwordProblem('aaaaaaaaaaaa')).to.equal('repetitive');
    expect(passwordProblem('1234567890123')).to.equal('repetitive');
    expect(passwordProblem('parkpw-is-me-2026', 'parkpw')).to.equal('contains_username');
    expect(passwordProblem('맑은 가을 하늘 2026')).to.equal(undefined);
  });

  it('refuses to create a user with a common password', async () => {
    let message = '';
    try {
      await userCommands.run(['add', '--username', 'weakling', '--role', 'staff', '--password-stdin'], {
        config,
        repos: app.repos,
        stdin: async () => 'password123\n',
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).to.contain('policy').and.contain('common');
    expect(await app.repos.consoleUsers.byUsername('weakling')).to.equal(undefined);
  });

  it('changes the password by the API: the current one is required, the policy holds, other sessions end', async () => {
    const other = await tokenOf(app.baseUrl, 'parkpw'); // a second device
    const token = await tokenOf(app.baseUrl, 'parkpw');
    const me = apiClient(app.baseUrl, token);
    const wrong = await me.post('/api/auth/password', { current: 'not my password', next: '새 비밀번호는 길다 2026' });
    expect(wrong.status).to.equal(403);
    expect(wrong.json.error).to.equal('wrong_current_password');
    const weak = await me.post('/api/auth/password', { current: PASSWORD, next: '1q2w3e4r5t' });
    expect(weak.status).to.equal(400);
    expect(weak.json.message).to.contain('널리 알려진');
    expect(
      (await me.post('/api/auth/password', { current: PASSWORD, next: '새 비밀번호는 길다 2026' })).status,
    ).to.equal(204);
    expect((await me.get('/api/reports')).status).to.equal(200); // this session stays
    expect((await apiClient(app.baseUrl, other).get('/api/reports')).status).to.equal(401); // the other device is signed out
    expect((await login(app.baseUrl, 'parkpw', PASSWORD)).status).to.equal(401);
    expect((await login(app.baseUrl, 'parkpw', '새 비밀번호는 길다 2026')).status).to.equal(200);
    const records = await app.repos.accessRecords.between(new Date(0), new Date(Date.now() + 60_000));
    expect(records.some((r) => r.action === 'password_change' && r.actor === 'user:parkpw')).to.equal(true);
  });

  it('changes the password with the console form, which says what went wrong in Korean', async () => {
    const signedIn = await login(app.baseUrl, 'parkpw', '새 비밀번호는 길다 2026');
    const token = ((await signedIn.json()) as { token: string }).token;
    const headers = { authorization: `Bearer ${token}` };
    const page = await fetch(`${app.baseUrl}/console/account/password`, { headers });
    expect(page.status).to.equal(200);
    expect(await page.text())
      .to.contain('비밀번호 변경')
      .and.contain('10자 이상');
    const post = (body: Record<string, string>) =>
      fetch(`${app.baseUrl}/console/account/password`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body),
      });
    const mismatch = await post({
      current: '새 비밀번호는 길다 2026',
      next: '또 다른 긴 비밀번호 77',
      confirm: '다른 것',
    });
    expect(mismatch.status).to.equal(400);
    expect(await mismatch.text()).to.contain('새 비밀번호와 확인이 같지 않습니다');
    const ok = await post({
      current: '새 비밀번호는 길다 2026',
      next: '또 다른 긴 비밀번호 77',
      confirm: '또 다른 긴 비밀번호 77',
    });
    expect(ok.status).to.equal(200);
    expect(await ok.text()).to.contain('비밀번호를 바꿨습니다');
    expect((await login(app.baseUrl, 'parkpw', '또 다른 긴 비밀번호 77')).status).to.equal(200);
  });
});
