import { Schema, type Connection } from 'mongoose';
import { isDuplicateKey } from '../duplicate-key';
import type { DeliveryTargetsPatch, DongCenter } from '../../domain/dong-center/dong-center';
import type { DongCenterRepository } from '../../domain/dong-center/repository';
import type { CreatesItsIndexes } from '../../domain/stored';

const schema = new Schema<DongCenter>(
  {
    district: { type: String, required: true },
    code: { type: String, required: true },
    name: { type: String, required: true },
    slackChannel: { type: String, default: null },
    telegramChatId: { type: String, default: null },
    emails: { type: [String], default: [] },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'dong_centers', versionKey: false, minimize: false },
);
schema.index({ district: 1, code: 1 }, { unique: true }); // one center per dong; lookups and seeding by code

const plain = ({ district, code, name, slackChannel, telegramChatId, emails, updatedAt }: DongCenter): DongCenter => ({
  district,
  code,
  name,
  slackChannel: slackChannel ?? null,
  telegramChatId: telegramChatId ?? null,
  emails: emails ?? [],
  updatedAt,
});

export function dongCenterRepository(conn: Connection): DongCenterRepository & CreatesItsIndexes {
  const Model = conn.models.DongCenter ?? conn.model<DongCenter>('DongCenter', schema);
  return {
    /** The indexes this collection declares (autoIndex is off, so start-up creates them in order). */
    async ensureIndexes() {
      await Model.createIndexes();
    },
    /**
     * Creates the centers the district data lists and not yet stored; existing ones (and their
     * delivery targets) are left alone, so running it at every start is safe on every instance.
     */
    async seed(district: string, dongs: { code: string; name: string }[], now: Date): Promise<number> {
      const have = new Set((await Model.find({ district }, { code: 1 }).lean<{ code: string }[]>()).map((d) => d.code));
      let created = 0;
      for (const d of dongs.filter((x) => !have.has(x.code))) {
        try {
          await Model.create({
            district,
            code: d.code,
            name: d.name,
            slackChannel: null,
            telegramChatId: null,
            emails: [],
            updatedAt: now,
          });
          created++;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err; // another instance seeded it first
        }
      }
      return created;
    },
    async list(district: string): Promise<DongCenter[]> {
      return (await Model.find({ district }).sort({ code: 1 }).lean<DongCenter[]>()).map(plain);
    },
    async byCode(district: string, code: string): Promise<DongCenter | undefined> {
      const doc = await Model.findOne({ district, code }).lean<DongCenter>();
      return doc ? plain(doc) : undefined;
    },
    async setTargets(
      district: string,
      code: string,
      patch: DeliveryTargetsPatch,
      now: Date,
    ): Promise<DongCenter | undefined> {
      await Model.updateOne({ district, code }, { $set: { ...patch, updatedAt: now } });
      return this.byCode(district, code);
    },
  };
}
