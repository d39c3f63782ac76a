import { expect } from 'chai';
import { ensureIndexes, openRepositories } from '../../src/repositories';
import { type Repositories } from '../../src/ports';
import { TEST_SKILL_SECRET } from '../support/app';
import { addUser } from '../support/console';
import { freePort, testDatabase } from '../support/database';
import { fillReport, giveContact, KakaoUser } from '../support/kakao-client';
import { requestFrom, startReverseProxy, type ReverseProxy } from '../support/reverse-proxy';
import { startService } from '../support/service-process';
import { testConfig } from '../support/app';

const REPORTERS = 8;
const REPORTS_EACH = 3;
/** The console user's own address; the proxy connects from 127.0.0.1. */
const CLIENT = '127.0.0.2';

describe('two instances behind a reverse proxy (docs/deploy.md), one restarted mid-run', function () {
  this.timeout(600_000); // two service processes and a shared FerretDB on a busy 2-core machine
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let repos: Repositories;
  let proxy: ReverseProxy;
  const services: ReturnType<typeof startService>[] = [];

  before(async () => {
    db = await testDatabase('two_instances');
    repos = openRepositories(db.connection);
    await ensureIndexes(repos);
  });
  after(async () => {
    for (const s of services) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await proxy?.close();
    await db.drop();
  });

  it("takes chat turns and console actions through the proxy with nothing lost, doubled or refused, and records the client's real address", async () => {
    const partner = await repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    await addUser({ config: testConfig(), repos }, 'staff1', 'staff');
    const ports = [await freePort(), await freePort()];
    const env = (port: number) => ({
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      MONGODB_URI: db.uri,
      TRUST_PROXY: '127.0.0.1', // the proxy's address: X-Forwarded-For is believed from it alone
      KAKAO_SKILL_SECRET: TEST_SKILL_SECRET,
      LOG_PSEUDONYM_SECRET: 'p'.repeat(40),
      WEEKLY_DELIVERY_ENABLED: 'false',
      SHUTDOWN_DRAIN_SECONDS: '1', // the proxy's /readyz check (every 100 ms) stops sending here first
    });
    for (const port of ports) services.push(startService(env(port)));
    await Promise.all(services.map((s) => s.waitFor('Sagak is listening')));
    proxy = await startReverseProxy(ports);

    const signIn = await requestFrom(CLIENT, `${proxy.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'staff1', password: 'correct horse battery' }),
    });
    expect(signIn.status, signIn.text).to.equal(200);
    const token = (JSON.parse(signIn.text) as { token: string }).token;

    const users = Array.from({ length: REPORTERS }, (_, i) => new KakaoUser(proxy.url, `proxy-reporter-${i}`));
    await Promise.all(
      users.map(async (user) => {
        await user.say('신고');
        await user.say(partner.inviteCode);
        await giveContact(user);
        await user.say('취소');
      }),
    );

    const receipts: string[] = [];
    let done = false;
    let restartedUp = false;
    const filing = Promise.all(
      users.map(async (user, u) => {
        // at least REPORTS_EACH each, and on until the stopped instance is back (it must serve again)
        for (let i = 0; i < REPORTS_EACH || (!restartedUp && i < 40); i++) {
          await fillReport(user, { address: `서울 서대문구 홍제3동 문화촌아파트 ${u}${i}동` });
          await user.press('접수');
          const receipt = /접수번호: (\d{4}-\d{6})/.exec(user.text())?.[1];
          expect(receipt, user.text()).to.be.a('string');
          receipts.push(receipt!);
        }
      }),
    ).finally(() => {
      done = true;
    });
    const statuses: number[] = [];
    const consulting = (async () => {
      let next = 0;
      while (!done || next < receipts.length) {
        if (next >= receipts.length) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const receipt = receipts[next++]!;
        const acted = await requestFrom(CLIENT, `${proxy.url}/api/reports/${receipt}/actions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'consult', result: '전화 상담: 안부 확인' }),
        });
        statuses.push(acted.status);
        const viewed = await requestFrom(CLIENT, `${proxy.url}/api/reports/${receipt}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        statuses.push(viewed.status);
      }
    })();

    // mid-run: the first instance is stopped (SIGTERM, as systemd stops it) and started again
    while (receipts.length < (REPORTERS * REPORTS_EACH) / 3 && !done) await new Promise((r) => setTimeout(r, 50));
    const first = services[0]!;
    first.child.kill('SIGTERM');
    expect(await first.exited, 'the stopped instance did not exit cleanly').to.equal(0);
    const restarted = startService(env(ports[0]!));
    services.push(restarted);
    const servedBeforeRestart = proxy.served.get(ports[0]!)!;
    await restarted.waitFor('Sagak is listening');
    restartedUp = true;

    await filing;
    await consulting;

    // nothing refused: every request reached an instance and was answered
    expect(proxy.errors).to.deep.equal([]);
    expect(
      statuses.every((s) => s === 200),
      `console answers: ${statuses.join(',')}`,
    ).to.equal(true);
    expect(receipts.length).to.be.at.least(REPORTERS * REPORTS_EACH);
    // both instances served, and the restarted one served again after its restart
    expect(proxy.served.get(ports[1]!)).to.be.greaterThan(0);
    expect(proxy.served.get(ports[0]!)).to.be.greaterThan(servedBeforeRestart);

    // nothing lost or doubled: one report per receipt shown, each consulted exactly once
    const stored = await repos.reports.list({ district: 'seodaemun', limit: 10_000 });
    expect(stored.map((r) => r.receiptNo).sort()).to.deep.equal([...new Set(receipts)].sort());
    for (const r of stored) {
      const current = (await repos.reports.current(r.id))!;
      expect(
        current.history.filter((h) => h.action === 'consult'),
        r.receiptNo,
      ).to.have.length(1);
      expect(current.status, r.receiptNo).to.equal('consulted');
    }

    // the access records name the console user's own address, not the proxy's
    const records = (await repos.accessRecords.between(new Date(0), new Date(Date.now() + 60_000))).filter(
      (a) => a.actor === 'user:staff1',
    );
    expect(records.length).to.be.at.least(receipts.length * 2 + 1);
    expect([...new Set(records.map((a) => a.address))]).to.deep.equal([CLIENT]);

    for (const s of services.filter((x) => x.child.exitCode === null)) {
      s.child.kill('SIGTERM');
      expect(await s.exited).to.equal(0);
    }
  });
});
