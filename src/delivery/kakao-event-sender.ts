import { z } from 'zod';
import { DeliveryError, type Sender } from './sender';

/**
 * KakaoTalk's chatbot Event API: the bot speaks first. One POST per message to
 * `<base>/v2/bots/<bot id>/talk` with the district's REST API key (`Authorization: KakaoAK …`),
 * the event (a block of the bot, whose answer shows `event.data.text`) and the user by botUserKey.
 * Kakao answers `{taskId, status: "SUCCESS" | "FAIL" | "ERROR", message}`. Each message is
 * charged, so the caller keeps the district's daily cap (src/delivery/reporter-news.ts).
 * The request shape is from Kakao's Event API guide (kakaobusiness.gitbook.io, main_notions/event-api);
 * the base URL is configurable so tests use a local stand-in.
 */
const answer = z.object({ taskId: z.string().optional(), status: z.string(), message: z.string().optional() });

export function kakaoEventSender(opts: {
  apiKey: string;
  botId: string;
  eventName: string;
  baseUrl: string;
  timeoutMs?: number;
}): Sender {
  const url = `${opts.baseUrl.replace(/\/$/, '')}/v2/bots/${encodeURIComponent(opts.botId)}/talk`;
  return {
    kind: 'kakao',
    async send(botUserKey, message) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { authorization: `KakaoAK ${opts.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            event: { name: opts.eventName, data: { text: message.text } },
            user: [{ type: 'botUserKey', id: botUserKey }],
          }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
        });
      } catch (err) {
        throw new DeliveryError('kakao', `network: ${(err as Error).message}`);
      }
      const parsed = answer.safeParse(await res.json().catch(() => null));
      if (!res.ok || !parsed.success)
        throw new DeliveryError(
          'kakao',
          `HTTP ${res.status}${parsed.success && parsed.data.message ? ` ${parsed.data.message}` : ''}`,
        );
      if (parsed.data.status !== 'SUCCESS')
        throw new DeliveryError(
          'kakao',
          `${parsed.data.status}${parsed.data.message ? ` ${parsed.data.message}` : ''}`,
        );
    },
  };
}
