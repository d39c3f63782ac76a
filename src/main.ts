import { buildApp } from './app';
import { loadConfigOrExit } from './config';
import { log, setPseudonymKey } from './log';
import { loadPseudonymKey, PseudonymKeyError } from './pseudonym-key';
import { loadAccessRecordKey, setAccessRecordKey } from './access-record-key';
import { trackConnections } from './http/connection-drain';
import { startJobs, type RunningJobs } from './jobs/start-jobs';
import { holidaysKnownFor } from './domain/same-day';
import { seoulDate } from './domain/time';
import { districtWithLists } from './district-with-lists';
import { ensureIndexes } from './repositories';

import { backupTaker } from './store/backup/take-backup';
import { openDatabase } from './store/connect';
import { FerretDbUnavailableError } from './store/embedded/ferretdb-binary';

const config = loadConfigOrExit();

async function main(): Promise<void> {
  const pseudonymKey = loadPseudonymKey(config);
  setPseudonymKey(pseudonymKey.key);
  setAccessRecordKey(loadAccessRecordKey(config).key);
  if (pseudonymKey.source === 'process')
    log.warn(
      'LOG_PSEUDONYM_SECRET is unset: log pseudonyms change at every restart; set it to follow a chat user across restarts',
    );
  if (config.NODE_ENV === 'production' && !config.KAKAO_SKILL_SECRET) {
    log.warn(
      'KAKAO_SKILL_SECRET is unset: anyone who finds /kakao/skill can post to it; set it and the Open Builder header',
    );
  }
  if (!config.MONGODB_URI)
    log.info(
      'MONGODB_URI is unset: starting or reusing the embedded FerretDB (first run builds it, which takes a minute or two)',
    );
  const db = await openDatabase(config);
  const { app, repos, turns, district, health } = buildApp({ config, connection: db.connection });
  await ensureIndexes(repos);
  await districtWithLists(config, repos, district);
  const year = Number(seoulDate(new Date()).slice(0, 4));
  if (!holidaysKnownFor(year)) {
    log.warn(
      { year },
      'no Korean public holidays known for this year: same-day deadlines count weekends only; update @hyunbinseo/holidays-kr',
    );
  }
  await repos.dongCenters.seed(district.id, district.dongs, new Date());
  let jobs: RunningJobs | undefined;
  const server = app.listen(config.PORT, config.HOST, () => {
    log.info({ host: config.HOST, port: config.PORT, district: config.DISTRICT }, 'Sagak is listening');
    // which optional channels are on (their secrets are set), so an operator sees a missing one at once
    log.info(
      { kakao: true, slack: Boolean(config.SLACK_BOT_TOKEN), telegram: Boolean(config.TELEGRAM_BOT_TOKEN) },
      'channels',
    );
    jobs = startJobs({ config, takeBackup: backupTaker(db.connection), repos, district, health });
  });
  const connections = trackConnections(server);
  // In order: stop accepting, finish the turns and the weekly send in progress, close the database.
  const shutdown = async (signal: NodeJS.Signals) => {
    log.info(
      { signal, turns: turns.size },
      'shutting down: no new requests; finishing running turns and the weekly send in progress',
    );
    const overdue = setTimeout(() => {
      log.error(
        { graceSeconds: config.SHUTDOWN_GRACE_SECONDS },
        'shutdown took longer than SHUTDOWN_GRACE_SECONDS; exiting anyway',
      );
      process.exit(1);
    }, config.SHUTDOWN_GRACE_SECONDS * 1000);
    overdue.unref();
    health.drain();
    // Behind a balancer that checks /readyz (503 from now on), serve on until it has stopped sending
    // here: closing the port drops connections still waiting to be accepted (the proxy's 502).
    if (config.SHUTDOWN_DRAIN_SECONDS > 0)
      await new Promise((r) => setTimeout(r, config.SHUTDOWN_DRAIN_SECONDS * 1000));
    const closed = connections.stopListening();
    // keep-alive connections would hold close() open; drop each as soon as it has no request running
    // (one accepted just now, with its request still on the way, gets a second to bring it)
    const idleSweep = setInterval(() => connections.closeIdle(1000), 200);
    connections.closeIdle(1000);
    await Promise.all([closed, turns.idle(), jobs?.stop()]);
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
  if (err instanceof FerretDbUnavailableError || err instanceof PseudonymKeyError)
    process.stderr.write(`${err.message}\n`);
  else log.fatal({ error: (err as Error).message }, 'start-up failed');
  process.exit(1);
});
