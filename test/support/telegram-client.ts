import type { CaptureServer, CapturedCall } from './capture-server';

export const TEST_TELEGRAM_BOT_TOKEN = '7000000001:AAtest-token-for-sagak-0123456789';
export const TEST_TELEGRAM_SECRET = 'test-telegram-webhook-secret-0123';

interface InlineButton {
  text: string;
  callback_data: string;
}

let updateSeq = 500_000;
export const nextUpdateId = () => ++updateSeq;

/** POSTs an update to the webhook with the given secret header (default: the right one; null: none). */
export async function postUpdate(baseUrl: string, update: unknown, secret: string | null = TEST_TELEGRAM_SECRET) {
  return fetch(`${baseUrl}/telegram/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
    },
    body: typeof update === 'string' ? update : JSON.stringify(update),
  });
}

/**
 * A Telegram user in a private chat with the bot: each message or button press is one webhook
 * update; the answer is what the bot sent to the capture server (sendMessage) while the webhook
 * request was open — grammY answers the webhook after the handler is done.
 */
export class TelegramUser {
  sent: CapturedCall[] = [];
  private messageId = 1;
  constructor(
    public baseUrl: string,
    public api: CaptureServer,
    public id: number,
  ) {}

  private get from() {
    return { id: this.id, is_bot: false, first_name: '현장', language_code: 'ko' };
  }
  private get chat() {
    return { id: this.id, type: 'private', first_name: '현장' };
  }

  messageUpdate(fields: Record<string, unknown>, updateId = nextUpdateId()) {
    return {
      update_id: updateId,
      message: {
        message_id: ++this.messageId,
        from: this.from,
        chat: this.chat,
        date: Math.floor(Date.now() / 1000),
        ...fields,
      },
    };
  }

  /** Delivers an update and returns the bot's calls made while handling it. */
  async deliver(update: unknown): Promise<CapturedCall[]> {
    const from = this.api.calls.length;
    const res = await postUpdate(this.baseUrl, update);
    if (res.status !== 200) throw new Error(`webhook answered HTTP ${res.status}: ${await res.text()}`);
    const calls = this.api.calls.slice(from);
    const sent = calls.filter((c) => c.path.endsWith('/sendMessage') && c.body.chat_id === this.id);
    if (sent.length > 0) this.sent = sent;
    return calls;
  }

  say(text: string, updateId?: number): Promise<CapturedCall[]> {
    return this.deliver(this.messageUpdate({ text }, updateId));
  }

  shareLocation(lat: number, lng: number): Promise<CapturedCall[]> {
    return this.deliver(this.messageUpdate({ location: { latitude: lat, longitude: lng } }));
  }

  /** The callback_query update for pressing `label` on the last keyboard. */
  pressUpdate(label: string, updateId = nextUpdateId()) {
    const button = this.buttons().find((b) => b.text === label);
    if (!button) throw new Error(`no button "${label}" in: ${this.labels().join(', ')}`);
    const last = this.sent.at(-1)!;
    return {
      update_id: updateId,
      callback_query: {
        id: `cq${updateId}`,
        from: this.from,
        chat_instance: `ci${this.id}`,
        data: button.callback_data,
        message: {
          message_id: 1000 + updateId,
          from: { id: 7000000001, is_bot: true, first_name: '사각', username: 'sagak_bot' },
          chat: this.chat,
          date: Math.floor(Date.now() / 1000),
          text: last.body.text,
          reply_markup: (last.body.reply_markup as object | undefined) ?? undefined,
        },
      },
    };
  }

  press(label: string): Promise<CapturedCall[]> {
    return this.deliver(this.pressUpdate(label));
  }

  buttons(): InlineButton[] {
    const markup = this.sent.at(-1)?.body.reply_markup as { inline_keyboard?: InlineButton[][] } | undefined;
    return markup?.inline_keyboard?.flat() ?? [];
  }

  text(): string {
    return this.sent.map((c) => String(c.body.text)).join('\n');
  }

  labels(): string[] {
    return this.buttons().map((b) => b.text);
  }
}
