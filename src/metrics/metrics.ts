import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { SAGAK_VERSION } from '../version';

/**
 * Sagak's Prometheus series (docs/metrics.md describes each). One registry per process: every
 * app a test builds in one process adds to the same counters, as the instances of a deployment
 * add up in Prometheus. Labels are closed vocabularies (channels, outcomes, dong codes): never a
 * user, a receipt number, a name or an address.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'sagak_' }); // sagak_process_*, sagak_nodejs_*

export const CHANNELS = ['kakao', 'slack', 'telegram', 'web'] as const;
export const TURN_OUTCOMES = ['reply', 'late', 'failed'] as const;
export const DELIVERY_KINDS = ['weekly', 'alert'] as const;
export const DELIVERY_RESULTS = ['sent', 'failed', 'gave_up'] as const;

export const buildInfo = new Gauge({
  name: 'sagak_build_info',
  help: 'Always 1; the version label names the running Sagak',
  labelNames: ['version'],
  registers: [registry],
});
buildInfo.set({ version: SAGAK_VERSION }, 1);

export const turnDuration = new Histogram({
  name: 'sagak_turn_duration_seconds',
  help: 'Time from a chat message arriving to its answer (or the deadline), per channel',
  labelNames: ['channel'],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 4, 5, 10],
  registers: [registry],
});
export const turns = new Counter({
  name: 'sagak_turns_total',
  help: 'Chat turns by channel and outcome (reply, late = answered "try again", failed)',
  labelNames: ['channel', 'outcome'],
  registers: [registry],
});
export const deadlineMisses = new Counter({
  name: 'sagak_turn_deadline_misses_total',
  help: 'Turns that missed the channel deadline and answered "잠시 후 다시 시도해 주세요"',
  labelNames: ['channel'],
  registers: [registry],
});
export const deliveries = new Counter({
  name: 'sagak_deliveries_total',
  help: 'Send attempts of weekly lists and alerts by result',
  labelNames: ['kind', 'result'],
  registers: [registry],
});
export const importRuns = new Counter({
  name: 'sagak_import_runs_total',
  help: 'List import commits by result (committed, busy, not_previewed, failed)',
  labelNames: ['result'],
  registers: [registry],
});
export const signInFailures = new Counter({
  name: 'sagak_sign_in_failures_total',
  help: 'Console sign-ins refused for a wrong name or password',
  registers: [registry],
});
export const signInLockouts = new Counter({
  name: 'sagak_sign_in_lockouts_total',
  help: 'Console sign-ins refused because the name/address pair or the address is throttled',
  registers: [registry],
});
export const dbRoundTrip = new Histogram({
  name: 'sagak_database_round_trip_seconds',
  help: 'Time of a database ping (measured at each scrape and readiness check)',
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  registers: [registry],
});
export const openCases = new Gauge({
  name: 'sagak_open_cases',
  help: 'Open reports by owner: the assigned dong code, or "callcenter" when none is assigned',
  labelNames: ['owner'],
  registers: [registry],
});
export const overdueCases = new Gauge({
  name: 'sagak_overdue_cases',
  help: 'Open reports past a deadline (first consultation, a due follow-up call, an unreported visit) by owner',
  labelNames: ['owner'],
  registers: [registry],
});
export const backupLastSuccess = new Gauge({
  name: 'sagak_backup_last_success_timestamp_seconds',
  help: 'When the last scheduled backup that succeeded finished (0: none)',
  registers: [registry],
});
export const backupLastBytes = new Gauge({
  name: 'sagak_backup_last_size_bytes',
  help: 'Size of the last successful scheduled backup file',
  registers: [registry],
});
export const backupLastFailed = new Gauge({
  name: 'sagak_backup_last_failed',
  help: '1 when the latest scheduled backup failed or was interrupted, else 0',
  registers: [registry],
});

// every series and label pair is present from the start, so a dashboard never shows "no data" for zero
for (const channel of CHANNELS) {
  turnDuration.zero({ channel });
  deadlineMisses.inc({ channel }, 0);
  for (const outcome of TURN_OUTCOMES) turns.inc({ channel, outcome }, 0);
}
for (const kind of DELIVERY_KINDS) for (const result of DELIVERY_RESULTS) deliveries.inc({ kind, result }, 0);
for (const result of ['committed', 'busy', 'not_previewed', 'failed']) importRuns.inc({ result }, 0);
signInFailures.inc(0);
signInLockouts.inc(0);

/** A chat turn's outcome, as the turn kit reports it. */
export function countTurn(channel: string, outcome: (typeof TURN_OUTCOMES)[number], seconds: number): void {
  turnDuration.observe({ channel }, seconds);
  turns.inc({ channel, outcome });
  if (outcome === 'late') deadlineMisses.inc({ channel });
}

/** A sign-in's result, as the console's routes get it. */
export function countSignIn(result: { ok: boolean; code?: string }): void {
  if (result.ok) return;
  if (result.code === 'rate_limited') signInLockouts.inc();
  else signInFailures.inc();
}
