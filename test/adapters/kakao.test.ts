import { expect } from 'chai';
import { toSkillResponse, type KakaoOutput } from '../../adapters/kakao';
import { startTestApp, type RunningApp } from '../support/app';
import { testDatabase } from '../support/database';
import { giveContact, KakaoUser, postSkill, skillBody } from '../support/kakao-client';
import { storedCount } from '../../src/store/report/inspect';
import { storedDocuments } from '../../src/store/inspect';

const textOf = (o: KakaoOutput) => ('simpleText' in o ? o.simpleText.text : o.textCard.description);

describe('Kakao skill endpoint', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;

  before(async () => {
    db = await testDatabase('kakao_adapter');
    app = await startTestApp(db.connection);
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  const countAll = async () =>
    (await app.repos.conversations.current({ channel: 'kakao', userId: 'probe' })) === undefined &&
    (await storedDocuments(db.connection, 'chatIdentities').count()) === 0 &&
    (await storedCount(app.connection, 'working')) === 0;

  it('refuses a request without the skill secret header, or with a wrong one, and stores nothing', async () => {
    const missing = await postSkill(app.baseUrl, skillBody('probe', '신고'), { 'X-Sagak-Skill-Secret': '' });
    expect(missing.status).to.equal(401);
    expect(await missing.json()).to.include({ error: 'unauthorized' });
    const wrong = await postSkill(app.baseUrl, skillBody('probe', '신고'), { 'X-Sagak-Skill-Secret': 'x'.repeat(28) });
    expect(wrong.status).to.equal(401);
    expect(await countAll()).to.equal(true);
  });

  it('answers bodies that are no skill request (bad JSON, no user) with HTTP 400 and a JSON error, changing nothing', async () => {
    const cases: unknown[] = [
      '{"userRequest":',
      { userRequest: { utterance: '신고', user: { id: '' } } },
      { userRequest: { utterance: '신고', user: null } },
      { userRequest: { utterance: '신고' } },
      [],
    ];
    for (const body of cases) {
      const res = await postSkill(app.baseUrl, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).to.equal(400);
      const json = (await res.json()) as { error: string; message: string };
      expect(json.error).to.equal('bad_request');
      expect(json.message).to.be.a('string').and.not.equal('');
    }
    const huge = await postSkill(app.baseUrl, JSON.stringify({ pad: 'x'.repeat(200_000) }));
    expect(huge.status).to.equal(413);
    expect(await countAll()).to.equal(true);
  });

  /**
   * Request bodies as Kakao's guides print them (the v2 SkillPayload page, the v1 skill guide, the
   * 지식+ example, the image plugin), each with what a person must see: the bot's answer, never a
   * skill error. Ids are placeholders as in the guides.
   */
  describe('reads every payload shape Kakao documents', () => {
    const user = (id: string) => ({ id, type: 'botUserKey', properties: { plusfriendUserKey: `pf_${id}` } });
    const guideExamples: [string, unknown][] = [
      [
        'the v1 guide: clientExtra and lang as the string "null"',
        {
          intent: { id: 'i1', name: '블록 이름' },
          userRequest: {
            timezone: 'Asia/Seoul',
            params: { ignoreMe: 'true' },
            block: { id: 'b1', name: '블록 이름' },
            utterance: '발화 내용',
            lang: 'null',
            user: user('v1-a'),
          },
          bot: { id: 'bot1', name: '봇 이름' },
          action: { name: '스킬 이름', clientExtra: 'null', params: {}, id: 's1', detailParams: {} },
        },
      ],
      [
        'clientExtra as JSON null, lang null, no contexts',
        {
          intent: { id: 'i1', name: '블록 이름' },
          userRequest: {
            timezone: 'Asia/Seoul',
            params: null,
            block: { id: 'b1', name: '블록 이름' },
            utterance: '발화 내용',
            lang: null,
            user: user('v1-b'),
          },
          bot: { id: 'bot1', name: '봇 이름' },
          action: { name: '스킬 이름', clientExtra: null, params: null, id: 's1', detailParams: null },
        },
      ],
      [
        'the v2 SkillPayload page: surface param, accountId user, empty clientExtra',
        {
          bot: { id: '<봇 id>', name: '<봇 이름>' },
          intent: { id: '<블록 id>', name: '<블록 이름>' },
          action: { id: '<스킬 id>', name: '<스킬 이름>', params: {}, detailParams: {}, clientExtra: {} },
          userRequest: {
            block: { id: '<블록 id>', name: '<블록 이름>' },
            user: { id: '<사용자 botUserKey>', type: 'accountId', properties: {} },
            utterance: '<사용자 발화>',
            params: { surface: 'Kakaotalk.plusfriend' },
            lang: 'kr',
            timezone: 'Asia/Seoul',
          },
          contexts: [],
        },
      ],
      [
        'the 지식+ match with intent.extra.knowledge',
        {
          bot: { id: 'bot1', name: '봇 이름' },
          intent: {
            id: 'k1',
            name: '지식+',
            extra: {
              reason: { code: 1, message: 'OK' },
              knowledge: {
                responseType: 'skill',
                matchedKnowledges: [
                  { categories: ['a', 'b'], question: '질문', answer: '답', imageUrl: '', landingUrl: '' },
                ],
              },
            },
          },
          action: { id: 's1', name: '스킬', params: {}, detailParams: {}, clientExtra: {} },
          userRequest: {
            block: { id: 'k1', name: '지식+' },
            user: user('kn'),
            utterance: '질문',
            params: { surface: 'BuilderBotTest' },
            lang: 'ko',
            timezone: 'Asia/Seoul',
          },
          contexts: [],
        },
      ],
      [
        'a block parameter with detailParams {origin, value, groupName} and numbers where strings are usual',
        {
          intent: { id: 'i1', name: '주문' },
          userRequest: {
            timezone: 'Asia/Seoul',
            params: { qty: 2 },
            block: { id: 'b1', name: '주문' },
            utterance: '두 개',
            lang: 'ko',
            user: { id: 12345, type: 'botUserKey', properties: null },
          },
          bot: { id: 'bot1', name: '데모' },
          action: {
            id: 's1',
            name: 'skill',
            clientExtra: '',
            params: { qty: '2', sys_number: 2 },
            detailParams: { qty: { origin: '두 개', value: '2', groupName: '' } },
          },
          contexts: [{ name: 'ctx', lifespan: 2, params: {} }],
          unknownTopLevel: { anything: [1, 2, 3] },
        },
      ],
      [
        'no action, no intent, utterance missing (an event block)',
        { userRequest: { user: user('ev'), block: { id: 'e', name: '이벤트' } }, bot: { id: 'bot1' } },
      ],
      [
        'clientExtra as a JSON string of an object, action as an array',
        { ...skillBody('str-extra', '안녕'), action: [] },
      ],
    ];
    for (const [name, body] of guideExamples) {
      it(name, async () => {
        const res = await postSkill(app.baseUrl, body);
        expect(res.status).to.equal(200);
        const json = (await res.json()) as { version: string; template: { outputs: KakaoOutput[] } };
        expect(json.version).to.equal('2.0');
        expect(json.template.outputs.map(textOf).join('\n')).to.contain('서대문구 복지사각지대 신고 채널');
      });
    }

    it('reads a quick reply whose clientExtra comes as a JSON string', async () => {
      const res = await postSkill(
        app.baseUrl,
        skillBody('json-extra', '신고', JSON.stringify({ value: '신고' }) as never),
      );
      expect(res.status).to.equal(200);
      const json = (await res.json()) as { template: { outputs: KakaoOutput[] } };
      expect(json.template.outputs.map(textOf).join('\n')).to.contain('초대 코드를 입력해 주세요');
    });
  });

  it('answers in the v2.0 SkillResponse format with quick replies carrying the choice value', async () => {
    const res = await postSkill(app.baseUrl, skillBody('format-user', '아무 말'));
    expect(res.status).to.equal(200);
    const json = await res.json();
    expect(json.version).to.equal('2.0');
    expect(json.template.outputs[0].simpleText.text).to.contain('서대문구 복지사각지대 신고 채널');
    expect(json.template.quickReplies).to.deep.include({
      label: '신고',
      action: 'message',
      messageText: '신고',
      extra: { value: '신고' },
    });
  });

  it("starts the flow from Open Builder's welcome block", async () => {
    const body = { ...skillBody('welcome-user', '시작하기'), intent: { id: 'w', name: '웰컴 블록' } };
    const res = await postSkill(app.baseUrl, body);
    const json = await res.json();
    expect(json.template.outputs[0].simpleText.text).to.contain('초대 코드를 입력해 주세요');
  });

  it('keeps a long dong list within Kakao limits and accepts its number typed', async () => {
    const partner = await app.repos.partners.create({ name: '서대문소방서', kind: 'other', now: new Date() });
    const user = new KakaoUser(app.baseUrl, 'list-user');
    await user.say('신고');
    await user.say(partner.inviteCode);
    await giveContact(user);
    await user.press('일반');
    await user.say('서대문구 어딘가 골목');
    const r = user.last!;
    expect(r.template.quickReplies!.length).to.be.at.most(10);
    expect(r.template.outputs.length).to.be.at.most(3);
    for (const q of r.template.quickReplies!) expect([...q.label].length).to.be.at.most(14);
    for (const o of r.template.outputs) expect(textOf(o).length).to.be.at.most(1000);
    expect(user.text()).to.contain('14. 북가좌2동');
    expect(user.text()).to.contain('(번호를 입력해도 됩니다)');
    await user.say('14');
    expect(user.text()).to.contain('북가좌2동 주민센터로 연결합니다');
  });

  it('says it is alive on /healthz and ready, with the database up, on /readyz', async () => {
    const res = await fetch(`${app.baseUrl}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ service: 'up', district: '서대문구' });
    const ready = await fetch(`${app.baseUrl}/readyz`);
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.deep.include({ ready: true, database: 'up', draining: false });
  });
});

describe('SkillResponse limits', () => {
  it('folds more than three texts and over-long text into at most three outputs of 1,000 characters', () => {
    const r = toSkillResponse({
      texts: ['a'.repeat(900), 'b'.repeat(900), 'c'.repeat(900), 'd'.repeat(900)],
      choices: [],
    });
    expect(r.template.outputs).to.have.length(3);
    for (const o of r.template.outputs) expect(textOf(o).length).to.be.at.most(1000);
    expect(textOf(r.template.outputs[2]!)).to.contain('이하 생략');
  });

  it('turns call choices into a text card of phone buttons after the first text, never into quick replies', () => {
    const r = toSkillResponse({
      texts: ['⚠️ 지금 전화하세요', '주소를 알려 주세요'],
      choices: [
        { label: '112 경찰 전화', value: 'call:112', call: '112' },
        { label: '119 소방 전화', value: 'call:119', call: '119' },
        { label: '모름', value: '모름' },
      ],
    });
    expect(r.template.outputs.map((o) => Object.keys(o)[0])).to.deep.equal(['simpleText', 'textCard', 'simpleText']);
    expect(r.template.outputs[1]).to.deep.equal({
      textCard: {
        description: '누르면 바로 전화가 연결됩니다.',
        buttons: [
          { label: '112 경찰 전화', action: 'phone', phoneNumber: '112' },
          { label: '119 소방 전화', action: 'phone', phoneNumber: '119' },
        ],
      },
    });
    expect(r.template.quickReplies!.map((q) => q.label)).to.deep.equal(['모름']);
  });

  it('cuts quick-reply labels to 14 characters but sends the whole label as the message', () => {
    const r = toSkillResponse({ texts: ['x'], choices: [{ label: '아주아주아주아주긴버튼이름입니다요', value: 'v' }] });
    expect([...r.template.quickReplies![0]!.label]).to.have.length(14);
    expect(r.template.quickReplies![0]!.messageText).to.equal('아주아주아주아주긴버튼이름입니다요');
  });
});
