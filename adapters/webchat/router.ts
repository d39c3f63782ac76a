import { readFileSync } from 'node:fs';
import cookieParser from 'cookie-parser';
import express, { type Request, type Response, type Router } from 'express';
import { badRequest, jsonBodyErrors, TRY_AGAIN, type TurnKit } from '../turn-kit';
import { webchatBot } from './botkit';
import { webIdentity } from './identity';
import { browserMessage, toIncoming, toWebReplies, type WebReply, type WebTurn } from './wire';
import { badUpload, readUpload } from './photo-upload';

/**
 * The web chat: the page at /chat, its script and style, and the message endpoint that hands
 * each validated message to Botkit. Nothing here touches the database: the turn kit (with its
 * delivery claims) comes from the composition root.
 */

export interface WebchatOptions {
  /** Claims each client message id once; a browser waits longer than Kakao, but not forever. */
  turns: TurnKit;
  cookieSecret: string;
  cookieMaxAgeMs: number;
  districtName: string;
  /** The largest photo the page may upload (bytes); a larger one gets the flow's Korean refusal. */
  maxPhotoBytes?: number;
}

const client = (file: string) => readFileSync(new URL(`./client/${file}`, import.meta.url), 'utf8');
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Only our own script and style, no inline code; framing only by our own pages.
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const tryAgain = (): WebReply[] => toWebReplies({ texts: [TRY_AGAIN], choices: [] });

export function webchatRouter(opts: WebchatOptions): Router {
  const page = client('chat.html').replaceAll('{{district}}', escapeHtml(opts.districtName));
  const script = client('chat.js');
  const style = client('chat.css');

  const respond = async (turn: WebTurn): Promise<WebReply[]> => {
    const incoming = toIncoming(turn);
    // A page load has no id; a message's retry (same clientId) after one already taken is not run
    // again, the user sees where the conversation is; an unanswered one may be retried.
    const delivery =
      turn.type === 'message' && turn.clientId
        ? { key: `web:${turn.userId}:${turn.clientId}`, redelivered: 'resume' as const, releaseIfUnanswered: true }
        : undefined;
    const outcome = await opts.turns.run(incoming, delivery);
    return outcome.kind === 'redelivery' ? [] : toWebReplies(outcome.reply);
  };
  const bot = webchatBot(respond, tryAgain, opts.turns.log);

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
        res.status(400).json(badRequest(parsed.error.issues[0]!));
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
  router.use('/chat/api/messages', jsonBodyErrors());

  // A photo from the page's 사진 button: the file as the body, one turn like a message's (the
  // same claim by client id, so a retried upload is taken once). Botkit carries text messages only.
  router.post('/chat/api/photos', cookieParser(opts.cookieSecret), async (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    const clientId = req.get('x-client-id') ?? '';
    if (!/^[A-Za-z0-9-]{8,64}$/.test(clientId)) {
      req.resume();
      return void badUpload(res);
    }
    const photo = await readUpload(req, opts.maxPhotoBytes ?? 10 * 1024 * 1024);
    const { userId } = webIdentity(req, res, opts.cookieMaxAgeMs);
    const delivery = { key: `web:${userId}:${clientId}`, redelivered: 'resume' as const, releaseIfUnanswered: true };
    try {
      const outcome = await opts.turns.run({ channel: 'web', userId, text: '', photos: [photo] }, delivery);
      res.json(outcome.kind === 'redelivery' ? [] : toWebReplies(outcome.reply));
    } catch (err) {
      opts.turns.log.error('web chat photo turn failed', { error: (err as Error)?.name });
      res.status(500).json(tryAgain());
    }
  });
  return router;
}
