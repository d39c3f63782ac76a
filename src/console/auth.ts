import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { authenticate, type Authenticated } from '../domain/auth/sign-in';
import type { ConsoleDeps } from './deps';

export const SESSION_COOKIE = 'sagak_session';
export const CSRF_HEADER = 'x-csrf-token';

/** The signed-in user of a request, set by `authenticated`. */
export interface AuthedRequest extends Request {
  auth: Authenticated;
  /** True when the credential is the cookie: only then can another site make the browser send it. */
  viaCookie: boolean;
}

const bearer = (req: Request) => /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(req.get('authorization') ?? '')?.[1];

/** True when `a` is the non-empty token `b`: a missing or empty token never matches (not even an empty one). */
export function sameToken(a: unknown, b: string | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || b.length < 16 || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Resolves the session from `Authorization: Bearer` (API clients) or the httpOnly cookie (the
 * console). Unauthenticated requests go to `onMissing` (401 JSON or a redirect to sign-in).
 */
export function authenticated(
  deps: ConsoleDeps<never>,
  onMissing: (req: Request, res: Response) => void,
): RequestHandler {
  return async (req, res, next) => {
    try {
      const fromHeader = bearer(req);
      const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
      const token = fromHeader ?? cookie;
      const auth = token ? await authenticate(deps.auth, token, deps.now()) : undefined;
      if (!auth) return onMissing(req, res);
      Object.assign(req, { auth, viaCookie: !fromHeader });
      next();
    } catch (err) {
      next(err);
    }
  };
}

/**
 * Synchronizer-token CSRF check for state-changing requests made with the cookie: the token
 * stored in the session must come back in the form field `_csrf` or the X-CSRF-Token header.
 */
export function csrfProtected(onRefused: (req: Request, res: Response) => void): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const r = req as AuthedRequest;
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method) || !r.viaCookie) return next();
    const sent = req.get(CSRF_HEADER) ?? (req.body as Record<string, unknown> | undefined)?._csrf;
    if (sameToken(sent, r.auth.csrfToken)) return next();
    onRefused(req, res);
  };
}

/**
 * A console cookie living `lifetimeMs` from now. The lifetime goes out as Max-Age, which the
 * browser counts on its own clock: an `Expires` taken from the app's clock would arrive already
 * expired whenever that clock and the browser's disagree (an injected test clock, a skewed host).
 */
export function cookieOptions(deps: ConsoleDeps<never>, lifetimeMs: number) {
  const secure = deps.config.CONSOLE_COOKIE_SECURE ?? deps.config.NODE_ENV === 'production';
  return { httpOnly: true, sameSite: 'strict' as const, secure, path: '/', maxAge: Math.max(0, lifetimeMs) };
}

/** The client address as express sees it (trust proxy is 1 hop), for the per-IP limit. */
export const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

export const loginBody = z.object({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(200),
});
