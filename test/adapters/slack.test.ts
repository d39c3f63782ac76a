import { expect } from 'chai';
import { slackTextToPlain, toSlackMessage } from '../../adapters/slack';
import { TRY_AGAIN } from '../../adapters/turn-kit';
import { choicesOf } from '../../flows/types';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { CaptureServer } from '../support/capture-server';
import { PhotoServer, photoPng } from '../support/photos';
import { testDatabase } from '../support/database';
import { fileKakaoTwin, fillReport, giveContact } from '../support/kakao-client';
import {
  dmEvent,
  nextEventId,
  postSlack,
  SlackUser,
  TEST_SLACK_BOT_TOKEN,
  TEST_SLACK_SIGNING_SECRET,
  TEST_SLACK_TEAM,
} from '../support/slack-client';

/** Every key path of a stored document, so two reports can be compared by shape. */
function shape(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || value instanceof Date || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => shape(v, prefix ? `${prefix}.${k}` : k));
}

describe('Slack channel through Bolt, signed over HTTP, on FerretDB', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let slackApi: CaptureServer;
  let inviteCode: string;
  let userSeq = 0;
  let config: ReturnType<typeof testConfig>;
  let files: PhotoServer;

  before(async () => {
    db = await testDatabase('slack_channel');
    files = await new PhotoServer().put('photo.png', photoPng(9)).start();
    slackApi = await new CaptureServer((call) => ({
      json: call.path.endsWith('/chat.postMessage')
        ? { ok: true, channel: call.body.channel, ts: `${Date.now() / 1000}` }
        : { ok: true },
    })).start();
    config = testConfig({
      SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET,
      SLACK_BOT_TOKEN: TEST_SLACK_BOT_TOKEN,
      SLACK_API_URL: `${slackApi.baseUrl}/api/`,
      PHOTO_FETCH_STAND_INS: `files.slack.com=${files.baseUrl}`,
    });
    app = await startTestApp(db.connection, { config });
    const partner = await app.repos.partners.create({ name: '서대문경찰서', kind: 'police', now: new Date() });
    inviteCode = formatInviteCode(partner.inviteCode);
  });
  after(async () => {
    await app.close();
    await slackApi.close();
    await files.close();
    await db.drop();
  });

  async function linkedUser(): Promise<SlackUser> {
    const user = new SlackUser(app.baseUrl, slackApi, `U0SLACK${++userSeq}`);
    await user.say('신고');
    expect(user.text()).to.contain('초대 코드를 입력해 주세요');
    await user.say(inviteCode);
    expect(user.text()).to.contain('서대문경찰서 소속으로 등록되었습니다');
    await giveContact(user);
    await user.say('취소');
    return user;
  }

  const repliesTo = (user: SlackUser) =>
    slackApi.callsTo('/chat.postMessage').filter((c) => c.body.channel === user.channel).length;

  it('files a complete report by DM and buttons, stored exactly like a KakaoTalk report', async () => {
    const user = await linkedUser();
    await fillReport(user);
    expect(user.text()).to.contain('신고 내용을 확인해 주세요');
    expect(user.labels()).to.include('접수');
    await user.press('접수');
    const receipt = /접수번호: (\d{4}-\d{6})/.exec(user.text())?.[1];
    expect(receipt, user.text()).to.match(/^\d{4}-\d{6}$/);
    // the reply went out with the bot token to the DM channel
    expect(user.last!.headers.authorization).to.equal(`Bearer ${TEST_SLACK_BOT_TOKEN}`);

    const stored = await app.repos.reports.byReceiptNo('seodaemun', receipt!);
    expect(stored!.address).to.deep.include({ dongCode: '1141064000', dongName: '홍제3동', resolvedBy: 'dong-name' });
    expect(stored!.signs).to.deep.equal(['utility_arrears', 'mail_piled']);
    expect(stored!.person).to.deep.equal({
      name: '홍길동',
      age: { kind: 'decade', value: 70 },
      phone: '010-1234-5678',
      sex: null,
    });
    expect(stored!.reporter).to.deep.include({ channel: 'slack', userId: user.flowUserId });
    expect(stored!.partner.name).to.equal('서대문경찰서');

    // the same answers through KakaoTalk give a report of the same shape
    const kakaoReceipt = await fileKakaoTwin(app.baseUrl, inviteCode, 'kakao-twin');
    const twin = await app.repos.reports.byReceiptNo('seodaemun', kakaoReceipt);
    expect(shape(stored).sort()).to.deep.equal(shape(twin).sort());
    expect(stored!.address).to.deep.equal(twin!.address);
    expect(stored!.signs).to.deep.equal(twin!.signs);
    expect(stored!.person).to.deep.equal(twin!.person);
    expect(stored!.urgency).to.equal(twin!.urgency);

    await user.say('조회');
    expect(user.text()).to.contain(receipt!);
  });

  it('refuses a forged or stale signature with 401 and changes nothing', async () => {
    const before = slackApi.calls.length;
    const body = JSON.stringify(dmEvent('U0FORGER', 'DU0FORGER', '신고'));
    const forged = await postSlack(app.baseUrl, body, 'application/json', { secret: 'not-the-signing-secret-at-all' });
    expect(forged.status).to.equal(401);
    const stale = await postSlack(app.baseUrl, body, 'application/json', {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(stale.status).to.equal(401);
    const unsigned = await fetch(`${app.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).to.equal(401);
    // a correctly signed delivery afterwards is the first thing this user ever sent
    const user = new SlackUser(app.baseUrl, slackApi, 'U0FORGER', 'DU0FORGER');
    await user.say('도움말');
    expect(slackApi.calls.slice(before).filter((c) => c.path.endsWith('/chat.postMessage'))).to.have.length(1);
    expect(await app.repos.conversations.current({ channel: 'slack', userId: user.flowUserId })).to.equal(undefined);
  });

  it('acknowledges a delivery before the reply is sent (Slack waits only 3 seconds)', async () => {
    const user = await linkedUser();
    const release = slackApi.hold((c) => c.path.endsWith('/chat.postMessage') && c.body.channel === user.channel);
    try {
      const from = slackApi.calls.length;
      const res = await postSlack(
        app.baseUrl,
        JSON.stringify(dmEvent(user.id, user.channel, '신고')),
        'application/json',
      );
      expect(res.status).to.equal(200); // answered while the Slack API call is still unanswered
      const pending = await slackApi.next(
        from,
        (c) => c.path.endsWith('/chat.postMessage') && c.body.channel === user.channel,
      );
      expect(JSON.stringify(pending.body.blocks)).to.contain('1/8 얼마나 급한가요');
    } finally {
      release();
    }
  });

  it('keeps a shared photo (url_private fetched with the bot token from files.slack.com only), never as an answer, and asks the same question', async () => {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('일반');
    const share = async (url: string) => {
      const event = dmEvent(user.id, user.channel, '이 집 사진입니다');
      const withFile = {
        ...event,
        event: {
          ...event.event,
          subtype: 'file_share',
          files: [{ id: 'F1', mimetype: 'image/png', url_private: url, name: 'photo.png' }],
        },
      };
      const from = slackApi.calls.length;
      expect((await postSlack(app.baseUrl, JSON.stringify(withFile), 'application/json')).status).to.equal(200);
      return JSON.stringify(
        (await slackApi.next(from, (c) => c.path.endsWith('/chat.postMessage') && c.body.channel === user.channel))
          .body,
      );
    };
    const requested = files.requests.length;
    expect(await share('https://files.slack.com/files-pri/T1-F1/photo.png'))
      .to.contain('사진을 받았습니다')
      .and.contain('2/8');
    expect(files.requests.slice(requested).map((r) => r.authorization)).to.deep.equal([
      `Bearer ${TEST_SLACK_BOT_TOKEN}`,
    ]);
    // a "file" elsewhere is never fetched, so the bot token never leaves Slack's host
    expect(await share(`${files.baseUrl}/files-pri/T1-F2/photo.png`))
      .to.contain('이 링크의 사진은 가져올 수 없습니다')
      .and.contain('2/8');
    expect(files.requests.length).to.equal(requested + 1);
    const state = await app.repos.conversations.current({ channel: 'slack', userId: user.flowUserId });
    expect(state && 'data' in state ? (state.data as { photoIds?: string[] }).photoIds : undefined).to.have.length(1);
  });

  it('answers the url_verification challenge', async () => {
    const res = await postSlack(
      app.baseUrl,
      JSON.stringify({ token: 't', challenge: 'chal-123', type: 'url_verification' }),
      'application/json',
    );
    expect(res.status).to.equal(200);
    expect(await res.text()).to.contain('chal-123');
  });

  it('processes a retried delivery (same event_id, X-Slack-Retry-Num) once', async () => {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('일반');
    await user.say('홍제3동 1-1');
    await user.press('맞음');
    expect(user.text()).to.contain('현재 선택: 없음');
    const eventId = nextEventId();
    const repliesBefore = repliesTo(user);
    await user.say('공과금 체납·단전·단수', { eventId }); // selects the sign; a second run would unselect it
    expect(user.text()).to.contain('현재 선택: 공과금 체납·단전·단수');
    const retry = await postSlack(
      app.baseUrl,
      JSON.stringify(dmEvent(user.id, user.channel, '공과금 체납·단전·단수', eventId)),
      'application/json',
      {
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      },
    );
    expect(retry.status).to.equal(200);
    // the next message is handled after the retry (one user's deliveries run in order)
    await user.say('도움말');
    expect(repliesTo(user) - repliesBefore).to.equal(2);
    expect(user.text()).to.contain('현재 선택: 공과금 체납·단전·단수');
    const state = await app.repos.conversations.current({ channel: 'slack', userId: user.flowUserId });
    expect((state!.data as { signs: string[] }).signs).to.deep.equal(['utility_arrears']);
  });

  it('leads a pressed button and the same answer typed to the same state', async () => {
    const pressing = await linkedUser();
    const typing = await linkedUser();
    for (const user of [pressing, typing]) {
      await user.say('신고');
      await user.press('일반');
      await user.say('충정로2가 185');
    }
    const from = slackApi.calls.length;
    await pressing.press('맞음');
    // the pressed question keeps its text and shows the choice instead of its buttons
    const updated = slackApi.calls.slice(from).find((c) => c.path.endsWith('/chat.update'));
    expect(updated!.body.channel).to.equal(pressing.channel);
    expect(updated!.body.ts).to.match(/^1700000000\.\d{6}$/);
    const blocks = updated!.body.blocks as { type: string; text?: { text: string }; elements?: { text: string }[] }[];
    expect(blocks.map((b) => b.type)).to.deep.equal(['section', 'context']);
    expect(blocks[0]!.text!.text).to.contain('충현동');
    expect(blocks[1]!.elements![0]!.text).to.equal('→ 맞음');
    await typing.say('맞음');
    await pressing.press('쓰레기 적치·악취');
    await typing.say('쓰레기 적치·악취');
    expect(pressing.text()).to.equal(typing.text());
    expect(pressing.labels()).to.deep.equal(typing.labels());
    const a = await app.repos.conversations.current({ channel: 'slack', userId: pressing.flowUserId });
    const b = await app.repos.conversations.current({ channel: 'slack', userId: typing.flowUserId });
    const { submissionId: _a, ...dataA } = a!.data as Record<string, unknown>;
    const { submissionId: _b, ...dataB } = b!.data as Record<string, unknown>;
    expect(a!.stepId).to.equal(b!.stepId);
    expect(dataA).to.deep.equal(dataB);
    expect(dataA.signs).to.deep.equal(['garbage_smell']);
  });

  it("ignores the bot's own messages and other bots", async () => {
    const user = await linkedUser();
    const before = repliesTo(user);
    const own = dmEvent(user.id, user.channel, '신고');
    const fromBot = { ...own, event: { ...own.event, user: 'U00000000', bot_id: 'B00000000', subtype: 'bot_message' } };
    expect((await postSlack(app.baseUrl, JSON.stringify(fromBot), 'application/json')).status).to.equal(200);
    await user.say('도움말');
    expect(repliesTo(user) - before).to.equal(1);
    expect(await app.repos.conversations.current({ channel: 'slack', userId: user.flowUserId })).to.equal(undefined);
  });

  it('keeps Block Kit limits: 25 buttons per actions block, 75-character labels, 3,000-character sections', () => {
    const labels = Array.from({ length: 30 }, (_, i) => `${i + 1}번 선택지 ${'가'.repeat(i === 0 ? 100 : 3)}`);
    const message = toSlackMessage({ texts: ['나'.repeat(7000), TRY_AGAIN], choices: choicesOf(...labels) });
    const actions = message.blocks.filter((b) => b.type === 'actions') as {
      elements: { text: { text: string }; value: string }[];
    }[];
    expect(actions.map((a) => a.elements.length)).to.deep.equal([25, 5]);
    expect([...actions[0]!.elements[0]!.text.text].length).to.equal(75);
    expect(actions[0]!.elements[0]!.value).to.equal(labels[0]); // the value is whole even when the label is cut
    const sections = message.blocks.filter((b) => b.type === 'section') as { text: { text: string } }[];
    expect(sections.map((s) => s.text.text.length)).to.deep.equal([3000, 3000, 1000, TRY_AGAIN.length]);
  });

  it("reads what the user typed, not Slack's markup: auto-linked phone numbers and escaped characters", async () => {
    expect(slackTextToPlain('<tel:01012345678|010 1234 5678>')).to.equal('010 1234 5678');
    expect(slackTextToPlain('&lt;script&gt; &amp; <https://example.kr> <mailto:a@b.kr|a@b.kr>')).to.equal(
      '<script> & https://example.kr a@b.kr',
    );
    const user = await linkedUser();
    await user.say('신고');
    await user.press('일반');
    await user.say('홍제3동 1-1');
    await user.press('맞음');
    await user.press('기타');
    await user.press('선택 완료');
    await user.say('홍길동');
    await user.say('70대');
    await user.say('<tel:01012345678|010 1234 5678>');
    expect(user.text()).to.contain('7/8 현장에서 보신 상황');
    const state = await app.repos.conversations.current({ channel: 'slack', userId: user.flowUserId });
    expect((state!.data as { phone: string }).phone).to.equal('010-1234-5678');
  });

  it('shows 112/119 as tel: links at once for 즉시 위험, and re-prompts a 5,000-character message politely', async () => {
    const user = await linkedUser();
    await user.say('신고');
    const from = slackApi.calls.length;
    await user.press('즉시 위험');
    const posted = slackApi.calls
      .slice(from)
      .filter((c) => c.path.endsWith('/chat.postMessage'))
      .at(-1)!;
    const blocks = posted.body.blocks as { type: string; text?: { type: string; text: string } }[];
    const calls = blocks.find((b) => b.text?.type === 'mrkdwn')!;
    expect(calls.text!.text).to.contain('<tel:112|112 경찰 전화>').and.contain('<tel:119|119 소방 전화>');
    expect(blocks[0]!.text!.text).to.contain('112(경찰) 또는 119(소방)');
    await user.say('가'.repeat(5000));
    expect(user.text()).to.contain('메시지가 너무 깁니다');
    expect(user.text()).to.contain('2/8 주소를 알려 주시면');
  });

  it('uses the workspace in the user id, so the same user id in two workspaces is two people', async () => {
    const user = await linkedUser();
    expect(await app.repos.identities.find('slack', `${TEST_SLACK_TEAM}:${user.id}`)).to.not.equal(undefined);
    expect(await app.repos.identities.find('slack', `T0OTHER:${user.id}`)).to.equal(undefined);
  });

  it('answers "잠시 후 다시 시도해 주세요" when the database is unreachable', async () => {
    const down = await testDatabase('slack_down');
    const other = await startTestApp(down.connection, { config });
    await down.connection.close();
    try {
      const user = new SlackUser(other.baseUrl, slackApi, 'U0DOWN');
      await user.say('신고');
      expect(user.text()).to.equal(TRY_AGAIN);
      expect(user.labels()).to.deep.equal([]);
    } finally {
      await other.close();
      await down.drop();
    }
  });
});
