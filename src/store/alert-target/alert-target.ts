import { Schema, type Connection } from 'mongoose';
import { DEFAULT_PRIVACY, type AlertTargets } from '../../domain/alert-target/alert-targets';
import type { AlertTargetRepository, AlertTargetsPatch } from '../../domain/alert-target/repository';
import type { CreatesItsIndexes } from '../../domain/stored';

const schema = new Schema<AlertTargets>(
  {
    district: { type: String, required: true },
    owner: { type: String, required: true },
    slackChannel: { type: String, default: null },
    telegramChatId: { type: String, default: null },
    emails: { type: [String], default: [] },
    webhookUrl: { type: String, default: null },
    privacy: { type: Schema.Types.Mixed, default: () => ({ ...DEFAULT_PRIVACY }) },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'alert_targets', versionKey: false, minimize: false },
);
schema.index({ district: 1, owner: 1 }, { unique: true }); // one record per owner; read by owner

const plain = (d: Partial<AlertTargets> & { district: string; owner: string }): AlertTargets => ({
  district: d.district,
  owner: d.owner,
  slackChannel: d.slackChannel ?? null,
  telegramChatId: d.telegramChatId ?? null,
  emails: d.emails ?? [],
  webhookUrl: d.webhookUrl ?? null,
  privacy: { ...DEFAULT_PRIVACY, ...(d.privacy ?? {}) },
  updatedAt: d.updatedAt ?? new Date(0),
});

export function alertTargetRepository(conn: Connection): AlertTargetRepository & CreatesItsIndexes {
  const Model = conn.models.AlertTargets ?? conn.model<AlertTargets>('AlertTargets', schema);
  return {
    /** The indexes this collection declares (autoIndex is off, so start-up creates them in order). */
    async ensureIndexes() {
      await Model.createIndexes();
    },
    async of(district: string, owner: string): Promise<AlertTargets> {
      const doc = await Model.findOne({ district, owner }).lean<AlertTargets>();
      return plain(doc ?? { district, owner });
    },
    /** All owners' records of a district (a handful): one read per alert sweep. */
    async all(district: string): Promise<Map<string, AlertTargets>> {
      const docs = await Model.find({ district }).lean<AlertTargets[]>();
      return new Map(docs.map((d) => [d.owner, plain(d)]));
    },
    /** An upsert by a person at the CLI; two admins at once: the last one wins, as with dong set. */
    async set(district: string, owner: string, patch: AlertTargetsPatch, now: Date): Promise<AlertTargets> {
      const current = await this.of(district, owner);
      const next = { ...current, ...patch, privacy: { ...current.privacy, ...(patch.privacy ?? {}) }, updatedAt: now };
      await Model.updateOne({ district, owner }, { $set: next }, { upsert: true });
      return this.of(district, owner);
    },
  };
}
