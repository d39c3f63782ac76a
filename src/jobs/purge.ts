import type { Config } from '../config';
import { log } from '../log';
import { retentionPass, sweepUnlistedPhotos, type RetentionRepos } from './retention';
import type { Repositories } from '../ports';
import { Cron } from 'croner';
import { SCHEDULE_ZONE } from './weekly-scheduler';
import { seoulDate, seoulMidnight } from '../domain/time';
import { type WholeReads, wholeReadsAtOnce } from '../whole-reads';
import { runFirst } from '../delivery/sweep-loop';

/** How often an instance looks whether the day's retention pass is due. */
const RETENTION_CHECK_MS = 10 * 60_000;

/**
 * Whether the daily pass is due at `now`: it never ran, or its last run is over a day and a half
 * old (an instance down at the scheduled time catches up), or today's scheduled time has come and
 * the last run was before it. Not at every start: the pass reads every stored report (over a
 * minute of the database at 100,000 reports), which a restart must not put before chat turns.
 */
export function dailyPassDue(cronExpr: string, now: Date, last: Date | null): boolean {
  if (last === null || now.getTime() - last.getTime() > 36 * 3_600_000) return true;
  const cron = new Cron(cronExpr, { timezone: SCHEDULE_ZONE, paused: true });
  const at = cron.nextRun(new Date(seoulMidnight(seoulDate(now)).getTime() - 1));
  cron.stop();
  return !!at && at <= now && seoulDate(at) === seoulDate(now) && last < at;
}

const TOMBSTONE_MS = 7 * 24 * 3_600_000;
const DELIVERY_CLAIM_KEEP_MS = 24 * 3_600_000;
const RETENTION_EVERY_MS = RETENTION_CHECK_MS;
/** The hourly pass over the working set (archive sweep and open copies' check), claimed per hour. */
export const WORKING_SET_PASS = 'archive-sweep';

/**
 * The purge job's report pass. Closed reports leave the working set and the open copies are
 * checked against it: a read of the whole working set (≈2 s of FerretDB at 100,000 reports), so
 * once an hour per deployment, by the instance that claims the hour in `job_runs`, not at every
 * instance's every pass or start. The other passes only prune the claims older than an hour, which
 * also repairs the copies of the changes they record. `swept`: this pass read the working set.
 */
export async function archiveOrPrune(
  repos: Pick<Repositories, 'reports' | 'jobRuns'>,
  now: Date,
  owner: string,
  wholeReads: WholeReads = wholeReadsAtOnce,
): Promise<{ swept: boolean; archived: number; pruned: number }> {
  // just started: the hour's pass is left to the next pass (here in ten minutes, or another instance)
  if (
    wholeReads.deferring() ||
    !(await repos.jobRuns.claim(WORKING_SET_PASS, now.toISOString().slice(0, 13), owner, now))
  )
    return { swept: false, archived: 0, pruned: await repos.reports.pruneClaims() };
  const r = await wholeReads(() => repos.reports.archiveSweep());
  await repos.jobRuns.forgetBefore(WORKING_SET_PASS, new Date(now.getTime() - 24 * 3_600_000));
  return { swept: true, ...r };
}

/**
 * Expires idle conversations by query (FerretDB refuses TTL indexes). Safe on every instance at
 * once: each run is a pair of idempotent updates.
 */
export function startConversationPurge(
  config: Config,
  repos: Pick<Repositories, 'conversations' | 'deliveries' | 'reports' | 'importFiles' | 'imports' | 'jobRuns'> &
    RetentionRepos,
  everyMs = 10 * 60_000,
  retentionEveryMs = RETENTION_EVERY_MS,
  wholeReads: WholeReads = wholeReadsAtOnce,
  firstAfterMs = 0,
): () => void {
  const idleMs = config.CONVERSATION_TTL_HOURS * 3_600_000;
  const run = () =>
    repos.conversations
      .purge(new Date(), idleMs, TOMBSTONE_MS)
      .then((r) => (r.emptied || r.deleted) && log.info(r, 'purged idle conversations'))
      .catch((err: Error) => log.warn({ error: err.name }, 'conversation purge failed; will retry'));
  // delivery claims only need to outlive the platforms' redeliveries (minutes); a day is ample
  const purgeClaims = () =>
    repos.deliveries
      .purge(new Date(Date.now() - DELIVERY_CLAIM_KEEP_MS))
      .catch((err: Error) => log.warn({ error: err.name }, 'delivery-claim purge failed; will retry'));
  const archive = () =>
    archiveOrPrune(repos, new Date(), `${process.pid}`, wholeReads)
      .then((r) => (r.archived || r.pruned) && log.info(r, 'archived closed reports and pruned revision claims'))
      .catch((err: Error) => log.warn({ error: err.name }, 'report archive sweep failed; will retry'));
  const uploads = () =>
    purgeOldUploads(config, repos, new Date())
      .then((n) => n && log.info({ chunks: n }, 'deleted uploaded lists past IMPORT_FILE_KEEP_DAYS'))
      .catch((err: Error) => log.warn({ error: err.name }, 'upload purge failed; will retry'));
  const both = () => {
    void run();
    void purgeClaims();
    void archive();
    void uploads();
  };
  const first = runFirst(both, firstAfterMs);
  const timer = setInterval(both, everyMs);
  timer.unref();
  // closed cases past RETENTION_CLOSED_YEARS lose their personal data: once a day, at
  // RETENTION_CRON (night), claimed by one instance (job_runs); it reads both report collections
  const retention = () =>
    wholeReads(() =>
      retentionPass(config, repos, {
        now: new Date(),
        apply: true,
        actor: 'job:retention',
        role: 'system',
        channel: 'job',
      }),
    )
      .then(
        (r) =>
          (r.anonymised.length || r.identitiesRemoved || r.reportersForgotten) &&
          log.info(
            {
              anonymised: r.anonymised.length,
              identitiesRemoved: r.identitiesRemoved,
              reportersForgotten: r.reportersForgotten,
              cutoff: r.cutoff,
            },
            'retention: anonymised closed cases past their period',
          ),
      )
      .catch((err: Error) => log.warn({ error: err.name }, 'retention pass failed; will retry'));
  // photos of reports never filed (cancelled, expired) are not kept past the conversation
  const photos = () =>
    sweepUnlistedPhotos(repos, new Date(), config.CONVERSATION_TTL_HOURS)
      .then((n) => n && log.info({ photos: n }, 'removed photos no report lists'))
      .catch((err: Error) => log.warn({ error: err.name }, 'photo sweep failed; will retry'));
  let dailyRunning: Promise<unknown> | undefined;
  const daily = () => {
    if (dailyRunning) return; // the previous check (or pass) is still running
    dailyRunning = (async () => {
      const now = new Date();
      if (!dailyPassDue(config.RETENTION_CRON, now, await repos.jobRuns.latest('retention'))) return;
      if (!(await repos.jobRuns.claim('retention', seoulDate(now), `${process.pid}`, now))) return;
      await Promise.all([retention(), photos()]);
    })()
      .catch((err: Error) => log.warn({ error: err.name }, 'daily retention check failed; will retry'))
      .finally(() => {
        dailyRunning = undefined;
      });
  };
  const firstDaily = runFirst(daily, firstAfterMs);
  const retentionTimer = setInterval(daily, retentionEveryMs);
  retentionTimer.unref();
  return () => {
    clearTimeout(first);
    clearTimeout(firstDaily);
    clearInterval(timer);
    clearInterval(retentionTimer);
  };
}

/**
 * Deletes the bytes of uploaded lists older than IMPORT_FILE_KEEP_DAYS: the file holds every
 * row's personal data, and once an import is committed (or abandoned) nobody needs it. A preview
 * or commit of an older import then says the file is gone (410). The addresses the preview kept
 * of rows waiting for a dong go at the same time (the counts and row numbers stay).
 */
export async function purgeOldUploads(
  config: Config,
  repos: Pick<Repositories, 'importFiles' | 'imports'>,
  now: Date,
): Promise<number> {
  const before = new Date(now.getTime() - config.IMPORT_FILE_KEEP_DAYS * 86_400_000);
  const chunks = await repos.importFiles.purge(before);
  await repos.imports.scrubPreviews(before);
  return chunks;
}

/** Deletes expired console sessions and old sign-in attempts (no TTL indexes on FerretDB). */
export function startConsolePurge(
  config: Config,
  repos: Pick<Repositories, 'sessions' | 'loginAttempts' | 'passwordResets'>,
  everyMs = 10 * 60_000,
  firstAfterMs = 0,
): () => void {
  const run = async () => {
    const now = new Date();
    try {
      const sessions = await repos.sessions.purge(now);
      const attempts = await repos.loginAttempts.purge(
        new Date(now.getTime() - config.CONSOLE_LOGIN_WINDOW_MINUTES * 60_000),
      );
      await repos.passwordResets.purge(now);
      if (sessions || attempts) log.info({ sessions, attempts }, 'purged console sessions and sign-in attempts');
    } catch (err) {
      log.warn({ error: (err as Error).name }, 'console purge failed; will retry');
    }
  };
  const first = runFirst(() => void run(), firstAfterMs);
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
