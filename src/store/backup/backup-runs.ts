import { Schema, type Connection } from 'mongoose';
import { isDuplicateKey } from '../duplicate-key';
import type { BackupRun } from '../../domain/backup/backup-run';
import type { BackupRunRepository } from '../../domain/backup/repository';
import type { CreatesItsIndexes } from '../../domain/stored';

type RunDoc = Omit<BackupRun, 'day'> & { _id: string };

const schema = new Schema<RunDoc>(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    result: { type: String, required: true, enum: ['running', 'ok', 'failed'] },
    file: { type: String, default: null },
    bytes: { type: Number, default: null },
    sha256: { type: String, default: null },
    reports: { type: Number, default: null },
    error: { type: String, default: null },
  },
  { collection: 'backup_runs', versionKey: false },
);

const toRun = ({ _id, ...rest }: RunDoc): BackupRun => ({ day: _id, ...rest });

/**
 * `backup_runs`: one document per day's scheduled backup, `_id` the Seoul date. Every instance
 * runs the schedule; the insert of the day's document is the claim, so one of them takes the
 * backup (FerretDB: only a unique insert is atomic). One small document a day: reads are cheap.
 */
export function backupRunRepository(conn: Connection): BackupRunRepository & CreatesItsIndexes {
  const Model = conn.models.BackupRun ?? conn.model<RunDoc>('BackupRun', schema);
  return {
    /** `_id` only: nothing to create. */
    ensureIndexes: async () => {},
    /** True when this owner won the day's backup. */
    async claim(day: string, owner: string, at: Date): Promise<boolean> {
      try {
        await Model.collection.insertOne({
          _id: day,
          owner,
          startedAt: at,
          finishedAt: null,
          result: 'running',
          file: null,
          bytes: null,
          sha256: null,
          reports: null,
          error: null,
        } as never);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async finish(
      day: string,
      outcome: Pick<BackupRun, 'finishedAt' | 'result' | 'file' | 'bytes' | 'sha256' | 'reports' | 'error'>,
    ): Promise<void> {
      await Model.updateOne({ _id: day }, { $set: outcome });
    },
    async byDay(day: string): Promise<BackupRun | undefined> {
      const doc = await Model.findById(day).lean<RunDoc>();
      return doc ? toRun(doc) : undefined;
    },
    /** The latest runs, newest first. */
    async latest(limit = 30): Promise<BackupRun[]> {
      return (await Model.find().sort({ _id: -1 }).limit(limit).lean<RunDoc[]>()).map(toRun);
    },
  };
}
