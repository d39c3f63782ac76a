/**
 * What `/readyz` checks besides the database: each background job of this instance says it is
 * alive after every pass (`beat`), and is counted stuck when its last pass is older than it allows.
 */
export interface Heartbeats {
  /** Registers a job: ready only once it has passed and while its last pass is newer than `maxAgeMs`. */
  expect(name: string, maxAgeMs: number): void;
  beat(name: string): void;
  /** Each expected job with the age of its last pass and whether that is too old. */
  report(now: number): Record<string, { lastPassAgoMs: number | null; ok: boolean }>;
  /** Shutdown has begun: not ready, so the balancer sends the next requests elsewhere. */
  drain(): void;
  draining(): boolean;
}

export function heartbeats(): Heartbeats {
  const jobs = new Map<string, { maxAgeMs: number; last: number | null; since: number }>();
  let draining = false;
  return {
    drain: () => {
      draining = true;
    },
    draining: () => draining,
    expect(name, maxAgeMs) {
      jobs.set(name, { maxAgeMs, last: null, since: Date.now() });
    },
    beat(name) {
      const job = jobs.get(name);
      if (job) job.last = Date.now();
    },
    report(now) {
      const out: Record<string, { lastPassAgoMs: number | null; ok: boolean }> = {};
      for (const [name, job] of jobs) {
        // a job gets its allowance from registration for its first pass
        const age = now - (job.last ?? job.since);
        out[name] = { lastPassAgoMs: job.last === null ? null : now - job.last, ok: age <= job.maxAgeMs };
      }
      return out;
    },
  };
}
