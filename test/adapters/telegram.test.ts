import { expect } from 'chai';
import { toTelegramMessages } from '../../adapters/telegram';
import { TRY_AGAIN } from '../../adapters/turn-kit';
import { choicesOf } from '../../flows/types';
import { telegramCommands } from '../../src/cli/telegram-commands';
import { UsageError } from '../../src/cli/command';
import { formatInviteCode } from '../../src/domain/partner/partner';
import { startTestApp, testConfig, type RunningApp } from '../support/app';
import { CaptureServer } from '../support/capture-server';
import { photoPng } from '../support/photos';
import { testDatabase } from '../support/database';
import { fileKakaoTwin, fillReport, giveContact } from '../support/kakao-client';
import {
  nextUpdateId,
  postUpdate,
  TelegramUser,
  TEST_TELEGRAM_BOT_TOKEN,
  TEST_TELEGRAM_SECRET,
} from '../support/telegram-client';

function shape(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || value instanceof Date || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => shape(v, prefix ? `${prefix}.${k}` : k));
}

describe('Telegram channel through grammY webhooks, with the secret token, on FerretDB', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let app: RunningApp;
  let botApi: CaptureServer;
  let inviteCode: string;
  let userSeq = 0;
  let config: ReturnType<typeof testConfig>;

  before(async () => {
    db = await testDatabase('telegram_channel');
    let messageId = 0;
    botApi = await new CaptureServer((call) => {
      if (call.path.endsWith('/sendMessage')) {
        const chat = { id: call.body.chat_id, type: 'private', first_name: '현장' };
        return {
          json: {
            ok: true,
            result: { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat, text: call.body.text },
          },
        };
      }
      if (call.path.endsWith('/setWebhook'))
        return { json: { ok: true, result: true, description: 'Webhook was set' } };
      // a photo: getFile names its path, the file URL under the same API root serves its bytes
      if (call.path.endsWith('/getFile')) {
        const id = String(call.body.file_id);
        if (id === 'gone-id')
          return { status: 400, json: { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' } };
        return {
          json: {
            ok: true,
            result: { file_id: id, file_unique_id: `u-${id}`, file_size: 1000, file_path: `photos/${id}.png` },
          },
        };
      }
      if (call.path.includes('/file/bot')) {
        if (call.path.endsWith('/doc-id.png'))
          return { json: null, raw: Buffer.from('%PDF-1.7 not a photo'), contentType: 'application/pdf' };
        return { json: null, raw: photoPng(7), contentType: 'image/png' };
      }
      return { json: { ok: true, result: true } };
    }).start();
    config = testConfig({
      TELEGRAM_BOT_TOKEN: TEST_TELEGRAM_BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TEST_TELEGRAM_SECRET,
      TELEGRAM_API_ROOT: botApi.baseUrl,
    });
    app = await startTestApp(db.connection, { config });
    const partner = await app.repos.partners.create({ name: '홍제동 야쿠르트', kind: 'delivery', now: new Date() });
    inviteCode = formatInviteCode(partner.inviteCode);
  });
  after(async () => {
    await app.close();
    await botApi.close();
    await db.drop();
  });

  async function linkedUser(): Promise<TelegramUser> {
    const user = new TelegramUser(app.baseUrl, botApi, 900_000 + ++userSeq);
    await user.say('/start');
    expect(user.text()).to.contain('초대 코드를 입력해 주세요');
    await user.say(inviteCode);
    expect(user.text()).to.contain('홍제동 야쿠르트 소속으로 등록되었습니다');
    await giveContact(user);
    await user.say('취소');
    return user;
  }

  const state = (user: TelegramUser) =>
    app.repos.conversations.current({ channel: 'telegram', userId: String(user.id) });

  it('files a complete report with inline keyboards, stored exactly like a KakaoTalk report', async () => {
    const user = await linkedUser();
    await fillReport(user);
    expect(user.text()).to.contain('신고 내용을 확인해 주세요');
    const calls = await user.press('접수');
    // the button's spinner is stopped, and the reply is sent with the bot's token to the chat
    const answered = calls.find((c) => c.path.endsWith('/answerCallbackQuery'));
    expect(answered?.body.callback_query_id).to.match(/^cq\d+$/);
    expect(calls.find((c) => c.path.endsWith('/sendMessage'))!.path).to.equal(
      `/bot${TEST_TELEGRAM_BOT_TOKEN}/sendMessage`,
    );
    const receipt = /접수번호: (\d{4}-\d{6})/.exec(user.text())?.[1];
    expect(receipt, user.text()).to.match(/^\d{4}-\d{6}$/);

    const stored = await app.repos.reports.byReceiptNo('seodaemun', receipt!);
    expect(stored!.address).to.deep.include({ dongCode: '1141064000', dongName: '홍제3동', resolvedBy: 'dong-name' });
    expect(stored!.signs).to.deep.equal(['utility_arrears', 'mail_piled']);
    expect(stored!.reporter).to.deep.include({ channel: 'telegram', userId: String(user.id) });

    const twin = await app.repos.reports.byReceiptNo(
      'seodaemun',
      await fileKakaoTwin(app.baseUrl, inviteCode, 'kakao-twin-tg'),
    );
    expect(shape(stored).sort()).to.deep.equal(shape(twin).sort());
    expect(stored!.address).to.deep.equal(twin!.address);
    expect(stored!.person).to.deep.equal(twin!.person);
    expect([stored!.signs, stored!.urgency, stored!.status]).to.deep.equal([twin!.signs, twin!.urgency, twin!.status]);
  });

  it('starts on /start and on the Korean start words', async () => {
    const user = await linkedUser();
    await user.say('/start');
    expect(user.text()).to.contain('1/8 얼마나 급한가요');
    await user.say('취소');
    await user.say('사각지대 신고');
    expect(user.text()).to.contain('1/8 얼마나 급한가요');
    await user.say('취소');
    await user.say('신고하기');
    expect(user.text()).to.contain('1/8 얼마나 급한가요');
  });

  it('shows 112/119 at once for 즉시 위험 (the Bot API refuses tel: buttons), and re-prompts a long message politely', async () => {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('즉시 위험');
    expect(user.text()).to.contain('112(경찰) 또는 119(소방)');
    expect(user.text()).to.contain('📞 112 경찰 전화   📞 119 소방 전화');
    const keyboard =
      (user.sent.at(-1)!.body.reply_markup as { inline_keyboard?: { url?: string }[][] } | undefined)
        ?.inline_keyboard ?? [];
    expect(keyboard.flat().some((b) => b.url !== undefined)).to.equal(false);
    await user.say('가'.repeat(5000));
    expect(user.text()).to.contain('메시지가 너무 깁니다');
    expect(user.text()).to.contain('2/8 주소를 알려 주시면');
  });

  it("keeps a photo (the largest size, fetched through getFile and the API root's file URL), never as an answer, and asks the same question", async () => {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('일반');
    const photo = [
      { file_id: 'small-id', file_unique_id: 's', width: 90, height: 120, file_size: 1500 },
      { file_id: 'large-id', file_unique_id: 'l', width: 960, height: 1280, file_size: 98000 },
    ];
    const from = botApi.calls.length;
    await user.deliver(user.messageUpdate({ photo, caption: '이 집이에요' }));
    expect(user.text()).to.contain('사진을 받았습니다').and.contain('2/8');
    expect(botApi.calls.slice(from).find((c) => c.path.endsWith('/getFile'))?.body.file_id).to.equal('large-id');
    expect(
      botApi.calls.slice(from).some((c) => c.path === `/file/bot${TEST_TELEGRAM_BOT_TOKEN}/photos/large-id.png`),
    ).to.equal(true);
    // an "image" sent as a file that is not one, and a file Telegram no longer has: refused in Korean
    await user.deliver(
      user.messageUpdate({
        document: { file_id: 'doc-id', file_unique_id: 'd', mime_type: 'image/jpeg', file_name: 'IMG_1.jpg' },
      }),
    );
    expect(user.text()).to.contain('사진(JPEG·PNG·GIF·WebP)이 아니어서').and.contain('2/8');
    await user.deliver(
      user.messageUpdate({
        document: { file_id: 'gone-id', file_unique_id: 'g', mime_type: 'image/png', file_name: 'IMG_2.png' },
      }),
    );
    expect(user.text()).to.contain('사진 링크가 만료되었거나').and.contain('2/8');
    await user.say('홍제3동 문화촌아파트 101동');
    await user.press('맞음');
    await user.press('우편물·전단지 적체');
    await user.press('선택 완료');
    await user.say('홍길동');
    await user.say('70대');
    await user.say('010 1234 5678');
    await user.say('문 앞에 우편물이 쌓여 있습니다.');
    await user.press('접수');
    const receipt = /접수번호: (\d{4}-\d{6})/.exec(user.text())?.[1];
    const stored = (await app.repos.reports.byReceiptNo('seodaemun', receipt!))!;
    expect(stored.photoIds).to.have.length(1);
    expect((await app.repos.photos.meta(stored.photoIds![0]!))!.contentType).to.equal('image/png');
  });

  it('takes a shared location as the address and finds its dong by the boundary polygon', async () => {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('일반');
    await user.shareLocation(37.59, 126.944);
    expect(user.text()).to.contain('홍제3동');
    await user.press('맞음');
    const s = await state(user);
    expect(s!.stepId).to.equal('signs');
    expect(s!.data).to.deep.include({ dong: { code: '1141064000', name: '홍제3동' }, dongBy: 'location' });
  });

  it('refuses a wrong or missing secret token with 401 and stores nothing', async () => {
    const stranger = new TelegramUser(app.baseUrl, botApi, 666);
    const before = botApi.calls.length;
    const wrong = await postUpdate(
      app.baseUrl,
      stranger.messageUpdate({ text: '/start' }),
      'wrong-secret-token-0000000000000',
    );
    expect(wrong.status).to.equal(401);
    const missing = await postUpdate(app.baseUrl, stranger.messageUpdate({ text: '/start' }), null);
    expect(missing.status).to.equal(401);
    expect(botApi.calls.length).to.equal(before);
    expect(await state(stranger)).to.equal(undefined);
    // the same update id with the right secret is still new: a forged delivery claimed nothing
    const forgedId = nextUpdateId();
    await postUpdate(
      app.baseUrl,
      stranger.messageUpdate({ text: '/start' }, forgedId),
      'wrong-secret-token-0000000000000',
    );
    await stranger.say('/start', forgedId);
    expect(stranger.text()).to.contain('초대 코드를 입력해 주세요');
  });

  it('processes an update delivered twice (same update_id) once', async () => {
    const user = await linkedUser();
    await user.say('신고');
    await user.press('일반');
    await user.say('홍제3동 1-1');
    await user.press('맞음');
    const id = nextUpdateId();
    const first = await user.say('공과금 체납·단전·단수', id);
    expect(first.filter((c) => c.path.endsWith('/sendMessage'))).to.have.length(1);
    expect(user.text()).to.contain('현재 선택: 공과금 체납·단전·단수');
    const again = await user.say('공과금 체납·단전·단수', id);
    expect(again).to.have.length(0);
    const s = await state(user);
    expect(s!.stepId).to.equal('signs');
    expect((s!.data as { signs: string[] }).signs).to.deep.equal(['utility_arrears']);
  });

  it('leads a pressed button and the same answer typed to the same state', async () => {
    const pressing = await linkedUser();
    const typing = await linkedUser();
    for (const user of [pressing, typing]) {
      await user.say('신고');
      await user.press('일반');
      await user.say('북가좌동 123-4');
    }
    const edits = await pressing.press('북가좌2동');
    // the pressed question shows the choice and loses its keyboard
    const edit = edits.find((c) => c.path.endsWith('/editMessageText'));
    expect(edit!.body.text).to.match(/\n\n→ 북가좌2동$/);
    expect(edit!.body.reply_markup).to.equal(undefined);
    expect(edit!.body.chat_id).to.equal(pressing.id);
    await typing.say('북가좌2동');
    await pressing.press('질병·거동 불편');
    await typing.say('질병·거동 불편');
    expect(pressing.text()).to.equal(typing.text());
    expect(pressing.text()).to.contain('현재 선택: 질병·거동 불편');
    const a = await state(pressing);
    const b = await state(typing);
    const { submissionId: _a, ...dataA } = a!.data as Record<string, unknown>;
    const { submissionId: _b, ...dataB } = b!.data as Record<string, unknown>;
    expect(a!.stepId).to.equal(b!.stepId);
    expect(dataA).to.deep.equal(dataB);
    expect(dataA.dong).to.deep.equal({ code: '1141072000', name: '북가좌2동' });
    expect(dataA.signs).to.deep.equal(['ill_immobile']);
  });

  it('answers a malformed update with 400, and leaves group chats alone', async () => {
    const bad = await postUpdate(app.baseUrl, { hello: 'world' });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: string }).error).to.equal('bad_request');
    const notJson = await postUpdate(app.baseUrl, '{"update_id":');
    expect(notJson.status).to.equal(400);
    const before = botApi.calls.length;
    const group = {
      update_id: nextUpdateId(),
      message: {
        message_id: 1,
        from: { id: 5, is_bot: false, first_name: 'g' },
        chat: { id: -100123, type: 'group', title: '동네' },
        date: 1,
        text: '신고',
      },
    };
    expect((await postUpdate(app.baseUrl, group)).status).to.equal(200);
    expect(botApi.calls.length).to.equal(before);
  });

  it('keeps Telegram limits: 4,096-character messages, 64-byte callback data that still selects', async () => {
    const long = '긴 안내 '.repeat(1500);
    const tooLongValue = '값'.repeat(30); // 90 bytes in UTF-8
    const messages = toTelegramMessages({
      texts: [long],
      choices: [...choicesOf('예', '아니요'), { label: '긴 값', value: tooLongValue }],
    });
    expect(messages.every((m) => m.text.length <= 4096)).to.equal(true);
    expect(messages.map((m) => m.text).join('')).to.have.length.greaterThan(long.length - 10);
    expect(messages.slice(0, -1).every((m) => m.keyboard === undefined)).to.equal(true);
    const buttons = messages.at(-1)!.keyboard!.flat() as { text: string; callback_data: string }[];
    expect(buttons.map((b) => b.callback_data)).to.deep.equal(['예', '아니요', '#3']);
    expect(buttons.every((b) => Buffer.byteLength(b.callback_data) <= 64)).to.equal(true);

    // "#n" is read as the n-th choice: pressing it on the dong list picks that dong
    const user = await linkedUser();
    await user.say('신고');
    await user.press('일반');
    await user.say('북가좌동 123-4');
    const markup = user.sent.at(-1)!.body.reply_markup as {
      inline_keyboard: { text: string; callback_data: string }[][];
    };
    markup.inline_keyboard = [[{ text: '북가좌2동', callback_data: '#2' }]];
    await user.press('북가좌2동');
    expect(user.text()).to.contain('북가좌2동 주민센터로 연결합니다');
  });

  it('prints the setWebhook call without secrets, and makes it with --set', async () => {
    const deps = { config, repos: app.repos };
    const printed = await telegramCommands.run(['webhook', '--url', 'https://sagak.example.kr/'], deps);
    expect(printed.text).to.contain('/setWebhook');
    expect(printed.text).to.contain('"url":"https://sagak.example.kr/telegram/webhook"');
    expect(printed.text).to.contain('"allowed_updates":["message","callback_query"]');
    expect(printed.text).to.not.contain(TEST_TELEGRAM_SECRET);
    expect(printed.text).to.not.contain(TEST_TELEGRAM_BOT_TOKEN);

    const from = botApi.calls.length;
    const set = await telegramCommands.run(['webhook', '--url', 'https://sagak.example.kr', '--set'], deps);
    expect(set.text).to.contain('Webhook set');
    const call = botApi.calls.slice(from).find((c) => c.path === `/bot${TEST_TELEGRAM_BOT_TOKEN}/setWebhook`);
    expect(call!.body).to.deep.equal({
      url: 'https://sagak.example.kr/telegram/webhook',
      secret_token: TEST_TELEGRAM_SECRET,
      allowed_updates: ['message', 'callback_query'],
    });

    for (const bad of [
      ['webhook', '--url', 'http://sagak.example.kr'],
      ['webhook'],
      ['webhook', '--url', 'https://localhost:3000'],
    ]) {
      let error: unknown;
      await telegramCommands.run(bad, deps).catch((e: unknown) => (error = e));
      expect(error, bad.join(' ')).to.be.instanceOf(UsageError);
    }
  });

  it('answers "잠시 후 다시 시도해 주세요" when the database is unreachable', async () => {
    const down = await testDatabase('telegram_down');
    const other = await startTestApp(down.connection, { config });
    await down.connection.close();
    try {
      const user = new TelegramUser(other.baseUrl, botApi, 777);
      await user.say('/start');
      expect(user.text()).to.equal(TRY_AGAIN);
      expect(user.labels()).to.deep.equal([]);
    } finally {
      await other.close();
      await down.drop();
    }
  });
});
