import { buildApp } from './app';
import { loadConfigOrExit } from './config';
import { WeeklyDeliveryScheduler } from './delivery/scheduler';
import { startAlertSweep } from './delivery/alerts';
import { startUrgentSweep } from './delivery/urgent-route';
import { startNewsSweep } from './delivery/reporter-news';
import { sendersFromConfig } from './delivery/senders';
import { log, setPseudonymKey } from './log';
import { loadPseudonymKey, PseudonymKeyError } from './pseudonym-key';
import { loadAccessRecordKey, setAccessRecordKey } from './access-record-key';
import { trackConnections } from './http/connection-drain';
import { holidaysKnownFor } from './domain/same-day';
import { seoulDate } from './domain/time';
import { startConsolePurge, startConversationPurge } from './purge';
import { startDailyBackup } from './backup/daily-backup';
import { districtWithLists, ensureIndexes } from './services';

/** How often an instance picks up list edits made elsewhere. */
const LISTS_REFRESH_MS = 60_000;
import { openDatabase } from './store/connect';
import { FerretDbUnavailableError } from './store/embedded/ferretdb-binary';

const config = loadConfigOrExit();

async function main(): Promise<void> {
  const pseudonymKey = loadPseudonymKey(config);
  setPseudonymKey(pseudonymKey.key);
  setAccessRecordKey(loadAccessRecordKey(config).key);
  if (pseudonymKey.source === 'process') log.warn('LOG_PSEUDONYM_SECRET is unset: log pseudonyms change at every restart; set it to follow a chat user across restarts');
  if (config.NODE_ENV === 'production' && !config.KAKAO_SKILL_SECRET) {
    log.warn('KAKAO_SKILL_SECRET is unset: anyone who finds /kakao/skill can post to it; set it and the Open Builder header');
  }
  if (!config.MONGODB_URI) log.info('MONGODB_URI is unset: starting or reusing the embedded FerretDB (first run builds it, which takes a minute or two)');
  const db = await openDatabase(config);
  const { app, repos, turns, district, health } = buildApp({ config, connection: db.connection });
  await ensureIndexes(repos);
  await districtWithLists(config, repos, district);
  // another instance's (or the CLI's) list edits reach this one within a minute
  const listsRefresh = setInterval(() => void districtWithLists(config, repos, district).catch((err: Error) => log.warn({ error: err.message }, 'district lists refresh failed')), LISTS_REFRESH_MS);
  listsRefresh.unref();
  const year = Number(seoulDate(new Date()).slice(0, 4));
  if (!holidaysKnownFor(year)) {
    log.warn({ year }, 'no Korean public holidays known for this year: same-day deadlines count weekends only; update @hyunbinseo/holidays-kr');
  }
  await repos.dongCenters.seed(district.id, district.dongs, new Date());
  const stopPurge = startConversationPurge(config, repos);
  const stopConsolePurge = startConsolePurge(config, repos);
  const weekly = config.WEEKLY_DELIVERY_ENABLED ? new WeeklyDeliveryScheduler({ config, repos, district, onPass: () => health.beat('weekly-delivery') }) : undefined;
  // a job counts as stuck (and /readyz says so) when it has not finished a pass in three intervals, or a quarter hour
  if (weekly) health.expect('weekly-delivery', Math.max(3 * config.WEEKLY_DELIVERY_SWEEP_SECONDS * 1000, 15 * 60_000));
  if (config.ALERTS_ENABLED) health.expect('alert-sweep', Math.max(3 * config.ALERT_SWEEP_SECONDS * 1000, 5 * 60_000));
  const stopBackups = config.BACKUP_DIR ? startDailyBackup({ config, connection: db.connection, repos }) : undefined;
  let stopAlerts: (() => Promise<void>) | undefined;
  let stopNews: (() => Promise<void>) | undefined;
  let stopUrgent: (() => Promise<void>) | undefined;
  const server = app.listen(config.PORT, config.HOST, () => {
    log.info({ host: config.HOST, port: config.PORT, district: config.DISTRICT }, 'Sagak is listening');
    // which optional channels are on (their secrets are set), so an operator sees a missing one at once
    log.info({ kakao: true, slack: Boolean(config.SLACK_BOT_TOKEN), telegram: Boolean(config.TELEGRAM_BOT_TOKEN) }, 'channels');
    weekly?.start();
    if (config.ALERTS_ENABLED) {
      const alertDeps = { repos, district, senders: sendersFromConfig(config), owner: weekly?.deps.owner ?? `alerts:${process.pid}`, now: () => new Date(), consoleUrl: config.CONSOLE_PUBLIC_URL, windowMs: config.ALERT_WINDOW_HOURS * 3_600_000 };
      stopAlerts = startAlertSweep(alertDeps, config.ALERT_SWEEP_SECONDS, () => health.beat('alert-sweep'));
      // the on-call route's escalations and sends (docs/urgent-on-call.md), on the same kicks and interval
      const urgentDeps = { ...alertDeps, ackMinutes: config.URGENT_ACK_MINUTES, ackSecret: config.URGENT_ACK_SECRET };
      stopUrgent = startUrgentSweep(urgentDeps, config.ALERT_SWEEP_SECONDS);
    }
    if (config.REPORTER_NEWS_ENABLED) {
      const kakaoEventCap = config.KAKAO_EVENT_API_KEY && config.KAKAO_EVENT_DAILY_CAP > 0 ? config.KAKAO_EVENT_DAILY_CAP : null;
      const newsDeps = { repos, district, senders: sendersFromConfig(config), owner: weekly?.deps.owner ?? `news:${process.pid}`, now: () => new Date(), windowMs: config.REPORTER_NEWS_WINDOW_HOURS * 3_600_000, kakaoEventCap };
      stopNews = startNewsSweep(newsDeps, config.REPORTER_NEWS_SWEEP_SECONDS);
      log.info({ kakaoEventApi: kakaoEventCap !== null, kakaoEventDailyCap: kakaoEventCap }, 'reporter news on');
    }
  });
  const connections = trackConnections(server);
  // In order: stop accepting, finish the turns and the weekly send in progress, close the database.
  const shutdown = async (signal: NodeJS.Signals) => {
    log.info({ signal, turns: turns.size }, 'shutting down: no new requests; finishing running turns and the weekly send in progress');
    const overdue = setTimeout(() => {
      log.error({ graceSeconds: config.SHUTDOWN_GRACE_SECONDS }, 'shutdown took longer than SHUTDOWN_GRACE_SECONDS; exiting anyway');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_SECONDS * 1000);
    overdue.unref();
    health.drain();
    stopPurge();
    clearInterval(listsRefresh);
    stopConsolePurge();
    // Behind a balancer that checks /readyz (503 from now on), serve on until it has stopped sending
    // here: closing the port drops connections still waiting to be accepted (the proxy's 502).
    if (config.SHUTDOWN_DRAIN_SECONDS > 0) await new Promise((r) => setTimeout(r, config.SHUTDOWN_DRAIN_SECONDS * 1000));
    const closed = connections.stopListening();
    // keep-alive connections would hold close() open; drop each as soon as it has no request running
    // (one accepted just now, with its request still on the way, gets a second to bring it)
    const idleSweep = setInterval(() => connections.closeIdle(1000), 200);
    connections.closeIdle(1000);
    await Promise.all([closed, turns.idle(), weekly?.stop(), stopAlerts?.(), stopUrgent?.(), stopBackups?.(), stopNews?.()]);
    clearInterval(idleSweep);
    await db.close();
    log.info('stopped');
    process.exit(0);
  };
  // once: a second signal ends the process at once (Node's default), for an operator who will not wait
  process.once('SIGINT', (signal) => void shutdown(signal));
  process.once('SIGTERM', (signal) => void shutdown(signal));
}

main().catch((err: unknown) => {
  if (err instanceof FerretDbUnavailableError || err instanceof PseudonymKeyError) process.stderr.write(`${err.message}\n`);
  else log.fatal({ error: (err as Error).message }, 'start-up failed');
  process.exit(1);
});
