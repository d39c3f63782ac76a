import { Schema, type Connection } from 'mongoose';
import type { ConversationKey, StateStore, StoredConversation } from '../../../flows/state-store';
import { isDuplicateKey } from '../duplicate-key';

interface ConversationDoc extends StoredConversation {
  _id: string;
}

const schema = new Schema<ConversationDoc>(
  {
    _id: { type: String, required: true },
    flowId: { type: String, required: true },
    flowVersion: { type: Number, required: true },
    stepId: { type: String, required: true },
    data: { type: Schema.Types.Mixed },
    updatedAt: { type: Date, required: true },
    expired: Boolean,
    rev: { type: Number, required: true },
  },
  { collection: 'conversations', versionKey: false, minimize: false },
);
schema.index({ updatedAt: 1 }); // the purge finds idle conversations by age

const idOf = (k: ConversationKey) => `${k.channel}:${k.userId}`;

/** Conversation state in MongoDB, keyed by (channel, user): any instance can take the next turn. */
export function conversationStore(conn: Connection): StateStore & {
  purge(now: Date, idleMs: number, keepTombstoneMs: number): Promise<{ emptied: number; deleted: number }>;
  ensureIndexes(): Promise<void>;
} {
  const Model = conn.models.Conversation ?? conn.model<ConversationDoc>('Conversation', schema);
  return {
    async ensureIndexes() {
      await Model.createIndexes();
    },
    async read(key) {
      const doc = await Model.findById(idOf(key)).lean<ConversationDoc>();
      if (!doc) return undefined;
      const { _id, ...state } = doc;
      return state;
    },
    async write(key, state, expectedRev) {
      if (expectedRev === 0) {
        try {
          await Model.create({ _id: idOf(key), ...state, rev: 1 });
          return true;
        } catch (err) {
          if (isDuplicateKey(err)) return false;
          throw err;
        }
      }
      const res = await Model.updateOne(
        { _id: idOf(key), rev: expectedRev },
        { $set: { ...state, rev: expectedRev + 1 }, $unset: { expired: 1 } },
      );
      return res.matchedCount === 1;
    },
    async remove(key) {
      await Model.deleteOne({ _id: idOf(key) });
    },
    /**
     * Expiry by query (FerretDB has no TTL indexes): idle conversations lose their answers, which
     * may hold personal data, but keep a marker so the user is told it expired; markers go later.
     */
    async purge(now, idleMs, keepTombstoneMs) {
      const emptied = await Model.updateMany(
        { updatedAt: { $lt: new Date(now.getTime() - idleMs) }, expired: { $ne: true } },
        { $set: { expired: true, data: {} }, $inc: { rev: 1 } },
      );
      const deleted = await Model.deleteMany({ updatedAt: { $lt: new Date(now.getTime() - keepTombstoneMs) } });
      return { emptied: emptied.modifiedCount, deleted: deleted.deletedCount };
    },
  };
}
