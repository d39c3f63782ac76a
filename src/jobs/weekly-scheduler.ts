import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Cron } from 'croner';
import type { Config } from '../config';
import type { District } from '../domain/district';
import { addWeeks, weekOf, type IsoWeek } from '../domain/weekly/iso-week';
import { log } from '../log';
import type { TargetKind } from '../domain/weekly/weekly-delivery';
import type { Sender } from '../delivery/sender';
import { sendersFromConfig } from '../delivery/senders';
import { runFirst } from '../delivery/sweep-loop';
import { deliverWeek, retryDueDeliveries, type DeliveryDeps, type DeliveryResult } from '../delivery/weekly-delivery';

export const SCHEDULE_ZONE = 'Asia/Seoul';

/**
 * The weeks whose list is due and may still be missing: a week's list falls due at the first
 * cron time after the week ends (default: Monday 09:00 for the week just finished), and weeks
 * up to `catchupWeeks` back are still delivered by an instance that was down at that time.
 */
export function dueWeeks(cronExpr: string, now: Date, catchupWeeks: number): IsoWeek[] {
  const cron = new Cron(cronExpr, { timezone: SCHEDULE_ZONE, paused: true });
  const current = weekOf(now);
  const out: IsoWeek[] = [];
  for (let back = catchupWeeks; back >= 1; back--) {
    const week = addWeeks(current, -back);
    const dueAt = cron.nextRun(new Date(week.end.getTime() - 1));
    if (dueAt && dueAt <= now) out.push(week);
  }
  cron.stop();
  return out;
}

export interface SchedulerOptions {
  config: Config;
  /** Only what the weekly delivery reads and records. */
  repos: DeliveryDeps['repos'];
  district: District;
  now?: () => Date;
  senders?: Record<TargetKind, Sender>;
  owner?: string;
  /** Called after every pass, failed or not (the readiness check's heartbeat). */
  onPass?: () => void;
}

/**
 * Sends the weekly lists on schedule. Every instance may run one: the per-attempt claim in the
 * store makes each list go once. A tick runs at start (catch-up), at each cron time, and every
 * sweep interval (due lists not yet sent and back-off retries); ticks in one instance never overlap.
 */
export class WeeklyDeliveryScheduler {
  readonly deps: DeliveryDeps;
  private running: Promise<DeliveryResult[]> | undefined;
  private cron: Cron | undefined;
  private sweep: NodeJS.Timeout | undefined;
  private first: NodeJS.Timeout | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly opts: SchedulerOptions) {
    this.deps = {
      repos: opts.repos,
      district: opts.district,
      senders: opts.senders ?? sendersFromConfig(opts.config),
      owner: opts.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
      now: opts.now ?? (() => new Date()),
      signal: this.stopping.signal,
    };
  }

  /** One pass: every due week to every center, then retries. Resolves with what happened. */
  tick(): Promise<DeliveryResult[]> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
      this.opts.onPass?.();
    });
    return this.running;
  }

  private async pass(): Promise<DeliveryResult[]> {
    const results: DeliveryResult[] = [];
    for (const week of dueWeeks(
      this.opts.config.WEEKLY_DELIVERY_CRON,
      this.deps.now(),
      this.opts.config.WEEKLY_DELIVERY_CATCHUP_WEEKS,
    )) {
      if (this.stopping.signal.aborted) return results;
      results.push(...(await deliverWeek(this.deps, week)));
    }
    if (this.stopping.signal.aborted) return results;
    results.push(...(await retryDueDeliveries(this.deps)));
    return results;
  }

  private safeTick = () => {
    this.tick().catch((err: Error) =>
      log.warn({ error: err.name, detail: err.message }, 'weekly delivery pass failed; the next pass retries'),
    );
  };

  /** Starts the cron and the sweep; the first pass runs now, or `firstPassAfterMs` later. */
  start(firstPassAfterMs = 0): void {
    this.first = runFirst(this.safeTick, firstPassAfterMs);
    this.cron = new Cron(
      this.opts.config.WEEKLY_DELIVERY_CRON,
      { timezone: SCHEDULE_ZONE, protect: true },
      this.safeTick,
    );
    this.sweep = setInterval(this.safeTick, this.opts.config.WEEKLY_DELIVERY_SWEEP_SECONDS * 1000);
    this.sweep.unref();
    log.info(
      { cron: this.opts.config.WEEKLY_DELIVERY_CRON, next: this.cron.nextRun()?.toISOString() },
      'weekly delivery scheduled',
    );
  }

  /**
   * Stops the timers and lets a pass in progress finish the send it is in (none after it), so
   * shutdown neither cuts a send in half nor waits for a whole district's lists.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.cron?.stop();
    clearTimeout(this.first);
    if (this.sweep) clearInterval(this.sweep);
    await this.running?.catch(() => {});
  }
}
