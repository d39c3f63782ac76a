import { expect } from 'chai';
import { connectDatabase } from '../../src/store/connect';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, PASSWORD, tokenOf } from '../support/console';
import { startTestServer, testDatabase } from '../support/database';
import { postSlack, TEST_SLACK_BOT_TOKEN, TEST_SLACK_SIGNING_SECRET } from '../support/slack-client';

/** What must never reach a client: a stack frame or a path of the server. */
const leaks = (body: string) => /\n\s+at |\/work\/|node_modules|\.ts:\d+/.test(body);

/**
 * Probe 6 of issue 23: `GET /api/reports/%E0%A4%A` answered 500; the API and the sign-in answered
 * 500 `internal` while the database was down; Slack requests signed 600 s ahead were accepted.
 */
describe('security probe: the right status for malformed paths, a database outage and skewed Slack clocks', () => {
  const apps: RunningApp[] = [];
  after(async () => {
    for (const a of apps) await a.close();
  });

  describe('malformed paths and parameters', () => {
    let db: Awaited<ReturnType<typeof testDatabase>>;
    let app: RunningApp;
    let token: string;
    before(async () => {
      db = await testDatabase('security_status_paths');
      const config = testConfig();
      app = await startTestApp(db.connection, { config });
      apps.push(app);
      await addUser({ config, repos: app.repos }, 'pathstaff', 'staff');
      token = await tokenOf(app.baseUrl, 'pathstaff');
    });
    after(() => db.drop());

    it('answers 400 (never 500) to a percent-encoding that does not decode, on the API and the console alike', async () => {
      const headers = { authorization: `Bearer ${token}` };
      for (const path of [
        '/api/reports/%E0%A4%A',
        '/api/reports/%E0%A4%A/actions',
        '/console/reports/%E0%A4%A',
        '/console/imports/%E0%A4%A',
        '/console/reports/%ZZ',
      ]) {
        const method = path.endsWith('/actions') ? 'POST' : 'GET';
        const res = await fetch(`${app.baseUrl}${path}`, {
          method,
          headers: { ...headers, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
          body: method === 'POST' ? '{}' : undefined,
        });
        expect(res.status, path).to.equal(400);
        const text = await res.text();
        expect(leaks(text), text).to.equal(false);
        if (path.startsWith('/api')) expect(JSON.parse(text)).to.deep.include({ error: 'bad_request' });
        else expect(text).to.contain('입력 내용을 확인해 주세요');
      }
      const query = await fetch(`${app.baseUrl}/api/reports?page=%E0%A4%A`, { headers });
      expect(query.status).to.equal(400);
    });
  });

  it('answers 503 with a Korean message on the API, the sign-in and the console while the database is down', async () => {
    const server = await startTestServer({ ownServer: true });
    const connection = await connectDatabase(server.uri, 'sagak_down_status');
    try {
      const config = testConfig();
      const app = await startTestApp(connection, { config });
      apps.push(app);
      await addUser({ config, repos: app.repos }, 'downstaff', 'staff');
      const token = await tokenOf(app.baseUrl, 'downstaff');
      const form = await fetch(`${app.baseUrl}/console/login`);
      const loginCookie = form.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      await server.stop();

      const api = await fetch(`${app.baseUrl}/api/reports`, { headers: { authorization: `Bearer ${token}` } });
      expect(api.status).to.equal(503);
      expect(await api.json()).to.deep.include({
        error: 'unavailable',
        message: '지금은 서비스를 이용할 수 없습니다. 잠시 후 다시 시도해 주세요.',
      });
      const apiLogin = await fetch(`${app.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'downstaff', password: PASSWORD }),
      });
      expect(apiLogin.status).to.equal(503);
      expect(((await apiLogin.json()) as { error: string }).error).to.equal('unavailable');
      const formLogin = await fetch(`${app.baseUrl}/console/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie },
        body: new URLSearchParams({ _csrf: csrf, username: 'downstaff', password: PASSWORD }),
      });
      expect(formLogin.status).to.equal(503);
      const formText = await formLogin.text();
      expect(formText).to.contain('지금은 서비스를 이용할 수 없습니다');
      expect(leaks(formText), formText).to.equal(false);
      const page = await fetch(`${app.baseUrl}/console`, { headers: { authorization: `Bearer ${token}` } });
      expect(page.status).to.equal(503);
      expect(await page.text()).to.contain('지금은 서비스를 이용할 수 없습니다');
    } finally {
      await connection.close().catch(() => undefined);
      await server.stop().catch(() => undefined);
    }
  });

  describe('Slack request timestamps', () => {
    let db: Awaited<ReturnType<typeof testDatabase>>;
    let app: RunningApp;
    before(async () => {
      db = await testDatabase('security_status_slack');
      app = await startTestApp(db.connection, {
        config: testConfig({
          SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET,
          SLACK_BOT_TOKEN: TEST_SLACK_BOT_TOKEN,
          SLACK_API_URL: 'http://127.0.0.1:9/api/',
        }),
      });
      apps.push(app);
    });
    after(() => db.drop());

    const challenge = JSON.stringify({ token: 't', challenge: 'chal-skew', type: 'url_verification' });
    // Slack's rule and Bolt's own clock: the real time, not the app's
    const nowSec = () => Math.floor(Date.now() / 1000);

    it('refuses a correctly signed request dated more than five minutes ahead or behind, and accepts one within', async () => {
      const ahead = await postSlack(app.baseUrl, challenge, 'application/json', { timestamp: nowSec() + 600 });
      expect(ahead.status).to.equal(401);
      expect(await ahead.text()).not.to.contain('chal-skew');
      const behind = await postSlack(app.baseUrl, challenge, 'application/json', { timestamp: nowSec() - 600 });
      expect(behind.status).to.equal(401);
      const within = await postSlack(app.baseUrl, challenge, 'application/json', { timestamp: nowSec() + 60 });
      expect(within.status).to.equal(200);
      expect(await within.text()).to.contain('chal-skew');
    });
  });
});
