import { Schema, type Connection } from 'mongoose';

/** A chat account (channel + the platform's user id) linked to the partner it reports for. */
export interface ChatIdentity {
  channel: string;
  channelUserId: string;
  partnerId: string;
  linkedAt: Date;
  /** The reporter's own call-back name and phone, asked once after linking (staff see it with each report). */
  contact?: { name: string; phone: string } | null;
}

const schema = new Schema<ChatIdentity>(
  {
    channel: { type: String, required: true },
    channelUserId: { type: String, required: true },
    partnerId: { type: String, required: true },
    linkedAt: { type: Date, required: true },
    contact: { type: { _id: false, name: String, phone: String }, default: null },
  },
  { collection: 'chat_identities', versionKey: false },
);
schema.index({ channel: 1, channelUserId: 1 }, { unique: true }); // every turn looks its sender up

export function chatIdentityRepository(conn: Connection) {
  const Model = conn.models.ChatIdentity ?? conn.model<ChatIdentity>('ChatIdentity', schema);
  return {
    model: Model,
    async find(channel: string, channelUserId: string): Promise<ChatIdentity | undefined> {
      return (await Model.findOne({ channel, channelUserId }, { _id: 0 }).lean<ChatIdentity>()) ?? undefined;
    },
    /** Links or re-links in one upsert: a user who joins another partner keeps one identity. */
    async link(channel: string, channelUserId: string, partnerId: string, now: Date): Promise<void> {
      await Model.updateOne({ channel, channelUserId }, { $set: { partnerId, linkedAt: now } }, { upsert: true });
    },
    /** Replaces the reporter's call-back contact (a plain overwrite: the latest answer wins). */
    async setContact(channel: string, channelUserId: string, contact: { name: string; phone: string }): Promise<void> {
      await Model.updateOne({ channel, channelUserId }, { $set: { contact } });
    },
  };
}
