import { expect } from 'chai';
import { withinDeadline, type TurnHandler } from '../../adapters/turn-kit';
import { reportEngine } from '../../flows/report/report-engine';
import { msg } from '../../flows/report/messages';
import type { StateStore } from '../../flows/state-store';
import type { Incoming } from '../../flows/types';
import { reportFlowServices } from '../../src/chat-services';
import { openRepositories, ensureIndexes } from '../../src/repositories';
import { testConfig } from '../support/app';
import { testDatabase } from '../support/database';

/**
 * A turn whose reply the person never got must not steer their next message. The store is the
 * real one on FerretDB; only its write is held up, as a database freezing mid-turn would.
 */
describe('a turn that misses the channel deadline', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let repos: ReturnType<typeof openRepositories>;
  let partnerId: string;
  let seq = 0;

  before(async () => {
    db = await testDatabase('engine_deadline');
    repos = openRepositories(db.connection);
    await ensureIndexes(repos);
    partnerId = (await repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() })).id;
  });
  after(() => db.drop());

  /** The engine over the real store, whose next write is held `ms` before (or after) it reaches the database. */
  function engineWithSlowWrite(when: 'before' | 'after', ms: number) {
    let armed = false;
    let readArmed = false;
    const real = repos.conversations;
    const store: StateStore = {
      async read(k) {
        const record = await real.read(k);
        if (readArmed) {
          readArmed = false;
          await new Promise((r) => setTimeout(r, ms));
        }
        return record;
      },
      async write(k, v, rev) {
        if (!armed) return real.write(k, v, rev);
        armed = false;
        if (when === 'before') await new Promise((r) => setTimeout(r, ms));
        const done = await real.write(k, v, rev);
        if (when === 'after') await new Promise((r) => setTimeout(r, ms));
        return done;
      },
    };
    const engine = reportEngine({
      services: reportFlowServices({ config: testConfig(), repos }),
      store,
      idleTtlMs: 86_400_000,
    });
    const handler: TurnHandler = Object.assign((i: Incoming, s: AbortSignal) => engine.turn(i, s), {
      unanswered: (i: Incoming, s: AbortSignal) => engine.unanswered(i, s),
    });
    return { handler, arm: () => (armed = true), armRead: () => (readArmed = true) };
  }

  async function atAddressStep(handler: TurnHandler): Promise<Incoming> {
    const userId = `deadline-${++seq}`;
    await repos.identities.link('kakao', userId, partnerId, new Date());
    await repos.identities.setContact('kakao', userId, { name: '김집배', phone: '010-9876-5432' });
    await withinDeadline(handler, { channel: 'kakao', userId, text: '신고' }, 5_000);
    const said = await withinDeadline(handler, { channel: 'kakao', userId, text: '일반' }, 5_000); // urgency comes first
    expect(said.reply.texts.join('\n')).to.contain('주소');
    return { channel: 'kakao', userId, text: '홍제3동 문화촌아파트 101동' };
  }

  it('says the answer was not taken when the fence holds, and then the retry is taken', async () => {
    const { handler, arm } = engineWithSlowWrite('before', 600);
    const address = await atAddressStep(handler);
    arm();
    const late = await withinDeadline(handler, address, 150);
    expect(late.kind).to.equal('late');
    expect(late.reply.texts[0]).to.equal(msg.lateKept);
    await new Promise((r) => setTimeout(r, 800)); // the held write arrives after the fence, and loses
    expect((await repos.conversations.current(address))!.stepId).to.equal('address');
    const retry = await withinDeadline(handler, address, 5_000);
    expect(retry.reply.texts.join('\n')).to.contain('홍제3동 주민센터 관할');
  });

  it('shows where the conversation went before taking anything, when the late write landed', async () => {
    const { handler, arm } = engineWithSlowWrite('after', 600);
    const address = await atAddressStep(handler);
    arm();
    const late = await withinDeadline(handler, address, 150);
    expect(late.reply.texts[0]).to.equal(msg.lateUnsure);
    expect(late.reply.texts.join('\n')).not.to.contain('그대로 있습니다');
    await new Promise((r) => setTimeout(r, 800));
    // The person sends the address again: it is not read as the answer to the dong question.
    const next = await withinDeadline(handler, address, 5_000);
    expect(next.reply.texts[0]).to.equal(msg.movedOnUnseen);
    expect(next.reply.texts.join('\n')).to.contain('홍제3동 주민센터 관할');
    expect((await repos.conversations.current(address))!.stepId).to.equal('dongConfirm');
    // and the message after that is an ordinary answer again
    const confirmed = await withinDeadline(handler, { ...address, text: '맞음' }, 5_000);
    expect(confirmed.reply.texts.join('\n')).to.contain('위기 징후');
  });

  it('still shows where the conversation went when the turn that would have shown it also missed the deadline', async () => {
    const { handler, arm, armRead } = engineWithSlowWrite('after', 600);
    const address = await atAddressStep(handler);
    arm();
    const late = await withinDeadline(handler, address, 150);
    expect(late.reply.texts[0]).to.equal(msg.lateUnsure);
    await new Promise((r) => setTimeout(r, 800));
    // The retry would show "moved on", but its reply is lost too (a busy machine).
    armRead();
    const lostAgain = await withinDeadline(handler, address, 150);
    expect(lostAgain.kind).to.equal('late');
    expect(lostAgain.reply.texts[0]).to.equal(msg.lateKept);
    await new Promise((r) => setTimeout(r, 800));
    // The third try is still not read as the answer to the dong question nobody saw.
    const next = await withinDeadline(handler, address, 5_000);
    expect(next.reply.texts[0]).to.equal(msg.movedOnUnseen);
    expect(next.reply.texts.join('\n')).to.contain('홍제3동 주민센터 관할');
    expect((await repos.conversations.current(address))!.stepId).to.equal('dongConfirm');
  });
});
