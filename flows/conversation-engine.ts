import { randomUUID } from 'node:crypto';
import { decider, signatureOf, type DecideRules, type Decision } from './decide';
import type { Effect } from './flow';
import type { ConversationKey, ConversationRecord, StateStore, StoredValue } from './state-store';
import { reply, type Channel, type Incoming, type Reply } from './types';

// The pure parts live in decide.ts; re-exported for the adapters' and tests' existing imports.
export { commandWord, matchChoice, signatureOf, type EngineTexts } from './decide';

export interface EngineOptions<D, S, E extends Effect> extends DecideRules<D, S, E> {
  /** Performs an effect a decision asks for (filing, lookups, linking), for the person of the turn. */
  perform(effect: E, who: { channel: Channel; userId: string }): Promise<unknown>;
  /** Effects that change nothing (lookups): a turn may perform them before it knows its conversation is current. */
  readsOnly?(effect: E): boolean;
  store: StateStore;
  now?: () => Date;
}

/** What a running turn read: what its deadline handler needs to fence it off. */
interface TurnRead {
  key: ConversationKey;
  record: ConversationRecord;
  /** The unseen mark the turn started from: kept if the person never gets this turn's reply either. */
  unseen?: string;
}

const keyId = (k: ConversationKey) => `${k.channel}:${k.userId}`;

/** A run that started from a recollection the conversation had left (with the latest, when read). */
interface Stale {
  stale: true;
  latest?: ConversationRecord;
}

/**
 * Runs turns around the pure `decide` (flows/decide.ts): loads the conversation and the unseen
 * mark, lets `decide` choose, stores each decided revision with a claimed write, performs the
 * effects it asks for and hands their results back, and returns the reply to send. Of several
 * turns decided from the same revision exactly one is stored (a unique claim, see
 * src/store/revision); the others are told so and see where the conversation is.
 */
export class ConversationEngine<D, S, E extends Effect> {
  private readonly reads = new WeakMap<AbortSignal, TurnRead>();
  /** Per conversation, the fence of a turn that missed its deadline: the next turn waits for it. */
  private readonly settling = new Map<string, Promise<unknown>>();
  private readonly decider;

  constructor(private readonly opts: EngineOptions<D, S, E>) {
    this.decider = decider(opts);
  }

  async turn(incoming: Incoming, signal?: AbortSignal): Promise<Reply> {
    const { store } = this.opts;
    const now = this.opts.now?.() ?? new Date();
    const key: ConversationKey = { channel: incoming.channel, userId: incoming.userId };

    await this.settling.get(keyId(key));
    // The wall clock the store stamps claims with (the flow's clock may be a test's fixed one).
    const startedAt = new Date();
    // What this process last knew of the conversation: asking the database whether another
    // instance moved it on costs every turn a read; the turn's first write answers that anyway.
    const recalled = store.recall?.(key);
    const first = await this.decideAndRun(incoming, key, now, recalled ?? (await store.read(key)), !recalled, {
      startedAt,
      signal,
    });
    if (!('stale' in first)) return first;
    // Another instance had moved the conversation on before this message came: not a race.
    const latest = first.latest ?? (await store.read(key));
    const second = await this.decideAndRun(incoming, key, now, latest, true, { startedAt, signal });
    if ('stale' in second) throw new Error('a confirmed read cannot be stale');
    return second;
  }

  /**
   * One decision run from `read`. Unconfirmed (a recollection), it ends `stale` instead of acting
   * on it when the conversation had moved on: the first claimed write finds that out, and a turn
   * that would reply or change something before writing reads first (a lookup need not).
   */
  private async decideAndRun(
    incoming: Incoming,
    key: ConversationKey,
    now: Date,
    read: ConversationRecord,
    confirmed: boolean,
    { startedAt, signal }: { startedAt: Date; signal?: AbortSignal },
  ): Promise<Reply | Stale> {
    const { store } = this.opts;
    const { record, unseen } = withoutMark(read);
    // Past the deadline already: this reply will not be seen either, and the mark stays stored.
    signal?.throwIfAborted();
    if (signal) this.reads.set(signal, { key, record, unseen });

    let rev = record.rev;
    let decision: Decision<E> = this.decider.decide({ record, unseen }, incoming, { now, freshId: randomUUID() });
    for (;;) {
      if (decision.store) {
        // Writes only while the channel can still deliver the answer, so a late turn changes nothing.
        signal?.throwIfAborted();
        if (!(await store.write(key, decision.store, rev))) {
          if (!confirmed && (await store.claimedBefore?.(key, rev + 1, startedAt))) return { stale: true };
          return this.decider.lostRace(decision.notes, withoutMark(await store.read(key)).record.value);
        }
        confirmed = true;
        rev += 1;
      }
      // Replying or changing anything before a write confirmed the recollection needs the read it skipped.
      const acts = 'reply' in decision || (decision.effect && !this.opts.readsOnly?.(decision.effect));
      if (acts && !confirmed) {
        const latest = await store.read(key);
        if (latest.rev !== record.rev) return { stale: true, latest };
        confirmed = true;
      }
      if ('reply' in decision) {
        // The reply shows where the conversation is: the mark goes (unless someone moved it on meanwhile).
        if (rev === record.rev && unseen !== undefined && record.value !== undefined && !signal?.aborted)
          await store.write(key, record.value, rev).catch(() => false); // a mark left shows the same again: harmless
        return decision.reply;
      }
      let result: unknown;
      if (decision.effect) {
        signal?.throwIfAborted();
        result = await this.opts.perform(decision.effect, { channel: incoming.channel, userId: incoming.userId });
      }
      decision = decision.after(result);
    }
  }

  /**
   * After the channel's deadline passed (or the turn failed): fences the conversation at the
   * revision the turn read, so a write still in flight cannot land unseen. When the fence holds,
   * nothing changed and the person is told so; when it does not, the next message first shows
   * where the conversation is.
   */
  async unanswered(_incoming: Incoming, signal: AbortSignal): Promise<Reply> {
    const read = this.reads.get(signal);
    // The turn had not read yet: it checks the signal before every write, so it will change nothing.
    if (!read) return reply(this.opts.texts.lateKept);
    const id = keyId(read.key);
    const work = this.fence(read);
    const settled = work.finally(() => {
      if (this.settling.get(id) === settled) this.settling.delete(id);
    });
    this.settling.set(
      id,
      settled.catch(() => undefined),
    );
    return work;
  }

  private async fence({ key, record, unseen }: TurnRead): Promise<Reply> {
    const { texts, store } = this.opts;
    const now = this.opts.now?.() ?? new Date();
    const value = record.value;
    const copy: StoredValue =
      value !== undefined && value.ended === undefined
        ? { ...value }
        : { ended: 'fenced', updatedAt: value?.updatedAt ?? now };
    // A turn that started from a mark was to show where the conversation went; unseen, it stays.
    if (unseen !== undefined) copy.unseen = unseen;
    let fenced = false;
    try {
      fenced = await store.write(key, copy, record.rev);
    } catch {
      fenced = false;
    }
    if (fenced) return reply(texts.lateKept);
    await this.markUnseen(key, unseen ?? signatureOf(record.value)).catch(() => undefined);
    return reply(texts.lateUnsure);
  }

  /** Marks the latest revision as unseen past `signature`, keeping an earlier mark (a claimed write, like any other). */
  private async markUnseen(key: ConversationKey, signature: string): Promise<void> {
    const { store } = this.opts;
    for (let attempt = 0; attempt < 3; attempt++) {
      const latest = await store.read(key);
      if (!latest.value || latest.value.unseen !== undefined) return;
      if (await store.write(key, { ...latest.value, unseen: signature }, latest.rev)) return;
    }
  }
}

/** A record as the decision sees it (no mark inside, so nothing decided carries it on) and its mark. */
function withoutMark(record: ConversationRecord): { record: ConversationRecord; unseen?: string } {
  if (record.value?.unseen === undefined) return { record };
  const { unseen, ...value } = record.value;
  return { record: { rev: record.rev, value: value as StoredValue }, unseen };
}
