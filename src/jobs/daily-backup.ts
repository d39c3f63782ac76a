import { mkdir, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Cron } from 'croner';
import type { Config } from '../config';
import type { TakeBackup } from '../domain/backup/backup-run';
import { seoulDate, seoulMidnight } from '../domain/time';
import { log } from '../log';
import type { Repositories } from '../ports';
import { SAGAK_VERSION } from '../version';

const SCHEDULE_ZONE = 'Asia/Seoul';
const FILE = /^sagak-backup-(\d{4}-\d{2}-\d{2})\.gz$/;
/** How often an instance looks whether the day's backup is due (a missed cron time is caught up). */
const CHECK_EVERY_MS = 10 * 60_000;

export const backupFileName = (day: string) => `sagak-backup-${day}.gz`;

/** True when the day's scheduled time (BACKUP_CRON, Seoul) has come. */
export function backupDue(cronExpr: string, now: Date): boolean {
  const cron = new Cron(cronExpr, { timezone: SCHEDULE_ZONE, paused: true });
  const at = cron.nextRun(new Date(seoulMidnight(seoulDate(now)).getTime() - 1));
  cron.stop();
  return !!at && at <= now && seoulDate(at) === seoulDate(now);
}

export interface DailyBackupDeps {
  config: Pick<Config, 'BACKUP_DIR' | 'BACKUP_KEEP' | 'BACKUP_CRON'>;
  takeBackup: TakeBackup;
  repos: Pick<Repositories, 'backupRuns' | 'accessRecords'>;
  now?: () => Date;
  owner?: string;
}

/**
 * Takes the day's backup if it is due and no instance has taken it: the day's claim in
 * `backup_runs` decides who. Writes `BACKUP_DIR/sagak-backup-<day>.gz`, keeps the newest
 * BACKUP_KEEP such files, and records the result (the console lists it; a failure warns admins).
 */
export async function runDailyBackup(deps: DailyBackupDeps): Promise<'not_due' | 'taken_elsewhere' | 'ok' | 'failed'> {
  const now = deps.now ?? (() => new Date());
  const dir = deps.config.BACKUP_DIR;
  if (!dir) return 'not_due';
  const at = now();
  if (!backupDue(deps.config.BACKUP_CRON, at)) return 'not_due';
  const day = seoulDate(at);
  const owner = deps.owner ?? `${hostname()}:${process.pid}`;
  if (!(await deps.repos.backupRuns.claim(day, owner, at))) return 'taken_elsewhere';
  const file = join(dir, backupFileName(day));
  try {
    await mkdir(dir, { recursive: true });
    const done = await deps.takeBackup(file, { sagakVersion: SAGAK_VERSION, now });
    const reports = (done.manifest.collections.reports ?? 0) + (done.manifest.collections.reports_archive ?? 0);
    await deps.repos.accessRecords.append({
      at: now(),
      actor: 'job:backup',
      role: 'system',
      address: 'local',
      channel: 'job',
      action: 'export',
      receiptNos: [],
      scope: `backup ${file}`,
      rowCount: reports,
      detail: `sha256 ${done.payloadSha256}`,
    });
    await deps.repos.backupRuns.finish(day, {
      finishedAt: now(),
      result: 'ok',
      file,
      bytes: done.bytes,
      sha256: done.payloadSha256,
      reports,
      error: null,
    });
    const removed = await keepNewest(dir, deps.config.BACKUP_KEEP);
    log.info({ file, bytes: done.bytes, ms: done.manifest.durationMs, removed }, 'daily backup written');
    return 'ok';
  } catch (err) {
    const error = (err as Error).message.slice(0, 500);
    await deps.repos.backupRuns
      .finish(day, { finishedAt: now(), result: 'failed', file, bytes: null, sha256: null, reports: null, error })
      .catch(() => undefined);
    log.error({ file, error }, 'daily backup failed');
    return 'failed';
  }
}

/** Deletes all but the newest `keep` scheduled backup files of the folder (other files are left alone). */
async function keepNewest(dir: string, keep: number): Promise<number> {
  const files = (await readdir(dir)).filter((f) => FILE.test(f)).sort();
  const old = files.slice(0, Math.max(0, files.length - keep));
  for (const f of old) await rm(join(dir, f), { force: true });
  return old.length;
}

/** Runs the check at start and every ten minutes; the returned stop waits for a backup in progress. */
export function startDailyBackup(deps: DailyBackupDeps): () => Promise<void> {
  let running: Promise<unknown> | undefined;
  const tick = () => {
    running ??= runDailyBackup(deps)
      .catch((err: Error) => log.warn({ error: err.message }, 'backup check failed; will retry'))
      .finally(() => {
        running = undefined;
      });
  };
  tick();
  const timer = setInterval(tick, CHECK_EVERY_MS);
  timer.unref();
  log.info(
    { dir: deps.config.BACKUP_DIR, keep: deps.config.BACKUP_KEEP, cron: deps.config.BACKUP_CRON },
    'daily backup scheduled',
  );
  return async () => {
    clearInterval(timer);
    await running;
  };
}
