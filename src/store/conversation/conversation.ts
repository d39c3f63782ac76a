import { Schema, type Connection, type mongo } from 'mongoose';
import type { ConversationKey, ConversationRecord, ConversationStore, StoredValue } from '../../../flows/state-store';
import type { CreatesItsIndexes } from '../../domain/stored';
import { batchedReads } from '../batched-reads';
import { isDuplicateKey } from '../duplicate-key';
import { plainCopy } from '../plain-copy';
import { revisionLog } from '../revision/revision-log';

/**
 * Conversations: one head document per (channel, user) that queries and the purge read, and the
 * revision log (src/store/revision) whose unique claims decide which of several racing turns
 * wins. A turn writes by claiming the next revision; the claim is the truth.
 *
 * The head is not rewritten on every turn: on FerretDB an update decodes every head, by far the
 * dearest step of a turn. A turn starts from what this process last knew of the conversation
 * (a hint: the revision it read or claimed) and rolls forward through newer claims by `_id`, so
 * a message handled by another instance is seen. Without a fresh hint it starts from the head.
 * The head is brought up to date when a reader rolled forward through HEAD_LAG_WRITE claims, when
 * a turn lost a race, and by the prune before claims go.
 *
 * A hint is trusted for HINT_KEEP_MS only. Any claim newer than a hint was made after the hint,
 * so it is younger than HINT_KEEP_MS and still kept (claims are pruned after CLAIM_KEEP_MS).
 * A stale hint therefore can only send the turn to the claims that follow it, never past one.
 *
 * A chat turn does not even roll forward: it starts from the hint as it is (`recall`), and its
 * claimed write confirms it — the claim it would have read is the one its write collides with.
 * On a single instance that saves every turn a read of its claims collection (which finds
 * nothing, and on FerretDB scans the collection); the engine reads when a turn would reply
 * before writing, and decides again when the collision shows the hint was stale.
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

const idOf = (k: ConversationKey) => `${k.channel}:${k.userId}`;
/** How long a claim is kept after it was made: far longer than any turn can take. */
const CLAIM_KEEP_MS = 60 * 60_000;
/** Collections the claims are spread over (see revision-log.ts). */
const CLAIM_BUCKETS = 32;
/** How long a hint is trusted: well inside CLAIM_KEEP_MS, with room for clocks that disagree. */
const HINT_KEEP_MS = 10 * 60_000;
/** Hints kept per process (the oldest are dropped): far more than the conversations of an hour. */
const HINT_LIMIT = 20_000;
/**
 * A reader that rolled forward through this many claims brings the head up to date: it bounds a
 * cold read (another instance, a restart) to this many `_id` reads, while a whole filing (14
 * turns) leaves the head to the prune: each head update decodes every head on FerretDB.
 */
const HEAD_LAG_WRITE = 32;

interface Hint {
  rev: number;
  value?: StoredValue;
  /** The head's revision as this process last saw or wrote it. */
  headRev: number;
  at: number;
}

export function conversationStore(conn: Connection): ConversationStore & CreatesItsIndexes {
  const Head = conn.models.Conversation ?? conn.model<HeadDoc>('Conversation', headSchema);
  // Spread over 32 collections: a turn's first claim read usually finds nothing, and on FerretDB
  // that scans the collection. An earlier version wrote the head with every claim, so its single
  // `conversation_revisions` holds nothing the heads lack.
  const log = revisionLog<StoredValue>(conn, 'conversation_revisions', { buckets: CLAIM_BUCKETS });
  /** That version's claims, which hold answers: the prune still clears them. */
  const legacyLog = revisionLog<StoredValue>(conn, 'conversation_revisions');
  const hints = new Map<string, Hint>();
  // Copies in and out, as a database round trip would: a caller that changes its state object
  // must not change what the next turn starts from.
  const remember = (id: string, hint: Omit<Hint, 'at'>) => {
    hints.delete(id); // re-inserted last: the Map's order is the order of use
    hints.set(id, { ...hint, value: plainCopy(hint.value), at: Date.now() });
    if (hints.size > HINT_LIMIT) hints.delete(hints.keys().next().value as string);
  };
  const freshHint = (id: string) => {
    const hint = hints.get(id);
    return hint && Date.now() - hint.at < HINT_KEEP_MS ? { ...hint, value: plainCopy(hint.value) } : undefined;
  };
  // Every turn reads and writes these by `_id`: through the driver's collections, without
  // mongoose's per-document casting (CPU that every turn paid).
  const heads = Head.collection as unknown as mongo.Collection<HeadDoc>;
  /** A conversation's first turn on this instance reads its head: first turns at once share the read. */
  const headById = batchedReads(heads);

  /** Brings the head up to `rev` unless it is there already (a later writer may have passed it). */
  async function writeHead(id: string, rev: number, value: StoredValue): Promise<void> {
    try {
      await heads.replaceOne(
        { _id: id, rev: { $lt: rev } },
        { rev, updatedAt: value.updatedAt, value },
        { upsert: true },
      );
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // the head is at `rev` or beyond: nothing to do
    }
  }

  async function readHead(id: string): Promise<ConversationRecord> {
    const head = await headById(id);
    return head ? { rev: head.rev, value: head.value } : { rev: 0 };
  }

  /**
   * The newest revision: from the hint or the head, rolled forward through newer claims. The
   * head is written when it lags by HEAD_LAG_WRITE claims or more (or always, with `catchUp`).
   */
  async function readLatest(id: string, catchUp = false): Promise<ConversationRecord> {
    const hint = catchUp ? undefined : freshHint(id);
    const base = hint ?? (await readHead(id));
    const headRev = hint ? hint.headRev : base.rev;
    const latest = await log.rollForward(id, base.rev, base.value as StoredValue);
    let written = headRev;
    if (latest.rev > headRev && (catchUp || latest.rev - headRev >= HEAD_LAG_WRITE)) {
      await writeHead(id, latest.rev, latest.value);
      written = latest.rev;
    }
    const record: ConversationRecord = latest.rev === 0 ? { rev: 0 } : { rev: latest.rev, value: latest.value };
    remember(id, { ...record, headRev: written });
    return record;
  }

  return {
    async ensureIndexes() {
      await Head.createIndexes();
      await log.ensureIndexes();
    },
    read: (key) => readLatest(idOf(key)),
    recall(key) {
      const hint = freshHint(idOf(key));
      if (!hint) return undefined;
      return hint.rev === 0 ? { rev: 0 } : { rev: hint.rev, value: hint.value };
    },
    /** A claim gone already was pruned: older than any recollection, so out of date too. */
    async claimedBefore(key, rev, since) {
      const at = await log.claimedAt(idOf(key), rev);
      return at === undefined || at.getTime() < since.getTime();
    },
    async current(key) {
      const { value } = await readLatest(idOf(key));
      if (!value || value.ended !== undefined) return undefined;
      const { ended: _e, unseen: _u, ...state } = value;
      return state;
    },
    async write(key, value, expectedRev) {
      const id = idOf(key);
      if (await log.claim(id, expectedRev + 1, value, new Date())) {
        remember(id, { rev: expectedRev + 1, value, headRev: hints.get(id)?.headRev ?? -1 });
        return true;
      }
      await readLatest(id, true); // lost: the head catches up with the claims, so every reader sees the winner
      return false;
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
      for (const claims of [log, legacyLog]) {
        for (;;) {
          const old = await claims.olderThan(new Date(now.getTime() - CLAIM_KEEP_MS), 500);
          // Each conversation's head once, at its newest old claim, then the claims in one delete
          // per collection: a head update and a delete each scan their collection under SQLite's
          // write lock on FerretDB, which every chat turn's claim waits for.
          const newest = new Map<string, { rev: number; value: StoredValue }>();
          for (const c of old) if ((newest.get(c.key)?.rev ?? -1) < c.rev) newest.set(c.key, c);
          for (const [key, c] of newest) await writeHead(key, c.rev, c.value);
          await claims.removeAll(old);
          pruned += old.length;
          if (old.length < 500) break;
        }
      }
      const idle = await Head.find({ updatedAt: { $lt: new Date(now.getTime() - idleMs) } }).lean<HeadDoc[]>();
      for (const head of idle) {
        const current = await readLatest(head._id, true);
        if (!current.value || current.value.updatedAt.getTime() >= now.getTime() - idleMs) continue;
        if (current.value.ended === undefined) {
          const end: StoredValue = { ended: 'expired', updatedAt: current.value.updatedAt };
          if (await log.claim(head._id, current.rev + 1, end, now)) {
            await writeHead(head._id, current.rev + 1, end);
            remember(head._id, { rev: current.rev + 1, value: end, headRev: current.rev + 1 });
            emptied++;
          }
        } else if (current.value.updatedAt.getTime() < now.getTime() - keepTombstoneMs) {
          const res = await Head.deleteOne({ _id: head._id, rev: current.rev });
          deleted += res.deletedCount;
        }
      }
      return { emptied, deleted, pruned };
    },
  };
}
