import type { Config } from '../config';
import type { AuthDeps } from '../domain/auth/sign-in';
import type { District } from '../domain/district';
import type { DongResolution } from '../domain/dong-resolver';
import { argon2Passwords } from '../passwords/argon2';
import type { Repositories } from '../ports';

/** A repository's name in `Repositories`. */
export type RepoName = keyof Repositories;

/**
 * What the console's routers need: built once in app.ts. `R` names the repositories a router or
 * page uses (`ConsoleDeps<'reports' | 'sessions'>`): its signature says what it touches, and
 * app.ts hands each router only those (see `only`).
 */
export interface ConsoleDeps<R extends RepoName = RepoName> {
  config: Config;
  repos: Pick<Repositories, R>;
  district: District;
  auth: AuthDeps;
  now: () => Date;
  /** The chat's address resolver (with Kakao Local / juso when configured): a corrected address finds its dong the same way. */
  resolveAddress?: (text: string) => Promise<DongResolution>;
}

/** The named repositories and nothing else, at run time too (a router cannot reach what it was not given). */
export function only<R extends RepoName>(repos: Repositories, names: readonly R[]): Pick<Repositories, R> {
  return Object.fromEntries(names.map((n) => [n, repos[n]])) as Pick<Repositories, R>;
}

/**
 * The console's dependencies, built once; `withRepos(names)` gives a router the shared parts and
 * only the repositories it names (each router exports its list, e.g. API_ROUTER_REPOS).
 */
export function consoleDeps(
  config: Config,
  repos: Repositories,
  district: District,
  now: () => Date,
  resolveAddress?: (text: string) => Promise<DongResolution>,
) {
  const shared: Omit<ConsoleDeps<never>, 'repos'> = {
    config,
    resolveAddress,
    district,
    now,
    auth: {
      users: repos.consoleUsers,
      sessions: repos.sessions,
      attempts: repos.loginAttempts,
      passwords: argon2Passwords,
      limits: {
        freeFailures: config.CONSOLE_LOGIN_FREE_FAILURES,
        maxDelayMs: config.CONSOLE_LOGIN_MAX_DELAY_SECONDS * 1000,
        perIp: config.CONSOLE_LOGIN_MAX_PER_IP,
        perAccount: config.CONSOLE_LOGIN_MAX_PER_ACCOUNT,
        windowMs: config.CONSOLE_LOGIN_WINDOW_MINUTES * 60_000,
        sessionTtlMs: config.CONSOLE_SESSION_HOURS * 3_600_000,
      },
    },
  };
  return {
    withRepos: <R extends RepoName>(names: readonly R[]): ConsoleDeps<R> => ({ ...shared, repos: only(repos, names) }),
  };
}
