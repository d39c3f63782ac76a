import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import type { Report } from '../../src/domain/report/report';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { testDatabase } from '../support/database';
import { fileKakaoTwin, fillReport, giveContact } from '../support/kakao-client';
import { cookieValue, WebUser } from '../support/web-client';
import { storedCount } from '../../src/store/report/inspect';

const SECRET = 'webchat-test-cookie-secret-0123456789abcdef';

/** The id inside a cookie-parser signed cookie ("s:<id>.<signature>"). */
const idOf = (cookie: string) => /^s:([^.]+)\./.exec(cookieValue(cookie))![1]!;
/** Signs a value the way the server does, with a given secret (cookie-signature: HMAC-SHA256, base64 without "="). */
const sign = (value: string, secret: string) =>
  `sagak_webchat=${encodeURIComponent(`s:${value}.${createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '')}`)}`;

describe('Web chat (Botkit web adapter), end to end over HTTP and FerretDB', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let inviteCode: string;

  before(async () => {
    db = await testDatabase('webchat_intake');
    app = await startTestApp(db.connection, { config: testConfig({ WEBCHAT_COOKIE_SECRET: SECRET }) });
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    inviteCode = formatInviteCode(partner.inviteCode);
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  async function linkedWebUser(): Promise<WebUser> {
    const user = new WebUser(app.baseUrl);
    await user.hello();
    await user.press('신고');
    expect(user.text()).to.contain('초대 코드를 입력해 주세요');
    await user.say(inviteCode);
    expect(user.text()).to.contain('서대문우체국 소속으로 등록되었습니다');
    await giveContact(user);
    await user.press('일반'); // the first question of the report: now at the address
    return user;
  }

  const conversationOf = (user: WebUser) =>
    app.repos.conversations.current({ channel: 'web', userId: idOf(user.cookie!) });

  it('serves the chat page with labelled controls, a live log and a strict content policy', async () => {
    const res = await fetch(`${app.baseUrl}/chat`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-security-policy')).to.contain("script-src 'self'");
    const html = await res.text();
    expect(html).to.contain('<html lang="ko">');
    expect(html).to.contain('서대문구 복지사각지대 신고');
    expect(html).to.match(/role="log" aria-live="polite"/);
    expect(html).to.match(/<label for="message"[^>]*>메시지 입력<\/label>/);
    expect(html).to.contain('<button id="send" type="submit">보내기</button>');
    const js = await fetch(`${app.baseUrl}/chat/chat.js`);
    expect(js.headers.get('content-type')).to.match(/javascript/);
    const source = await js.text();
    expect(source).to.contain('textContent');
    expect(source).not.to.match(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });

  it('greets a new browser with buttons and a signed, httpOnly, SameSite identity cookie', async () => {
    const user = new WebUser(app.baseUrl);
    const res = await user.post({ type: 'hello' });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).to.match(/^sagak_webchat=s%3A[A-Za-z0-9_-]{22}\./);
    expect(cookie).to.match(/HttpOnly/i);
    expect(cookie).to.match(/SameSite=Strict/i);
    expect(cookie).to.match(/Path=\/chat/);
    const replies = (await res.json()) as { text: string; quick_replies?: { title: string }[] }[];
    expect(replies.map((r) => r.text).join('\n')).to.contain('"신고"를');
    expect(replies.at(-1)!.quick_replies!.map((q) => q.title)).to.deep.equal(['신고', '조회', '도움말']);
  });

  it('files a complete report after linking with an invite code, stored like a KakaoTalk report', async () => {
    const user = await linkedWebUser();
    await user.say('취소');
    await fillReport(user);
    expect(user.text()).to.contain('신고 내용을 확인해 주세요');
    await user.press('접수');
    const receipt = /접수번호: (\d{4}-\d{6})/.exec(user.text())?.[1];
    expect(receipt, user.text()).to.match(/^\d{4}-\d{6}$/);
    const web = (await app.repos.reports.byReceiptNo('seodaemun', receipt!))!;
    expect(web.reporter).to.deep.equal({ channel: 'web', userId: idOf(user.cookie!) });
    expect(await conversationOf(user)).to.equal(undefined);

    // The same answers through KakaoTalk give the same stored report, but for ids, times and the channel.
    const kakaoReceipt = await fileKakaoTwin(app.baseUrl, inviteCode, 'kakao-twin');
    const viaKakao = (await app.repos.reports.byReceiptNo('seodaemun', kakaoReceipt))!;
    const comparable = (r: Report) => {
      const {
        id: _i,
        receiptNo: _r,
        submissionId: _s,
        receivedAt: _t,
        reporter: _u,
        duplicateOf: _d,
        duplicateState: _ds,
        history,
        ...rest
      } = r;
      return { ...rest, history: history.map(({ at: _a, ...h }) => h) };
    };
    expect(comparable(web)).to.deep.equal(comparable(viaKakao));
    // The same address twice within 30 days: the later report is linked to the earlier for staff.
    expect(viaKakao).to.include({ duplicateOf: web.receiptNo, duplicateState: 'suspected' });
    expect(web.address).to.deep.include({ dongName: '홍제3동', resolvedBy: 'dong-name' });
    expect(web.person).to.deep.equal({
      name: '홍길동',
      age: { kind: 'decade', value: 70 },
      phone: '010-1234-5678',
      sex: null,
    });

    await user.say('조회');
    expect(user.text()).to.contain(receipt!);
  });

  it('shows where the conversation is after a page reload (same cookie), and continues from there', async () => {
    const user = await linkedWebUser();
    await user.say('연희동 123-4');
    expect(user.text()).to.contain('주민센터 관할');
    const before = await conversationOf(user);
    await user.hello(); // what the page sends on load
    expect(user.text()).to.contain('주민센터 관할로 확인됩니다. 맞습니까?');
    expect(user.labels()).to.include('맞음');
    const after = await conversationOf(user);
    expect(after).to.deep.equal(before);
    await user.press('맞음');
    expect(user.text()).to.contain('3/8');
  });

  it('never lets a forged cookie or a browser-sent user id reach another conversation', async () => {
    const victim = await linkedWebUser();
    await victim.say('홍제3동 문화촌아파트 101동');
    const victimId = idOf(victim.cookie!);
    const victimState = await conversationOf(victim);
    expect(victimState!.stepId).to.equal('dongConfirm');

    const attempts: { name: string; cookie: string | null; body: Record<string, unknown> }[] = [
      { name: 'unsigned id', cookie: `sagak_webchat=${victimId}`, body: { type: 'message', text: '맞음' } },
      {
        name: 'wrong signature',
        cookie: `sagak_webchat=${encodeURIComponent(`s:${victimId}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`)}`,
        body: { type: 'message', text: '맞음' },
      },
      {
        name: 'signed with another secret',
        cookie: sign(victimId, 'some-other-secret-0123456789abcdefghij'),
        body: { type: 'message', text: '맞음' },
      },
      {
        name: 'user id in the body',
        cookie: null,
        body: { type: 'message', text: '맞음', user: victimId, channel: victimId },
      },
    ];
    for (const attempt of attempts) {
      const attacker = new WebUser(app.baseUrl);
      const res = await attacker.post(attempt.body, { cookie: attempt.cookie });
      expect(res.status, attempt.name).to.equal(200);
      const issued = res.headers.get('set-cookie')!.split(';')[0]!;
      expect(idOf(issued), attempt.name).not.to.equal(victimId);
      const text = ((await res.json()) as { text: string }[]).map((r) => r.text).join('\n');
      expect(text, attempt.name).to.contain('"신고"를'); // a stranger's idle greeting, not the victim's step
      expect(text, attempt.name).not.to.contain('3/8');
    }
    expect(await conversationOf(victim)).to.deep.equal(victimState);
    await victim.press('맞음');
    expect(victim.text()).to.contain('3/8');
  });

  it('processes a re-delivered message (same client id) once', async () => {
    const user = await linkedWebUser();
    await user.say('홍제3동 문화촌아파트 101동');
    await user.press('맞음');
    const sign = user.buttons().find((b) => b.title === '공과금 체납·단전·단수')!;
    const message = { type: 'message', text: sign.title, choice: sign.payload, clientId: user.nextClientId() };
    await user.send(message);
    expect(user.text()).to.contain('현재 선택: 공과금 체납·단전·단수');
    // A second delivery would toggle the sign off again if it were run.
    await user.send(message);
    expect(user.text()).to.contain('현재 선택: 공과금 체납·단전·단수');
    expect(((await conversationOf(user))!.data as { signs: string[] }).signs).to.deep.equal(['utility_arrears']);
    await user.send({ ...message, clientId: user.nextClientId() }); // a new press is a new message
    expect(user.text()).to.contain('현재 선택: 없음');
  });

  it('reaches the same state by pressing a button or typing its label; a typed number is not a choice on the web', async () => {
    const users = await Promise.all([linkedWebUser(), linkedWebUser(), linkedWebUser()]);
    for (const u of users) {
      await u.say('홍제3동 문화촌아파트 101동');
      await u.press('맞음');
    }
    const [pressed, typed, numbered] = users as [WebUser, WebUser, WebUser];
    await pressed.press('우편물·전단지 적체');
    await typed.say('우편물·전단지 적체');
    // the web shows buttons, never a numbered list: a typed number is text, re-prompted, nothing toggled
    const index = numbered.labels().indexOf('우편물·전단지 적체') + 1;
    await numbered.say(String(index));
    expect(numbered.text()).to.contain('아래 버튼에서 위기 징후를 눌러');
    expect(((await conversationOf(numbered))!.data as { signs: string[] }).signs).to.deep.equal([]);
    await numbered.say('우편물·전단지 적체');
    const states = await Promise.all(users.map((u) => conversationOf(u)));
    const essence = (s: Awaited<ReturnType<typeof conversationOf>>) => {
      const { submissionId: _s, ...data } = s!.data as Record<string, unknown>;
      return { stepId: s!.stepId, data };
    };
    expect(essence(states[0])).to.deep.equal(essence(states[1]));
    expect(essence(states[0])).to.deep.equal(essence(states[2]));
    expect((states[0]!.data as { signs: string[] }).signs).to.deep.equal(['mail_piled']);
    expect(pressed.text()).to.equal(typed.text());
  });

  describe('bad input', () => {
    const cases: { name: string; body?: unknown; raw?: string; contentType?: string; status: number; error: string }[] =
      [
        { name: 'malformed JSON', raw: '{"type":"message","text":', status: 400, error: 'bad_request' },
        { name: 'not an object', raw: '"신고"', status: 400, error: 'bad_request' },
        { name: 'text of the wrong type', body: { type: 'message', text: 42 }, status: 400, error: 'bad_request' },
        { name: 'an unknown type', body: { type: 'identify', text: '신고' }, status: 400, error: 'bad_request' },
        {
          name: 'a bad client id',
          body: { type: 'message', text: '신고', clientId: '../../$where' },
          status: 400,
          error: 'bad_request',
        },
        {
          name: 'a form post instead of JSON',
          raw: 'type=message&text=%EC%8B%A0%EA%B3%A0',
          contentType: 'application/x-www-form-urlencoded',
          status: 400,
          error: 'bad_request',
        },
        {
          name: 'a body over 64 kB',
          body: { type: 'message', text: 'a'.repeat(70_000) },
          status: 413,
          error: 'too_large',
        },
      ];
    for (const c of cases) {
      it(`answers ${c.status} JSON for ${c.name}, issues no identity and stores nothing`, async () => {
        const user = await linkedWebUser();
        const before = await conversationOf(user);
        const counts = await Promise.all([
          db.connection.collection('conversations').countDocuments(),
          storedCount(app.connection, 'working'),
        ]);
        const res = await user.post(c.body ?? null, { raw: c.raw, contentType: c.contentType });
        expect(res.status).to.equal(c.status);
        expect(res.headers.get('content-type')).to.match(/application\/json/);
        const body = (await res.json()) as { error: string; message: string };
        expect(body.error).to.equal(c.error);
        expect(body.message).to.be.a('string').and.not.be.empty;
        expect(res.headers.get('set-cookie')).to.equal(null);
        expect(await conversationOf(user)).to.deep.equal(before);
        expect(
          await Promise.all([
            db.connection.collection('conversations').countDocuments(),
            storedCount(app.connection, 'working'),
          ]),
        ).to.deep.equal(counts);
      });
    }

    // What a person can type gets a polite Korean answer in a 200 reply, never a transport error.
    for (const [name, text, expected] of [
      ['empty text', '', '내용이 비어 있습니다'],
      ['blank text', '   \n ', '내용이 비어 있습니다'],
      ['5,000 characters', '가'.repeat(5000), '메시지가 너무 깁니다. (5,000자)'],
      ['only symbols', '?!?!', '기호나 이모티콘만으로는'],
    ] as const) {
      it(`re-prompts politely for ${name} and keeps the question`, async () => {
        const user = await linkedWebUser();
        const before = await conversationOf(user);
        await user.say(text);
        expect(user.text()).to.contain(expected);
        expect(user.text()).to.contain('2/8 위기 의심 가구의 주소');
        expect(await conversationOf(user)).to.deep.equal(before);
      });
    }
    it('re-prompts in the flow for an address over 200 characters', async () => {
      const user = await linkedWebUser();
      await user.say('가'.repeat(300));
      expect(user.text()).to.contain('주소가 너무 깁니다');
    });
  });
});

describe('Web chat when the database is gone', () => {
  it('answers "try again" as JSON instead of hanging or crashing, and keeps serving the page', async () => {
    const db = await testDatabase('webchat_down');
    const app = await startTestApp(db.connection, { config: testConfig({ WEBCHAT_COOKIE_SECRET: SECRET }) });
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const user = new WebUser(app.baseUrl);
      await user.hello();
      expect(user.text()).to.contain('"신고"를');
      await db.connection.close(); // every read and write now fails at once

      await user.say('신고'); // fails at the delivery claim, inside the Botkit handler
      expect(user.text()).to.contain('잠시 후 다시 시도해 주세요');
      await user.send({ type: 'message', text: '신고' }); // no client id: fails inside the turn
      expect(user.text()).to.contain('잠시 후 다시 시도해 주세요');
      await user.hello();
      expect(user.text()).to.contain('잠시 후 다시 시도해 주세요');
      expect((await fetch(`${app.baseUrl}/chat`)).status).to.equal(200);
      await new Promise((resolve) => setImmediate(resolve));
      expect(rejections).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      await app.close();
    }
  });
});

describe('Web chat configuration', () => {
  it('stays off in production without WEBCHAT_COOKIE_SECRET rather than signing with a throwaway secret', async () => {
    const db = await testDatabase('webchat_config');
    const app = await startTestApp(db.connection, { config: testConfig({ NODE_ENV: 'production' }) });
    try {
      expect((await fetch(`${app.baseUrl}/chat`)).status).to.equal(404);
      const res = await new WebUser(app.baseUrl).post({ type: 'hello' });
      expect(res.status).to.equal(404);
      expect(res.headers.get('set-cookie')).to.equal(null);
    } finally {
      await app.close();
      await db.drop();
    }
  });

  it('refuses a cookie secret shorter than 32 characters at start-up', () => {
    expect(() => testConfig({ WEBCHAT_COOKIE_SECRET: 'too-short' })).to.throw(
      /WEBCHAT_COOKIE_SECRET: at least 32 characters/,
    );
  });
});
