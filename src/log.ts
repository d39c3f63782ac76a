import { createHmac, randomBytes } from 'node:crypto';
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

let pseudonymKey: Buffer = randomBytes(32); // until start-up sets the configured one: never unkeyed

/** Sets the secret the pseudonyms are keyed with (LOG_PSEUDONYM_SECRET or the data folder's key). */
export function setPseudonymKey(key: string | Buffer): void {
  pseudonymKey = Buffer.from(key);
}

/**
 * A stable pseudonym for a chat user, so logs can follow a conversation without the id itself.
 * Keyed (HMAC-SHA256): whoever knows a user id but not the key cannot find that user in the logs.
 */
export function pseudonym(channel: string, userId: string): string {
  return createHmac('sha256', pseudonymKey).update(`${channel}:${userId}`).digest('hex').slice(0, 16);
}
