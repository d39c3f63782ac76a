import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { log } from '../../src/log';

/**
 * The browser's identity: a random id the server issues in a signed (HMAC-SHA256, cookie-parser),
 * httpOnly, SameSite=Strict cookie. A missing, unsigned or forged cookie gets a new id, so nobody
 * can name someone else's conversation.
 */
export const IDENTITY_COOKIE = 'sagak_webchat';
export const COOKIE_PATH = '/chat';

const ID = /^[A-Za-z0-9_-]{22}$/; // 16 random bytes in base64url

/** The id this request carries, or a fresh one; (re)sets the cookie so its lifetime rolls. */
export function webIdentity(req: Request, res: Response, maxAgeMs: number): { userId: string; issued: boolean } {
  const signed: unknown = req.signedCookies?.[IDENTITY_COOKIE];
  const known = typeof signed === 'string' && ID.test(signed);
  const userId = known ? signed : randomBytes(16).toString('base64url');
  res.cookie(IDENTITY_COOKIE, userId, {
    signed: true,
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure, // behind the TLS proxy (trust proxy is on) the cookie is https-only
    path: COOKIE_PATH,
    maxAge: maxAgeMs,
  });
  return { userId, issued: !known };
}

let devSecret: string | undefined;

/**
 * The configured secret; in development and tests without one, a random secret per process
 * (identities end at restart) with one warning. In production without one: undefined, chat off.
 */
export function cookieSecret(
  configured: string | undefined,
  env: 'development' | 'test' | 'production',
): string | undefined {
  if (configured) return configured;
  if (env === 'production') return undefined;
  if (!devSecret) {
    devSecret = randomBytes(32).toString('base64url');
    log.warn(
      'WEBCHAT_COOKIE_SECRET is unset: web chat signs identities with a random per-process secret; browsers get new identities after a restart',
    );
  }
  return devSecret;
}
