import { createHash } from 'node:crypto';
import pino from 'pino';
import { loadConfig } from './config';

/** config.LOG_LEVEL, with .env applied; a wrong configuration is reported by whoever loads it. */
function configuredLevel(): string {
  try {
    return loadConfig().LOG_LEVEL;
  } catch {
    return 'info';
  }
}

/**
 * One JSON logger. Personal data never goes in: callers log ids, steps and timings only, and
 * the redact list is a second net for fields that must never appear even by mistake.
 */
export const log = pino({
  level: configuredLevel(),
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
