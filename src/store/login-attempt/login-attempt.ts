import { Schema, type Connection, type Types } from 'mongoose';

/**
 * One document per sign-in try, shared by every instance. Counting recent documents is safe on
 * FerretDB where conditional updates and $inc are not atomic: each try inserts before it counts,
 * so parallel tries see each other.
 */
interface Attempt {
  keys: string[];
  at: Date;
  outcome: 'pending' | 'ok' | 'failed';
}

const schema = new Schema<Attempt>(
  { keys: [String], at: { type: Date, required: true }, outcome: { type: String, required: true } },
  { collection: 'console_login_attempts', versionKey: false },
);
schema.index({ keys: 1, at: -1 }); // count recent tries per username and per IP
schema.index({ at: 1 }); // the purge

export function loginAttemptRepository(conn: Connection) {
  const Model = conn.models.LoginAttempt ?? conn.model<Attempt>('LoginAttempt', schema);
  return {
    model: Model,
    async record(keys: string[], at: Date): Promise<string> {
      const doc = await Model.create({ keys, at, outcome: 'pending' });
      return (doc._id as Types.ObjectId).toString();
    },
    async settle(id: string, outcome: 'ok' | 'failed'): Promise<void> {
      await Model.updateOne({ _id: id }, { $set: { outcome } });
    },
    /** Tries not known to have succeeded (failed or still running) for a key since a time. */
    async unsuccessfulSince(key: string, since: Date): Promise<number> {
      return Model.countDocuments({ keys: key, at: { $gte: since }, outcome: { $ne: 'ok' } });
    },
    async purge(before: Date): Promise<number> {
      return (await Model.deleteMany({ at: { $lt: before } })).deletedCount;
    },
  };
}
export type LoginAttemptRepository = ReturnType<typeof loginAttemptRepository>;
