import { startDailyBackup } from './daily-backup';
import type { Config } from '../config';
import { startAlertSweep } from '../delivery/alerts';
import { startUrgentSweep } from '../delivery/urgent-route';
import { startNewsSweep } from '../delivery/reporter-news';
import { WeeklyDeliveryScheduler } from './weekly-scheduler';
import { sendersFromConfig } from '../delivery/senders';
import type { District } from '../domain/district';
import type { Heartbeats } from '../health';
import { log } from '../log';
import { startConsolePurge, startConversationPurge } from './purge';
import { districtWithLists } from '../district-with-lists';
import { wholeReadsOneAtATime } from '../whole-reads';
import { type Repositories } from '../ports';
import type { TakeBackup } from '../domain/backup/backup-run';

/** How often an instance picks up list edits made elsewhere. */
const LISTS_REFRESH_MS = 60_000;

export interface JobDeps {
  config: Config;
  takeBackup: TakeBackup;
  repos: Repositories;
  district: District;
  health: Heartbeats;
}

export interface RunningJobs {
  /** Stops every timer and waits for the passes in progress (the weekly send, an alert, a backup). */
  stop(): Promise<void>;
}

/**
 * Every background job of one service instance, at the intervals its configuration sets: the
 * purges and retention, the weekly lists, the alert and reporter-news sweeps, the daily backup and
 * the lists refresh. `main.ts` starts them once it listens; the benchmark starts the same set so
 * its figures are the service's as it runs.
 */
export function startJobs({ config, takeBackup, repos, district, health }: JobDeps): RunningJobs {
  // another instance's (or the CLI's) list edits reach this one within a minute
  const listsRefresh = setInterval(
    () =>
      void districtWithLists(config, repos, district).catch((err: Error) =>
        log.warn({ error: err.message }, 'district lists refresh failed'),
      ),
    LISTS_REFRESH_MS,
  );
  listsRefresh.unref();
  // the jobs' reads of whole report collections go one at a time, and not in the first minute (whole-reads.ts)
  const wholeReads = wholeReadsOneAtATime(config.JOBS_WHOLE_READS_AFTER_SECONDS * 1000);
  // The jobs' first passes one after another, not all in the start's first second, where they
  // met a restart's first chat turns and staff actions; kicks (an urgent filing) still run at once.
  const stagger = config.JOBS_START_STAGGER_SECONDS * 1000;
  const firstPass = {
    alerts: stagger,
    urgent: 2 * stagger,
    news: 3 * stagger,
    purge: 4 * stagger,
    consolePurge: 5 * stagger,
    weekly: 6 * stagger,
  };
  const stopPurge = startConversationPurge(config, repos, undefined, undefined, wholeReads, firstPass.purge);
  const stopConsolePurge = startConsolePurge(config, repos, undefined, firstPass.consolePurge);
  const weekly = config.WEEKLY_DELIVERY_ENABLED
    ? new WeeklyDeliveryScheduler({ config, repos, district, onPass: () => health.beat('weekly-delivery') })
    : undefined;
  // a job counts as stuck (and /readyz says so) when it has not finished a pass in three intervals, or a quarter hour
  if (weekly) health.expect('weekly-delivery', Math.max(3 * config.WEEKLY_DELIVERY_SWEEP_SECONDS * 1000, 15 * 60_000));
  if (config.ALERTS_ENABLED) health.expect('alert-sweep', Math.max(3 * config.ALERT_SWEEP_SECONDS * 1000, 5 * 60_000));
  const stopBackups = config.BACKUP_DIR ? startDailyBackup({ config, takeBackup, repos }) : undefined;
  weekly?.start(firstPass.weekly);
  let stopAlerts: (() => Promise<void>) | undefined;
  let stopUrgent: (() => Promise<void>) | undefined;
  if (config.ALERTS_ENABLED) {
    const alertDeps = {
      repos,
      district,
      senders: sendersFromConfig(config),
      owner: weekly?.deps.owner ?? `alerts:${process.pid}`,
      now: () => new Date(),
      consoleUrl: config.CONSOLE_PUBLIC_URL,
      windowMs: config.ALERT_WINDOW_HOURS * 3_600_000,
    };
    stopAlerts = startAlertSweep(alertDeps, config.ALERT_SWEEP_SECONDS, {
      onPass: () => health.beat('alert-sweep'),
      firstPassAfterMs: firstPass.alerts,
    });
    // the on-call route's escalations and sends (docs/urgent-on-call.md), on the same kicks and interval
    stopUrgent = startUrgentSweep(
      { ...alertDeps, ackMinutes: config.URGENT_ACK_MINUTES, ackSecret: config.URGENT_ACK_SECRET },
      config.ALERT_SWEEP_SECONDS,
      { firstPassAfterMs: firstPass.urgent },
    );
  }
  let stopNews: (() => Promise<void>) | undefined;
  if (config.REPORTER_NEWS_ENABLED) {
    const kakaoEventCap =
      config.KAKAO_EVENT_API_KEY && config.KAKAO_EVENT_DAILY_CAP > 0 ? config.KAKAO_EVENT_DAILY_CAP : null;
    const newsDeps = {
      repos,
      district,
      senders: sendersFromConfig(config),
      owner: weekly?.deps.owner ?? `news:${process.pid}`,
      now: () => new Date(),
      windowMs: config.REPORTER_NEWS_WINDOW_HOURS * 3_600_000,
      kakaoEventCap,
      wholeReads,
    };
    stopNews = startNewsSweep(newsDeps, config.REPORTER_NEWS_SWEEP_SECONDS, firstPass.news);
    log.info({ kakaoEventApi: kakaoEventCap !== null, kakaoEventDailyCap: kakaoEventCap }, 'reporter news on');
  }
  return {
    async stop() {
      clearInterval(listsRefresh);
      stopPurge();
      stopConsolePurge();
      await Promise.all([weekly?.stop(), stopAlerts?.(), stopUrgent?.(), stopBackups?.(), stopNews?.()]);
    },
  };
}
