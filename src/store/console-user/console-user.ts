import { Schema, type Connection } from 'mongoose';
import { isDuplicateKey } from '../duplicate-key';

import { CONSOLE_ROLES, type ConsoleUser } from '../../domain/auth/console-user';
import type { ConsoleUserRepository } from '../../domain/auth/repositories';
import type { CreatesItsIndexes } from '../../domain/stored';

type Doc = Omit<ConsoleUser, 'id'>;

const schema = new Schema<Doc>(
  {
    username: { type: String, required: true },
    role: { type: String, required: true, enum: CONSOLE_ROLES },
    dongCode: { type: String, default: null },
    passwordHash: { type: String, required: true },
    active: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
    name: { type: String, default: null, maxlength: 40 },
    department: { type: String, default: null, maxlength: 60 },
    phone: { type: String, default: null, maxlength: 20 },
    lastSignInAt: { type: Date, default: null },
  },
  { collection: 'console_users', versionKey: false },
);
schema.index({ username: 1 }, { unique: true }); // sign-in by name; never two alike

const toUser = (d: Doc & { _id: { toString(): string } }): ConsoleUser => {
  const { _id, ...rest } = d;
  return { id: _id.toString(), ...rest };
};

export function consoleUserRepository(conn: Connection): ConsoleUserRepository & CreatesItsIndexes {
  const Model = conn.models.ConsoleUser ?? conn.model<Doc>('ConsoleUser', schema);
  return {
    /** The indexes this collection declares (autoIndex is off, so start-up creates them in order). */
    async ensureIndexes() {
      await Model.createIndexes();
    },
    /** Undefined when the name is taken (the unique index decides, also under concurrency). */
    async create(user: Doc): Promise<ConsoleUser | undefined> {
      try {
        return toUser((await Model.create(user)).toObject());
      } catch (err) {
        if (isDuplicateKey(err)) return undefined;
        throw err;
      }
    },
    async byUsername(username: string): Promise<ConsoleUser | undefined> {
      const d = await Model.findOne({ username }).lean<Doc & { _id: string }>();
      return d ? toUser(d) : undefined;
    },
    async byId(id: string): Promise<ConsoleUser | undefined> {
      const d = await Model.findById(id).lean<Doc & { _id: string }>();
      return d ? toUser(d) : undefined;
    },
    async disable(username: string): Promise<ConsoleUser | undefined> {
      const d = await Model.findOneAndUpdate({ username }, { $set: { active: false } }, { new: true }).lean<
        Doc & { _id: string }
      >();
      return d ? toUser(d) : undefined;
    },
    /** An admin's change of role, dong, active flag, or the person's name, department and phone (the console's user page). */
    async update(
      username: string,
      patch: Partial<Pick<ConsoleUser, 'role' | 'dongCode' | 'active' | 'name' | 'department' | 'phone'>>,
    ): Promise<ConsoleUser | undefined> {
      const d = await Model.findOneAndUpdate({ username }, { $set: patch }, { new: true }).lean<
        Doc & { _id: string }
      >();
      return d ? toUser(d) : undefined;
    },
    /** Notes a successful sign-in (a plain overwrite: the latest wins, which is what "last" means). */
    async noteSignIn(id: string, at: Date): Promise<void> {
      await Model.updateOne({ _id: id }, { $set: { lastSignInAt: at } });
    },
    async setPasswordHash(id: string, passwordHash: string): Promise<boolean> {
      return (await Model.updateOne({ _id: id }, { $set: { passwordHash } })).matchedCount === 1;
    },
    async list(): Promise<ConsoleUser[]> {
      return (await Model.find().sort({ username: 1 }).lean<(Doc & { _id: string })[]>()).map(toUser);
    },
  };
}
