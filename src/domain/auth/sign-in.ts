import { createHash, randomBytes } from 'node:crypto';
import type { ConsoleUser, ConsoleUserRepository } from '../../store/console-user/console-user';
import type { LoginAttemptRepository } from '../../store/login-attempt/login-attempt';
import type { SessionRepository } from '../../store/session/session';
import type { Actor } from '../workflow/apply-action';
import { dummyHash, verifyPassword } from './passwords';

export interface AuthDeps {
  users: ConsoleUserRepository;
  sessions: SessionRepository;
  attempts: LoginAttemptRepository;
  limits: { perUsername: number; perIp: number; windowMs: number; sessionTtlMs: number };
}

export type SignInResult =
  | { ok: true; token: string; csrfToken: string; expiresAt: Date; user: ConsoleUser }
  | { ok: false; code: 'rate_limited' | 'invalid' };

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

/**
 * Checks a password and opens a session. Each try is recorded before it is counted, so the
 * limits hold across instances and parallel tries; an unknown name costs the same hash time.
 */
export async function signIn(deps: AuthDeps, input: { username: string; password: string; ip: string }, now: Date): Promise<SignInResult> {
  const attemptId = await deps.attempts.record([`u:${input.username}`, `ip:${input.ip}`], now);
  const since = new Date(now.getTime() - deps.limits.windowMs);
  const [byUser, byIp] = await Promise.all([
    deps.attempts.unsuccessfulSince(`u:${input.username}`, since),
    deps.attempts.unsuccessfulSince(`ip:${input.ip}`, since),
  ]);
  if (byUser > deps.limits.perUsername || byIp > deps.limits.perIp) {
    await deps.attempts.settle(attemptId, 'failed');
    return { ok: false, code: 'rate_limited' };
  }
  const user = await deps.users.byUsername(input.username);
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyHash()), input.password);
  if (!user || !valid || !user.active) {
    await deps.attempts.settle(attemptId, 'failed');
    return { ok: false, code: 'invalid' };
  }
  await deps.attempts.settle(attemptId, 'ok');
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(now.getTime() + deps.limits.sessionTtlMs);
  await deps.sessions.create({ tokenHash: tokenHash(token), userId: user.id, csrfToken, createdAt: now, expiresAt, filters: {} });
  return { ok: true, token, csrfToken, expiresAt, user };
}

export interface Authenticated {
  actor: Actor;
  user: ConsoleUser;
  tokenHash: string;
  csrfToken: string;
  filters: Record<string, string>;
}

/** The live session of a token and its still-active user, or undefined. */
export async function authenticate(deps: Pick<AuthDeps, 'users' | 'sessions'>, token: string, now: Date): Promise<Authenticated | undefined> {
  const hash = tokenHash(token);
  const session = await deps.sessions.live(hash, now);
  if (!session) return undefined;
  const user = await deps.users.byId(session.userId);
  if (!user?.active) return undefined;
  return { actor: actorOf(user), user, tokenHash: hash, csrfToken: session.csrfToken, filters: session.filters ?? {} };
}

export function actorOf(user: ConsoleUser): Actor {
  const id = `user:${user.username}`;
  if (user.role === 'dong') return { id, role: 'dong', dongCode: user.dongCode ?? '' };
  return { id, role: user.role };
}
