import type { BackupRun } from '../../domain/backup/backup-run';

/** A run still "running" after this long stopped with its instance. */
export const BACKUP_STALE_MS = 6 * 3_600_000;

/** What the runs say about backups: the last good one, and whether the latest failed or was cut off. */
export function backupState(
  runs: BackupRun[],
  now: Date,
): { lastSuccess?: BackupRun; latest?: BackupRun; latestFailed: boolean; interrupted: (run: BackupRun) => boolean } {
  const interrupted = (run: BackupRun) =>
    run.result === 'running' && now.getTime() - run.startedAt.getTime() > BACKUP_STALE_MS;
  const latest = runs[0];
  return {
    latest,
    lastSuccess: runs.find((r) => r.result === 'ok'),
    latestFailed: !!latest && (latest.result === 'failed' || interrupted(latest)),
    interrupted,
  };
}
