import { createHash, randomBytes } from 'node:crypto';
import type { ConsoleUser } from './console-user';
import type { ConsoleUserRepository, LoginAttemptRepository, SessionRepository } from './repositories';
import type { Actor } from '../workflow/apply-action';
import type { PasswordHasher } from './passwords';
import { passwordProblem, type PasswordProblem } from './password-policy';
import { accountKey, failuresSinceSuccess, ipKey, pairBlockedUntil, pairKey, type ThrottleLimits } from './throttle';

export interface AuthDeps {
  users: ConsoleUserRepository;
  sessions: SessionRepository;
  attempts: LoginAttemptRepository;
  passwords: PasswordHasher;
  limits: ThrottleLimits & { sessionTtlMs: number };
}

export type SignInResult =
  | { ok: true; token: string; csrfToken: string; expiresAt: Date; user: ConsoleUser }
  | { ok: false; code: 'rate_limited'; retryAfterMs: number }
  | { ok: false; code: 'invalid' };

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

/**
 * Checks a password and opens a session. Each try is recorded before it is counted, so the
 * throttle holds across instances and parallel tries (src/domain/auth/throttle.ts); an unknown
 * name costs the same hash time. A try made too early is refused without checking the password.
 * Callers pass only tries another site cannot forge (after the form's CSRF check, or JSON).
 */
export async function signIn(
  deps: AuthDeps,
  input: { username: string; password: string; ip: string },
  now: Date,
): Promise<SignInResult> {
  const pair = pairKey(input.username, input.ip);
  const attemptId = await deps.attempts.record([pair, ipKey(input.ip), accountKey(input.username)], now, {
    username: input.username,
    ip: input.ip,
  });
  const since = new Date(now.getTime() - deps.limits.windowMs);
  const failures = failuresSinceSuccess((await deps.attempts.since(pair, since)).filter((a) => a.id !== attemptId));
  const until = pairBlockedUntil(failures, deps.limits, now);
  // the budgets bind only an address that has failed for this account: the owner elsewhere passes
  const overBudget =
    !until &&
    failures.length > 0 &&
    ((await deps.attempts.failedSince(ipKey(input.ip), since, attemptId)) >= deps.limits.perIp ||
      (await deps.attempts.failedSince(accountKey(input.username), since, attemptId)) >= deps.limits.perAccount);
  if (until || overBudget) {
    await deps.attempts.settle(attemptId, 'refused');
    const retryAfterMs = until ? until.getTime() - now.getTime() : deps.limits.windowMs;
    return { ok: false, code: 'rate_limited', retryAfterMs };
  }
  const user = await deps.users.byUsername(input.username);
  const valid = await deps.passwords.verify(user?.passwordHash ?? (await deps.passwords.dummyHash()), input.password);
  if (!user || !valid || !user.active) {
    await deps.attempts.settle(attemptId, 'failed');
    return { ok: false, code: 'invalid' };
  }
  await deps.attempts.settle(attemptId, 'ok');
  await deps.users.noteSignIn(user.id, now);
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(now.getTime() + deps.limits.sessionTtlMs);
  await deps.sessions.create({
    tokenHash: tokenHash(token),
    userId: user.id,
    csrfToken,
    createdAt: now,
    expiresAt,
    filters: {},
  });
  return { ok: true, token, csrfToken, expiresAt, user };
}

export type ChangePasswordResult =
  | { ok: true; endedSessions: number }
  | { ok: false; code: 'wrong_current' | PasswordProblem };

/**
 * The owner changes their own password: the current one must be right and the new one must meet
 * the policy. Every other session of the user ends; the one in use stays signed in.
 */
export async function changeOwnPassword(
  deps: Pick<AuthDeps, 'users' | 'sessions' | 'passwords'>,
  auth: { user: ConsoleUser; tokenHash: string },
  input: { current: string; next: string },
): Promise<ChangePasswordResult> {
  if (!(await deps.passwords.verify(auth.user.passwordHash, input.current)))
    return { ok: false, code: 'wrong_current' };
  const problem = passwordProblem(input.next, auth.user.username);
  if (problem) return { ok: false, code: problem };
  await deps.users.setPasswordHash(auth.user.id, await deps.passwords.hash(input.next));
  const endedSessions = await deps.sessions.removeForUserExcept(auth.user.id, auth.tokenHash);
  return { ok: true, endedSessions };
}

export interface Authenticated {
  actor: Actor;
  user: ConsoleUser;
  tokenHash: string;
  csrfToken: string;
  filters: Record<string, string>;
}

/** The live session of a token and its still-active user, or undefined. */
export async function authenticate(
  deps: Pick<AuthDeps, 'users' | 'sessions'>,
  token: string,
  now: Date,
): Promise<Authenticated | undefined> {
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
