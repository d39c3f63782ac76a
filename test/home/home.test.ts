import { expect } from 'chai';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { testDatabase } from '../support/database';

const hrefs = (page: string) => [...page.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);

describe('Front door (GET /)', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let embedded: RunningApp;
  let external: RunningApp;

  before(async () => {
    db = await testDatabase('home');
    embedded = await startTestApp(db.connection, {
      config: testConfig({ WEBCHAT_COOKIE_SECRET: 'home-test-cookie-secret-0123456789abcdef' }),
    });
    // Same database, but configured as a deployment on its own MongoDB (no newcomer steps).
    external = await startTestApp(db.connection, {
      config: testConfig({
        MONGODB_URI: 'mongodb://db.example.invalid/sagak',
        NODE_ENV: 'production',
        WEBCHAT_COOKIE_SECRET: '',
      }),
    });
  });
  after(async () => {
    await embedded?.close();
    await external?.close();
    await db?.drop();
  });

  it('answers a short Korean page whose every link leads somewhere real', async () => {
    const res = await fetch(`${embedded.baseUrl}/`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html; charset=utf-8/);
    const page = await res.text();
    expect(page).to.include('<html lang="ko">');
    expect(page).to.include('name="viewport"');
    expect(page).to.include('서대문구 복지사각지대 채팅 신고');
    expect(page).to.include('112');

    const links = hrefs(page);
    for (const path of ['/chat', '/console', '/api/openapi.json']) expect(links).to.include(path);
    for (const link of links) {
      const target = await fetch(`${embedded.baseUrl}${link}`, { redirect: 'follow' });
      expect(target.status, link).to.equal(200);
    }
    const api = (await (await fetch(`${embedded.baseUrl}/api/openapi.json`)).json()) as { openapi: string };
    expect(api.openapi).to.match(/^3\.1/);
  });

  it('shows a newcomer on the embedded database how to create the first admin and load demo data', async () => {
    const page = await (await fetch(`${embedded.baseUrl}/`)).text();
    expect(page).to.include('처음 설치하셨나요?');
    expect(page).to.include('npm run admin -- user add --username admin --role admin --password-stdin');
    expect(page).to.include('npm run admin -- demo seed --reports');
    expect(page).to.include('npm run admin -- partner add');
  });

  it('keeps the setup steps off a deployment on its own MongoDB and says when web chat is off', async () => {
    const page = await (await fetch(`${external.baseUrl}/`)).text();
    expect(page).to.not.include('처음 설치하셨나요?');
    expect(page).to.not.include('npm run admin');
    expect(hrefs(page)).to.not.include('/chat');
    expect(page).to.include('꺼짐');
  });

  it('is served under a strict CSP with no inline script or style', async () => {
    const res = await fetch(`${embedded.baseUrl}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("default-src 'none'");
    expect(csp).to.include("style-src 'self'");
    expect(csp).to.include("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    const page = await res.text();
    expect(page).to.not.match(/<script|style=|<style/);
  });

  it('still answers 404 for unknown paths', async () => {
    const res = await fetch(`${embedded.baseUrl}/nothing-here`);
    expect(res.status).to.equal(404);
  });
});
