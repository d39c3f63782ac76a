import { buildApp } from './app';
import { loadConfigOrExit } from './config';
import { WeeklyDeliveryScheduler } from './delivery/scheduler';
import { startAlertSweep } from './delivery/alerts';
import { sendersFromConfig } from './delivery/senders';
import { loadDistrict } from './domain/district';
import { log, setPseudonymKey } from './log';
import { loadPseudonymKey, PseudonymKeyError } from './pseudonym-key';
import { startConsolePurge, startConversationPurge } from './purge';
import { ensureIndexes } from './services';
import { openDatabase } from './store/connect';
import { FerretDbUnavailableError } from './store/embedded/ferretdb-binary';

const config = loadConfigOrExit();

async function main(): Promise<void> {
  const pseudonymKey = loadPseudonymKey(config);
  setPseudonymKey(pseudonymKey.key);
  if (pseudonymKey.source === 'process') log.warn('LOG_PSEUDONYM_SECRET is unset: log pseudonyms change at every restart; set it to follow a chat user across restarts');
  if (config.NODE_ENV === 'production' && !config.KAKAO_SKILL_SECRET) {
    log.warn('KAKAO_SKILL_SECRET is unset: anyone who finds /kakao/skill can post to it; set it and the Open Builder header');
  }
  if (!config.MONGODB_URI) log.info('MONGODB_URI is unset: starting or reusing the embedded FerretDB (first run builds it, which takes a minute or two)');
  const db = await openDatabase(config);
  const { app, repos } = buildApp({ config, connection: db.connection });
  await ensureIndexes(repos);
  const district = loadDistrict(config.DISTRICT);
  await repos.dongCenters.seed(district.id, district.dongs, new Date());
  const stopPurge = startConversationPurge(config, repos);
  const stopConsolePurge = startConsolePurge(config, repos);
  const weekly = config.WEEKLY_DELIVERY_ENABLED ? new WeeklyDeliveryScheduler({ config, repos, district }) : undefined;
  let stopAlerts: (() => Promise<void>) | undefined;
  const server = app.listen(config.PORT, config.HOST, () => {
    log.info({ host: config.HOST, port: config.PORT, district: config.DISTRICT }, 'Sagak is listening');
    // which optional channels are on (their secrets are set), so an operator sees a missing one at once
    log.info({ kakao: true, slack: Boolean(config.SLACK_BOT_TOKEN), telegram: Boolean(config.TELEGRAM_BOT_TOKEN) }, 'channels');
    weekly?.start();
    if (config.ALERTS_ENABLED) {
      const alertDeps = { repos, district, senders: sendersFromConfig(config), owner: weekly?.deps.owner ?? `alerts:${process.pid}`, now: () => new Date(), consoleUrl: config.CONSOLE_PUBLIC_URL, windowMs: config.ALERT_WINDOW_HOURS * 3_600_000 };
      stopAlerts = startAlertSweep(alertDeps, config.ALERT_SWEEP_SECONDS);
    }
  });
  const shutdown = () => {
    log.info('shutting down');
    stopPurge();
    stopConsolePurge();
    server.close(() => void db.close().then(() => process.exit(0)));
    void Promise.all([weekly?.stop(), stopAlerts?.()]).then(() => server.close(() => void db.close().then(() => process.exit(0))));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  if (err instanceof FerretDbUnavailableError || err instanceof PseudonymKeyError) process.stderr.write(`${err.message}\n`);
  else log.fatal({ error: (err as Error).message }, 'start-up failed');
  process.exit(1);
});
