import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { answerChoices, callChoices, type Incoming, type Reply } from '../flows/types';
import { badRequest, jsonBodyErrors, TRY_AGAIN, type TurnKit, type TurnOutcome } from './turn-kit';
import { chunks } from './message-split';
import { normalizeText } from '../src/domain/text/normalize';
import { fetchPhoto, type PhotoFetchOptions } from './photo-fetch';

/**
 * Kakao i Open Builder skill server (protocol v2.0). Kakao waits 5 s for an answer and never
 * retries, so the adapter always answers inside its budget, with "try again" if it must.
 */

// Kakao's documented limits for a SkillResponse.
const MAX_OUTPUTS = 3;
const MAX_SIMPLE_TEXT = 1000;
const MAX_QUICK_REPLIES = 10;
const MAX_LABEL = 14;
const MAX_CARD_BUTTONS = 3;
/** Longer lists than the quick replies hold are numbered in the text; typing a number picks one. */
const NUMBERED_FROM = MAX_QUICK_REPLIES + 1;

/**
 * A JSON object however Kakao spells it: an object as is; a string holding JSON (the v1 guide's
 * `"clientExtra": "null"`, the secure-image plugin's parameters) parsed; anything else (null,
 * "", a number, an array) is no object. Never a reason to refuse the request.
 */
const lenientRecord = z.preprocess((v) => {
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}, z.record(z.string(), z.unknown()).optional());

/** A string field that may come as a number, null or be missing: what the flow needs, or the fallback. */
const lenientString = (fallback?: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback),
    z.string().optional(),
  );

/**
 * Kakao's SkillPayload, read for what the flow needs and nothing more. Any 4xx is shown to the
 * person as a skill error, so only a body that names no user at all (not a skill request) is
 * refused; unknown fields, nulls, and strings where objects are usual are read leniently.
 */
/** An object where one is usual; anything else (an array, a string, null) reads as absent. */
const objectOrNothing = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? v : undefined);

const skillRequest = z.object({
  intent: z.preprocess(objectOrNothing, z.object({ name: lenientString() }).optional()),
  userRequest: z.object({
    // no length cap here: a long message gets a polite re-prompt (flows/input-guard), not HTTP 400
    utterance: lenientString(''),
    user: z.object({ id: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().min(1).max(200)) }),
    params: lenientRecord,
    /** Present only on blocks with Kakao's AI-chatbot callback turned on: one use, within a minute. */
    callbackUrl: lenientString(),
  }),
  action: z.preprocess(
    objectOrNothing,
    z.object({ clientExtra: lenientRecord, params: lenientRecord, detailParams: lenientRecord }).optional(),
  ),
});
export type SkillRequest = z.infer<typeof skillRequest>;

interface KakaoQuickReply {
  label: string;
  action: 'message';
  messageText: string;
  extra: { value: string };
}
interface KakaoPhoneButton {
  label: string;
  action: 'phone';
  phoneNumber: string;
}
export type KakaoOutput =
  | { simpleText: { text: string } }
  | { textCard: { description: string; buttons: KakaoPhoneButton[] } };
export interface SkillResponse {
  version: '2.0';
  template: { outputs: KakaoOutput[]; quickReplies?: KakaoQuickReply[] };
}

/** A photo's address as Kakao sends it: an image URL typed as the utterance (talk.kakaocdn.net). */
const IMAGE_URL = /^https?:\/\/\S+(\.(jpe?g|png|gif|webp|heic)(\?\S*)?|kakaocdn\.net\/\S*)$/i;

/** Photos taken from one Kakao message (the secure-image plugin lets a person pick several). */
const MAX_IMAGES = 5;

/** The first image of a Kakao request (see `imagesOf`). */
export function imageOf(body: SkillRequest, utterance: string): string | undefined {
  return imagesOf(body, utterance)[0];
}

/**
 * The images of a Kakao request: the secure-image plugin's parameter (a JSON string whose
 * `secureUrls` is "List(url1, url2)"), a plain `image` parameter, or an image URL as the utterance.
 */
export function imagesOf(body: SkillRequest, utterance: string): string[] {
  const params = body.action?.params;
  let secure: unknown = params?.secureimage;
  if (typeof secure === 'string') {
    try {
      secure = JSON.parse(secure);
    } catch {
      secure = undefined;
    }
  }
  const urls = secure && typeof secure === 'object' ? (secure as { secureUrls?: unknown }).secureUrls : undefined;
  const listed = typeof urls === 'string' ? [...urls.matchAll(/https?:\/\/[^\s,)]+/g)].map((m) => m[0]) : [];
  if (listed.length) return listed.slice(0, MAX_IMAGES);
  if (typeof params?.image === 'string' && /^https?:\/\//.test(params.image)) return [params.image];
  return IMAGE_URL.test(utterance) ? [utterance] : [];
}

/** Kakao payload → Incoming. A pressed quick reply carries our value in action.clientExtra. */
export function toIncoming(body: SkillRequest): Incoming {
  const extra = body.action?.clientExtra;
  const value = extra && typeof extra.value === 'string' ? extra.value : undefined;
  const utterance = normalizeText(body.userRequest.utterance ?? '').trim(); // Open Builder's test console appends "\n"
  const images = imagesOf(body, utterance);
  const image = images[0];
  return {
    channel: 'kakao',
    userId: body.userRequest.user.id,
    // a photo's URL is never taken as typed text (an address, a situation)
    text: image !== undefined && image === utterance ? '' : utterance,
    choice: value === undefined ? undefined : normalizeText(value),
    // Open Builder's welcome block (채널 추가 or the first visit) starts the flow like "신고"
    isStart: /웰컴|welcome/i.test(body.intent?.name ?? '') || undefined,
    imageUrl: image,
    imageUrls: images.length > 1 ? images : undefined,
    numberedChoices: NUMBERED_FROM,
  };
}

/**
 * Reply → SkillResponse within Kakao's limits; long choice lists are also numbered in the text.
 * Call buttons become a textCard with `phone` buttons (quick replies cannot dial), after the first text.
 */
export function toSkillResponse(reply: Reply): SkillResponse {
  const texts = [...reply.texts];
  const calls = callChoices(reply.choices).slice(0, MAX_CARD_BUTTONS);
  let choices = answerChoices(reply.choices);
  if (choices.length >= NUMBERED_FROM) {
    texts.push(`${choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}\n(번호를 입력해도 됩니다)`);
    choices = [...choices.slice(0, MAX_QUICK_REPLIES - 2), ...choices.slice(-2)];
  }
  const room = calls.length > 0 ? MAX_OUTPUTS - 1 : MAX_OUTPUTS;
  let outputs = texts.flatMap((t) => chunks(t, MAX_SIMPLE_TEXT));
  if (outputs.length > room) {
    const merged = chunks(outputs.join('\n\n'), MAX_SIMPLE_TEXT);
    outputs = merged.slice(0, room);
    if (merged.length > room) outputs[room - 1] = `${outputs[room - 1]!.slice(0, MAX_SIMPLE_TEXT - 10)}\n…(이하 생략)`;
  }
  const card: KakaoOutput[] = calls.length
    ? [
        {
          textCard: {
            description: '누르면 바로 전화가 연결됩니다.',
            buttons: calls.map((c) => ({
              label: [...c.label].slice(0, MAX_LABEL).join(''),
              action: 'phone',
              phoneNumber: c.call,
            })),
          },
        },
      ]
    : [];
  // the warning that asks to call comes first, then its buttons, then the next question
  const simple: KakaoOutput[] = outputs.map((text) => ({ simpleText: { text } }));
  const response: SkillResponse = {
    version: '2.0',
    template: { outputs: [...simple.slice(0, 1), ...card, ...simple.slice(1)] },
  };
  if (choices.length > 0) {
    response.template.quickReplies = choices.map((c) => ({
      label: [...c.label].slice(0, MAX_LABEL).join(''),
      action: 'message',
      messageText: c.label,
      extra: { value: c.value },
    }));
  }
  return response;
}

function secretMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Kakao's AI-chatbot callback: where a slow turn's reply may go, and how long the turn may take then. */
export interface KakaoCallbackOptions {
  /** Origins the callback URL must have ("https://*.kakao.com"); any other URL is never posted to. */
  origins: string[];
  /** How long a turn may run once answered with useCallback (Kakao's URL lives one minute). */
  budgetMs: number;
  /** How long the first answer may wait for the turn before it says useCallback (the kit's budget). */
  firstAnswerMs: number;
}

/** The first answer when the reply will come by callback (shown while the person waits). */
export const CALLBACK_WAIT = '확인하고 있습니다. 잠시만 기다려 주세요.';

/** Whether `url` has one of the allowed origins ("https://*.kakao.com" covers its subdomains). */
export function callbackAllowed(url: string, origins: string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  return origins.some((o) => {
    const m = /^(https?):\/\/(\*\.)?([^/]+)$/.exec(o.trim());
    if (!m || `${m[1]}:` !== u.protocol) return false;
    return m[2] ? u.host.endsWith(`.${m[3]}`) : u.host === m[3];
  });
}

export interface KakaoAdapterOptions {
  /** Runs each turn within Kakao's 5 s (the budget is set where the kit is made). */
  turns: TurnKit;
  /** Kakao's callback, when the bot has it: without it (or for a URL not allowed) a slow turn answers "try again". */
  callback?: KakaoCallbackOptions;
  /** Shared secret Open Builder sends as a custom header; unchecked when absent. */
  secret?: string;
  secretHeader: string;
  /** Where photos may be fetched from (Kakao's CDN), and the limits: a secure-image URL expires in minutes, so it is fetched at once. */
  photos?: PhotoFetchOptions;
}

export function kakaoRouter(opts: KakaoAdapterOptions): Router {
  const router = express.Router();
  router.post('/kakao/skill', express.json({ limit: '64kb' }), async (req: Request, res: Response) => {
    if (opts.secret && !secretMatches(req.get(opts.secretHeader), opts.secret)) {
      res.status(401).json({ error: 'unauthorized', message: 'skill secret header missing or wrong' });
      return;
    }
    const parsed = skillRequest.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json(badRequest(parsed.error.issues[0]!));
      return;
    }
    const started = performance.now();
    let incoming = toIncoming(parsed.data);
    if (incoming.imageUrl !== undefined) {
      // fetched now, inside Kakao's 5 s, and never longer than half the turn's budget
      const limits = opts.photos ?? { hosts: [], maxBytes: 0, timeoutMs: 0 };
      const within = { ...limits, timeoutMs: Math.min(limits.timeoutMs, opts.turns.budgetMs / 2) };
      incoming = {
        ...incoming,
        photos: await Promise.all((incoming.imageUrls ?? [incoming.imageUrl]).map((url) => fetchPhoto(url, within))),
      };
    }
    const left = Math.max(500, Math.round(opts.turns.budgetMs - (performance.now() - started)));
    const callbackUrl = parsed.data.userRequest.callbackUrl;
    const answer = (o: TurnOutcome) => toSkillResponse(o.kind === 'redelivery' ? { texts: [], choices: [] } : o.reply);
    if (opts.callback && callbackUrl) {
      if (callbackAllowed(callbackUrl, opts.callback.origins))
        return viaCallback(opts.callback, incoming, callbackUrl, res);
      opts.turns.log.warn('kakao callbackUrl outside the allowed origins: answered without it');
    }
    // Kakao never redelivers, so there is no delivery to claim; the outcome always has a reply
    res.json(answer(await opts.turns.run(incoming, undefined, left)));
  });

  /**
   * With Kakao's callback: the turn may take up to `budgetMs`. If it answers within the first
   * answer's time, that is the answer; else Kakao gets useCallback at once and the reply is
   * posted to the callback URL (one use) when the turn ends. Nothing is said twice.
   */
  async function viaCallback(cb: KakaoCallbackOptions, incoming: Incoming, url: string, res: Response): Promise<void> {
    const turn = opts.turns.run(incoming, undefined, cb.budgetMs).then(
      (o) => toSkillResponse(o.kind === 'redelivery' ? { texts: [], choices: [] } : o.reply),
      () => toSkillResponse({ texts: [TRY_AGAIN], choices: [] }),
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const wait = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), cb.firstAnswerMs);
    });
    const first = await Promise.race([turn, wait]);
    clearTimeout(timer);
    if (first) {
      res.json(first);
      return;
    }
    res.json({ version: '2.0', useCallback: true, data: { text: CALLBACK_WAIT } });
    const reply = await turn;
    try {
      const posted = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(reply),
        redirect: 'error',
        signal: AbortSignal.timeout(10_000),
      });
      if (!posted.ok) opts.turns.log.warn('kakao callback refused', { status: posted.status });
    } catch (err) {
      opts.turns.log.warn('kakao callback failed', { error: (err as Error)?.name });
    }
  }
  router.use('/kakao/skill', jsonBodyErrors());
  return router;
}
