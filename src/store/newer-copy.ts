import type { Model } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';

/**
 * Writes of a revisioned copy (a report's working-set or archive document, its open copy) that
 * select by `_id` alone. FerretDB 1.24 hands a lone `_id` filter to SQLite, but answers any other
 * filter — `{_id, rev: {$lt: n}}` included — by decoding document after document in Go: 0.3–0.4 s
 * per write at a few hundred stored reports, seconds at a district's working set. So the stored
 * revision is read first (an `_id` find) and the write names only the `_id`.
 *
 * The read and the write are two steps, as FerretDB's own conditional update always was: a racing
 * writer may put an older revision over a newer one. Every writer of a report settles afterwards
 * (reads the newest claim and writes it where it belongs), so the copies converge on the latest.
 */
type RevisionedModel<T> = Model<T>;

/** The stored revision of `id` in `model`, or null when it has no copy there. */
export async function storedRev<T>(model: RevisionedModel<T>, id: string): Promise<number | null> {
  const stored = await model.findById(id).select({ rev: 1 }).lean<{ rev: number }>();
  return stored ? stored.rev : null;
}

/** Stores `doc` unless a copy at its revision or later is there. */
export async function replaceIfNewer<T extends { _id: string; rev: number }>(
  model: RevisionedModel<T>,
  doc: T,
): Promise<void> {
  const rev = await storedRev(model, doc._id);
  if (rev !== null && rev >= doc.rev) return;
  try {
    await model.replaceOne({ _id: doc._id } as never, doc, { upsert: true });
  } catch (err) {
    // two upserts of a missing copy both tried the insert: the other's is there, and settle decides
    if (!isDuplicateKey(err)) throw err;
  }
}

/** Deletes the copy of `id` if its revision is within `bound` (below `$lt`, or at most `$lte`). */
export async function deleteIfOlder<T>(
  model: RevisionedModel<T>,
  id: string,
  bound: { $lt: number } | { $lte: number },
): Promise<void> {
  const rev = await storedRev(model, id);
  if (rev === null) return;
  if ('$lt' in bound ? rev >= bound.$lt : rev > bound.$lte) return;
  await model.deleteOne({ _id: id } as never);
}
