import { Schema, type Connection } from 'mongoose';
import type { PasswordReset } from '../../domain/auth/user-admin';
import { isDuplicateKey } from '../duplicate-key';
import type { PasswordResetRepository } from '../../domain/auth/repositories';
import type { CreatesItsIndexes } from '../../domain/stored';

interface ResetDoc extends Omit<PasswordReset, 'tokenHash'> {
  _id: string;
}

/**
 * A one-time password link an admin issued. Only the SHA-256 of the token is stored; using it
 * inserts a claim with the same _id, so a link works once even when clicked twice at once
 * (FerretDB's conditional updates are not atomic, a unique-index insert is).
 */
const schema = new Schema<ResetDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'password_resets', versionKey: false },
);
schema.index({ expiresAt: 1 }); // the purge

const useSchema = new Schema<{ _id: string; usedAt: Date }>(
  { _id: { type: String, required: true }, usedAt: { type: Date, required: true } },
  { collection: 'password_reset_uses', versionKey: false },
);

export function passwordResetRepository(conn: Connection): PasswordResetRepository & CreatesItsIndexes {
  const Model = conn.models.PasswordReset ?? conn.model<ResetDoc>('PasswordReset', schema);
  const Use = conn.models.PasswordResetUse ?? conn.model('PasswordResetUse', useSchema);
  return {
    /** The indexes this collection declares (autoIndex is off, so start-up creates them in order). */
    async ensureIndexes() {
      await Model.createIndexes();
    },
    async create(r: PasswordReset): Promise<void> {
      const { tokenHash, ...rest } = r;
      await Model.create({ _id: tokenHash, ...rest });
    },
    /** The live, unused link of a token hash, or undefined. */
    async live(tokenHash: string, now: Date): Promise<PasswordReset | undefined> {
      const [doc, used] = await Promise.all([
        Model.findOne({ _id: tokenHash, expiresAt: { $gt: now } }).lean<ResetDoc>(),
        Use.exists({ _id: tokenHash }),
      ]);
      if (!doc || used) return undefined;
      const { _id, ...rest } = doc;
      return { tokenHash: _id, ...rest };
    },
    /** True for exactly one caller per token: the unique _id insert decides. */
    async claim(tokenHash: string, now: Date): Promise<boolean> {
      try {
        await Use.create({ _id: tokenHash, usedAt: now });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async purge(now: Date): Promise<number> {
      const expired = await Model.find({ expiresAt: { $lte: now } }, { _id: 1 }).lean<{ _id: string }[]>();
      if (!expired.length) return 0;
      const ids = expired.map((d) => d._id);
      await Use.deleteMany({ _id: { $in: ids } });
      return (await Model.deleteMany({ _id: { $in: ids } })).deletedCount;
    },
  };
}
