import { expect } from 'chai';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { CaptureServer } from '../support/capture-server';
import { addUser, apiClient, tokenOf } from '../support/console';
import { testDatabase } from '../support/database';
import { fileKakaoTwin, fillReport, giveContact, KakaoUser, type ChatUser } from '../support/kakao-client';
import { SlackUser, TEST_SLACK_BOT_TOKEN, TEST_SLACK_SIGNING_SECRET } from '../support/slack-client';
import { TelegramUser, TEST_TELEGRAM_BOT_TOKEN, TEST_TELEGRAM_SECRET } from '../support/telegram-client';
import { WebUser } from '../support/web-client';

// What a careless copy-paste or an attacker types: NUL, a right-to-left override, zero-width
// characters, and the name in decomposed jamo (combining marks).
const DIRTY_ADDRESS = '서울 서대문구 홍제3동\u0000 문화촌\u202E아파트\u200B 101동';
const CLEAN_ADDRESS = '서울 서대문구 홍제3동 문화촌아파트 101동';
const DIRTY_NAME = `${'홍길동'.normalize('NFD')}\u200D\u2066`;

describe('text at every boundary: each channel and the console store the same clean text', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let api: CaptureServer;
  let inviteCode: string;
  let twin: string;

  before(async () => {
    db = await testDatabase('text_channels');
    let messageId = 0;
    api = await new CaptureServer((call) => {
      if (call.path.endsWith('/sendMessage')) {
        return {
          json: {
            ok: true,
            result: {
              message_id: ++messageId,
              date: 0,
              chat: { id: call.body.chat_id, type: 'private' },
              text: call.body.text,
            },
          },
        };
      }
      if (call.path.endsWith('/chat.postMessage'))
        return { json: { ok: true, channel: call.body.channel, ts: `${Date.now() / 1000}` } };
      return { json: { ok: true, result: true } };
    }).start();
    const config = testConfig({
      SLACK_SIGNING_SECRET: TEST_SLACK_SIGNING_SECRET,
      SLACK_BOT_TOKEN: TEST_SLACK_BOT_TOKEN,
      SLACK_API_URL: `${api.baseUrl}/api/`,
      TELEGRAM_BOT_TOKEN: TEST_TELEGRAM_BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TEST_TELEGRAM_SECRET,
      TELEGRAM_API_ROOT: api.baseUrl,
      WEBCHAT_COOKIE_SECRET: 'w'.repeat(40),
    });
    app = await startTestApp(db.connection, { config });
    await addUser({ config, repos: app.repos }, 'textstaff', 'staff');
    const partner = await app.repos.partners.create({ name: '서대문우체국', kind: 'post', now: new Date() });
    inviteCode = formatInviteCode(partner.inviteCode);
    twin = await fileKakaoTwin(app.baseUrl, inviteCode, 'text-twin'); // the clean address, filed first
  });
  after(async () => {
    await app.close();
    await api.close();
    await db.drop();
  });

  async function fileDirty(user: ChatUser & { text(): string }, link: () => Promise<unknown>): Promise<string> {
    await link();
    await giveContact(user); // a newly linked reporter gives a call-back contact first
    await user.say('취소');
    await fillReport(user, { address: DIRTY_ADDRESS, name: DIRTY_NAME });
    await user.press('접수');
    const receipt = /접수번호: (\d{4}-\d{6})/.exec(user.text())?.[1];
    expect(receipt, user.text()).to.match(/^\d{4}-\d{6}$/);
    return receipt!;
  }

  async function expectClean(receiptNo: string) {
    const r = (await app.repos.reports.byReceiptNo('seodaemun', receiptNo))!;
    expect(r.address.text).to.equal(CLEAN_ADDRESS);
    expect(r.person.name).to.equal('홍길동');
    expect(r.duplicateOf, 'the same address must meet the earlier report').to.be.a('string');
  }

  it('KakaoTalk', async () => {
    const user = new KakaoUser(app.baseUrl, 'text-kakao');
    await expectClean(
      await fileDirty(user, async () => {
        await user.say('신고');
        await user.say(inviteCode);
      }),
    );
  });

  it('Slack', async () => {
    const user = new SlackUser(app.baseUrl, api, 'U0TEXT1');
    await expectClean(
      await fileDirty(user, async () => {
        await user.say('신고');
        await user.say(inviteCode);
      }),
    );
  });

  it('Telegram', async () => {
    const user = new TelegramUser(app.baseUrl, api, 880011);
    await expectClean(
      await fileDirty(user, async () => {
        await user.say('/start');
        await user.say(inviteCode);
      }),
    );
  });

  it('web chat (and a message of only invisible characters gets the empty-message re-prompt)', async () => {
    const user = new WebUser(app.baseUrl);
    await expectClean(
      await fileDirty(user, async () => {
        await user.hello();
        await user.press('신고');
        await user.say(inviteCode);
      }),
    );
    // nothing visible is left once normalised: a polite re-prompt in a normal answer, nothing stored
    await user.say('\u200B\u202E\u0000');
    expect(user.text()).to.contain('내용이 비어 있습니다');
  });

  it('the console API: an action note is stored without control or bidi characters', async () => {
    const staff = apiClient(app.baseUrl, await tokenOf(app.baseUrl, 'textstaff'));
    const res = await staff.act(twin, { type: 'consult', result: '통화\u0000함\u202E 다음 주 방문' });
    expect(res.status).to.equal(200);
    const r = (await app.repos.reports.byReceiptNo('seodaemun', twin))!;
    expect(r.history.at(-1)!.note).to.equal('통화함 다음 주 방문');
  });
});
