import { Schema, type Connection } from 'mongoose';
import type { ConversationKey, ConversationRecord, ConversationState, StateStore, StoredValue } from '../../../flows/state-store';
import { isDuplicateKey } from '../duplicate-key';
import { revisionLog } from '../revision/revision-log';

/**
 * Conversations: one head document per (channel, user) that queries and the purge read, and the
 * revision log (src/store/revision) whose unique claims decide which of several racing turns
 * wins. A turn reads the head, rolls forward through newer claims, and writes by claiming the
 * next revision; only then is the head brought up to date.
 */
interface HeadDoc {
  _id: string;
  rev: number;
  updatedAt: Date;
  value: StoredValue;
}

const headSchema = new Schema<HeadDoc>(
  {
    _id: { type: String, required: true },
    rev: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
    value: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'conversations', versionKey: false, minimize: false },
);
headSchema.index({ updatedAt: 1 }); // the purge finds idle conversations by age

interface UnseenDoc {
  _id: string;
  signature: string;
  at: Date;
}
const unseenSchema = new Schema<UnseenDoc>(
  { _id: { type: String, required: true }, signature: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'conversation_unseen', versionKey: false },
);

const idOf = (k: ConversationKey) => `${k.channel}:${k.userId}`;
/** How long a claim is kept after it was made: far longer than any turn can take. */
const CLAIM_KEEP_MS = 60 * 60_000;

export type ConversationStore = StateStore & {
  /** The running conversation's state, or undefined when there is none (never started, ended, expired). */
  current(key: ConversationKey): Promise<ConversationState | undefined>;
  purge(now: Date, idleMs: number, keepTombstoneMs: number): Promise<{ emptied: number; deleted: number; pruned: number }>;
  ensureIndexes(): Promise<void>;
};

export function conversationStore(conn: Connection): ConversationStore {
  const Head = conn.models.Conversation ?? conn.model<HeadDoc>('Conversation', headSchema);
  const Unseen = conn.models.ConversationUnseen ?? conn.model<UnseenDoc>('ConversationUnseen', unseenSchema);
  const log = revisionLog<StoredValue>(conn, 'conversation_revisions');

  /** Brings the head up to `rev` unless it is there already (a later writer may have passed it). */
  async function writeHead(id: string, rev: number, value: StoredValue): Promise<void> {
    try {
      await Head.replaceOne({ _id: id, rev: { $lt: rev } }, { _id: id, rev, updatedAt: value.updatedAt, value }, { upsert: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // the head is at `rev` or beyond: nothing to do
    }
  }

  async function readId(id: string): Promise<ConversationRecord> {
    const head = await Head.findById(id).lean<HeadDoc>();
    const base = head ? { rev: head.rev, value: head.value } : { rev: 0, value: undefined as StoredValue | undefined };
    const latest = await log.rollForward(id, base.rev, base.value as StoredValue);
    if (latest.advanced) void writeHead(id, latest.rev, latest.value).catch(() => undefined);
    return latest.rev === 0 ? { rev: 0 } : { rev: latest.rev, value: latest.value };
  }

  return {
    async ensureIndexes() {
      await Head.createIndexes();
      await Unseen.createIndexes();
      await log.ensureIndexes();
    },
    read: (key) => readId(idOf(key)),
    async current(key) {
      const { value } = await readId(idOf(key));
      if (!value || value.ended !== undefined) return undefined;
      const { ended: _e, ...state } = value;
      return state;
    },
    async write(key, value, expectedRev) {
      const id = idOf(key);
      if (!(await log.claim(id, expectedRev + 1, value, new Date()))) return false;
      await writeHead(id, expectedRev + 1, value);
      return true;
    },
    async markUnseen(key, signature) {
      // Keeps the first signature: the person has seen nothing since then.
      try {
        await Unseen.create({ _id: idOf(key), signature, at: new Date() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },
    async takeUnseen(key) {
      const doc = await Unseen.findById(idOf(key)).lean<UnseenDoc>();
      if (!doc) return undefined;
      await Unseen.deleteOne({ _id: doc._id });
      return doc.signature;
    },
    /**
     * Expiry by query (FerretDB has no TTL indexes), through the same claims as a turn, so a
     * purge racing a user's message never overwrites it: an idle conversation's answers (which
     * may hold personal data) are replaced by an "expired" end, and ends are deleted later.
     */
    async purge(now, idleMs, keepTombstoneMs) {
      let emptied = 0;
      let deleted = 0;
      let pruned = 0;
      // Claims first: each head is brought up to its claims before they go.
      for (;;) {
        const old = await log.olderThan(new Date(now.getTime() - CLAIM_KEEP_MS), 500);
        for (const c of old) {
          await writeHead(c.key, c.rev, c.value);
          await log.remove(c.key, c.rev);
        }
        pruned += old.length;
        if (old.length < 500) break;
      }
      const idle = await Head.find({ updatedAt: { $lt: new Date(now.getTime() - idleMs) } }).lean<HeadDoc[]>();
      for (const head of idle) {
        const current = await readId(head._id);
        if (!current.value || current.value.updatedAt.getTime() >= now.getTime() - idleMs) continue;
        if (current.value.ended === undefined) {
          const end: StoredValue = { ended: 'expired', updatedAt: current.value.updatedAt };
          if (await log.claim(head._id, current.rev + 1, end, now)) {
            await writeHead(head._id, current.rev + 1, end);
            emptied++;
          }
        } else if (current.value.updatedAt.getTime() < now.getTime() - keepTombstoneMs) {
          const res = await Head.deleteOne({ _id: head._id, rev: current.rev });
          deleted += res.deletedCount;
        }
      }
      await Unseen.deleteMany({ at: { $lt: new Date(now.getTime() - idleMs) } });
      return { emptied, deleted, pruned };
    },
  };
}
