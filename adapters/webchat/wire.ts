import { z } from 'zod';
import type { Incoming, Reply } from '../../flows/types';
import { normalizeText } from '../../src/domain/text/normalize';

/**
 * What the chat page posts and what it gets back. The browser's own `user` field, which Botkit
 * clients send, is dropped here: identity comes only from the signed cookie (identity.ts).
 */
export const MAX_TEXT = 4000;

const clientId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'letters, digits and "-", 8 to 64 characters');

export const browserMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    text: z.string().transform(normalizeText).pipe(z.string().trim().min(1, 'empty text').max(MAX_TEXT, `longer than ${MAX_TEXT} characters`)),
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
  quick_replies?: { title: string; payload: string }[];
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

/** One chat bubble per text; the choices hang on the last one as buttons. */
export function toWebReplies(reply: Reply): WebReply[] {
  const out: WebReply[] = reply.texts.map((text) => ({ type: 'message', text }));
  if (out.length === 0) out.push({ type: 'message', text: '' });
  if (reply.choices.length > 0) out[out.length - 1]!.quick_replies = reply.choices.map((c) => ({ title: c.label, payload: c.value }));
  return out;
}
