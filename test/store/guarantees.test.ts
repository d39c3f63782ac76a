import { expect } from 'chai';
import mongoose from 'mongoose';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { addUser, apiClient, file, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { fillReport, giveContact, KakaoUser } from '../support/kakao-client';
import { INPUT_GUARD_TEXTS, msg } from '../../flows/report/messages';

/**
 * What the store promises on any engine (FerretDB here; TEST_MONGODB_URI runs it on MongoDB):
 * racing messages of one person, racing actions on one report, two service instances on one
 * database — nothing lost, nothing doubled, every reply true to what was kept.
 */
describe('store guarantees under concurrency', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let second: RunningApp;
  let secondConnection: mongoose.Connection;
  let inviteCode: string;
  let partnerId: string;
  let seq = 0;
  /** The collections the second instance sent finds to, in order. */
  const secondFinds: string[] = [];

  before(async () => {
    db = await testDatabase('guarantees');
    // The longest budget Kakao allows: racing turns on a busy 2-core machine take a while.
    const config = testConfig({ KAKAO_REPLY_BUDGET_MS: '4800' });
    app = await startTestApp(db.connection, { config });
    // A second instance: its own connection, its own in-process receipt numbering.
    secondConnection = await mongoose
      .createConnection(db.uri, { autoIndex: false, ignoreUndefined: true, monitorCommands: true })
      .asPromise();
    secondConnection.getClient().on('commandStarted', (e) => {
      if (e.commandName === 'find') secondFinds.push(String(e.command.find));
    });
    second = await startTestApp(secondConnection, { config });
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    partnerId = partner.id;
    inviteCode = formatInviteCode(partner.inviteCode);
  });
  after(async () => {
    await second.close();
    await secondConnection.close();
    await app.close();
    await db.drop();
  });

  async function linkedUser(baseUrl = app.baseUrl): Promise<KakaoUser> {
    const user = new KakaoUser(baseUrl, `race-user-${++seq}`);
    await user.say('신고');
    await user.say(inviteCode);
    await giveContact(user);
    await user.say('취소');
    user.patient = true; // on a busy machine a turn may miss Kakao's budget; a person sends again
    return user;
  }

  /** Answers a report's first questions, up to the one asking the person's name. */
  async function toTheNameQuestion(user: KakaoUser): Promise<void> {
    await user.say('신고');
    await user.press('빠른 확인 필요');
    await user.say('홍제3동 문화촌아파트 101동');
    await user.press('맞음');
    await user.press('공과금 체납·단전·단수');
    await user.press('선택 완료');
  }

  const postAll = (user: KakaoUser, texts: string[]) =>
    Promise.all(
      texts.map((t) =>
        new KakaoUser(user.baseUrl, user.id)
          .say(t)
          .then((r) =>
            r.template.outputs.map((o) => ('simpleText' in o ? o.simpleText.text : o.textCard.description)).join('\n'),
          ),
      ),
    );

  it('takes exactly one of 100 simultaneous answers to the same question, and tells the others', async function () {
    this.timeout(240_000);
    const user = await linkedUser();
    await toTheNameQuestion(user);
    expect(user.text()).to.contain('이름');

    const names = Array.from({ length: 100 }, (_, i) => `대상자${String.fromCharCode(0xac00 + i)}`);
    const replies = await postAll(user, names);
    // Each reply is one of: taken (the next question), lost the race (said so), read as an
    // answer to the next question and refused as an age (said so), or late (said so).
    const taken = replies.filter((r) => r.startsWith(msg.askAge));
    const lost = replies.filter((r) => r.startsWith(msg.lostRace));
    const notAnAge = replies.filter((r) => r.startsWith(msg.badAge));
    const late = replies.filter((r) => r.startsWith(msg.lateKept) || r.startsWith(msg.lateUnsure));
    expect(taken.length, 'replies that say the answer was taken').to.be.at.most(1);
    expect(taken.length + late.length, 'one answer was kept').to.be.at.least(1);
    expect(
      taken.length + lost.length + notAnAge.length + late.length,
      replies
        .filter(
          (r) => ![msg.askAge, msg.lostRace, msg.badAge, msg.lateKept, msg.lateUnsure].some((m) => r.startsWith(m)),
        )
        .join('|'),
    ).to.equal(100);

    // The next message shows where the conversation is; the stored name is the one kept.
    await user.say('75');
    const summaryBound = await app.repos.conversations.current({ channel: 'kakao', userId: user.id });
    const data = summaryBound!.data as { name: string };
    expect(names).to.include(data.name);
    if (taken.length === 1) expect(taken[0]).to.contain('나이');
  });

  it('never both files and cancels when 접수 and 취소 race', async function () {
    this.timeout(240_000);
    for (let attempt = 0; attempt < 6; attempt++) {
      const user = await linkedUser();
      await fillReport(user, { name: `경합${String.fromCharCode(0xac00 + attempt)}` });
      const racer = new KakaoUser(user.baseUrl, user.id);
      const [submitted, cancelled] = await Promise.all([
        user.say('접수').then(() => user.text()),
        new Promise((r) => setTimeout(r, attempt * 10)).then(() => racer.say('취소')).then(() => racer.text()),
      ]);
      const receipt = /접수번호: (\d{4}-\d{6})/.exec(submitted)?.[1] ?? /접수번호: (\d{4}-\d{6})/.exec(cancelled)?.[1];
      const saidCancelled = cancelled.startsWith('신고를 취소했습니다') || submitted.includes('신고를 취소했습니다');
      const stored = await app.repos.reports.latestOfReporter('kakao', user.id, 5);
      expect(receipt !== undefined && saidCancelled, `both succeeded: ${submitted} / ${cancelled}`).to.equal(false);
      if (receipt) expect(stored.map((s) => s.ref.receiptNo)).to.deep.equal([receipt]);
      else expect(stored, 'cancelled: nothing filed').to.have.length(0);
    }
  });

  it('applies 20 simultaneous consultations in order, each 200 with exactly its history entry', async () => {
    await addUser({ config: testConfig(), repos: app.repos }, `staff-race-${seq}`, 'staff');
    const staff = apiClient(app.baseUrl, await tokenOf(app.baseUrl, `staff-race-${seq}`));
    const staff2 = apiClient(second.baseUrl, await tokenOf(second.baseUrl, `staff-race-${seq}`));
    const report = await file(app.repos, partnerId, new Date());
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? staff : staff2).act(report.receiptNo, { type: 'consult', result: `상담 기록 ${i}` }),
      ),
    );
    const ok = results.flatMap((r, i) => (r.status === 200 ? [`상담 기록 ${i}`] : []));
    expect(results.every((r) => r.status === 200 || r.status === 409)).to.equal(true);
    const stored = (await staff.get(`/api/reports/${report.receiptNo}`)).json;
    const consults = stored.history
      .filter((h: { action: string }) => h.action === 'consult')
      .map((h: { note: string }) => h.note);
    expect([...consults].sort()).to.deep.equal([...ok].sort());
    expect(consults).to.have.length(20);
    expect(stored.consultation.result).to.equal(consults.at(-1));
  });

  it('keeps every one of 11 simultaneous assignments to different dongs, the last applied winning', async () => {
    const staff = apiClient(app.baseUrl, await tokenOf(app.baseUrl, `staff-race-${seq}`));
    const dongs =
      app.repos &&
      (await import('../../src/domain/district'))
        .loadDistrict('seodaemun')
        .dongs.slice(0, 11)
        .map((d) => d.code);
    const report = await file(app.repos, partnerId, new Date());
    const results = await Promise.all(
      dongs.map((dongCode) => staff.act(report.receiptNo, { type: 'assign', dongCode })),
    );
    expect(results.map((r) => r.status)).to.deep.equal(dongs.map(() => 200));
    const stored = (await staff.get(`/api/reports/${report.receiptNo}`)).json;
    const assigns = stored.history.filter((h: { action: string }) => h.action === 'assign');
    expect(assigns.map((h: { to: string }) => h.to).sort()).to.deep.equal([...dongs].sort());
    expect(stored.assignedDong.code).to.equal(assigns.at(-1).to);
    // each entry's "from" is the previous entry's "to": they were applied one after another
    for (let i = 1; i < assigns.length; i++) expect(assigns[i].from).to.equal(assigns[i - 1].to);
  });

  it('gives unique receipts to reporters filing at once through two instances on one database', async function () {
    this.timeout(240_000);
    const users = await Promise.all(
      Array.from({ length: 10 }, (_, i) => linkedUser(i % 2 ? app.baseUrl : second.baseUrl)),
    );
    await Promise.all(
      users.map(async (u, i) => {
        u.patient = true;
        await fillReport(u, { name: `두서버${String.fromCharCode(0xac00 + i)}` });
        await u.press('접수');
      }),
    );
    const receipts = users.map((u) => /접수번호: (\d{4}-\d{6})/.exec(u.text())?.[1]);
    expect(receipts).to.not.include(undefined);
    expect(new Set(receipts).size).to.equal(10);
    for (const [i, u] of users.entries()) {
      const stored = await app.repos.reports.byReceiptNo('seodaemun', receipts[i]!);
      expect(stored!.reporter.userId).to.equal(u.id);
    }
  });

  it('takes every answer of one person whose messages alternate between two instances', async () => {
    // Each instance starts a turn from what it last knew of the conversation: the other's answers
    // in between must be seen, or the next answer would be refused or meet the wrong question.
    const user = await linkedUser();
    const viaBoth = Object.assign(Object.create(user) as KakaoUser, { turns: 0 });
    viaBoth.say = (text, extra) => {
      user.baseUrl = viaBoth.turns++ % 2 ? second.baseUrl : app.baseUrl;
      return user.say(text, extra);
    };
    await fillReport(viaBoth, { name: '박번갈' });
    await viaBoth.press('접수');
    expect(viaBoth.turns).to.be.greaterThan(10);
    const receipt = /접수번호: (\d{4}-\d{6})/.exec(user.text())?.[1];
    expect(receipt, user.text()).to.be.a('string');
    const stored = await second.repos.reports.byReceiptNo('seodaemun', receipt!);
    expect(stored!.person.name).to.equal('박번갈');
    expect(stored!.person.phone).to.equal('010-1234-5678');
    expect(stored!.situation).to.contain('전기요금');
  });

  it('answers a re-prompt from where the conversation is after the other instance moved it on', async () => {
    // The first instance last saw the age question; the second took the age. A symbols-only
    // message to the first is refused without a write: the re-prompt must be the phone question.
    const user = await linkedUser();
    await toTheNameQuestion(user);
    await user.say('김번갈');
    expect(user.text()).to.contain(msg.askAge);
    user.baseUrl = second.baseUrl;
    await user.say('70대');
    expect(user.text()).to.contain(msg.askPhone);
    user.baseUrl = app.baseUrl;
    await user.say('!!!');
    expect(user.text()).to.contain(INPUT_GUARD_TEXTS.onlySymbols);
    expect(user.text()).to.contain(msg.askPhone);
    expect(user.text()).not.to.contain(msg.askAge);
    await user.say('010 2345 6789');
    expect(user.text()).to.contain(msg.askSituation);
    expect(user.text()).not.to.contain(msg.lostRace);
    const state = await second.repos.conversations.current({ channel: 'kakao', userId: user.id });
    expect(state!.data).to.include({ name: '김번갈', phone: '010-2345-6789' });
  });

  it("takes a person's next answer on the instance that took the last one without reading the conversation back", async () => {
    const user = await linkedUser(second.baseUrl);
    await user.say('신고');
    await user.press('빠른 확인 필요');
    secondFinds.length = 0;
    await user.say('홍제3동 문화촌아파트 101동');
    await user.press('맞음');
    await user.press('공과금 체납·단전·단수');
    expect(user.text()).to.contain('공과금 체납·단전·단수');
    expect(secondFinds.filter((c) => c.startsWith('conversation'))).to.deep.equal([]);
  });

  it('stores any situation the chat accepts: 600 emoji are 600 characters, not 1,200', async () => {
    const user = await linkedUser();
    user.patient = true;
    await user.say('신고');
    await user.press('일반');
    await user.say('홍제3동 12');
    await user.press('맞음');
    await user.press('공과금 체납·단전·단수');
    await user.press('선택 완료');
    await user.say('모름');
    await user.say('모름');
    await user.say('모름');
    // words and 600 emoji (emoji alone get the "symbols only" re-prompt)
    await user.say(`도와주세요 ${'😢'.repeat(600)}`);
    await user.press('접수');
    const receipt = /접수번호: (\d{4}-\d{6})/.exec(user.text())?.[1];
    expect(receipt, user.text()).to.be.a('string');
    expect((await app.repos.reports.byReceiptNo('seodaemun', receipt!))!.situation).to.equal(
      `도와주세요 ${'😢'.repeat(600)}`,
    );
  });
});
