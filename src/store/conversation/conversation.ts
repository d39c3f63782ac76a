import { Schema, type Connection, type mongo } from 'mongoose';
import type { ConversationKey, ConversationRecord, ConversationState, StateStore, StoredValue } from '../../../flows/state-store';
import { isDuplicateKey } from '../duplicate-key';
import { revisionLog } from '../revision/revision-log';

/**
 * Conversations: one head document per (channel, user) that queries and the purge read, and the
 * revision log (src/store/revision) whose unique claims decide which of several racing turns
 * wins. A turn reads the head and writes by claiming the next revision; only then is the head
 * brought up to date.
 *
 * A turn reads only the head, not the claims: the claims collection holds the last hour's turns
 * of everyone, and on FerretDB even an `_id` read scans it. A head that lags its claims (a writer
 * stopped between its claim and its head write, or is still between them) is found at the write:
 * the claim of the next revision is refused, the head is brought up to the claims, and the turn
 * is told it lost the race, exactly as when another message came first. Reads outside turns
 * (`current`, the purge) roll forward through the claims.
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
  // Every turn reads and writes these by `_id`: through the driver's collections, without
  // mongoose's per-document casting (CPU that every turn paid).
  const heads = Head.collection as unknown as mongo.Collection<HeadDoc>;
  const unseen = Unseen.collection as unknown as mongo.Collection<UnseenDoc>;

  /** Brings the head up to `rev` unless it is there already (a later writer may have passed it). */
  async function writeHead(id: string, rev: number, value: StoredValue): Promise<void> {
    try {
      await heads.replaceOne({ _id: id, rev: { $lt: rev } }, { rev, updatedAt: value.updatedAt, value }, { upsert: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // the head is at `rev` or beyond: nothing to do
    }
  }

  async function readHead(id: string): Promise<ConversationRecord> {
    const head = await heads.findOne({ _id: id });
    return head ? { rev: head.rev, value: head.value } : { rev: 0 };
  }

  /** The head rolled forward through newer claims (brought up to them when it lagged). */
  async function readId(id: string): Promise<ConversationRecord> {
    const base = await readHead(id);
    const latest = await log.rollForward(id, base.rev, base.value as StoredValue);
    if (latest.advanced) await writeHead(id, latest.rev, latest.value);
    return latest.rev === 0 ? { rev: 0 } : { rev: latest.rev, value: latest.value };
  }

  return {
    async ensureIndexes() {
      await Head.createIndexes();
      await Unseen.createIndexes();
      await log.ensureIndexes();
    },
    read: (key) => readHead(idOf(key)),
    async current(key) {
      const { value } = await readId(idOf(key));
      if (!value || value.ended !== undefined) return undefined;
      const { ended: _e, ...state } = value;
      return state;
    },
    async write(key, value, expectedRev) {
      const id = idOf(key);
      if (await log.claim(id, expectedRev + 1, value, new Date())) {
        await writeHead(id, expectedRev + 1, value);
        return true;
      }
      await readId(id); // lost: the head catches up with the claims, so the next read sees the winner
      return false;
    },
    async markUnseen(key, signature) {
      // Keeps the first signature: the person has seen nothing since then.
      try {
        await unseen.insertOne({ _id: idOf(key), signature, at: new Date() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },
    async takeUnseen(key) {
      const doc = await unseen.findOne({ _id: idOf(key) });
      if (!doc) return undefined;
      await unseen.deleteOne({ _id: doc._id });
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
