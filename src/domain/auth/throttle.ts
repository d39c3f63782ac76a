/**
 * Sign-in throttling (the design and its reasons: README, "Sign-in limits").
 *
 * - Per (username, address): the first few failures are free, then each try must wait twice as
 *   long after the last failure as the one before (1 s, 2 s, 4 s … up to a cap).
 * - Per address and per account: budgets of failures over the window. Over either budget, an
 *   address that has failed for that account (since its last success) is refused; an address
 *   that has not gets its try. So the owner signing in correctly from where they have not failed
 *   is never blocked, and an attacker gets at most one more guess per account per address.
 * - Only real failures count: tries refused by a limit never do, and a try reaches the count only
 *   after the CSRF check (the form) or as JSON (the API), which another site cannot make a
 *   colleague's browser send.
 */
export interface ThrottleLimits {
  freeFailures: number;
  maxDelayMs: number;
  perIp: number;
  perAccount: number;
  windowMs: number;
}

export interface AttemptFact {
  id: string;
  at: Date;
  outcome: 'pending' | 'ok' | 'failed' | 'refused';
  username: string;
  ip: string;
}

export const pairKey = (username: string, ip: string) => `up:${username}|${ip}`;
export const ipKey = (ip: string) => `ip:${ip}`;
export const accountKey = (username: string) => `u:${username}`;

/** Counts toward a budget: a failure, or a try still running (it may be one; parallel guesses see each other). */
export const countsAsFailure = (a: Pick<AttemptFact, 'outcome'>) => a.outcome === 'failed' || a.outcome === 'pending';

/** The wait after `failures` consecutive failures. */
export function delayAfter(failures: number, limits: Pick<ThrottleLimits, 'freeFailures' | 'maxDelayMs'>): number {
  if (failures < limits.freeFailures) return 0;
  return Math.min(limits.maxDelayMs, 1000 * 2 ** Math.min(30, failures - limits.freeFailures));
}

/** Failures (and tries still running, which may be failures) since the pair's last success. */
export function failuresSinceSuccess(attempts: AttemptFact[]): AttemptFact[] {
  const sorted = [...attempts].sort((a, b) => a.at.getTime() - b.at.getTime());
  const lastOk = sorted.map((a) => a.outcome).lastIndexOf('ok');
  return sorted.slice(lastOk + 1).filter(countsAsFailure);
}

/** When the pair may try again, or undefined when it may now. */
export function pairBlockedUntil(failures: AttemptFact[], limits: ThrottleLimits, now: Date): Date | undefined {
  const wait = delayAfter(failures.length, limits);
  if (wait === 0 || failures.length === 0) return undefined;
  const last = Math.max(...failures.map((f) => f.at.getTime()));
  const until = new Date(last + wait);
  return until > now ? until : undefined;
}

export interface Lockout {
  kind: 'pair' | 'address';
  username: string | null;
  ip: string;
  failures: number;
  until: Date;
}

/** What an admin sees: every pair currently made to wait and every address over its cap. */
export function currentLockouts(attempts: AttemptFact[], limits: ThrottleLimits, now: Date): Lockout[] {
  const since = now.getTime() - limits.windowMs;
  const recent = attempts.filter((a) => a.at.getTime() >= since);
  const out: Lockout[] = [];
  const byPair = new Map<string, AttemptFact[]>();
  const byIp = new Map<string, AttemptFact[]>();
  for (const a of recent) {
    byPair.set(pairKey(a.username, a.ip), [...(byPair.get(pairKey(a.username, a.ip)) ?? []), a]);
    byIp.set(a.ip, [...(byIp.get(a.ip) ?? []), a]);
  }
  for (const list of byPair.values()) {
    const failures = failuresSinceSuccess(list);
    const until = pairBlockedUntil(failures, limits, now);
    if (until)
      out.push({ kind: 'pair', username: list[0]!.username, ip: list[0]!.ip, failures: failures.length, until });
  }
  for (const [ip, list] of byIp) {
    const unsuccessful = list.filter(countsAsFailure);
    if (unsuccessful.length >= limits.perIp) {
      const oldest = Math.min(...unsuccessful.map((a) => a.at.getTime()));
      out.push({
        kind: 'address',
        username: null,
        ip,
        failures: unsuccessful.length,
        until: new Date(oldest + limits.windowMs),
      });
    }
  }
  return out.sort((a, b) => b.until.getTime() - a.until.getTime());
}
