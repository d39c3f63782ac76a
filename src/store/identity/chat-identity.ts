import { Schema, type Connection } from 'mongoose';

/** A chat account (channel + the platform's user id) linked to the partner it reports for. */
export interface ChatIdentity {
  channel: string;
  channelUserId: string;
  partnerId: string;
  linkedAt: Date;
}

const schema = new Schema<ChatIdentity>(
  {
    channel: { type: String, required: true },
    channelUserId: { type: String, required: true },
    partnerId: { type: String, required: true },
    linkedAt: { type: Date, required: true },
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
    /** How many chat accounts report for each partner (the admin's partner page). */
    async countByPartner(): Promise<Map<string, number>> {
      const rows = await Model.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$partnerId', n: { $sum: 1 } } }]);
      return new Map(rows.map((r) => [r._id, r.n]));
    },
    /** Links or re-links in one upsert: a user who joins another partner keeps one identity. */
    async link(channel: string, channelUserId: string, partnerId: string, now: Date): Promise<void> {
      await Model.updateOne({ channel, channelUserId }, { $set: { partnerId, linkedAt: now } }, { upsert: true });
    },
  };
}
