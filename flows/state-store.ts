/** A conversation's state between turns. */
export interface ConversationState {
  flowId: string;
  flowVersion: number;
  stepId: string;
  data: unknown;
  updatedAt: Date;
}

/**
 * What is stored under a conversation's key: a running conversation, or its end. An end keeps
 * the revision going (a new conversation continues the numbering, so a late writer of an old
 * revision always loses) and says how it ended, so a message that lost a race can be told.
 */
export type StoredValue = (
  | ({ ended?: undefined } & ConversationState)
  | { ended: 'done' | 'cancelled' | 'expired' | 'fenced'; updatedAt: Date; endTexts?: string[] }
) & {
  /**
   * The unseen mark: the signature of the conversation as the person last saw it, set when a reply
   * they never got may have moved it on. The next turn shows where it is before taking anything,
   * and the next revision drops the mark. It rides in the revision (not beside it), so a turn reads
   * it with the conversation, at no extra cost.
   */
  unseen?: string;
};

export interface ConversationRecord {
  /** 0 when nothing was ever stored under the key. */
  rev: number;
  value?: StoredValue;
}

export interface ConversationKey {
  channel: string;
  userId: string;
}

/**
 * Where conversations live between turns (MongoDB in the service). A write names the revision it
 * was decided from; of several writers of the same revision exactly one succeeds, on FerretDB as
 * on MongoDB. The engine never learns which database it is.
 */
export interface StateStore {
  read(key: ConversationKey): Promise<ConversationRecord>;
  /** Stores `value` as revision `expectedRev + 1`; false when another writer took that revision. */
  write(key: ConversationKey, value: StoredValue, expectedRev: number): Promise<boolean>;
  /**
   * The conversation as this process last read or wrote it, without asking the database (undefined
   * when it knows nothing recent). Another instance may have moved it on since: a turn that starts
   * from it confirms it with its first write, or with `read` before it replies or acts.
   */
  recall?(key: ConversationKey): ConversationRecord | undefined;
  /**
   * After `write` of revision `rev` was refused: whether that revision was claimed before `since`
   * (a recollection that was already out of date), not by a message racing this one.
   */
  claimedBefore?(key: ConversationKey, rev: number, since: Date): Promise<boolean>;
}

/** The conversations as the service keeps them: the engine's store, plus what the purge and checks read. */
export interface ConversationStore extends StateStore {
  /** The running conversation's state, or undefined when there is none (never started, ended, expired). */
  current(key: ConversationKey): Promise<ConversationState | undefined>;
  purge(
    now: Date,
    idleMs: number,
    keepTombstoneMs: number,
  ): Promise<{ emptied: number; deleted: number; pruned: number }>;
}
