import type { ConsoleUser } from './console-user';
import type { Session } from './session';
import type { AttemptFact } from './throttle';
import type { PasswordReset } from './user-admin';

/** The console's accounts; src/store/console-user implements it. */
export interface ConsoleUserRepository {
  /** Stores a new user; undefined when the username is taken. */
  create(user: Omit<ConsoleUser, 'id'>): Promise<ConsoleUser | undefined>;
  byUsername(username: string): Promise<ConsoleUser | undefined>;
  byId(id: string): Promise<ConsoleUser | undefined>;
  disable(username: string): Promise<ConsoleUser | undefined>;
  update(
    username: string,
    patch: Partial<Pick<ConsoleUser, 'role' | 'dongCode' | 'active' | 'name' | 'department' | 'phone'>>,
  ): Promise<ConsoleUser | undefined>;
  noteSignIn(id: string, at: Date): Promise<void>;
  setPasswordHash(id: string, passwordHash: string): Promise<boolean>;
  list(): Promise<ConsoleUser[]>;
}

/** Console sessions, by the hash of their token; src/store/session implements it. */
export interface SessionRepository {
  create(s: Session): Promise<void>;
  /** The session unless it expired by `now`. */
  live(tokenHash: string, now: Date): Promise<Session | undefined>;
  setFilters(tokenHash: string, filters: Record<string, string>): Promise<void>;
  remove(tokenHash: string): Promise<void>;
  removeForUser(userId: string): Promise<number>;
  removeForUserExcept(userId: string, keepTokenHash: string): Promise<number>;
  purge(now: Date): Promise<number>;
}

/** Sign-in tries, recorded before they are counted (src/domain/auth/throttle.ts); src/store/login-attempt implements it. */
export interface LoginAttemptRepository {
  /** Records a try under each key; returns its id (settled once the password was checked). */
  record(keys: string[], at: Date, who: { username: string; ip: string }): Promise<string>;
  settle(id: string, outcome: 'ok' | 'failed' | 'refused'): Promise<void>;
  since(key: string, since: Date): Promise<AttemptFact[]>;
  failedSince(key: string, since: Date, except: string): Promise<number>;
  allSince(since: Date): Promise<AttemptFact[]>;
  clear(key: string): Promise<number>;
  purge(before: Date): Promise<number>;
}

/** One-time password reset links, by the hash of their token; src/store/password-reset implements it. */
export interface PasswordResetRepository {
  create(r: PasswordReset): Promise<void>;
  live(tokenHash: string, now: Date): Promise<PasswordReset | undefined>;
  /** Uses the link up; false when it was used (or expired) first. */
  claim(tokenHash: string, now: Date): Promise<boolean>;
  purge(now: Date): Promise<number>;
}
