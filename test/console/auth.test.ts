import { expect } from 'chai';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, apiClient, file, login, PASSWORD, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { storedDocuments } from '../../src/store/inspect';

/** Signs in through the console's form like a browser: login CSRF cookie + field, then the session cookie. */
async function consoleSignIn(baseUrl: string, username: string, password = PASSWORD) {
  const page = await fetch(`${baseUrl}/console/login`);
  const loginCookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const field = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${baseUrl}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie },
    body: new URLSearchParams({ _csrf: field, username, password }),
  });
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('sagak_session='));
  return { res, setCookie, cookie: setCookie?.split(';')[0] ?? '' };
}

describe('console sign-in: rate limit, session expiry, CSRF', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let clock = new Date('2026-11-23T01:00:00Z');
  let partnerId: string;
  const config = testConfig({
    CONSOLE_LOGIN_FREE_FAILURES: '3',
    CONSOLE_LOGIN_MAX_DELAY_SECONDS: '30',
    CONSOLE_LOGIN_MAX_PER_IP: '10',
    CONSOLE_SESSION_HOURS: '9',
    TRUST_PROXY: 'loopback',
  });

  before(async () => {
    db = await testDatabase('console_auth');
    app = await startTestApp(db.connection, { config, now: () => clock });
    partnerId = (await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: clock })).id;
    for (const u of ['staff1', 'staff2', 'staff3', 'staff4', 'staff5'])
      await addUser({ config, repos: app.repos }, u, 'staff');
    await addUser({ config, repos: app.repos }, 'boss', 'admin');
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  const tick = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  it('slows one (username, address) down with growing waits, and never locks the real user out from elsewhere', async () => {
    for (let i = 0; i < 3; i++)
      expect((await login(app.baseUrl, 'staff1', 'wrong password', from('10.0.1.66'))).status).to.equal(401);
    // the 4th try from the attacker's address must wait 1 s after the last failure, then 2 s, 4 s …
    const early = await login(app.baseUrl, 'staff1', 'wrong password', from('10.0.1.66'));
    expect(early.status).to.equal(429);
    expect(early.headers.get('retry-after')).to.equal('1');
    expect(((await early.json()) as { token?: string }).token).to.equal(undefined);
    tick(1_000);
    expect((await login(app.baseUrl, 'staff1', 'wrong password', from('10.0.1.66'))).status).to.equal(401);
    const next = await login(app.baseUrl, 'staff1', 'wrong password', from('10.0.1.66'));
    expect(next.status).to.equal(429);
    expect(next.headers.get('retry-after')).to.equal('2');
    // the real user, from their own address, signs in at once
    expect((await login(app.baseUrl, 'staff1', PASSWORD, from('10.0.1.10'))).status).to.equal(200);
    // even the right password waits from the throttled address until the wait is over
    expect((await login(app.baseUrl, 'staff1', PASSWORD, from('10.0.1.66'))).status).to.equal(429);
    tick(2_000);
    expect((await login(app.baseUrl, 'staff1', PASSWORD, from('10.0.1.66'))).status).to.equal(200);
    // a success resets the pair: three free failures again
    for (let i = 0; i < 3; i++)
      expect((await login(app.baseUrl, 'staff1', 'wrong password', from('10.0.1.66'))).status).to.equal(401);
  });

  it('caps the waits at CONSOLE_LOGIN_MAX_DELAY_SECONDS: a slow trickle stays slowed, not locked for ever', async () => {
    for (let i = 0; i < 8; i++) {
      const res = await login(app.baseUrl, 'staff5', 'wrong password', from('10.0.5.1'));
      expect(res.status, `try ${i + 1}`).to.equal(401);
      if (i < 7) tick(i + 1 < 3 ? 0 : 1000 * 2 ** (i + 1 - 3)); // 1 s, 2 s, 4 s, 8 s, 16 s
    }
    const limited = await login(app.baseUrl, 'staff5', PASSWORD, from('10.0.5.1'));
    expect(limited.status).to.equal(429);
    expect(Number(limited.headers.get('retry-after'))).to.equal(30); // 2^5 s, capped at 30 s
    tick(30_000);
    expect((await login(app.baseUrl, 'staff5', PASSWORD, from('10.0.5.1'))).status).to.equal(200);
  });

  it('after 10 failures from an address, refuses every name that failed there, and still lets in one that has not', async () => {
    for (let i = 0; i < 10; i++) await login(app.baseUrl, `guess${i}`, 'wrong password', from('10.0.2.1'));
    expect((await login(app.baseUrl, 'guess0', 'wrong password', from('10.0.2.1'))).status).to.equal(429);
    expect((await login(app.baseUrl, 'staff3', PASSWORD, from('10.0.2.1'))).status).to.equal(200);
    expect((await login(app.baseUrl, 'staff3', PASSWORD, from('10.0.2.2'))).status).to.equal(200);
  });

  it('counts parallel wrong guesses too: of 12 at once from one address few are checked, and the pair then waits', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, () => login(app.baseUrl, 'staff4', 'wrong password', from('10.0.3.9'))),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).to.be.at.most(6);
    expect(statuses.filter((s) => s === 429).length).to.be.at.least(6);
    // refused tries are not failures: the pair has its free failures left (if the burst used fewer), then waits
    let checked = statuses.filter((s) => s === 401).length;
    while (checked < 3) {
      expect((await login(app.baseUrl, 'staff4', 'wrong password', from('10.0.3.9'))).status).to.equal(401);
      checked++;
    }
    expect((await login(app.baseUrl, 'staff4', PASSWORD, from('10.0.3.9'))).status).to.equal(429);
    expect((await login(app.baseUrl, 'staff4', PASSWORD, from('10.0.3.10'))).status).to.equal(200);
  });

  it('shows an admin the lockouts and lets them clear one; others get 403', async () => {
    const admin = await consoleSignIn(app.baseUrl, 'boss', PASSWORD);
    const page = await fetch(`${app.baseUrl}/console/admin/lockouts`, { headers: { cookie: admin.cookie } });
    expect(page.status).to.equal(200);
    const text = await page.text();
    // 10.0.3.9 is held as a (staff4, address) pair or, when most parallel guesses failed, as an address over its cap
    expect(text).to.contain('10.0.3.9').and.contain('10.0.2.1');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(text)![1]!;
    const clear = (fields: Record<string, string>) =>
      fetch(`${app.baseUrl}/console/admin/lockouts/clear`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, ...fields }),
      });
    expect((await clear({ username: 'staff4', ip: '10.0.3.9' })).status).to.equal(303);
    expect((await clear({ ip: '10.0.3.9' })).status).to.equal(303);
    expect((await login(app.baseUrl, 'staff4', PASSWORD, from('10.0.3.9'))).status).to.equal(200);
    const unlocks = (await app.repos.accessRecords.between(new Date(0), new Date(clock.getTime() + 1))).filter(
      (r) => r.action === 'unlock',
    );
    expect(unlocks.map((r) => [r.actor, r.scope])).to.deep.include.members([
      ['user:boss', 'user:staff4 10.0.3.9'],
      ['user:boss', '10.0.3.9'],
    ]);
    const staff = await consoleSignIn(app.baseUrl, 'staff2', PASSWORD);
    expect(
      (await fetch(`${app.baseUrl}/console/admin/lockouts`, { headers: { cookie: staff.cookie } })).status,
    ).to.equal(403);
  });

  it('ends a session after CONSOLE_SESSION_HOURS, and the purge removes it', async () => {
    const token = await tokenOf(app.baseUrl, 'staff2');
    const client = apiClient(app.baseUrl, token);
    clock = new Date(clock.getTime() + 8 * 3_600_000 + 59 * 60_000);
    expect((await client.get('/api/reports')).status).to.equal(200);
    clock = new Date(clock.getTime() + 2 * 60_000);
    expect((await client.get('/api/reports')).status).to.equal(401);
    const page = await fetch(`${app.baseUrl}/console`, {
      redirect: 'manual',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(page.status).to.equal(303);
    expect(page.headers.get('location')).to.equal('/console/login');
    const before = await storedDocuments(db.connection, 'sessions').count();
    expect(await app.repos.sessions.purge(clock)).to.be.greaterThan(0);
    expect(await storedDocuments(db.connection, 'sessions').count()).to.be.lessThan(before);
  });

  it('sets an httpOnly SameSite=Strict cookie and refuses changes without the CSRF token (403)', async () => {
    const r = await file(app.repos, partnerId, clock);
    const { res, setCookie, cookie } = await consoleSignIn(app.baseUrl, 'staff2');
    expect(res.status).to.equal(303);
    expect(setCookie)
      .to.match(/HttpOnly/i)
      .and.match(/SameSite=Strict/i);
    const queue = await fetch(`${app.baseUrl}/console`, { headers: { cookie } });
    expect(queue.status).to.equal(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await queue.text())![1]!;

    const post = (headers: Record<string, string>, body: string, type = 'application/json') =>
      fetch(`${app.baseUrl}/api/reports/${r.receiptNo}/actions`, {
        method: 'POST',
        headers: { cookie, 'content-type': type, ...headers },
        body,
      });
    const action = JSON.stringify({ type: 'consult', result: '상담함' });
    expect((await post({}, action)).status).to.equal(403);
    expect((await post({ 'x-csrf-token': 'x'.repeat(csrf.length) }, action)).status).to.equal(403);
    const form = (extra: Record<string, string>) =>
      fetch(`${app.baseUrl}/console/reports/${r.receiptNo}/actions`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ type: 'consult', result: '상담함', ...extra }),
      });
    expect((await form({})).status).to.equal(403);
    expect((await app.repos.reports.byReceiptNo('seodaemun', r.receiptNo))!.history).to.have.length(1);

    expect((await post({ 'x-csrf-token': csrf }, action)).status).to.equal(200);
    const viaForm = await form({ _csrf: csrf, result: '두 번째 상담' });
    expect(viaForm.status).to.equal(303);
    expect(viaForm.headers.get('location')).to.equal(`/console/reports/${r.receiptNo}?done=consult`);
    expect((await app.repos.reports.byReceiptNo('seodaemun', r.receiptNo))!.history.map((h) => h.note)).to.deep.equal([
      undefined,
      '상담함',
      '두 번째 상담',
    ]);
  });

  it('refuses a sign-in form posted without its own CSRF token', async () => {
    const res = await fetch(`${app.baseUrl}/console/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'staff2', password: PASSWORD }),
    });
    expect(res.status).to.equal(403);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('sagak_session='))).to.equal(false);
  });

  it('escapes report text on the pages and keeps search text out of URLs', async () => {
    const r = await file(app.repos, partnerId, clock, {
      situation: '<script>alert(1)</script> & "quoted"',
      address: '연희동 <img src=x onerror=alert(1)>',
    });
    const { cookie } = await consoleSignIn(app.baseUrl, 'staff2');
    const page = await (await fetch(`${app.baseUrl}/console/reports/${r.receiptNo}`, { headers: { cookie } })).text();
    expect(page).to.contain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;');
    expect(page).to.contain('연희동 &lt;img src=x onerror=alert(1)&gt;');
    expect(page).to.not.contain('<script>alert(1)');
    const queue = await fetch(`${app.baseUrl}/console`, { headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await queue.text())![1]!;
    const set = await fetch(`${app.baseUrl}/console/filters`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, q: '연희동 <img' }),
    });
    expect(set.status).to.equal(303);
    expect(set.headers.get('location')).to.equal('/console');
    const filtered = await (await fetch(`${app.baseUrl}/console`, { headers: { cookie } })).text();
    expect(filtered).to.contain(r.receiptNo);
    expect(filtered).to.contain('1건');
    expect(filtered).to.not.match(/href="[^"]*%EC%97%B0/); // no search text in any link
  });
});
