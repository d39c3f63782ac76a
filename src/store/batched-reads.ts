import type { mongo } from 'mongoose';
import { plainCopy } from './plain-copy';

/** The most ids one read carries. */
const MAX_BATCH = 100;

interface Waiting<T> {
  resolve(doc: T | null): void;
  reject(err: unknown): void;
}

/**
 * Reads of one collection by `_id`, several per command when they arrive together. While a read
 * is out, the ids asked meanwhile wait and then go as one `_id: {$in: …}` read; an id asked alone
 * goes at once as an `_id` equality. Every caller's read starts after its call, as its own would,
 * and gets its own copy of the document.
 *
 * Why: fifty reporters filing at once read fifty reporters' lists, fifty times the partner and the
 * address. On FerretDB an `_id` read scans its collection (SQLite compares each document's `_id`);
 * an `$in` decodes every document once, so one read of fifty ids costs about what ten alone do.
 * On MongoDB both are index-served.
 */
export function batchedReads<T extends { _id: unknown }, Id = string>(
  collection: mongo.Collection<T>,
  idOf: (id: Id) => unknown = (id) => id,
): (id: Id) => Promise<T | null> {
  let queue = new Map<string, { id: unknown; waiting: Waiting<T>[] }>();
  let sending = false;

  async function send(batch: Map<string, { id: unknown; waiting: Waiting<T>[] }>): Promise<void> {
    const ids = [...batch.values()].map((b) => b.id);
    try {
      const docs =
        ids.length === 1
          ? [await collection.findOne({ _id: ids[0] } as mongo.Filter<T>)]
          : await collection.find({ _id: { $in: ids } } as mongo.Filter<T>).toArray();
      const byKey = new Map(docs.filter((d) => d !== null).map((d) => [String(d!._id), d as T]));
      for (const [key, { waiting }] of batch) {
        const doc = byKey.get(key) ?? null;
        waiting.forEach((w, i) => w.resolve(i === 0 || doc === null ? doc : plainCopy(doc)));
      }
    } catch (err) {
      for (const { waiting } of batch.values()) for (const w of waiting) w.reject(err);
    }
  }

  async function drain(): Promise<void> {
    sending = true;
    try {
      while (queue.size > 0) {
        const batch = new Map([...queue].slice(0, MAX_BATCH));
        queue = new Map([...queue].slice(MAX_BATCH));
        await send(batch);
      }
    } finally {
      sending = false;
    }
  }

  return (id) =>
    new Promise<T | null>((resolve, reject) => {
      const raw = idOf(id);
      const key = String(raw);
      const entry = queue.get(key) ?? { id: raw, waiting: [] };
      entry.waiting.push({ resolve, reject });
      queue.set(key, entry);
      if (!sending) void drain();
    });
}
