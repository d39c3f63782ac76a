import { Schema, type Connection } from 'mongoose';
import type { SessionRepository } from '../../domain/auth/repositories';
import type { Session } from '../../domain/auth/session';
import type { CreatesItsIndexes } from '../../domain/stored';

const schema = new Schema<Session>(
  {
    tokenHash: { type: String, required: true },
    userId: { type: String, required: true },
    csrfToken: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    filters: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'console_sessions', versionKey: false, minimize: false },
);
schema.index({ tokenHash: 1 }, { unique: true }); // every authenticated request
schema.index({ userId: 1 }); // sign a disabled user out everywhere
schema.index({ expiresAt: 1 }); // the purge

export function sessionRepository(conn: Connection): SessionRepository & CreatesItsIndexes {
  const Model = conn.models.ConsoleSession ?? conn.model<Session>('ConsoleSession', schema);
  const strip = (d: (Session & { _id?: unknown }) | null): Session | undefined => {
    if (!d) return undefined;
    const { _id, ...rest } = d;
    return rest;
  };
  return {
    /** The indexes this collection declares (autoIndex is off, so start-up creates them in order). */
    async ensureIndexes() {
      await Model.createIndexes();
    },
    async create(s: Session): Promise<void> {
      await Model.create(s);
    },
    async live(tokenHash: string, now: Date): Promise<Session | undefined> {
      return strip(await Model.findOne({ tokenHash, expiresAt: { $gt: now } }).lean<Session & { _id: unknown }>());
    },
    async setFilters(tokenHash: string, filters: Record<string, string>): Promise<void> {
      await Model.updateOne({ tokenHash }, { $set: { filters } });
    },
    async remove(tokenHash: string): Promise<void> {
      await Model.deleteOne({ tokenHash });
    },
    async removeForUser(userId: string): Promise<number> {
      return (await Model.deleteMany({ userId })).deletedCount;
    },
    async removeForUserExcept(userId: string, keepTokenHash: string): Promise<number> {
      return (await Model.deleteMany({ userId, tokenHash: { $ne: keepTokenHash } })).deletedCount;
    },
    async purge(now: Date): Promise<number> {
      return (await Model.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
    },
  };
}
