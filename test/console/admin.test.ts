import { expect } from 'chai';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, login, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';

/** Two admins clicking at once: every admin write that must happen once rests on a unique-index insert. */
describe('management pages: simultaneous admin writes', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let admins: string[];
  const config = testConfig();

  before(async () => {
    db = await testDatabase('admin_races');
    app = await startTestApp(db.connection, { config });
    await addUser({ config, repos: app.repos }, 'chief1', 'admin');
    await addUser({ config, repos: app.repos }, 'chief2', 'admin');
    admins = [await tokenOf(app.baseUrl, 'chief1'), await tokenOf(app.baseUrl, 'chief2')];
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  const post = (token: string, path: string, form: Record<string, string>) =>
    fetch(`${app.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });

  it('adds a username once when two admins add it at the same moment', async () => {
    const answers = await Promise.all(
      [...admins, ...admins].map((t) => post(t, '/console/admin/users', { username: 'twin', role: 'staff', dong: '' })),
    );
    expect(answers.map((r) => r.status).sort()).to.deep.equal([201, 409, 409, 409]);
    const loser = answers.find((r) => r.status === 409)!;
    expect(await loser.text()).to.contain('이미 있는 아이디입니다.');
    expect((await app.repos.consoleUsers.list()).filter((u) => u.username === 'twin')).to.have.length(1);
  });

  it('adds a partner once when two admins add the same name at the same moment (spacing aside)', async () => {
    const names = ['서대문 소방서', '서대문소방서', '서대문 소방서', '서대문소방서 '];
    const answers = await Promise.all(
      names.map((name, i) => post(admins[i % 2]!, '/console/admin/partners', { name, kind: 'other' })),
    );
    expect(answers.map((r) => r.status).sort()).to.deep.equal([201, 409, 409, 409]);
    expect(
      (await app.repos.partners.list()).filter((p) => p.name.replace(/\s/g, '') === '서대문소방서'),
    ).to.have.length(1);
  });

  it('a one-time password link sets the password once even when sent twice at once', async () => {
    const made = await post(admins[0]!, '/console/admin/users', { username: 'linkuser', role: 'staff', dong: '' });
    const link = /\/console\/password\/([A-Za-z0-9_-]{32})/.exec(await made.text())![0];
    const tries = await Promise.all(
      ['first passphrase 1', 'second passphrase 2'].map((pw) =>
        fetch(`${app.baseUrl}${link}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ password: pw, repeat: pw }).toString(),
        }),
      ),
    );
    expect(tries.map((r) => r.status).sort()).to.deep.equal([200, 410]);
    const winner = tries[0]!.status === 200 ? 'first passphrase 1' : 'second passphrase 2';
    const loser = winner.startsWith('first') ? 'second passphrase 2' : 'first passphrase 1';
    expect((await login(app.baseUrl, 'linkuser', winner)).status).to.equal(200);
    expect((await login(app.baseUrl, 'linkuser', loser)).status).to.equal(401);
  });

  it('refuses a short or mismatched password on the link page in Korean, keeping the link usable', async () => {
    const made = await post(admins[1]!, '/console/admin/users', {
      username: 'pwcheck',
      role: 'dong',
      dong: '1141064000',
    });
    expect(made.status).to.equal(201);
    const link = /\/console\/password\/([A-Za-z0-9_-]{32})/.exec(await made.text())![0];
    const short = await fetch(`${app.baseUrl}${link}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'password=short&repeat=short',
    });
    expect(short.status).to.equal(400);
    expect(await short.text()).to.contain('비밀번호는 10–200자여야 하고');
    expect((await fetch(`${app.baseUrl}${link}`)).status).to.equal(200);
    expect((await fetch(`${app.baseUrl}/console/password/${'x'.repeat(32)}`)).status).to.equal(404);
  });
});
