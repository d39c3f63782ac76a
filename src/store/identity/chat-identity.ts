import { Schema, type Connection, type mongo } from 'mongoose';
import { batchedReads } from '../batched-reads';
import { isDuplicateKey, upsertById } from '../duplicate-key';
import type { ChatIdentity } from '../../domain/identity/chat-identity';
import type { ChatIdentityRepository } from '../../domain/identity/repository';
import type { CreatesItsIndexes } from '../../domain/stored';

/**
 * Keyed by `_id` "<channel>:<user id>": every chat turn looks its sender up, and on FerretDB an
 * `_id` equality is the cheapest read there is (other filters decode every document).
 */
const schema = new Schema<ChatIdentity & { _id: string }>(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    channelUserId: { type: String, required: true },
    partnerId: { type: String, required: true },
    linkedAt: { type: Date, required: true },
    contact: { type: { _id: false, name: String, phone: String }, default: null },
  },
  { collection: 'chat_identities', versionKey: false },
);

const idOf = (channel: string, channelUserId: string) => `${channel}:${channelUserId}`;

export function chatIdentityRepository(conn: Connection): ChatIdentityRepository & CreatesItsIndexes {
  const Model = conn.models.ChatIdentity ?? conn.model<ChatIdentity & { _id: string }>('ChatIdentity', schema);
  const readById = batchedReads(Model.collection as unknown as mongo.Collection<ChatIdentity & { _id: string }>);
  async function find(channel: string, channelUserId: string): Promise<ChatIdentity | undefined> {
    const doc = await readById(idOf(channel, channelUserId));
    if (!doc) return undefined;
    const { _id, ...identity } = doc;
    return identity;
  }
  return {
    /** The indexes this collection declares (autoIndex is off, so start-up creates them in order). */
    async ensureIndexes() {
      await Model.createIndexes();
    },
    find,
    /** How many chat accounts report for each partner (the admin's partner page). */
    async countByPartner(): Promise<Map<string, number>> {
      const rows = await Model.aggregate<{ _id: string; n: number }>([
        { $group: { _id: '$partnerId', n: { $sum: 1 } } },
      ]);
      return new Map(rows.map((r) => [r._id, r.n]));
    },
    /**
     * Links a new account with an insert (on FerretDB any update scans the collection under its
     * write lock, and linking is most often a first link), and re-links an existing one in place:
     * a user who joins another partner keeps one identity, and their contact.
     */
    async link(channel: string, channelUserId: string, partnerId: string, now: Date): Promise<ChatIdentity> {
      const id = idOf(channel, channelUserId);
      const linked = { channel, channelUserId, partnerId, linkedAt: now };
      try {
        await Model.collection.insertOne({ _id: id, ...linked, contact: null } as never);
        return { ...linked, contact: null };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      await upsertById(Model, id, linked);
      return (await find(channel, channelUserId)) ?? { ...linked, contact: null };
    },
    /** Replaces the reporter's call-back contact (a plain overwrite: the latest answer wins); once per reporter, not per turn. */
    async setContact(channel: string, channelUserId: string, contact: { name: string; phone: string }): Promise<void> {
      await Model.updateOne({ _id: idOf(channel, channelUserId) }, { $set: { contact } });
    },
    /** Retention: the chat accounts of partners that were revoked (they can no longer file). */
    async countForPartners(partnerIds: string[]): Promise<number> {
      return partnerIds.length ? Model.countDocuments({ partnerId: { $in: partnerIds } }) : 0;
    },
    async removeForPartners(partnerIds: string[]): Promise<number> {
      return partnerIds.length ? (await Model.deleteMany({ partnerId: { $in: partnerIds } })).deletedCount : 0;
    },
  };
}
