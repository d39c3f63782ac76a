import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { answerChoices, callChoices, type Incoming, type Reply } from '../flows/types';
import { badRequest, jsonBodyErrors, type TurnKit } from './turn-kit';
import { chunks } from './text-limits';
import { normalizeText } from '../src/domain/text/normalize';

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
  z.preprocess((v) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback), z.string().optional());

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
export type KakaoOutput = { simpleText: { text: string } } | { textCard: { description: string; buttons: KakaoPhoneButton[] } };
export interface SkillResponse {
  version: '2.0';
  template: { outputs: KakaoOutput[]; quickReplies?: KakaoQuickReply[] };
}

/** Kakao payload → Incoming. A pressed quick reply carries our value in action.clientExtra. */
export function toIncoming(body: SkillRequest): Incoming {
  const extra = body.action?.clientExtra;
  const value = extra && typeof extra.value === 'string' ? extra.value : undefined;
  const image = body.action?.params?.secureimage ?? body.action?.params?.image;
  return {
    channel: 'kakao',
    userId: body.userRequest.user.id,
    text: normalizeText(body.userRequest.utterance ?? '').trim(), // Open Builder's test console appends "\n"
    choice: value === undefined ? undefined : normalizeText(value),
    // Open Builder's welcome block (채널 추가 or the first visit) starts the flow like "신고"
    isStart: /웰컴|welcome/i.test(body.intent?.name ?? '') || undefined,
    imageUrl: typeof image === 'string' ? image : undefined,
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
    ? [{ textCard: { description: '누르면 바로 전화가 연결됩니다.', buttons: calls.map((c) => ({ label: [...c.label].slice(0, MAX_LABEL).join(''), action: 'phone', phoneNumber: c.call })) } }]
    : [];
  // the warning that asks to call comes first, then its buttons, then the next question
  const simple: KakaoOutput[] = outputs.map((text) => ({ simpleText: { text } }));
  const response: SkillResponse = { version: '2.0', template: { outputs: [...simple.slice(0, 1), ...card, ...simple.slice(1)] } };
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

export interface KakaoAdapterOptions {
  /** Runs each turn within Kakao's 5 s (the budget is set where the kit is made). */
  turns: TurnKit;
  /** Shared secret Open Builder sends as a custom header; unchecked when absent. */
  secret?: string;
  secretHeader: string;
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
    // Kakao never redelivers, so there is no delivery to claim; the outcome always has a reply
    const outcome = await opts.turns.run(toIncoming(parsed.data));
    res.json(toSkillResponse(outcome.kind === 'redelivery' ? { texts: [], choices: [] } : outcome.reply));
  });
  router.use('/kakao/skill', jsonBodyErrors());
  return router;
}
