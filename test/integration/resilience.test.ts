import { expect } from 'chai';
import { connectDatabase } from '../../src/store/connect';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { startTestServer, testDatabase, type TestServer } from '../support/database';
import { KakaoUser, giveContact } from '../support/kakao-client';
import { storedCount } from '../../src/store/report/inspect';
import { everyCollection, storedDocuments } from '../../src/store/inspect';

async function linkedUser(app: RunningApp, id: string): Promise<KakaoUser> {
  const partner = await app.repos.partners.create({ name: '한국전력 서대문지사', kind: 'utility', now: new Date() });
  const user = new KakaoUser(app.baseUrl, id);
  await user.say('신고');
  await user.say(partner.inviteCode);
  await giveContact(user);
  await user.press('일반');
  return user;
}

describe('Conversations survive restarts, outages and time', () => {
  it('continues where it was after the service restarts mid-conversation', async () => {
    const db = await testDatabase('restart');
    let app = await startTestApp(db.connection);
    try {
      const user = await linkedUser(app, 'restart-user');
      await user.say('연희동 88-1');
      await user.press('맞음');
      await user.press('인기척 없음');
      await app.close();

      app = await startTestApp(db.connection); // a new instance: nothing held in memory
      user.baseUrl = app.baseUrl;
      await user.say('도움말');
      expect(user.text()).to.contain('현재 선택: 인기척 없음');
      await user.press('선택 완료');
      expect(user.text()).to.contain('4/8 대상자 이름');
    } finally {
      await app.close();
      await db.drop();
    }
  });

  it('expires a conversation idle for 24 hours, tells the user, and starts afresh', async () => {
    const db = await testDatabase('expiry');
    let clock = new Date('2026-11-20T01:00:00Z');
    const app = await startTestApp(db.connection, { now: () => clock });
    try {
      const user = await linkedUser(app, 'idle-user');
      await user.say('홍제1동 12');
      clock = new Date(clock.getTime() + 24 * 3_600_000 + 60_000);
      await user.say('맞음');
      expect(user.text()).to.contain('만료되었습니다');
      expect(await app.repos.conversations.current({ channel: 'kakao', userId: 'idle-user' })).to.equal(undefined);
      await user.say('신고');
      expect(user.text()).to.contain('1/8 얼마나 급한가요');
    } finally {
      await app.close();
      await db.drop();
    }
  });

  it('purges the answers of idle conversations but still tells the user it expired', async () => {
    const db = await testDatabase('purge');
    const app = await startTestApp(db.connection);
    try {
      const user = await linkedUser(app, 'purged-user');
      await user.say('홍은1동 5');
      const res = await app.repos.conversations.purge(
        new Date(Date.now() + 25 * 3_600_000),
        24 * 3_600_000,
        7 * 24 * 3_600_000,
      );
      expect(res.emptied).to.equal(1);
      expect(await app.repos.conversations.current({ channel: 'kakao', userId: 'purged-user' })).to.equal(undefined);
      // the typed address is gone from every stored copy: the head and the revision claims
      const collections = (await everyCollection(db.connection)).filter((c) => c.name.startsWith('conversation'));
      expect(collections.map((c) => c.name)).to.include.members(['conversations', 'conversation_revisions_0']);
      for (const collection of collections) {
        const docs = await collection.documents();
        expect(JSON.stringify(docs)).not.to.contain('홍은1동');
      }
      await user.say('맞음');
      expect(user.text()).to.contain('만료되었습니다');
    } finally {
      await app.close();
      await db.drop();
    }
  });

  it("clears an earlier version's unspread claims too, bringing their conversation's head up to them first", async () => {
    const db = await testDatabase('legacy_claims');
    const app = await startTestApp(db.connection);
    try {
      const at = new Date(Date.now() - 2 * 3_600_000);
      const value = {
        flowId: 'report',
        flowVersion: 1,
        stepId: 'address',
        data: { address: '홍은1동 5' },
        updatedAt: at,
      };
      await storedDocuments(db.connection, 'conversationRevisionsUnbucketed').insertOne({
        _id: 'kakao:legacy-user#1',
        key: 'kakao:legacy-user',
        rev: 1,
        at,
        value,
      });
      const res = await app.repos.conversations.purge(new Date(), 24 * 3_600_000, 7 * 24 * 3_600_000);
      expect(res.pruned).to.equal(1);
      expect(await storedDocuments(db.connection, 'conversationRevisionsUnbucketed').count()).to.equal(0);
      const state = await app.repos.conversations.current({ channel: 'kakao', userId: 'legacy-user' });
      expect(state?.stepId).to.equal('address');
    } finally {
      await app.close();
      await db.drop();
    }
  });

  it("prunes an hour's claims of many conversations, and a fresh instance reads each at its newest answer", async () => {
    const db = await testDatabase('many_claims');
    const app = await startTestApp(db.connection);
    const fresh = await startTestApp(db.connection);
    try {
      const keys = Array.from({ length: 6 }, (_, i) => ({ channel: 'kakao', userId: `pruned-${i}` }));
      for (const key of keys)
        for (let rev = 0; rev < 4; rev++) {
          const value = { flowId: 'report', flowVersion: 1, stepId: `step-${rev}`, data: {}, updatedAt: new Date() };
          expect(await app.repos.conversations.write(key, value, rev)).to.equal(true);
        }
      // two hours on, the claims are past their hour; the conversations are not idle for a day
      const res = await app.repos.conversations.purge(
        new Date(Date.now() + 2 * 3_600_000),
        24 * 3_600_000,
        7 * 24 * 3_600_000,
      );
      expect(res.pruned).to.equal(24);
      for (const key of keys) expect((await fresh.repos.conversations.current(key))?.stepId).to.equal('step-3');
      expect((await fresh.repos.conversations.read(keys[0]!)).rev).to.equal(4);
    } finally {
      await fresh.close();
      await app.close();
      await db.drop();
    }
  });

  describe('when the database stops mid-conversation', () => {
    let server: TestServer;
    let app: RunningApp;

    before(async () => {
      server = await startTestServer({ ownServer: true }); // stopping it disturbs no other test
      const connection = await connectDatabase(server.uri, 'sagak_outage');
      app = await startTestApp(connection, { config: testConfig({ KAKAO_REPLY_BUDGET_MS: '3000' }) });
    });
    after(async () => {
      await app.close();
      await server.stop();
    });

    it('answers "try again" within Kakao\'s 5 seconds, writes nothing, and resumes once it is back', async () => {
      const user = await linkedUser(app, 'outage-user');
      user.patient = false; // this test looks at the first "try again" itself
      await user.say('남가좌1동 77');
      await user.press('맞음');
      await user.press('질병·거동 불편');
      const reportsBefore = await storedCount(app.connection, 'working');

      await server.remove();
      const started = Date.now();
      await user.press('선택 완료');
      const elapsed = Date.now() - started;
      expect(user.text()).to.contain('잠시 후 다시 시도해 주세요');
      expect(elapsed, 'Kakao drops answers slower than 5 s').to.be.below(5_000);
      // alive, but not ready: a balancer stops sending to it while /healthz keeps its supervisor calm
      expect((await fetch(`${app.baseUrl}/healthz`)).status).to.equal(200);
      const ready = await fetch(`${app.baseUrl}/readyz`);
      expect(ready.status).to.equal(503);
      expect(await ready.json()).to.deep.include({ ready: false, database: 'down' });

      await server.restart();
      for (let i = 0; i < 50 && (await fetch(`${app.baseUrl}/readyz`)).status !== 200; i++)
        await new Promise((r) => setTimeout(r, 200));
      await user.say('도움말');
      expect(user.text()).to.contain('현재 선택: 질병·거동 불편');
      expect(await storedCount(app.connection, 'working')).to.equal(reportsBefore);
      await user.press('선택 완료');
      expect(user.text()).to.contain('4/8 대상자 이름');
    });
  });
});
