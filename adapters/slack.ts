import { App, ExpressReceiver, LogLevel, type Logger, type types } from '@slack/bolt';
import express, { type Router } from 'express';
import { z } from 'zod';
import { answerChoices, callChoices, type Incoming, type Reply } from '../flows/types';
import { perKeyQueue, type AdapterLog, type TurnKit } from './turn-kit';
import { chunks, clip } from './message-split';
import { normalizeText } from '../src/domain/text/normalize';
import { fetchPhoto, type PhotoFetchOptions } from './photo-fetch';

/**
 * Slack app over the Events API (Bolt's ExpressReceiver on our Express app, `POST /slack/events`).
 * Bolt checks the v0 signature and acknowledges at once (Slack waits 3 s); the turn runs after
 * the ack and its reply is posted with chat.postMessage. Conversations happen in the app's DMs.
 */

// Block Kit limits (api.slack.com/reference/block-kit): what a message may hold.
const MAX_BLOCKS = 50;
const MAX_SECTION_TEXT = 3000;
/** Slack's verification rule: a request timestamp more than five minutes off the clock, either way, is refused. */
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
const MAX_ACTIONS_PER_BLOCK = 25;
const MAX_BUTTON_TEXT = 75;
const MAX_BUTTON_VALUE = 2000;
const MAX_INPUT_TEXT = 4000; // longer messages are cut; the flow re-prompts on its own limits

export const SLACK_EVENTS_PATH = '/slack/events';
const CHOICE_ACTION = /^sagak_choice_\d+$/;

const messageEnvelope = z.object({
  team_id: z.string().min(1),
  event_id: z.string().min(1).max(100),
  event: z.object({
    type: z.literal('message'),
    channel: z.string().min(1),
    channel_type: z.string().optional(),
    user: z.string().min(1).optional(),
    text: z.string().optional(),
    subtype: z.string().optional(),
    bot_id: z.string().optional(),
    /** A file share's files: an image among them is a photo (read leniently; other fields ignored). */
    files: z
      .array(z.object({ mimetype: z.string().optional(), url_private: z.string().optional() }).loose())
      .max(20)
      .optional()
      .catch(undefined),
  }),
});
export type SlackMessageEnvelope = z.infer<typeof messageEnvelope>;

const blockAction = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z.object({ id: z.string().min(1) }).nullish(),
  channel: z.object({ id: z.string().min(1) }),
  /** The message whose button was pressed: its buttons are replaced by the choice made. */
  message: z
    .object({
      ts: z.string().min(1),
      text: z.string().optional(),
      blocks: z.array(z.object({ type: z.string() }).loose()).max(MAX_BLOCKS),
    })
    .optional(),
  actions: z
    .array(
      z.object({
        type: z.literal('button'),
        action_id: z.string(),
        value: z.string().max(MAX_BUTTON_VALUE),
        action_ts: z.string().min(1),
        text: z.object({ text: z.string() }).optional(),
      }),
    )
    .length(1),
});
export type SlackBlockAction = z.infer<typeof blockAction>;

/** A Slack user is only unique within a workspace, so the workspace is part of the id. */
const slackUserId = (team: string, user: string) => `${team}:${user}`;

/**
 * Slack's message markup back to what the user typed: links and auto-linked mail addresses or
 * phone numbers (`<mailto:a@b.kr|a@b.kr>`, `<https://…>`) become their visible text, and the
 * three escaped characters are unescaped (a typed `<` arrives as `&lt;`).
 */
export function slackTextToPlain(text: string): string {
  return text
    .replace(/<([^<>|]+)\|([^<>]*)>/g, '$2')
    .replace(/<((?:https?|mailto|tel):[^<>]*)>/g, (_m, link: string) => link.replace(/^(mailto|tel):/, ''))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Message subtypes that are still a person writing: a message with a file keeps its text. */
const PERSON_SUBTYPES = new Set([undefined, 'file_share']);

/** A direct message → Incoming; undefined for what is not a person writing to the app in a DM. */
export function messageToIncoming(body: SlackMessageEnvelope): Incoming | undefined {
  const e = body.event;
  if (e.channel_type !== 'im' || !PERSON_SUBTYPES.has(e.subtype) || e.bot_id !== undefined || !e.user) return undefined;
  const text = normalizeText(slackTextToPlain((e.text ?? '').slice(0, MAX_INPUT_TEXT))).trim();
  const images = (e.files ?? [])
    .filter((f) => f.mimetype?.startsWith('image/'))
    .map((f) => f.url_private ?? 'slack-file')
    .slice(0, 5);
  return {
    channel: 'slack',
    userId: slackUserId(body.team_id, e.user),
    text,
    imageUrl: images[0],
    imageUrls: images.length > 1 ? images : undefined,
  };
}

/** A pressed button → Incoming with the button's value as the choice, as if its label was typed. */
export function actionToIncoming(body: SlackBlockAction): Incoming {
  const action = body.actions[0]!;
  const team = body.team?.id ?? body.user.team_id ?? 'T';
  return {
    channel: 'slack',
    userId: slackUserId(team, body.user.id),
    text: normalizeText(action.text?.text ?? action.value),
    choice: normalizeText(action.value),
  };
}

/**
 * Reply → chat.postMessage arguments: plain-text sections (no mrkdwn, so a typed `<!channel>`
 * or `*bold*` is shown as typed) and buttons in actions blocks of at most 25.
 */
export function toSlackMessage(reply: Reply): { text: string; blocks: types.KnownBlock[] } {
  const choices = answerChoices(reply.choices);
  const calls = callChoices(reply.choices);
  const actionBlocks: types.KnownBlock[] = [];
  for (let i = 0; i < choices.length; i += MAX_ACTIONS_PER_BLOCK) {
    actionBlocks.push({
      type: 'actions',
      elements: choices.slice(i, i + MAX_ACTIONS_PER_BLOCK).map((c, j) => ({
        type: 'button',
        action_id: `sagak_choice_${i + j}`,
        text: { type: 'plain_text', text: clip(c.label, MAX_BUTTON_TEXT), emoji: true },
        value: c.value.slice(0, MAX_BUTTON_VALUE),
      })),
    });
  }
  // Call buttons are tel: links in one mrkdwn section: only our own fixed labels and digits go in it.
  const callBlocks: types.KnownBlock[] = calls.length
    ? [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: calls
              .map((c) => `:telephone_receiver: <tel:${c.call.replace(/\D/g, '')}|${c.label.replace(/[<>&|]/g, '')}>`)
              .join('   '),
          },
        },
      ]
    : [];
  const pieces = reply.texts.flatMap((t) => chunks(t, MAX_SECTION_TEXT));
  const room = MAX_BLOCKS - actionBlocks.length - callBlocks.length;
  if (pieces.length > room) pieces.splice(room - 1, pieces.length, '…(이하 생략)');
  const sections: types.KnownBlock[] = pieces.map((text) => ({
    type: 'section',
    text: { type: 'plain_text', text, emoji: true },
  }));
  // the warning that asks to call comes first, then its links, then the next question
  const body = [...sections.slice(0, 1), ...callBlocks, ...sections.slice(1)];
  // the top-level text is what notifications and screen readers show
  return { text: clip(reply.texts.join('\n\n') || ' ', MAX_SECTION_TEXT), blocks: [...body, ...actionBlocks] };
}

/**
 * The pressed message as it should stay in the DM: its text, and in place of its buttons the
 * choice that was made, so an old question cannot be answered twice by mistake.
 */
export function answeredMessage(blocks: { type: string }[], chosenLabel: string): types.KnownBlock[] {
  const kept = blocks.filter((b) => b.type !== 'actions') as types.KnownBlock[];
  return [
    ...kept,
    {
      type: 'context',
      elements: [{ type: 'plain_text', text: clip(`→ ${chosenLabel}`, MAX_SECTION_TEXT), emoji: true }],
    },
  ];
}

/** Bolt's log lines go to our logger at warn and above; they carry no message text. */
function boltLogger(log: AdapterLog): Logger {
  let level = LogLevel.WARN;
  const text = (msg: unknown[]) =>
    msg
      .map((m) => (m instanceof Error ? m.message : String(m)))
      .join(' ')
      .slice(0, 300);
  return {
    debug() {},
    info() {},
    warn: (...msg: unknown[]) => log.warn(text(msg), { source: 'bolt' }),
    error: (...msg: unknown[]) => log.error(text(msg), { source: 'bolt' }),
    setLevel(l: LogLevel) {
      level = l;
    },
    getLevel: () => level,
    setName() {},
  };
}

export interface SlackAdapterOptions {
  /** Claims each event or button press once and runs its turn (a redelivery is skipped). */
  turns: TurnKit;
  signingSecret: string;
  botToken: string;
  botId: string;
  botUserId: string;
  /** Web API base URL (tests point it at a local capture server). */
  apiUrl?: string;
  /** Where shared files may be fetched from (files.slack.com, with the bot token), and the limits. */
  photos?: PhotoFetchOptions;
}

/** The Slack channel as an Express router carrying Bolt's `POST /slack/events`. */
export function slackRouter(opts: SlackAdapterOptions): Router {
  const router = express.Router();
  const logger = boltLogger(opts.turns.log);
  // Bolt refuses only old timestamps; Slack's rule is five minutes either way (a request dated
  // ahead would stay replayable for longer than any real one). Registered before Bolt's route.
  router.post(SLACK_EVENTS_PATH, (req, res, next) => {
    const ts = Number(req.get('x-slack-request-timestamp'));
    if (Number.isFinite(ts) && Math.abs(Date.now() / 1000 - ts) <= MAX_CLOCK_SKEW_SECONDS) return next();
    opts.turns.log.warn('slack request refused: its timestamp is more than five minutes off');
    res.status(401).send();
  });
  // Bolt mounts its router on `app`; we pass our own router and mount it where we choose.
  const receiver = new ExpressReceiver({
    signingSecret: opts.signingSecret,
    router,
    app: express(),
    endpoints: SLACK_EVENTS_PATH,
    logger,
  });
  const bolt = new App({
    receiver,
    token: opts.botToken,
    botId: opts.botId, // known ids: Bolt never calls auth.test, so start-up needs no network
    botUserId: opts.botUserId,
    convoStore: false, // conversation state lives in MongoDB
    logger,
    // a few quick retries, not the SDK's default half hour: a user's next message waits behind this one
    clientOptions: {
      slackApiUrl: opts.apiUrl,
      timeout: 10_000,
      retryConfig: { retries: 2, minTimeout: 500, maxTimeout: 2_000 },
    },
  });
  const enqueue = perKeyQueue();

  /**
   * Claims the delivery, runs the turn and posts its reply, one at a time per user. `onAnswered`
   * runs only when the turn took the answer (not on "try again").
   */
  const respond = (deliveryKey: string, channelId: string, incoming: Incoming, onAnswered?: () => Promise<unknown>) =>
    enqueue(incoming.userId, async () => {
      // a shared image is fetched now with the bot token, which goes to the allowed host only
      if (incoming.imageUrl !== undefined) {
        const limits = opts.photos ?? { hosts: [], maxBytes: 0, timeoutMs: 0 };
        const auth = { authorization: `Bearer ${opts.botToken}` };
        incoming = {
          ...incoming,
          photos: await Promise.all(
            (incoming.imageUrls ?? [incoming.imageUrl]).map((url) => fetchPhoto(url, limits, auth)),
          ),
        };
      }
      const outcome = await opts.turns.run(incoming, { key: deliveryKey, redelivered: 'skip' });
      if (outcome.kind === 'redelivery') return; // a retry of what we already handled
      if (outcome.kind === 'answered') {
        await onAnswered?.().catch((err: Error) => opts.turns.log.warn(`slack message update failed: ${err.name}`));
      }
      await bolt.client.chat.postMessage({ channel: channelId, ...toSlackMessage(outcome.reply) });
    });

  // Events are acknowledged by Bolt before this runs.
  bolt.event('message', async ({ body }) => {
    const parsed = messageEnvelope.safeParse(body);
    if (!parsed.success) return;
    const incoming = messageToIncoming(parsed.data);
    if (!incoming) return; // bots (ourselves included), edits, channels other than our DMs
    await respond(`slack:event:${parsed.data.event_id}`, parsed.data.event.channel, incoming);
  });

  bolt.action(CHOICE_ACTION, async ({ ack, body }) => {
    await ack();
    const parsed = blockAction.safeParse(body);
    if (!parsed.success) return;
    const incoming = actionToIncoming(parsed.data);
    const action = parsed.data.actions[0]!;
    // interactivity has no event_id; a button press is unique by user and action_ts
    const pressed = parsed.data.message;
    const markAnswered = pressed
      ? () =>
          bolt.client.chat.update({
            channel: parsed.data.channel.id,
            ts: pressed.ts,
            text: pressed.text || incoming.text,
            blocks: answeredMessage(pressed.blocks, incoming.text),
          })
      : undefined;
    await respond(
      `slack:action:${incoming.userId}:${action.action_ts}`,
      parsed.data.channel.id,
      incoming,
      markAnswered,
    );
  });

  bolt.error(async (err) => {
    opts.turns.log.error(`slack listener failed: ${err.code ?? err.name}`);
  });
  return router;
}
