import { Schema, type Connection } from 'mongoose';
import { isDuplicateKey } from '../duplicate-key';

export const CONSOLE_ROLES = ['admin', 'staff', 'dong'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

/** A console account. The password is only ever stored as an argon2id hash. */
export interface ConsoleUser {
  id: string;
  username: string;
  role: ConsoleRole;
  /** Set for (and only for) a dong user: the one dong center it works for. */
  dongCode: string | null;
  passwordHash: string;
  active: boolean;
  createdAt: Date;
}

type Doc = Omit<ConsoleUser, 'id'>;

const schema = new Schema<Doc>(
  {
    username: { type: String, required: true },
    role: { type: String, required: true, enum: CONSOLE_ROLES },
    dongCode: { type: String, default: null },
    passwordHash: { type: String, required: true },
    active: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'console_users', versionKey: false },
);
schema.index({ username: 1 }, { unique: true }); // sign-in by name; never two alike

const toUser = (d: Doc & { _id: { toString(): string } }): ConsoleUser => {
  const { _id, ...rest } = d;
  return { id: _id.toString(), ...rest };
};

export function consoleUserRepository(conn: Connection) {
  const Model = conn.models.ConsoleUser ?? conn.model<Doc>('ConsoleUser', schema);
  return {
    model: Model,
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
      const d = await Model.findOneAndUpdate({ username }, { $set: { active: false } }, { new: true }).lean<Doc & { _id: string }>();
      return d ? toUser(d) : undefined;
    },
    async setPasswordHash(id: string, passwordHash: string): Promise<void> {
      await Model.updateOne({ _id: id }, { $set: { passwordHash } });
    },
    async list(): Promise<ConsoleUser[]> {
      return (await Model.find().sort({ username: 1 }).lean<(Doc & { _id: string })[]>()).map(toUser);
    },
  };
}
export type ConsoleUserRepository = ReturnType<typeof consoleUserRepository>;
