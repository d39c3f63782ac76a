import type { Heartbeats } from './health';
import { backupState } from './store/backup/backup-state';
import { timedPing } from './metrics/scrape';
import type { BackupRunRepository } from './domain/backup/repository';

export interface Readiness {
  ready: boolean;
  database: 'up' | 'down';
  databaseMs?: number;
  draining: boolean;
  jobs: Record<string, { lastPassAgoMs: number | null; ok: boolean }>;
  /** Shown, not counted: an old backup is the operator's alarm, not a reason to stop serving reports. */
  backup?: { lastSuccessAt: Date | null; ageHours: number | null; latestFailed: boolean };
}

/**
 * Ready when the database answers a ping within a second, every background job this instance
 * started has passed recently, and the instance is not shutting down.
 */
export async function checkReadiness(deps: {
  ping: () => Promise<void>;
  health: Heartbeats;
  backups?: Pick<BackupRunRepository, 'latest'>;
  now: () => Date;
}): Promise<Readiness> {
  let database: Readiness['database'] = 'down';
  let databaseMs: number | undefined;
  try {
    databaseMs = Math.round((await timedPing(deps.ping)) * 1000);
    database = 'up';
  } catch {
    database = 'down';
  }
  const jobs = deps.health.report(Date.now());
  const draining = deps.health.draining();
  let backup: Readiness['backup'];
  if (deps.backups && database === 'up') {
    const state = backupState(await deps.backups.latest(10).catch(() => []), deps.now());
    const at = state.lastSuccess?.finishedAt ?? null;
    backup = {
      lastSuccessAt: at,
      ageHours: at ? Math.round((deps.now().getTime() - at.getTime()) / 360_000) / 10 : null,
      latestFailed: state.latestFailed,
    };
  }
  const ready = database === 'up' && !draining && Object.values(jobs).every((j) => j.ok);
  return { ready, database, databaseMs, draining, jobs, backup };
}
