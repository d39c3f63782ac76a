import type { BackupRun } from './backup-run';

/** The scheduled backups, one a day; src/store/backup/backup-runs.ts implements it. */
export interface BackupRunRepository {
  /** Takes the day's backup for `owner`; false when another instance claimed it first. */
  claim(day: string, owner: string, at: Date): Promise<boolean>;
  finish(
    day: string,
    outcome: Pick<BackupRun, 'finishedAt' | 'result' | 'file' | 'bytes' | 'sha256' | 'reports' | 'error'>,
  ): Promise<void>;
  byDay(day: string): Promise<BackupRun | undefined>;
  latest(limit?: number): Promise<BackupRun[]>;
}
