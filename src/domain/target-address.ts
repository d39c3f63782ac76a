import { z } from 'zod';

/**
 * Where weekly lists, alerts and on-call calls go, as an admin types the addresses: one rule for
 * the console's forms, the CLI and the on-call chain (src/delivery/on-call-input.ts).
 */

/** A Slack channel id: C… (public), G… (private) or D… (a direct message). */
export const SLACK_CHANNEL = /^[CGD][A-Z0-9]{6,}$/;

/** A Telegram chat: its numeric id (negative for groups and channels) or @channelname. */
export const TELEGRAM_CHAT = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/;

/** At most this many e-mail addresses for one owner. */
export const MAX_EMAILS = 20;

/** Comma-separated e-mail addresses as a list (blank: none). */
export const emailList = (message?: string) =>
  z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.email(message)).max(MAX_EMAILS));

/** What the console says when it refuses one of the fields below. */
export const TARGET_FIELD_KO = {
  slack: 'Slack 채널 ID는 C0123456789처럼 입력해 주세요.',
  telegram: 'Telegram 채팅 ID는 -1001234567890 또는 @채널이름처럼 입력해 주세요.',
  email: '이메일 주소를 쉼표로 구분해 입력해 주세요 (20개까지).',
} as const;

/**
 * A form's or a command's Slack, Telegram and e-mail targets; an empty value clears one. The
 * console trims what was typed; the CLI gives its own (English) messages.
 */
export function targetFields(
  opts: { trim?: boolean; messages?: { slack?: string; telegram?: string; email?: string } } = {},
) {
  const text = () => (opts.trim ? z.string().trim() : z.string());
  return {
    slack: z.union([z.literal(''), text().regex(SLACK_CHANNEL, opts.messages?.slack)]),
    telegram: z.union([z.literal(''), text().regex(TELEGRAM_CHAT, opts.messages?.telegram)]),
    email: emailList(opts.messages?.email),
  };
}
