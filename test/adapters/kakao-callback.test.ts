import { expect } from 'chai';
import { CALLBACK_WAIT, type SkillResponse } from '../../adapters/kakao';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { CaptureServer } from '../support/capture-server';
import { testDatabase } from '../support/database';
import { giveContact, KakaoUser, postSkill, skillBody } from '../support/kakao-client';

type Answer = SkillResponse & { useCallback?: boolean; data?: { text: string } };
const textOf = (r: SkillResponse) =>
  r.template.outputs.map((o) => ('simpleText' in o ? o.simpleText.text : o.textCard.description)).join('\n');

/**
 * Kakao's AI-chatbot callback (issue 22): a turn that will miss the budget answers useCallback at
 * once and posts the real reply to userRequest.callbackUrl — here a local stand-in. The slow turn
 * is an address lookup whose geocoder waits until the test lets it go (no timing in the test).
 */
describe('Kakao skill: slow turns answered through the callback URL', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let kakao: CaptureServer;
  let inviteCode: string;
  let gate: Promise<void> | undefined;
  let seq = 0;

  before(async () => {
    db = await testDatabase('kakao_callback');
    kakao = await new CaptureServer(() => ({
      json: { taskId: 't-1', status: 'SUCCESS', message: 'OK', timestamp: 0 },
    })).start();
    app = await startTestApp(db.connection, {
      config: testConfig({ KAKAO_REPLY_BUDGET_MS: '500', KAKAO_CALLBACK_ORIGINS: kakao.baseUrl }),
      geocoder: async () => {
        await gate;
        return undefined;
      },
    });
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    inviteCode = formatInviteCode(partner.inviteCode);
  });
  after(async () => {
    await app.close();
    await kakao.close();
    await db.drop();
  });

  /** A linked user at the address question. */
  async function atAddress(): Promise<KakaoUser> {
    const user = new KakaoUser(app.baseUrl, `cb-user-${++seq}`);
    await user.say('신고');
    await user.say(inviteCode);
    await giveContact(user);
    await user.press('일반');
    expect(user.text()).to.contain('2/8');
    return user;
  }
  const slowAnswer = async (user: KakaoUser, callbackUrl?: string): Promise<Answer> => {
    const body = skillBody(user.id, '연희로 248');
    if (callbackUrl) (body.userRequest as Record<string, unknown>).callbackUrl = callbackUrl;
    const res = await postSkill(app.baseUrl, body);
    expect(res.status).to.equal(200);
    return (await res.json()) as Answer;
  };

  it('answers useCallback at once and posts the real reply to the callback URL when the turn is slow', async () => {
    const user = await atAddress();
    let release!: () => void;
    gate = new Promise((r) => (release = r));
    const from = kakao.calls.length;
    const first = await slowAnswer(user, `${kakao.baseUrl}/v1/bots/callback/abc?token=1`);
    expect(first).to.deep.equal({ version: '2.0', useCallback: true, data: { text: CALLBACK_WAIT } });
    release();
    const posted = await kakao.next(from, (c) => c.path.startsWith('/v1/bots/callback/abc'));
    expect(posted.method).to.equal('POST');
    const reply = posted.body as unknown as SkillResponse;
    expect(reply.version).to.equal('2.0');
    expect(textOf(reply)).to.contain('담당 주민센터를 찾지 못했습니다');
    // the conversation moved on with it: the dong question is where the person is
    gate = undefined;
    await user.say('모름');
    expect(user.text()).to.contain('관할 동은 콜센터에서 확인해 배정합니다');
  });

  it('answers at once, with no callback, when the turn is quick', async () => {
    const user = await atAddress();
    gate = undefined;
    const from = kakao.calls.length;
    const res = await postSkill(app.baseUrl, {
      ...skillBody(user.id, '홍제3동 문화촌아파트'),
      userRequest: {
        ...skillBody(user.id, '홍제3동 문화촌아파트').userRequest,
        callbackUrl: `${kakao.baseUrl}/v1/bots/callback/quick`,
      },
    });
    const answer = (await res.json()) as Answer;
    expect(answer.useCallback).to.equal(undefined);
    expect(textOf(answer)).to.contain('홍제3동 주민센터 관할');
    expect(kakao.calls.slice(from)).to.deep.equal([]);
  });

  it('keeps the honest "try again" without a callback URL, or with one outside the allowed origins', async () => {
    for (const url of [undefined, 'http://127.0.0.1:9/v1/bots/callback/evil', 'https://example.com/cb']) {
      const user = await atAddress();
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      const from = kakao.calls.length;
      const answer = await slowAnswer(user, url);
      expect(answer.useCallback, String(url)).to.equal(undefined);
      expect(textOf(answer)).to.contain('잠시 후 다시 시도해 주세요');
      release();
      gate = undefined;
      expect(kakao.calls.slice(from)).to.deep.equal([]);
    }
  });
});
