import type { Config } from '../config';
import type { AuthDeps } from '../domain/auth/sign-in';
import type { District } from '../domain/district';
import type { Repositories } from '../services';

/** What the console's routers need: built once in app.ts. */
export interface ConsoleDeps {
  config: Config;
  repos: Repositories;
  district: District;
  auth: AuthDeps;
  now: () => Date;
}

export function consoleDeps(config: Config, repos: Repositories, district: District, now: () => Date): ConsoleDeps {
  return {
    config,
    repos,
    district,
    now,
    auth: {
      users: repos.consoleUsers,
      sessions: repos.sessions,
      attempts: repos.loginAttempts,
      limits: {
        freeFailures: config.CONSOLE_LOGIN_FREE_FAILURES,
        maxDelayMs: config.CONSOLE_LOGIN_MAX_DELAY_SECONDS * 1000,
        perIp: config.CONSOLE_LOGIN_MAX_PER_IP,
        windowMs: config.CONSOLE_LOGIN_WINDOW_MINUTES * 60_000,
        sessionTtlMs: config.CONSOLE_SESSION_HOURS * 3_600_000,
      },
    },
  };
}
