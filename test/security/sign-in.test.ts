import { expect } from 'chai';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, login, PASSWORD } from '../support/console';
import { testDatabase } from '../support/database';

/**
 * Probe 1 of issue 23: the sign-in form's CSRF check could be skipped (empty field, no cookie),
 * and refused or forged tries counted toward the per-address cap, so one browser could lock an
 * office out. Each `it` is a probe that passed against the old code.
 */
describe('security probe: sign-in CSRF and limits that cannot be turned against colleagues', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let clock = new Date('2026-11-23T01:00:00Z');
  const config = testConfig({
    CONSOLE_LOGIN_FREE_FAILURES: '3',
    CONSOLE_LOGIN_MAX_DELAY_SECONDS: '30',
    CONSOLE_LOGIN_MAX_PER_IP: '50',
    CONSOLE_LOGIN_MAX_PER_ACCOUNT: '20',
    TRUST_PROXY: 'loopback',
  });
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  before(async () => {
    db = await testDatabase('security_sign_in');
    app = await startTestApp(db.connection, { config, now: () => clock });
    for (const u of ['colleague1', 'colleague2', 'colleague3', 'target1', 'owner1'])
      await addUser({ config, repos: app.repos }, u, 'staff');
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  /** A browser's sign-in: the form page (its cookie and field), then the post. */
  async function formSignIn(username: string, password: string, headers: Record<string, string> = {}) {
    const page = await fetch(`${app.baseUrl}/console/login`, { headers });
    const setCookie = page.headers.getSetCookie();
    const cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
    const field = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const res = await fetch(`${app.baseUrl}/console/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers },
      body: new URLSearchParams({ _csrf: field, username, password }),
    });
    return {
      res,
      loginCookie: setCookie.find((c) => c.startsWith('sagak_login_csrf='))!,
      session: res.headers.getSetCookie().some((c) => c.startsWith('sagak_session=')),
    };
  }

  /** What a plain cross-site form makes a signed-out colleague's browser send: no cookie (SameSite), the token it can guess. */
  const crossSite = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${app.baseUrl}/console/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', ...headers },
      body: new URLSearchParams(fields),
    });

  it('refuses an empty _csrf field with no cookie (it used to compare "" with "" and sign in)', async () => {
    const res = await crossSite({ _csrf: '', username: 'colleague1', password: PASSWORD });
    expect(res.status).to.equal(403);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('sagak_session='))).to.equal(false);
    expect(await res.text()).to.contain('화면이 오래되었습니다');
    // an empty field with an empty cookie is no better
    const emptyCookie = await crossSite(
      { _csrf: '', username: 'colleague1', password: PASSWORD },
      { cookie: 'sagak_login_csrf=' },
    );
    expect(emptyCookie.status).to.equal(403);
  });

  it('signs in with the form and its own token, whose cookie lives by Max-Age', async () => {
    const { res, loginCookie, session } = await formSignIn('colleague1', PASSWORD);
    expect(res.status).to.equal(303);
    expect(session).to.equal(true);
    expect(loginCookie).to.match(/Max-Age=3600/i);
  });

  it('52 cross-site posts from one office browser do not lock out a colleague with the right password', async () => {
    const office = from('10.23.0.1');
    for (let i = 0; i < 52; i++)
      await crossSite({ _csrf: '', username: `colleague${(i % 3) + 1}`, password: `wrong${i}` }, office);
    const colleague = await formSignIn('colleague2', PASSWORD, office);
    expect(colleague.res.status).to.equal(303);
    expect(colleague.session).to.equal(true);
  });

  it('an address over its budget still lets in an owner who has not failed there; the guesser gets one more try per account', async () => {
    // an outside guesser with real form tokens, behind the same address as the office (a proxy)
    const proxy = from('10.23.0.2');
    for (let i = 0; i < 50; i++)
      expect((await formSignIn(`nobody${i}`, 'wrong password', proxy)).res.status).to.equal(401);
    expect((await formSignIn('nobody0', 'wrong password', proxy)).res.status).to.equal(429);
    const owner = await formSignIn('colleague3', PASSWORD, proxy);
    expect(owner.res.status).to.equal(303);
    // a guess at a name not yet tried there: one, then the address's budget holds it
    expect((await formSignIn('target1', 'guess one', proxy)).res.status).to.equal(401);
    const second = await formSignIn('target1', 'guess two', proxy);
    expect(second.res.status).to.equal(429);
    expect(Number(second.res.headers.get('retry-after'))).to.be.greaterThan(0);
    // and target1 from their own desk signs in at once
    expect((await formSignIn('target1', PASSWORD, from('10.23.9.9'))).res.status).to.equal(303);
  });

  it('tries refused by a limit are not counted as failures of the address', async () => {
    const ip = from('10.23.0.3');
    const local = await startTestApp(db.connection, {
      config: testConfig({ CONSOLE_LOGIN_FREE_FAILURES: '3', CONSOLE_LOGIN_MAX_PER_IP: '5', TRUST_PROXY: 'loopback' }),
      now: () => clock,
    });
    try {
      for (let i = 0; i < 3; i++) expect((await login(local.baseUrl, 'someone', 'wrong', ip)).status).to.equal(401);
      // twenty tries that the pair's wait refuses: none of them is a failure
      for (let i = 0; i < 20; i++) expect((await login(local.baseUrl, 'someone', 'wrong', ip)).status).to.equal(429);
      expect((await login(local.baseUrl, 'someone-else', 'wrong', ip)).status).to.equal(401);
      expect((await login(local.baseUrl, 'someone-else', 'wrong', ip)).status).to.equal(401); // 5 failures in all: still within budget
    } finally {
      await local.close();
    }
  });

  it('an account guessed at from many addresses stays open to its owner from a fresh address', async () => {
    for (let i = 0; i < 20; i++)
      expect((await login(app.baseUrl, 'owner1', 'wrong', from(`10.24.0.${i}`))).status).to.equal(401);
    // over the account's budget: an address that has failed for it is refused at once …
    expect((await login(app.baseUrl, 'owner1', 'wrong', from('10.24.0.1'))).status).to.equal(429);
    expect((await login(app.baseUrl, 'owner1', PASSWORD, from('10.24.0.1'))).status).to.equal(429);
    // … and the owner at their own desk signs in
    expect((await login(app.baseUrl, 'owner1', PASSWORD, from('10.24.1.1'))).status).to.equal(200);
    clock = new Date(clock.getTime() + 61 * 60_000); // the window passes
    expect((await login(app.baseUrl, 'owner1', PASSWORD, from('10.24.0.1'))).status).to.equal(200);
  });

  it('the API counts only JSON, which another site cannot send: a text/plain body is refused and not counted', async () => {
    const local = await startTestApp(db.connection, {
      config: testConfig({ CONSOLE_LOGIN_MAX_PER_IP: '2', TRUST_PROXY: 'loopback' }),
      now: () => clock,
    });
    try {
      const ip = from('10.23.0.4');
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${local.baseUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', ...ip },
          body: JSON.stringify({ username: `x${i}`, password: 'wrong' }),
        });
        expect(res.status).to.equal(400);
      }
      expect((await login(local.baseUrl, 'x0', 'wrong', ip)).status).to.equal(401);
    } finally {
      await local.close();
    }
  });
});
