import { createHash } from 'node:crypto';
import pino from 'pino';

/**
 * One JSON logger. Personal data never goes in: callers log ids, steps and timings only, and
 * the redact list is a second net for fields that must never appear even by mistake.
 */
export const log = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: 'sagak' },
  redact: {
    paths: ['*.name', '*.phone', '*.address', '*.text', '*.situation', '*.password', '*.inviteCode', 'req.headers'],
    censor: '[redacted]',
  },
});

/** A stable pseudonym for a chat user, so logs can follow a conversation without the id itself. */
export function pseudonym(channel: string, userId: string): string {
  return createHash('sha256').update(`${channel}:${userId}`).digest('hex').slice(0, 12);
}
