/** One scheduled backup: claimed by one instance for its day, then finished with its result. */
export interface BackupRun {
  day: string;
  owner: string;
  startedAt: Date;
  finishedAt: Date | null;
  result: 'running' | 'ok' | 'failed';
  file: string | null;
  bytes: number | null;
  sha256: string | null;
  reports: number | null;
  error: string | null;
}
