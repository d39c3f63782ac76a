/** A conversation as stored between turns. */
export interface StoredConversation {
  flowId: string;
  flowVersion: number;
  stepId: string;
  data: unknown;
  updatedAt: Date;
  /** Set when the purge has emptied an idle conversation, so the user is told it expired. */
  expired?: boolean;
  /** Bumped on every write; a write that expected another revision lost a race and is refused. */
  rev: number;
}

export interface ConversationKey {
  channel: string;
  userId: string;
}

/**
 * Where conversations live between turns (MongoDB in the service). The engine never learns which
 * database it is, in the manner of grammY's session storage adapters.
 */
export interface StateStore {
  read(key: ConversationKey): Promise<StoredConversation | undefined>;
  /** Writes when the stored revision is `expectedRev` (0 = not stored yet); false when it is not. */
  write(key: ConversationKey, state: Omit<StoredConversation, 'rev'>, expectedRev: number): Promise<boolean>;
  remove(key: ConversationKey): Promise<void>;
}
