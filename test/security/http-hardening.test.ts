import { expect } from 'chai';
import { pseudonym, setPseudonymKey } from '../../src/log';
import { loadPseudonymKey } from '../../src/pseudonym-key';
import { connectDatabase } from '../../src/store/connect';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, testConfig, TEST_SKILL_SECRET, type RunningApp } from '../support/app';
import { addUser, file, login, PASSWORD, tokenOf } from '../support/console';
import { startTestServer, testDatabase } from '../support/database';

/** What must never reach a client: a stack frame or a path of the server. */
const leaks = (body: string) => /\n\s+at |\/work\/|node_modules|\.ts:\d+/.test(body);

describe('HTTP hardening: proxies, headers, errors, notice, pseudonyms', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  const apps: RunningApp[] = [];
  const start = async (over: Record<string, string>) => {
    const config = testConfig(over);
    const app = await startTestApp(db.connection, { config });
    apps.push(app);
    return { app, config };
  };

  before(async () => {
    db = await testDatabase('http_hardening');
  });
  after(async () => {
    for (const a of apps) await a.close();
    await db.drop();
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY names the proxy, so the per-address cap cannot be dodged', async () => {
    const { app, config } = await start({ CONSOLE_LOGIN_MAX_PER_IP: '4' });
    await addUser({ config, repos: app.repos }, 'victim1', 'staff');
    for (let i = 0; i < 4; i++)
      await login(app.baseUrl, `nobody${i}`, 'wrong password', { 'x-forwarded-for': `203.0.113.${i}` });
    const next = await login(app.baseUrl, 'nobody0', 'wrong password', { 'x-forwarded-for': '198.51.100.7' });
    expect(next.status).to.equal(429);

    const behindProxy = await start({ CONSOLE_LOGIN_MAX_PER_IP: '4', TRUST_PROXY: '127.0.0.1' });
    for (let i = 0; i < 4; i++)
      await login(behindProxy.app.baseUrl, `other${i}`, 'wrong password', { 'x-forwarded-for': '203.0.113.50' });
    expect(
      (await login(behindProxy.app.baseUrl, 'victim1', PASSWORD, { 'x-forwarded-for': '203.0.113.51' })).status,
    ).to.equal(200);
  });

  it('rejects a TRUST_PROXY that is neither off, a hop count nor addresses', () => {
    expect(() => testConfig({ TRUST_PROXY: 'everyone' })).to.throw(/TRUST_PROXY/);
    expect(testConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).to.equal(1);
    expect(testConfig({ TRUST_PROXY: '10.0.0.1, 10.0.0.0/8' }).TRUST_PROXY).to.deep.equal(['10.0.0.1', '10.0.0.0/8']);
    expect(testConfig({}).TRUST_PROXY).to.equal(false);
  });

  it('sends HSTS only over TLS (as a trusted proxy reports it), and nosniff on every response', async () => {
    const { app } = await start({ TRUST_PROXY: 'loopback' });
    const tls = await fetch(`${app.baseUrl}/healthz`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers.get('strict-transport-security')).to.equal('max-age=31536000; includeSubDomains');
    expect((await fetch(`${app.baseUrl}/healthz`)).headers.get('strict-transport-security')).to.equal(null);
    const untrusted = (await start({})).app;
    expect(
      (await fetch(`${untrusted.baseUrl}/healthz`, { headers: { 'x-forwarded-proto': 'https' } })).headers.get(
        'strict-transport-security',
      ),
    ).to.equal(null);
    const off = (await start({ TRUST_PROXY: 'loopback', HSTS_MAX_AGE_SECONDS: '0' })).app;
    expect(
      (await fetch(`${off.baseUrl}/healthz`, { headers: { 'x-forwarded-proto': 'https' } })).headers.get(
        'strict-transport-security',
      ),
    ).to.equal(null);

    const responses = await Promise.all([
      fetch(`${app.baseUrl}/api/openapi.json`),
      fetch(`${app.baseUrl}/api/reports`),
      fetch(`${app.baseUrl}/kakao/skill`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
      fetch(`${app.baseUrl}/kakao/skill`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sagak-skill-secret': TEST_SKILL_SECRET },
        body: '{"bad":',
      }),
      fetch(`${app.baseUrl}/healthz`),
      fetch(`${app.baseUrl}/no/such/page`),
      fetch(`${app.baseUrl}/console/login`),
      fetch(`${app.baseUrl}/chat`),
    ]);
    for (const r of responses) expect(r.headers.get('x-content-type-options'), r.url).to.equal('nosniff');
  });

  it('answers a too-large form with a short Korean page and a JSON error with a stable code, even in development', async () => {
    const { app } = await start({ NODE_ENV: 'development' });
    const big = 'x'.repeat(64 * 1024);
    const form = await fetch(`${app.baseUrl}/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=${big}`,
    });
    expect(form.status).to.equal(413);
    const page = await form.text();
    expect(page).to.contain('보낸 내용이 너무 큽니다').and.contain('lang="ko"');
    expect(leaks(page), page).to.equal(false);
    const api = await fetch(`${app.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: big, password: big }),
    });
    expect(api.status).to.equal(413);
    expect(((await api.json()) as { error: string }).error).to.equal('too_large');
    const notFound = await fetch(`${app.baseUrl}/console-nothing-here`);
    expect(notFound.status).to.equal(404);
    expect(await notFound.text()).to.contain('페이지를 찾을 수 없습니다');
    const notFoundApi = await fetch(`${app.baseUrl}/api/nothing`);
    expect(((await notFoundApi.json()) as { error: string }).error).to.equal('not_found');
  });

  it('shows no stack or path when the database is down, only a Korean page or a JSON error', async () => {
    const server = await startTestServer({ ownServer: true });
    const connection = await connectDatabase(server.uri, 'sagak_down');
    const config = testConfig({ NODE_ENV: 'development' });
    const app = await startTestApp(connection, { config });
    apps.push(app);
    await addUser({ config, repos: app.repos }, 'downstaff', 'staff');
    const token = await tokenOf(app.baseUrl, 'downstaff');
    await server.stop();
    const page = await fetch(`${app.baseUrl}/console`, { headers: { authorization: `Bearer ${token}` } });
    expect(page.status).to.be.oneOf([500, 503]);
    const text = await page.text();
    expect(text).to.match(/잠시 후 다시 시도해 주세요/);
    expect(leaks(text), text).to.equal(false);
    const api = await fetch(`${app.baseUrl}/api/reports`, { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).to.be.oneOf([500, 503]);
    const body = await api.text();
    expect(leaks(body), body).to.equal(false);
    expect(JSON.parse(body).error).to.be.oneOf(['internal', 'unavailable']);
  });

  it('reads ?done= only from its own list: ?done=constructor shows nothing', async () => {
    const { app, config } = await start({});
    await addUser({ config, repos: app.repos }, 'noticer', 'staff');
    const partner = await app.repos.partners.create({ name: '우체국', kind: 'post', now: new Date() });
    const r = await file(app.repos, partner.id, new Date());
    const headers = { authorization: `Bearer ${await tokenOf(app.baseUrl, 'noticer')}` };
    for (const done of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const page = await (
        await fetch(`${app.baseUrl}/console/reports/${r.receiptNo}?done=${done}`, { headers })
      ).text();
      expect(page).not.to.contain('native code');
      expect(page).not.to.contain('처리했습니다');
    }
    expect(
      await (await fetch(`${app.baseUrl}/console/reports/${r.receiptNo}?done=consult`, { headers })).text(),
    ).to.contain('1차 상담 기록: 처리했습니다');
  });

  it('keys log pseudonyms: another key gives another pseudonym; the embedded default generates its key once', async () => {
    setPseudonymKey('a'.repeat(32));
    const a = pseudonym('kakao', 'user-1');
    setPseudonymKey('b'.repeat(32));
    expect(pseudonym('kakao', 'user-1')).not.to.equal(a);
    expect(pseudonym('kakao', 'user-1')).to.equal(pseudonym('kakao', 'user-1'));
    const dir = await mkdtemp(join(tmpdir(), 'sagak-key-'));
    const config = testConfig({ FERRETDB_DATA_DIR: join(dir, 'db') });
    const first = loadPseudonymKey(config);
    const second = loadPseudonymKey(config);
    expect(first.source).to.equal('file');
    expect(second.key).to.equal(first.key);
    expect(first.key.length).to.be.at.least(32);
    expect((await readFile(join(dir, 'log-pseudonym.key'), 'utf8')).trim()).to.equal(first.key);
    expect((await stat(join(dir, 'log-pseudonym.key'))).mode & 0o077).to.equal(0);
    expect(loadPseudonymKey(testConfig({ LOG_PSEUDONYM_SECRET: 'k'.repeat(40) }))).to.deep.equal({
      key: 'k'.repeat(40),
      source: 'env',
    });
    expect(() =>
      loadPseudonymKey(testConfig({ NODE_ENV: 'production', MONGODB_URI: 'mongodb://db.example/sagak' })),
    ).to.throw(/LOG_PSEUDONYM_SECRET/);
  });
});
