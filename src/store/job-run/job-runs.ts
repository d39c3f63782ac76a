import { Schema, type Connection } from 'mongoose';
import { isDuplicateKey } from '../duplicate-key';
import type { JobRunRepository } from '../../domain/job-run/repository';
import type { CreatesItsIndexes } from '../../domain/stored';

interface RunDoc {
  _id: string;
  job: string;
  owner: string;
  at: Date;
}

const schema = new Schema<RunDoc>(
  {
    _id: { type: String, required: true },
    job: { type: String, required: true },
    owner: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'job_runs', versionKey: false },
);
schema.index({ job: 1, at: -1 });

/**
 * `job_runs`: one small document per job and period, `_id` `<job>:<period>` (a Seoul date, or an
 * hour). Every instance runs the schedule; the insert is the claim, so one of them does the
 * period's pass (FerretDB: only a unique insert is atomic). A document a day per daily job, and an
 * hourly job drops its claims older than a day: reads stay cheap.
 */
export function jobRunRepository(conn: Connection): JobRunRepository & CreatesItsIndexes {
  const Model = conn.models.JobRun ?? conn.model<RunDoc>('JobRun', schema);
  return {
    ensureIndexes: () => Model.createIndexes(),
    /** True when this owner won the job's pass for `day`. */
    async claim(job: string, period: string, owner: string, at: Date): Promise<boolean> {
      try {
        await Model.create({ _id: `${job}:${period}`, job, owner, at });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    /** When the job's latest pass was claimed, or null if it never ran. */
    async latest(job: string): Promise<Date | null> {
      const doc = await Model.findOne({ job }).sort({ at: -1 }).lean<RunDoc>();
      return doc ? doc.at : null;
    },
    async forgetBefore(job: string, before: Date): Promise<number> {
      return (await Model.deleteMany({ job, at: { $lt: before } })).deletedCount;
    },
  };
}
