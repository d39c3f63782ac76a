import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { fetchPhoto, hostAllowed, isInwardAddress, parseStandIns } from '../../adapters/photo-fetch';
import { photoPng } from '../support/photos';

/** The photo fetcher's own rules: allowed hosts only, never an inward address, limits, no redirects. */
describe("photo fetch: only the platforms' hosts, never an inward address", () => {
  let server: Server;
  let base = '';
  const hits: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/redirect') return void res.writeHead(302, { location: 'http://169.254.169.254/latest' }).end();
      res.writeHead(200, { 'content-type': 'image/png' }).end(photoPng(1));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  const limits = { maxBytes: 1_000_000, timeoutMs: 2_000 };

  it('matches hosts exactly or as subdomains of a "*." pattern', () => {
    expect(hostAllowed('talk.kakaocdn.net', ['*.kakaocdn.net'])).to.equal(true);
    expect(hostAllowed('kakaocdn.net', ['*.kakaocdn.net'])).to.equal(false);
    expect(hostAllowed('evilkakaocdn.net', ['*.kakaocdn.net'])).to.equal(false);
    expect(hostAllowed('talk.kakaocdn.net.evil.com', ['*.kakaocdn.net'])).to.equal(false);
    expect(hostAllowed('files.slack.com', ['files.slack.com'])).to.equal(true);
    expect(hostAllowed('x.files.slack.com', ['files.slack.com'])).to.equal(false);
  });

  it('knows loopback, private, link-local, CGNAT and mapped addresses as inward', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
    ])
      expect(isInwardAddress(a), a).to.equal(true);
    for (const a of ['211.231.99.80', '8.8.8.8', '2001:4860:4860::8888']) expect(isInwardAddress(a), a).to.equal(false);
  });

  it('never connects to an allowed name that resolves to the loopback address', async () => {
    const before = hits.length;
    const port = new URL(base).port;
    // "localhost" is allowed here by name; its address (from the hosts file) is loopback
    expect(await fetchPhoto(`http://localhost:${port}/a.png`, { ...limits, hosts: ['localhost'] })).to.deep.equal({
      ok: false,
      problem: 'not_allowed',
    });
    expect(await fetchPhoto(`${base}/a.png`, { ...limits, hosts: ['127.0.0.1'] })).to.deep.equal({
      ok: false,
      problem: 'not_allowed',
    });
    expect(await fetchPhoto(`http://[::1]:${port}/a.png`, { ...limits, hosts: ['::1'] })).to.deep.equal({
      ok: false,
      problem: 'not_allowed',
    });
    expect(
      await fetchPhoto('http://user:pw@files.slack.com/a.png', { ...limits, hosts: ['files.slack.com'] }),
    ).to.deep.equal({ ok: false, problem: 'not_allowed' });
    expect(await fetchPhoto('file:///etc/passwd', { ...limits, hosts: ['*'] })).to.deep.equal({
      ok: false,
      problem: 'not_allowed',
    });
    expect(hits.length).to.equal(before);
  });

  it('fetches through a configured stand-in or a trusted origin, within the byte limit, without following redirects', async () => {
    const standIns = parseStandIns(`files.slack.com=${base}`);
    const got = await fetchPhoto('https://files.slack.com/files-pri/T1/a.png', {
      ...limits,
      hosts: ['files.slack.com'],
      standIns,
    });
    expect(got.ok && got.bytes).to.deep.equal(photoPng(1));
    expect(
      await fetchPhoto('https://files.slack.com/a.png', {
        ...limits,
        maxBytes: 10,
        hosts: ['files.slack.com'],
        standIns,
      }),
    ).to.deep.equal({ ok: false, problem: 'too_large' });
    expect(
      await fetchPhoto('https://files.slack.com/redirect', { ...limits, hosts: ['files.slack.com'], standIns }),
    ).to.deep.equal({ ok: false, problem: 'unreachable' });
    const trusted = await fetchPhoto(`${base}/file/bot1:x/photos/a.png`, {
      ...limits,
      hosts: [],
      trustedOrigins: [base],
    });
    expect(trusted.ok).to.equal(true);
    // under test, a host without a stand-in is never fetched (no traffic leaves the machine)
    expect(
      await fetchPhoto('https://talk.kakaocdn.net/a.png', { ...limits, hosts: ['*.kakaocdn.net'], onlyStandIns: true }),
    ).to.deep.equal({ ok: false, problem: 'unreachable' });
  });

  it('refuses stand-ins in production', async () => {
    const { loadConfig } = await import('../../src/config');
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        PHOTO_FETCH_STAND_INS: 'talk.kakaocdn.net=http://127.0.0.1:1',
        WEBCHAT_COOKIE_SECRET: 'x'.repeat(32),
      }),
    ).to.throw(/PHOTO_FETCH_STAND_INS/);
  });
});
