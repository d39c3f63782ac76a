import type { AccessEntry, AccessRecord } from './access-record';
import type { ReviewNote } from './review-note';

/**
 * The access record, a hash chain of who read what (docs: privacy); src/store/access-record
 * implements it. `append` takes the next place in the chain whichever instance writes.
 */
export interface AccessRecordRepository {
  /** Appends an entry at the chain's end; returns its sequence number. */
  append(entry: AccessEntry): Promise<number>;
  inOrder(): AsyncIterable<AccessRecord>;
  between(from: Date, to: Date, opts?: { actor?: string; limit?: number }): Promise<AccessRecord[]>;
  prunable(before: Date): Promise<{ fromSeq: number; through: AccessRecord } | undefined>;
  removeThrough(seq: number): Promise<number>;
  head(): Promise<{ seq: number; hash: string }>;
  /** Rebuilds the chain's tail from the records (after a restore). */
  rebuildTail(): Promise<void>;
  /** Forgets this instance's cached head, so the next append reads it again. */
  resetHead(): void;
}

/** The monthly access reviews' notes; src/store/access-review implements it. */
export interface AccessReviewRepository {
  /** Adds the note unless the same one exists: then that one (`created` false). */
  add(note: Omit<ReviewNote, 'id'>): Promise<{ created: boolean; note: ReviewNote }>;
  list(): Promise<ReviewNote[]>;
}
