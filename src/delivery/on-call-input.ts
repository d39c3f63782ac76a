import { z } from 'zod';
import { MAX_CHAIN } from './urgent-route';
import { isAllowedWebhookUrl } from './webhook-sender';
import { MAX_EMAILS, SLACK_CHANNEL, TELEGRAM_CHAT } from '../domain/target-address';
import {
  onCallHoursSchema,
  parseHoursRange,
  type OnCallHours,
  type OnCallKind,
  type OnCallTarget,
} from '../domain/urgent/on-call';

/**
 * The on-call setup as an admin types it, in the console form and at the CLI: the hours as
 * "18:00-09:00", and the chain one target a line (or comma-separated at the CLI), "kind address":
 *
 *     webhook https://sms.example.go.kr/sagak
 *     telegram -1001234567890
 *     email chief@example.go.kr
 *
 * The first line is the on-call target; the rest is the escalation list in order.
 */
const KIND_WORDS: Record<string, OnCallKind> = {
  slack: 'slack',
  telegram: 'telegram',
  email: 'email',
  webhook: 'webhook',
  이메일: 'email',
  웹훅: 'webhook',
  텔레그램: 'telegram',
  슬랙: 'slack',
};

const ADDRESS: Record<OnCallKind, z.ZodType<string>> = {
  slack: z.string().regex(SLACK_CHANNEL),
  telegram: z.string().regex(TELEGRAM_CHAT),
  email: z
    .string()
    .transform((v) =>
      v
        .split(/[,;]\s*|\s+/)
        .map((e) => e.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.email()).min(1).max(MAX_EMAILS))
    .transform((list) => list.join(', ')),
  webhook: z.string().max(500).refine(isAllowedWebhookUrl),
};

export type OnCallInputError = { field: 'hours' | 'chain'; line?: number; messageKo: string; message: string };

/** "kind address" lines into targets, or the first line that is not one (with a Korean and an English reason). */
export function parseChain(
  lines: string[],
): { ok: true; chain: OnCallTarget[] } | { ok: false; error: OnCallInputError } {
  const chain: OnCallTarget[] = [];
  const real = lines.map((l) => l.trim()).filter(Boolean);
  if (real.length > MAX_CHAIN)
    return {
      ok: false,
      error: {
        field: 'chain',
        messageKo: `알릴 곳은 ${MAX_CHAIN}곳까지입니다.`,
        message: `at most ${MAX_CHAIN} targets`,
      },
    };
  for (const [i, line] of real.entries()) {
    const m = /^(\S+)\s+(.+)$/.exec(line);
    const kind = m ? KIND_WORDS[m[1]!.toLowerCase()] : undefined;
    const address = kind ? ADDRESS[kind].safeParse(m![2]!.trim()) : undefined;
    if (!kind || !address?.success) {
      return {
        ok: false,
        error: {
          field: 'chain',
          line: i + 1,
          messageKo: `${i + 1}번째 줄을 "종류 주소"로 적어 주세요 (종류: webhook, slack, telegram, email · 웹훅은 https://, Slack은 C0123456789, Telegram은 -1001234567890).`,
          message: `line ${i + 1}: "<kind> <address>" with kind webhook, slack, telegram or email and a valid address`,
        },
      };
    }
    chain.push({ kind, address: address.data });
  }
  return { ok: true, chain };
}

/** "18:00-09:00" and the off-days choice into hours, or why not. */
export function parseHours(
  range: string,
  offDays: boolean,
): { ok: true; hours: OnCallHours } | { ok: false; error: OnCallInputError } {
  const r = parseHoursRange(range);
  const parsed = r ? onCallHoursSchema.safeParse({ ...r, offDays }) : undefined;
  if (!parsed?.success)
    return {
      ok: false,
      error: {
        field: 'hours',
        messageKo: '당직 시간을 18:00-09:00처럼 적어 주세요 (시작과 끝이 달라야 합니다).',
        message: 'hours take a range such as 18:00-09:00 (from and to must differ)',
      },
    };
  return { ok: true, hours: parsed.data };
}
