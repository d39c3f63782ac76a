import { Schema, type Connection, type Types } from 'mongoose';
import type { AttemptFact } from '../../domain/auth/throttle';
import type { LoginAttemptRepository } from '../../domain/auth/repositories';
import type { CreatesItsIndexes } from '../../domain/stored';

/**
 * One document per sign-in try, shared by every instance. Counting recent documents is safe on
 * FerretDB where conditional updates and $inc are not atomic: each try inserts before it counts,
 * so parallel tries see each other. Kept only for the throttle's window (then purged).
 */
interface Attempt {
  keys: string[];
  at: Date;
  outcome: AttemptFact['outcome'];
  username: string;
  ip: string;
}

const schema = new Schema<Attempt>(
  {
    keys: [String],
    at: { type: Date, required: true },
    outcome: { type: String, required: true },
    username: { type: String, default: '' },
    ip: { type: String, default: '' },
  },
  { collection: 'console_login_attempts', versionKey: false },
);
schema.index({ keys: 1, at: -1 }); // recent tries per (username, address), per address and per account
schema.index({ at: 1 }); // the purge and the admin's lockout list

const toFact = (d: Attempt & { _id: Types.ObjectId }): AttemptFact => ({
  id: d._id.toString(),
  at: d.at,
  outcome: d.outcome,
  username: d.username ?? '',
  ip: d.ip ?? '',
});

export function loginAttemptRepository(conn: Connection): LoginAttemptRepository & CreatesItsIndexes {
  const Model = conn.models.LoginAttempt ?? conn.model<Attempt>('LoginAttempt', schema);
  return {
    /** The indexes this collection declares (autoIndex is off, so start-up creates them in order). */
    async ensureIndexes() {
      await Model.createIndexes();
    },
    async record(keys: string[], at: Date, who: { username: string; ip: string }): Promise<string> {
      const doc = await Model.create({ keys, at, outcome: 'pending', ...who });
      return (doc._id as Types.ObjectId).toString();
    },
    async settle(id: string, outcome: 'ok' | 'failed' | 'refused'): Promise<void> {
      await Model.updateOne({ _id: id }, { $set: { outcome } });
    },
    /** Every try of a key since a time, oldest first. */
    async since(key: string, since: Date): Promise<AttemptFact[]> {
      return (
        await Model.find({ keys: key, at: { $gte: since } })
          .sort({ at: 1 })
          .lean<(Attempt & { _id: Types.ObjectId })[]>()
      ).map(toFact);
    },
    /** Failed tries and tries still running (but not `except`, the caller's own) for a key since a time; refused ones never count. */
    async failedSince(key: string, since: Date, except: string): Promise<number> {
      return Model.countDocuments({
        keys: key,
        at: { $gte: since },
        outcome: { $in: ['failed', 'pending'] },
        _id: { $ne: except },
      });
    },
    async allSince(since: Date): Promise<AttemptFact[]> {
      return (await Model.find({ at: { $gte: since } }).lean<(Attempt & { _id: Types.ObjectId })[]>()).map(toFact);
    },
    /** Forgets a key's unsuccessful tries: an admin lifting a lockout (a pair, an address or an account). */
    async clear(key: string): Promise<number> {
      return (await Model.deleteMany({ keys: key, outcome: { $ne: 'ok' } })).deletedCount;
    },
    async purge(before: Date): Promise<number> {
      return (await Model.deleteMany({ at: { $lt: before } })).deletedCount;
    },
  };
}
