import { z } from 'zod';
import { answerChoices, callChoices, type Incoming, type Reply } from '../../flows/types';
import { normalizeText } from '../../src/domain/text/normalize';

/**
 * What the chat page posts and what it gets back. The browser's own `user` field, which Botkit
 * clients send, is dropped here: identity comes only from the signed cookie (identity.ts).
 */
const clientId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'letters, digits and "-", 8 to 64 characters');

export const browserMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    // Any length within the 64 kB body: an empty, over-long or symbols-only text gets a polite
    // re-prompt from the flow (flows/input-guard) inside a normal answer, never HTTP 400.
    text: z.string().transform(normalizeText).pipe(z.string().trim()),
    /** The value of a pressed quick-reply button. */
    choice: z.string().max(200).transform(normalizeText).optional(),
    /** Chosen by the page per message and reused on a retry, so a retried message is processed once. */
    clientId: clientId.optional(),
  }),
  // Sent on page load: "show me where my conversation is".
  z.object({ type: z.enum(['hello', 'welcome_back']) }),
]);
export type BrowserMessage = z.infer<typeof browserMessage>;

/** Botkit's web-client message shape; quick replies are `{title, payload}` as in Botkit's own client. */
export interface WebReply {
  type: 'message';
  text: string;
  /** `pressed` is set on toggles (multiple choice): the page shows it as aria-pressed. */
  quick_replies?: { title: string; payload: string; pressed?: boolean; done?: boolean }[];
  /** Emergency numbers the page shows as tel: links under this bubble. */
  calls?: { title: string; number: string }[];
}

/** The message as it reaches our Botkit handler: the browser's fields plus the server-issued user. */
export interface WebTurn {
  userId: string;
  type: BrowserMessage['type'];
  text: string;
  choice?: string;
  clientId?: string;
}

export function toIncoming(turn: WebTurn): Incoming {
  if (turn.type !== 'message') return { channel: 'web', userId: turn.userId, text: '', resume: true };
  return { channel: 'web', userId: turn.userId, text: turn.text, choice: turn.choice };
}

/** One chat bubble per text; call links hang on the first (the warning), the choices on the last. */
export function toWebReplies(reply: Reply): WebReply[] {
  const out: WebReply[] = reply.texts.map((text) => ({ type: 'message', text }));
  if (out.length === 0) out.push({ type: 'message', text: '' });
  const calls = callChoices(reply.choices);
  if (calls.length > 0) out[0]!.calls = calls.map((c) => ({ title: c.label, number: c.call.replace(/\D/g, '') }));
  const choices = answerChoices(reply.choices);
  if (choices.length > 0) {
    out[out.length - 1]!.quick_replies = choices.map((c) => {
      const base =
        c.selected === undefined
          ? { title: c.label, payload: c.value }
          : { title: c.label.replace(/^✓\s*/, ''), payload: c.value, pressed: c.selected };
      return c.role === 'done' ? { ...base, done: true } : base;
    });
  }
  return out;
}
