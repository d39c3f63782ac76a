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

/** What a finished backup says of itself: where, how big, its checksum and each collection's count. */
export interface BackupTaken {
  path: string;
  bytes: number;
  payloadSha256: string;
  manifest: { durationMs: number; collections: Record<string, number> };
}

/** Writes a copy of the whole database to `path` (src/store/backup/take-backup.ts over the service's connection). */
export type TakeBackup = (path: string, opts: { sagakVersion: string; now?: () => Date }) => Promise<BackupTaken>;
