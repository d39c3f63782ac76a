import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { Bot, BotError, webhookCallback, type Context } from 'grammy';
import type { InlineKeyboardButton, UserFromGetMe } from 'grammy/types';
import { z } from 'zod';
import { answerChoices, callChoices, type Incoming, type Reply } from '../flows/types';
import { jsonBodyErrors, type TurnKit } from './turn-kit';
import { chunks, clip } from './message-split';
import { normalizeText } from '../src/domain/text/normalize';
import { fetchPhoto, type PhotoFetchOptions } from './photo-fetch';
import type { PhotoInput } from '../flows/types';

/**
 * Telegram bot in webhook mode (grammY's `webhookCallback` on `POST /telegram/webhook`). Telegram
 * sends its secret token in a header and waits for the HTTP answer, so the turn runs inside the
 * request and the 200 goes out after the reply was sent. Only private chats are served.
 */

// Bot API limits (core.telegram.org/bots/api#sendmessage, #inlinekeyboardbutton).
const MAX_MESSAGE = 4096;
const MAX_CALLBACK_DATA = 64; // bytes
const MAX_BUTTON_TEXT = 64; // not documented as a hard limit; long labels wrap badly on phones
const MAX_INPUT_TEXT = 4000;

export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/** A pressed button whose value did not fit in callback_data carries its position instead. */
const POSITION_PREFIX = '#';

const update = z.object({ update_id: z.number().int().nonnegative() }).loose();

/** The webhook body was not a Telegram update (after the secret matched): HTTP 400. */
export class BadUpdateError extends Error {
  readonly code = 'bad_update';
}

/** `/start`, `/start@our_bot` and `/start <payload>` are the platform's start event. */
const isStartCommand = (text: string) => /^\/start(@\w+)?(\s|$)/.test(text);

/** How a Telegram file reference is written in `imageUrl`; the adapter fetches it with getFile. */
const TELEGRAM_FILE = 'telegram-file:';

/** A Telegram message in a private chat → Incoming; undefined for groups and channels. */
export function messageToIncoming(ctx: Context): Incoming | undefined {
  const m = ctx.message;
  if (!m || m.chat.type !== 'private' || !m.from || m.from.is_bot) return undefined;
  const text = normalizeText((m.text ?? '').slice(0, MAX_INPUT_TEXT)).trim();
  return {
    channel: 'telegram',
    userId: String(m.from.id),
    text,
    isStart: isStartCommand(text) || undefined,
    location: m.location ? { lat: m.location.latitude, lng: m.location.longitude } : undefined,
    // a photo (or an image sent as a file) is a reference to the platform's file, never text
    imageUrl: m.photo?.length
      ? `${TELEGRAM_FILE}${m.photo.at(-1)!.file_id}`
      : m.document?.mime_type?.startsWith('image/')
        ? `${TELEGRAM_FILE}${m.document.file_id}`
        : undefined,
  };
}

/** A pressed inline-keyboard button → Incoming: its value as the choice, its label as the text. */
export function callbackToIncoming(ctx: Context): Incoming | undefined {
  const q = ctx.callbackQuery;
  if (!q || q.data === undefined || (q.message && q.message.chat.type !== 'private')) return undefined;
  const pressed = q.message?.reply_markup?.inline_keyboard
    .flat()
    .find((b) => 'callback_data' in b && b.callback_data === q.data);
  if (q.data.startsWith(POSITION_PREFIX)) {
    // the button carried its position: the flow reads "3" as the third choice of its question
    return {
      channel: 'telegram',
      userId: String(q.from.id),
      text: normalizeText(q.data.slice(POSITION_PREFIX.length)),
      numberedChoices: 1,
    };
  }
  return {
    channel: 'telegram',
    userId: String(q.from.id),
    text: normalizeText(pressed?.text ?? q.data),
    choice: normalizeText(q.data),
  };
}

export interface TelegramMessage {
  text: string;
  keyboard?: InlineKeyboardButton[][];
}

/**
 * Reply → the messages to send: the texts joined into as few messages of ≤4096 characters as
 * possible (plain text, no parse_mode, so user input is never read as markup), the last one
 * carrying the choices as an inline keyboard — two short buttons a row, a long one alone.
 */
export function toTelegramMessages(reply: Reply): TelegramMessage[] {
  // The Bot API refuses tel: URLs in buttons and links, so emergency numbers are a plain line
  // (Telegram apps offer to call a tapped number); it follows the first text, the warning.
  const calls = callChoices(reply.choices);
  const texts = calls.length
    ? [...reply.texts.slice(0, 1), calls.map((c) => `📞 ${c.label}`).join('   '), ...reply.texts.slice(1)]
    : reply.texts;
  const messages: TelegramMessage[] = chunks(texts.join('\n\n'), MAX_MESSAGE).map((text) => ({ text }));
  const choices = answerChoices(reply.choices);
  if (choices.length === 0) return messages;
  const buttons = choices.map((c, i) => ({
    text: clip(c.label, MAX_BUTTON_TEXT),
    callback_data:
      Buffer.byteLength(c.value) <= MAX_CALLBACK_DATA && !c.value.startsWith(POSITION_PREFIX)
        ? c.value
        : `${POSITION_PREFIX}${i + 1}`,
  }));
  const rows: InlineKeyboardButton[][] = [];
  for (const b of buttons) {
    const last = rows.at(-1);
    if (last && last.length === 1 && [...last[0]!.text].length <= 10 && [...b.text].length <= 10) last.push(b);
    else rows.push([b]);
  }
  if (messages.length === 0) messages.push({ text: '선택해 주세요.' });
  messages.at(-1)!.keyboard = rows;
  return messages;
}

/** The setWebhook parameters Sagak expects (the admin CLI prints or sends them). */
export function webhookParams(publicBaseUrl: string, secretToken: string) {
  const url =
    publicBaseUrl.replace(/\/+$/, '').replace(new RegExp(`${TELEGRAM_WEBHOOK_PATH}$`), '') + TELEGRAM_WEBHOOK_PATH;
  return { url, secret_token: secretToken, allowed_updates: [...TELEGRAM_ALLOWED_UPDATES] };
}

/** Bot info from configuration, so grammY never calls getMe (start-up and tests need no network). */
export function botInfoOf(token: string, username: string): UserFromGetMe {
  return {
    id: Number(token.split(':')[0]),
    is_bot: true,
    first_name: '사각',
    username,
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

export interface TelegramAdapterOptions {
  /** Claims each update once and runs its turn (a redelivery is skipped); its log gets failed Bot API calls. */
  turns: TurnKit;
  botToken: string;
  botUsername: string;
  secretToken: string;
  /** Bot API server (tests point it at a local capture server). */
  apiRoot: string;
  /** Limits for photos (their file URLs are under `apiRoot`, a trusted origin). */
  photos?: PhotoFetchOptions;
}

/** The Telegram channel as an Express router carrying `POST /telegram/webhook`. */
export function telegramRouter(opts: TelegramAdapterOptions): Router {
  const botInfo = botInfoOf(opts.botToken, opts.botUsername);
  // API calls give up well before grammY's 10 s webhook timeout (the SDK default is 500 s)
  const bot = new Bot(opts.botToken, { botInfo, client: { apiRoot: opts.apiRoot, timeoutSeconds: 5 } });

  /** Bot API errors carry a name and code, never the message text. */
  const logFailure = (what: string, err: unknown) =>
    opts.turns.log.error(what, { error: (err as Error)?.name, code: (err as { error_code?: number })?.error_code });

  bot.use(async (ctx, next) => {
    if (!update.safeParse(ctx.update).success) throw new BadUpdateError('not a Telegram update');
    await next();
  });

  /** Claims the update once (by its update_id), runs the turn and sends its reply; `onAnswered` runs only when the turn took the answer. */
  const respond = async (ctx: Context, chatId: number, incoming: Incoming, onAnswered?: () => Promise<unknown>) => {
    const outcome = await opts.turns.run(incoming, {
      key: `telegram:${botInfo.id}:${ctx.update.update_id}`,
      redelivered: 'skip',
    });
    if (outcome.kind === 'redelivery') return; // a redelivery of what we already handled
    if (outcome.kind === 'answered')
      await onAnswered?.().catch((err: unknown) => logFailure('telegram message edit failed', err));
    for (const m of toTelegramMessages(outcome.reply)) {
      await ctx.api.sendMessage(chatId, m.text, m.keyboard ? { reply_markup: { inline_keyboard: m.keyboard } } : {});
    }
  };

  bot.on('callback_query', async (ctx) => {
    await ctx.answerCallbackQuery(); // stops the button's spinner whatever happens next
    const incoming = callbackToIncoming(ctx);
    const chatId = ctx.callbackQuery.message?.chat.id ?? ctx.callbackQuery.from.id;
    if (!incoming) return;
    // the pressed question shows the choice instead of its keyboard, so it cannot be answered twice
    const question = ctx.callbackQuery.message?.text;
    const answered = question !== undefined ? `${question}\n\n→ ${incoming.text}` : undefined;
    await respond(ctx, chatId, incoming, () =>
      answered && answered.length <= MAX_MESSAGE ? ctx.editMessageText(answered) : ctx.editMessageReplyMarkup(),
    );
  });

  /** A photo's file: its path from getFile (grammY's API client), then its bytes from the Bot API's file URL. */
  const photoOf = async (ctx: Context, fileId: string): Promise<PhotoInput> => {
    const limits = opts.photos ?? { hosts: [], maxBytes: 0, timeoutMs: 0 };
    let file: Awaited<ReturnType<Context['api']['getFile']>>;
    try {
      file = await ctx.api.getFile(fileId);
    } catch (err) {
      logFailure('telegram getFile failed', err);
      return { ok: false, problem: (err as { error_code?: number })?.error_code === 400 ? 'expired' : 'unreachable' };
    }
    if (file.file_size !== undefined && file.file_size > limits.maxBytes) return { ok: false, problem: 'too_large' };
    if (!file.file_path) return { ok: false, problem: 'too_large' }; // the Bot API hands out no path for files over 20 MB
    const root = opts.apiRoot.replace(/\/+$/, '');
    return fetchPhoto(`${root}/file/bot${opts.botToken}/${file.file_path}`, limits);
  };

  bot.on('message', async (ctx) => {
    let incoming = messageToIncoming(ctx);
    if (!incoming) return; // groups and channels are not served
    // an album arrives as one message per photo
    if (incoming.imageUrl?.startsWith(TELEGRAM_FILE))
      incoming = { ...incoming, photos: [await photoOf(ctx, incoming.imageUrl.slice(TELEGRAM_FILE.length))] };
    await respond(ctx, ctx.chat.id, incoming);
  });

  const router = express.Router();
  router.post(
    TELEGRAM_WEBHOOK_PATH,
    express.json({ limit: '256kb' }),
    (req: Request, _res: Response, next: NextFunction) => {
      // grammY reads req.body as the update; give it an object so a bad body fails our check, not grammY's
      if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) req.body = {};
      next();
    },
    webhookCallback(bot, 'express', { secretToken: opts.secretToken }),
  );
  router.use(TELEGRAM_WEBHOOK_PATH, jsonBodyErrors());
  router.use(TELEGRAM_WEBHOOK_PATH, (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof BotError && err.error instanceof BadUpdateError) {
      res.status(400).json({ error: 'bad_request', message: err.error.message });
      return;
    }
    // the update was claimed: Telegram's redelivery will be skipped, so say so in the log
    logFailure('telegram Bot API call or update failed', err instanceof BotError ? err.error : err);
    res.status(500).json({ error: 'internal', message: 'the update could not be handled' });
  });
  return router;
}
