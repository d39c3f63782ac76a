import { readFileSync } from 'node:fs';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Incoming } from '../../flows/types';
import { TRY_AGAIN, withinDeadline, type DeadlineResult, type TurnHandler } from '../turn-handler';
import { webchatBot } from './botkit';
import { webIdentity } from './identity';
import { browserMessage, toIncoming, toWebReplies, type WebReply, type WebTurn } from './wire';

/**
 * The web chat: the page at /chat, its script and style, and the message endpoint that hands
 * each validated message to Botkit. Nothing here touches the database: the turn handler and the
 * delivery claims come from the composition root.
 */

/** Exactly-once per client message id (see src/store/delivery). */
export interface DeliveryLog {
  claim(key: string): Promise<boolean>;
  release(key: string): Promise<void>;
}

export interface WebchatOptions {
  handle: TurnHandler;
  cookieSecret: string;
  cookieMaxAgeMs: number;
  districtName: string;
  deliveries: DeliveryLog;
  /** A browser waits longer than Kakao, but not forever. */
  budgetMs?: number;
  onTurn?: (result: DeadlineResult, incoming: Incoming, ms: number) => void;
}

const client = (file: string) => readFileSync(new URL(`./client/${file}`, import.meta.url), 'utf8');
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Only our own script and style, no inline code; framing only by our own pages.
const PAGE_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const tryAgain = (): WebReply[] => toWebReplies({ texts: [TRY_AGAIN], choices: [] });

export function webchatRouter(opts: WebchatOptions): Router {
  const budgetMs = opts.budgetMs ?? 8_000;
  const page = client('chat.html').replaceAll('{{district}}', escapeHtml(opts.districtName));
  const script = client('chat.js');
  const style = client('chat.css');

  const respond = async (turn: WebTurn): Promise<WebReply[]> => {
    let incoming = toIncoming(turn);
    const claimKey = turn.type === 'message' && turn.clientId ? `${turn.userId}:${turn.clientId}` : undefined;
    const claimed = claimKey ? await opts.deliveries.claim(claimKey) : false;
    // A retried delivery of a message already taken is not run again: the user sees where the conversation is.
    if (claimKey && !claimed) incoming = { ...incoming, text: '', choice: undefined, resume: true };
    const started = performance.now();
    const result = await withinDeadline(opts.handle, incoming, budgetMs);
    opts.onTurn?.(result, incoming, performance.now() - started);
    if (result.kind === 'reply') return toWebReplies(result.reply);
    // Late or failed: let the page's retry be processed (the engine fenced the turn, or the
    // retry is first shown where the conversation is).
    if (claimed) await opts.deliveries.release(claimKey!).catch(() => {});
    return toWebReplies(result.reply);
  };
  const bot = webchatBot(respond, tryAgain);

  const router = express.Router();
  const send = (type: string, body: string) => (_req: Request, res: Response) => {
    res.set(PAGE_HEADERS).type(type).send(body);
  };
  router.get('/chat', send('html', page));
  router.get('/chat/chat.js', send('js', script));
  router.get('/chat/chat.css', send('css', style));

  router.post(
    '/chat/api/messages',
    cookieParser(opts.cookieSecret),
    express.json({ limit: '64kb', type: 'application/json' }),
    async (req: Request, res: Response) => {
      res.set('Cache-Control', 'no-store');
      const parsed = browserMessage.safeParse(req.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        res.status(400).json({ error: 'bad_request', message: `${issue.path.join('.') || 'body'}: ${issue.message}` });
        return;
      }
      const { userId } = webIdentity(req, res, opts.cookieMaxAgeMs);
      const msg = parsed.data;
      // What Botkit's web adapter reads: the user is ours, never the browser's.
      req.body = {
        type: msg.type,
        user: userId,
        channel: userId,
        text: msg.type === 'message' ? msg.text : '',
        ...(msg.type === 'message' ? { choice: msg.choice, clientId: msg.clientId } : {}),
      };
      await bot.process(req, res);
    },
  );
  // body-parser errors (bad JSON, too large) become JSON errors instead of HTML pages
  router.use('/chat/api/messages', (err: { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (!err.status) return next(err);
    res.status(err.status).json({ error: err.status === 413 ? 'too_large' : 'bad_request', message: err.type ?? 'invalid body' });
  });
  return router;
}
